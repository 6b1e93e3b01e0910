#pragma once
// The pull model: idle worker slots take the next batch from one queue.

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "launcher/batch_runner.hpp"
#include "launcher/report/reporter.hpp"

namespace fanout::launcher {

/// How the scheduler forms and hands out batches.
struct SchedulerOptions {
  int slots = 1;
  double default_timeout_seconds = 0;  ///< for targets without a timeout of their own
  std::size_t max_batch_items = 1;     ///< items per process
};

/// Hands batches to idle slots until every item has a result. Items can be added while the run
/// goes on (incremental collection). Reports every item exactly once through `reporter`.
/// Single-threaded: call it, and let the runner call it back, from the run's event loop.
class Scheduler {
 public:
  Scheduler(BatchRunner& runner, report::Reporter& reporter, SchedulerOptions options);

  /// Queues the runnable items of `target`. Disabled items are reported as skipped at once.
  /// `target` and `framework` must outlive the scheduler.
  void add(const collector::Target& target, const collector::Framework& framework,
           std::vector<collector::Item> items);
  /// No more add() calls will come; the run can finish once the queue drains.
  void close();
  /// Stops handing out work, cancels what runs; queued items end as not_run.
  void cancel();
  /// Called once, when the input is closed and every item has a result.
  void on_finished(std::function<void()> callback) { on_finished_ = std::move(callback); }

  bool finished() const { return finished_; }
  /// Counts per outcome so far.
  const std::map<collector::Outcome, std::size_t>& counts() const { return counts_; }

 private:
  struct Entry {
    const collector::Target* target;
    const collector::Framework* framework;
    collector::Item item;
  };

  void dispatch();
  Batch next_batch();
  void finish_item(const collector::Item& item, collector::Result result);
  void batch_done(std::vector<Entry> batch_entries, std::vector<collector::Item> not_started);
  void check_finished();
  double timeout_for(const collector::Target& target) const;

  BatchRunner& runner_;
  report::Reporter& reporter_;
  SchedulerOptions options_;
  std::deque<Entry> queue_;
  int busy_slots_ = 0;
  std::uint64_t next_batch_id_ = 1;
  bool closed_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
  std::map<collector::Outcome, std::size_t> counts_;
  std::function<void()> on_finished_;
};

}  // namespace fanout::launcher
