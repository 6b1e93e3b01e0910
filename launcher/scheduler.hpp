#pragma once
// The pull model: idle worker slots take the next batch from one queue, ordered by priority,
// honouring processors, RUN_SERIAL, resource locks, groups, global fixtures, a start condition
// (DEPENDS) and run control (retries, repeat).

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "launcher/batch_runner.hpp"
#include "launcher/report/reporter.hpp"

namespace fanout::launcher {

/// `--repeat until-fail:N|until-pass:N`.
enum class RepeatMode { once, until_fail, until_pass };

/// Chooses how many of `candidates` (expected seconds of queued items of one target, in queue
/// order, the first being the item that must run) the next batch takes; at least 1.
/// `queued_seconds` is the expected time of everything still queued; `slots` the worker count.
/// A batch is a prefix, and the answer must depend only on the candidates shown: the scheduler
/// shows a first few and shows more only when all of those were taken, so that it estimates
/// about as many items as a batch takes, not every one that could join it.
using BatchSizer = std::function<std::size_t(const std::vector<double>& candidates,
                                             double queued_seconds, int slots)>;

/// How the scheduler forms and hands out batches.
struct SchedulerOptions {
  int slots = 1;
  double default_timeout_seconds = 0;  ///< for targets without a timeout of their own
  /// For fixture setups and cleanups without a timeout of their own when default_timeout_seconds
  /// is 0 too: ctest's default test timeout, so that a hanging setup never stalls the run.
  double default_fixture_timeout_seconds = 1500;
  std::size_t max_batch_items = 1;  ///< upper bound on items per process
  BatchSizer batch_size;            ///< empty: always max_batch_items
  /// Current estimate of an item's duration for batch sizing (history may learn during the
  /// run); empty: the item's expected_seconds.
  std::function<double(const collector::Item&)> estimate_seconds;
  std::size_t max_batch_argument_bytes = 60000;  ///< bound on the names in one command line
  /// Load-aware slots: the share of a core, in (0, 1], that an item keeps busy while it runs
  /// (empty: every item holds whole slots, as with ctest -j). A batch holds the largest share
  /// of its items times its processors, only items of no larger share join it, and at most
  /// max_processes_per_slot * slots batches run at once.
  std::function<double(const collector::Item&)> core_share;
  int max_processes_per_slot = 4;
  /// Run in the order added (shuffle) instead of by priority; a batch then only takes the
  /// following queued items while their Item::ordinal increases.
  bool keep_order = false;
  /// Whether the items of a target may start now (DEPENDS, see DependencyGate); empty: always.
  /// An item that may not waits in the queue, holding nothing, not even its fixtures; call
  /// Scheduler::resume() once the answer may have changed.
  std::function<bool(const collector::Target&)> may_start;
  int retries = 0;  ///< a failed item runs again up to this often; passing later = flaky
  RepeatMode repeat = RepeatMode::once;
  int repeat_count = 1;
};

/// An item to schedule with what history says about it. `item` points to the caller's item
/// (see Scheduler::add).
struct QueuedItem {
  const collector::Item* item = nullptr;
  double expected_seconds = 1.0;
  bool failed_last = false;  ///< failed in the last run: goes first
};

/// A global fixture: set up before the first item that requires it, cleaned up after the last.
/// The setups run one after another, in order, each with the exports of the earlier ones added to
/// its environment; the fixture's exports, given to the items that require it and to every
/// cleanup, are the `KEY=VALUE` stdout lines of all its setups (a later one wins for the same
/// KEY). A setup that fails, or prints an export too long to pass on (its message names the
/// variable), fails the fixture, but the later ones still run (as in ctest); the
/// items that require it then fail with the first failed setup's message and output. Without setups
/// the fixture is ready at once, no process started. The cleanups run one after another once it is
/// no longer needed (also when its setup failed, and when the run is cancelled), each one even when
/// an earlier one failed; the fixture is done after the last. Every setup and cleanup runs with a
/// time limit (see SchedulerOptions::default_fixture_timeout_seconds); one that exceeds it fails.
struct FixtureDefinition {
  std::string name;
  std::vector<FixtureCommand> setups;
  std::vector<FixtureCommand> cleanups;
};

/// Hands batches to idle slots until every item has a result. Items can be added while the run
/// goes on (incremental collection). Reports every item exactly once through `reporter`.
/// Single-threaded: call it, and let the runner call it back, from the run's event loop.
class Scheduler {
 public:
  Scheduler(BatchRunner& runner, report::Reporter& reporter, SchedulerOptions options);

  /// Declares a fixture that targets may require (before adding items that require it).
  void define_fixture(FixtureDefinition fixture);
  /// Queues the runnable items of `target`. Disabled items are reported as skipped at once.
  /// `target`, `framework` and the items `items` point to must outlive the scheduler, unmoved:
  /// the scheduler, its runner and the reporters it calls refer to them by pointer. `listing`,
  /// when given, is the target's whole listing, which the items point into; the batches carry
  /// it (Batch::listing) and it must live as long.
  void add(const collector::Target& target, const collector::Framework& framework,
           std::vector<QueuedItem> items, std::span<const collector::Item> listing = {});
  /// Shorthand: items without history, which the scheduler keeps (they live as long as it).
  void add(const collector::Target& target, const collector::Framework& framework,
           std::vector<collector::Item> items);
  /// No more add() calls will come; the run can finish once the queue drains.
  void close();
  /// Stops handing out work, cancels what runs; queued items end as not_run. Fixture cleanups
  /// still run.
  void cancel();
  /// Hands out what may start now; for when SchedulerOptions::may_start may answer differently.
  /// Not to be called from inside a call the scheduler makes (a reporter's, a runner's).
  void resume();
  /// Called once, when the input is closed, every item has a result and cleanups are done.
  void on_finished(std::function<void()> callback) { on_finished_ = std::move(callback); }

  bool finished() const { return finished_; }
  /// Fixture setup and cleanup commands that failed, each reported to
  /// Reporter::fixture_failed.
  std::size_t fixture_failures() const { return fixture_failures_; }

 private:
  struct Entry {
    const collector::Target* target;
    const collector::Framework* framework;
    const collector::Item* item;
    double expected_seconds;
    bool failed_last;
    bool alone;  ///< a retry: runs in a process of its own
    std::uint64_t sequence;
  };
  struct Attempts {
    int runs = 0;
    int failures = 0;
    std::optional<collector::Result> first_failure;
  };
  struct Fixture {
    FixtureDefinition definition;
    enum class State { idle, setting_up, ready, failed, cleaning, done } state = State::idle;
    std::vector<collector::EnvVar> exports;  ///< of the setups that ran so far
    /// The first setup that failed, if one did (the later ones still run).
    std::optional<FixtureCommandResult> failed_setup;
    std::size_t next_command = 0;  ///< setup, or cleanup while cleaning, to run next
  };
  struct RunningBatch {
    std::vector<Entry> entries;  ///< in the order the binary runs them: its listing's
    /// Item id → position in entries; built only when a result comes out of order.
    std::unordered_map<std::string_view, std::size_t> index;
    std::vector<bool> finished;        ///< by position in entries
    std::size_t first_unfinished = 0;  ///< no entry before it is unfinished
    bool progressed = false;           ///< some item finished
    std::vector<std::string> locks;
    double load = 1;  ///< slots' worth of cores it keeps busy
    bool serial = false;
    /// Its slot, locks and serial claim are held until its process ends, which may be before
    /// the batch is done (the runner still reading the last results).
    bool holds_slot = true;
  };

  void enqueue(Entry entry);
  void enqueue_all(std::vector<Entry> entries);
  bool runs_before(const Entry& a, const Entry& b) const;
  void dispatch();
  bool can_start(const Entry& entry);
  std::vector<std::string> locks_of(const Entry& entry) const;
  int slots_of(const collector::Target& target) const;
  double load_of(const Entry& entry) const;
  void start_batch(std::size_t first_index);
  void on_item_result(RunningBatch& batch, collector::Result result);
  /// The position in `batch` of the unfinished entry whose item is `id`, if there is one.
  static std::optional<std::size_t> unfinished_position(RunningBatch& batch, std::string_view id);
  /// `batch.index`, built if it is not yet.
  static const std::unordered_map<std::string_view, std::size_t>& index_of(RunningBatch& batch);
  void on_batch_done(std::uint64_t batch_id, std::vector<collector::NotStarted> not_started);
  /// Gives back what `batch` holds while its process runs.
  void release_slot(RunningBatch& batch);
  void finish_item(const collector::Item& item, collector::Result result);
  void fail_for_fixture(const Entry& entry, const Fixture& fixture);
  void start_setup(Fixture& fixture);
  void run_next_setup(const std::string& name);
  void run_due_cleanups();
  void run_next_cleanup(const std::string& name);
  /// Counts a failed setup or cleanup command of `fixture` and tells the reporter.
  void report_fixture_failure(const std::string& fixture, report::FixtureFailure::Phase phase,
                              const std::string& command, const FixtureCommandResult& result);
  bool fixture_needed(const std::string& name) const;
  void check_finished();
  double timeout_for(const collector::Target& target) const;
  /// `command` with its time limit: its own, else the run's default, else the fixtures' default.
  FixtureCommand with_timeout(FixtureCommand command) const;

  BatchRunner& runner_;
  report::Reporter& reporter_;
  SchedulerOptions options_;
  /// Sorted by priority (or insertion order with keep_order); entries are held by pointer so
  /// that sorting and taking from the middle move pointers, not items.
  std::vector<std::unique_ptr<Entry>> queue_;
  double queued_seconds_ = 0;
  std::map<std::uint64_t, RunningBatch> running_;
  std::multiset<std::string> held_locks_;
  double busy_load_ = 0;     ///< sum of the loads of the batches holding a slot
  std::size_t holding_ = 0;  ///< running batches whose process has not ended
  bool serial_running_ = false;
  std::uint64_t next_batch_id_ = 1;
  std::uint64_t next_sequence_ = 0;
  /// Items run more than once or failed (retries, repeat); an item absent here ran once.
  std::unordered_map<std::string, Attempts> attempts_;
  std::map<std::string, Fixture> fixtures_;
  bool closed_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
  std::size_t fixture_failures_ = 0;
  std::function<void()> on_finished_;
  /// Items given to the add() shorthand; a deque keeps its vectors (and so their items) in place.
  std::deque<std::vector<collector::Item>> owned_items_;
  std::unordered_map<const collector::Target*, std::span<const collector::Item>> listings_;
};

}  // namespace fanout::launcher
