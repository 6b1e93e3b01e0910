#pragma once
// CTest's DEPENDS while a run goes on: which targets may start, learnt from the run's events.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "launcher/report/reporter.hpp"

namespace fanout::launcher {

/// A target may start once every target of the run it depends on (Target::depends) has
/// finished, whatever its outcome: every item it was collected with has its final result, or it
/// will never have any (its collection failed; or collection is over and it was never collected,
/// as when --shard or -R left none of its items). Names not among the run's targets impose
/// nothing. It learns this as a reporter: add it where it hears the final results, downstream of
/// anything that holds results back (SplitGuard). Cycles are the caller's to refuse first
/// (check_no_dependency_cycle): a target of a cycle never may start.
class DependencyGate : public report::Reporter {
 public:
  /// `targets` are the run's, after selection; they must outlive the gate.
  explicit DependencyGate(const std::vector<collector::Target>& targets);

  /// True when some target depends on another of the run; otherwise every target may always
  /// start and the gate need not be asked.
  bool has_dependencies() const { return !tracked_.empty(); }
  /// Whether the items of `target` may start now.
  bool may_start(const collector::Target& target) const;
  /// Collection is over: a target not collected by now never will be.
  void collection_done();
  /// Called whenever a target depended on has finished, so that may_start may answer
  /// differently (from inside an event: act on it later, not from the callback).
  void on_change(std::function<void()> callback) { on_change_ = std::move(callback); }

  void target_collected(const collector::Target& target,
                        const std::vector<collector::Item>& items) override;
  void collection_failed(const report::CollectionError& error) override;
  void item_finished(const collector::Item& item, const collector::Result& result) override;

 private:
  /// A target others depend on.
  struct Tracked {
    bool collected = false;
    bool failed = false;         ///< its collection failed: it has no items
    std::size_t unfinished = 0;  ///< collected items without their final result
  };
  bool finished(const Tracked& tracked) const;
  void changed();

  std::map<std::string, Tracked, std::less<>> tracked_;  ///< by target name
  bool collection_done_ = false;
  std::function<void()> on_change_;
};

}  // namespace fanout::launcher
