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
      max_threads_(std::max(1, threads)),
      callbacks_(std::move(callbacks)) {
  boost::asio::post(io_, [this] { collect_cached_or_start_threads(); });
}

void BackgroundCollection::collect_cached_or_start_threads() {
  const std::size_t index = next_;
  if (index < targets_.size() && !stopped_ && frameworks_[index]) {
    if (auto items =
            collector::collect_cached_items(targets_[index], *frameworks_[index], options_)) {
      ++next_;
      callbacks_.collected(index, std::move(*items));
      // Posted, not looped: what the batches already started do (output, exits) and a Ctrl-C are
      // handled between two targets.
      boost::asio::post(io_, [this] { collect_cached_or_start_threads(); });
      return;
    }
  }
  start_threads();
}

void BackgroundCollection::start_threads() {
  const std::size_t left = targets_.size() - std::min(targets_.size(), next_.load());
  if (left == 0) {
    callbacks_.done();
    return;
  }
  const int count = static_cast<int>(std::min<std::size_t>(left, max_threads_));
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
