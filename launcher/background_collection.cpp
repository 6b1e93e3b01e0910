#include "launcher/background_collection.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace fanout::launcher {

BackgroundCollection::BackgroundCollection(
    boost::asio::io_context& io, const std::vector<collector::Target>& targets,
    const std::vector<const collector::Framework*>& frameworks,
    const std::vector<std::string>& framework_errors, collector::CollectOptions options,
    int threads, Callbacks callbacks)
    : io_(io),
      targets_(targets),
      frameworks_(frameworks),
      framework_errors_(framework_errors),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)) {
  const int count = std::clamp<int>(static_cast<int>(targets.size()), 1, std::max(1, threads));
  active_threads_ = count;
  for (int i = 0; i < count; ++i) threads_.emplace_back([this] { work(); });
}

BackgroundCollection::~BackgroundCollection() {
  stopped_ = true;
  for (auto& thread : threads_) thread.join();
}

void BackgroundCollection::work() {
  for (;;) {
    const std::size_t index = next_++;
    if (index >= targets_.size()) break;
    if (stopped_) {
      boost::asio::post(
          io_, [this, index] { callbacks_.failed(index, "not listed: the run was interrupted"); });
      continue;
    }
    const collector::Framework* framework = frameworks_[index];
    if (!framework) {
      boost::asio::post(io_, [this, index] { callbacks_.failed(index, framework_errors_[index]); });
      continue;
    }
    try {
      auto items = collector::collect_items(targets_[index], *framework, options_);
      boost::asio::post(io_, [this, index, items = std::move(items)]() mutable {
        callbacks_.collected(index, std::move(items));
      });
    } catch (const std::exception& e) {
      boost::asio::post(io_, [this, index, message = std::string(e.what())] {
        callbacks_.failed(index, message);
      });
    }
  }
  if (--active_threads_ == 0) boost::asio::post(io_, [this] { callbacks_.done(); });
}

}  // namespace fanout::launcher
