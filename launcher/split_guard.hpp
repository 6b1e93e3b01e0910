#pragma once
// Splitting must never invent failures: a reporter proxy for targets split out of one whole
// CTest command. Their results are held until all of the target's items are done; when any
// failed, the original command runs once whole, and if that passes the binary cannot be split:
// every item follows the whole run and history keeps the target whole from then on.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "launcher/batch_runner.hpp"
#include "launcher/history.hpp"
#include "launcher/report/reporter.hpp"

namespace fanout::launcher {

/// Forwards every event to `downstream`, holding back the results of watched targets as
/// described above. Single-threaded, on the run's event loop.
class SplitGuard : public report::Reporter {
 public:
  /// `whole_framework` runs a target's command as is (the "exe" adapter).
  SplitGuard(report::Reporter& downstream, BatchRunner& runner, History& history,
             const collector::Framework& whole_framework);

  /// Watches `target` (split from a whole command), whose items are `items`. `target` must
  /// outlive the guard.
  void watch(const collector::Target& target, const std::vector<collector::Item>& items);
  /// True when no verification is pending or running.
  bool idle() const;
  /// Called whenever the guard becomes idle after a verification.
  void on_idle(std::function<void()> callback) { on_idle_ = std::move(callback); }
  /// Stops holding: held results are forwarded as they are (the run was interrupted).
  void release_all();

  void run_started(const report::RunInfo& info) override { downstream_.run_started(info); }
  void target_collected(const collector::Target& t,
                        const std::vector<collector::Item>& items) override {
    downstream_.target_collected(t, items);
  }
  void collection_failed(const report::CollectionError& e) override {
    downstream_.collection_failed(e);
  }
  void item_started(const collector::Item& item) override { downstream_.item_started(item); }
  void item_finished(const collector::Item& item, const collector::Result& result) override;
  void fixture_failed(const report::FixtureFailure& failure) override {
    downstream_.fixture_failed(failure);
  }
  void message(const std::string& text) override { downstream_.message(text); }
  void flush() override { downstream_.flush(); }
  void run_finished(const report::Summary& summary) override { downstream_.run_finished(summary); }

 private:
  struct Watched {
    const collector::Target* target = nullptr;
    collector::Target whole;                   ///< the target as one command
    std::vector<collector::Item> whole_items;  ///< the whole command's item, its batch refers to
    std::size_t expected = 0;
    std::vector<std::pair<collector::Item, collector::Result>> held;
    bool verifying = false;
    bool done = false;
  };
  void verify(Watched& watched);
  void conclude(Watched& watched, const collector::Result& whole);
  void forward_held(Watched& watched);

  report::Reporter& downstream_;
  BatchRunner& runner_;
  History& history_;
  const collector::Framework& whole_framework_;
  std::map<std::string, Watched> watched_;  ///< by target name
  int verifying_ = 0;
  bool released_ = false;
  std::function<void()> on_idle_;
};

}  // namespace fanout::launcher
