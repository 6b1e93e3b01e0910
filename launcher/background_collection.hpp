#pragma once
// Concurrent, incremental collection: binaries are listed on background threads and each
// target's items are handed to the run's event loop as soon as they are known.

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "collector/collect.hpp"
#include "collector/framework.hpp"
#include "collector/target.hpp"

namespace boost::asio {
class io_context;
}

namespace fanout::launcher {

/// Lists targets, in order, on `io`'s thread while their items come from the parsed-items
/// cache (collector::collect_cached_items: cheaper than starting threads, and the first binary
/// can start running sooner), then the rest on up to `threads` threads. Callbacks run on `io`'s
/// thread, one per target (`collected` or `failed`), then `done` once. Destruction waits for the
/// threads; `io` must not run again after it.
class BackgroundCollection {
 public:
  struct Callbacks {
    std::function<void(std::size_t target_index, std::vector<collector::Item>)> collected;
    std::function<void(std::size_t target_index, std::string message)> failed;
    std::function<void()> done;
  };

  /// `targets` and `frameworks` (parallel vectors; a null framework fails that target with
  /// `framework_errors[i]`) must outlive this object.
  BackgroundCollection(boost::asio::io_context& io, const std::vector<collector::Target>& targets,
                       const std::vector<const collector::Framework*>& frameworks,
                       const std::vector<std::string>& framework_errors,
                       collector::CollectOptions options, int threads, Callbacks callbacks);
  ~BackgroundCollection();
  BackgroundCollection(const BackgroundCollection&) = delete;
  BackgroundCollection& operator=(const BackgroundCollection&) = delete;

  /// Starts no further listings (listings in progress finish or are killed by the caller).
  void stop() { stopped_ = true; }

 private:
  /// Collects the next target from the cache and posts itself again, or starts the threads.
  void collect_cached_or_start_threads();
  void start_threads();
  void work();

  boost::asio::io_context& io_;
  const std::vector<collector::Target>& targets_;
  const std::vector<const collector::Framework*>& frameworks_;
  const std::vector<std::string>& framework_errors_;
  collector::CollectOptions options_;
  int max_threads_;
  Callbacks callbacks_;
  std::atomic<std::size_t> next_{0};
  std::atomic<int> active_threads_{0};
  std::atomic<bool> stopped_{false};
  std::vector<std::thread> threads_;
};

}  // namespace fanout::launcher
