#pragma once
// Reporters are pure event sinks. The run calls them from one thread, one event at a time.

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collector/item.hpp"
#include "collector/result.hpp"
#include "collector/target.hpp"

namespace fanout::launcher::report {

/// Known at the start of a run.
struct RunInfo {
  std::size_t total_items = 0;  ///< items planned to run (may grow while collection goes on)
  int workers = 1;
  std::string test_dir;
  std::vector<std::string> targets;  ///< the run's targets, in the order reports list them
};

/// A target whose items could not be collected.
struct CollectionError {
  std::string target;
  std::string executable;
  std::string message;
};

/// A global fixture's setup or cleanup command that did not succeed.
struct FixtureFailure {
  enum class Phase { setup, cleanup };
  std::string fixture;  ///< the fixture's name
  Phase phase = Phase::setup;
  /// The command's own name where it has one (the imported CTest test's); else empty.
  std::string command;
  /// failed (a non-zero exit, or an export it could not pass on), timeout, crashed, error (it
  /// could not start), or not_run (the interrupted run stopped it)
  collector::Outcome outcome = collector::Outcome::failed;
  std::string message;  ///< why, on one line ("exited with code 3", "timed out after 2 s")
  std::string output;   ///< its captured output (bounded)
  double seconds = 0;   ///< how long it ran
};

/// "setup" or "cleanup".
inline std::string_view to_string(FixtureFailure::Phase phase) {
  return phase == FixtureFailure::Phase::setup ? "setup" : "cleanup";
}

/// Counts per outcome and what else the end of a run knows.
struct Summary {
  std::map<collector::Outcome, std::size_t> counts;
  double wall_seconds = 0;
  bool interrupted = false;
  std::size_t collection_errors = 0;
  std::size_t fixture_failures = 0;  ///< global fixture setups or cleanups that failed
  std::size_t count(collector::Outcome o) const {
    auto it = counts.find(o);
    return it == counts.end() ? 0 : it->second;
  }
};

/// The event interface. Every method has an empty default, so a reporter overrides what it needs.
class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void run_started(const RunInfo&) {}
  /// A target's items are known (collection is incremental). The target and the items stay
  /// alive, unmoved and unchanged, until run_finished has returned, so a reporter may keep
  /// pointers to them instead of copies. What other events pass lives only for the call: the
  /// item given to item_started or item_finished may be a copy of a collected one (match it by
  /// id), or an item no target_collected named.
  virtual void target_collected(const collector::Target&, const std::vector<collector::Item>&) {}
  virtual void collection_failed(const CollectionError&) {}
  virtual void item_started(const collector::Item&) {}
  /// Called once per item with its final result (after retries).
  virtual void item_finished(const collector::Item&, const collector::Result&) {}
  /// A fixture setup or cleanup failed, once per command that failed, when it ended. The items it
  /// fails (those requiring a fixture whose setup failed) come through item_finished as well.
  /// Summary::fixture_failures counts these events.
  virtual void fixture_failed(const FixtureFailure&) {}
  /// Output that belongs to no item (a global fixture's setup, say).
  virtual void message(const std::string&) {}
  /// The run has nothing more to report for now (it is about to wait for a process): write out
  /// what is buffered. Reporters may hold output between events, never across this call.
  virtual void flush() {}
  virtual void run_finished(const Summary&) {}
};

/// Forwards every event to each of its reporters, in order.
class MultiReporter : public Reporter {
 public:
  void add(std::unique_ptr<Reporter> reporter) { reporters_.push_back(std::move(reporter)); }
  void run_started(const RunInfo& i) override {
    for (auto& r : reporters_) r->run_started(i);
  }
  void target_collected(const collector::Target& t,
                        const std::vector<collector::Item>& items) override {
    for (auto& r : reporters_) r->target_collected(t, items);
  }
  void collection_failed(const CollectionError& e) override {
    for (auto& r : reporters_) r->collection_failed(e);
  }
  void item_started(const collector::Item& i) override {
    for (auto& r : reporters_) r->item_started(i);
  }
  void item_finished(const collector::Item& i, const collector::Result& res) override {
    for (auto& r : reporters_) r->item_finished(i, res);
  }
  void fixture_failed(const FixtureFailure& f) override {
    for (auto& r : reporters_) r->fixture_failed(f);
  }
  void message(const std::string& m) override {
    for (auto& r : reporters_) r->message(m);
  }
  void flush() override {
    for (auto& r : reporters_) r->flush();
  }
  void run_finished(const Summary& s) override {
    for (auto& r : reporters_) r->run_finished(s);
  }

 private:
  std::vector<std::unique_ptr<Reporter>> reporters_;
};

}  // namespace fanout::launcher::report
