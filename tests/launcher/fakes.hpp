#pragma once
// Test doubles for the launcher: a framework that is never asked anything, a runner the test
// drives by hand, and a reporter that records what it hears.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "collector/framework.hpp"
#include "launcher/batch_runner.hpp"
#include "launcher/fixture_exports.hpp"
#include "launcher/report/reporter.hpp"

namespace fanout::launcher {

using collector::Item;
using collector::Outcome;
using collector::Result;

/// Batches only need a framework pointer; when asked, lists one item named after the target.
class NullFramework : public collector::Framework {
 public:
  std::string_view name() const override { return "null"; }
  collector::Command list_command(const collector::Target&) const override { return {}; }
  std::vector<Item> parse_listing(const collector::Target& target,
                                  std::string_view) const override {
    Item item;
    item.target = target.name;
    item.name = target.name;
    item.id = collector::make_item_id(target.name, target.name);
    return {item};
  }
  collector::Command run_command(const collector::Target&, const std::vector<const Item*>&,
                                 const collector::BatchContext&) const override {
    return {};
  }
  std::unique_ptr<collector::BatchParser> parser(const collector::Target&, std::vector<const Item*>,
                                                 const collector::BatchContext&) const override {
    return nullptr;
  }
};

/// Records started batches; the test decides when and how each ends.
class FakeRunner : public BatchRunner {
 public:
  struct Started {
    Batch batch;
    BatchCallbacks callbacks;
    bool done = false;
  };
  void start(Batch batch, BatchCallbacks callbacks) override {
    started.push_back(Started{std::move(batch), std::move(callbacks)});
  }
  void cancel_all() override { ++cancel_calls; }
  void run_fixture_command(const FixtureCommand& command,
                           std::function<void(FixtureCommandResult)> done) override {
    fixture_commands.push_back(command);
    fixture_done.push_back(std::move(done));
  }
  /// Completes fixture command `index`, its exports read from `output` as a runner would.
  void finish_fixture(std::size_t index, bool ok, std::string output = {}) {
    FixtureExportParser exports;
    exports.feed(output);
    exports.finish();
    FixtureCommandResult result{ok ? Outcome::passed : Outcome::failed,
                                ok ? "" : "exited with code 1", output};
    result.exports = exports.exports();
    result.export_errors = exports.errors();
    fixture_done.at(index)(std::move(result));
  }
  std::vector<FixtureCommand> fixture_commands;
  std::vector<std::function<void(FixtureCommandResult)>> fixture_done;

  /// Tells that the process of batch `index` ended, its results not read yet.
  void end_process(std::size_t index) {
    Started& s = started.at(index);
    ASSERT_FALSE(s.done);
    if (s.callbacks.process_ended) s.callbacks.process_ended();
  }
  /// Ends batch `index`: every item gets `outcome` except those in `not_started`.
  void finish(std::size_t index, Outcome outcome, std::vector<std::string> not_started = {}) {
    Started& s = started.at(index);
    ASSERT_FALSE(s.done);
    std::vector<collector::NotStarted> unreached;
    for (const Item* item : s.batch.items) {
      if (std::find(not_started.begin(), not_started.end(), item->name) != not_started.end()) {
        unreached.push_back(collector::NotStarted{item});
        continue;
      }
      s.callbacks.item_started(*item);
      s.callbacks.item_finished(Result{.item_id = item->id, .outcome = outcome});
    }
    s.done = true;
    s.callbacks.batch_done(std::move(unreached));
  }
  std::size_t running() const {
    return std::count_if(started.begin(), started.end(), [](const Started& s) { return !s.done; });
  }

  std::vector<Started> started;
  int cancel_calls = 0;
};

class RecordingReporter : public report::Reporter {
 public:
  void item_finished(const Item& item, const Result& result) override {
    ++finished_count[item.id];
    outcomes[item.id] = result.outcome;
    results[item.id] = result;
    order.push_back(item.id);
  }
  void fixture_failed(const report::FixtureFailure& failure) override {
    fixture_failures.push_back(failure);
  }
  /// How many items ended with `outcome`.
  std::size_t count(Outcome outcome) const {
    return static_cast<std::size_t>(std::count_if(
        outcomes.begin(), outcomes.end(), [&](const auto& o) { return o.second == outcome; }));
  }
  std::map<std::string, int> finished_count;
  std::map<std::string, Outcome> outcomes;
  std::map<std::string, Result> results;  ///< the last result of each item
  std::vector<std::string> order;
  std::vector<report::FixtureFailure> fixture_failures;
};

}  // namespace fanout::launcher
