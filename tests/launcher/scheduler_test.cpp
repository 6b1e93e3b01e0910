#include "launcher/scheduler.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/launcher/fakes.hpp"

namespace fanout::launcher {
namespace {

using collector::Item;
using collector::Outcome;
using collector::Result;

collector::Target make_target(const std::string& name) {
  collector::Target target;
  target.name = name;
  target.executable = "/bin/" + name;
  return target;
}

std::vector<Item> make_items(const std::string& target, int count,
                             const std::string& prefix = "S.t") {
  std::vector<Item> items;
  for (int i = 0; i < count; ++i) {
    Item item;
    item.target = target;
    item.name = prefix + std::to_string(i);
    item.id = collector::make_item_id(target, item.name);
    items.push_back(item);
  }
  return items;
}

class SchedulerTest : public ::testing::Test {
 protected:
  Scheduler make(int slots, std::size_t batch = 1) {
    return Scheduler(runner, reporter, SchedulerOptions{.slots = slots, .max_batch_items = batch});
  }
  NullFramework framework;
  FakeRunner runner;
  RecordingReporter reporter;
  collector::Target a = make_target("a");
  collector::Target b = make_target("b");

  /// `items` with these expected times; the fixture keeps the items, as they must outlive the
  /// scheduler.
  std::vector<QueuedItem> with_seconds(std::vector<Item> items, std::vector<double> seconds) {
    const std::vector<Item>& kept = kept_items.emplace_back(std::move(items));
    std::vector<QueuedItem> queued;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      queued.push_back(QueuedItem{&kept[i], seconds[i]});
    }
    return queued;
  }
  std::deque<std::vector<Item>> kept_items;
};

TEST_F(SchedulerTest, NeverRunsMoreBatchesThanSlots) {
  Scheduler scheduler = make(2);
  scheduler.add(a, framework, make_items("a", 5));
  EXPECT_EQ(runner.started.size(), 2u);
  runner.finish(0, Outcome::passed);
  EXPECT_EQ(runner.started.size(), 3u);
  EXPECT_EQ(runner.running(), 2u);
}

TEST_F(SchedulerTest, FinishesOnlyAfterCloseAndEveryItemReported) {
  Scheduler scheduler = make(3);
  bool finished = false;
  scheduler.on_finished([&] { finished = true; });
  scheduler.add(a, framework, make_items("a", 3));
  for (std::size_t i = 0; i < 3; ++i) runner.finish(i, Outcome::passed);
  EXPECT_FALSE(finished) << "input not closed yet: more targets may still be collected";
  scheduler.add(b, framework, make_items("b", 1));
  runner.finish(3, Outcome::failed);
  scheduler.close();
  EXPECT_TRUE(finished);
  EXPECT_EQ(reporter.count(Outcome::passed), 3u);
  EXPECT_EQ(reporter.count(Outcome::failed), 1u);
  for (const auto& [id, n] : reporter.finished_count) EXPECT_EQ(n, 1) << id;
}

TEST_F(SchedulerTest, BatchesTakeItemsOfOneTargetOnly) {
  Scheduler scheduler = make(1, 10);
  auto items = make_items("a", 2);
  auto others = make_items("b", 2);
  scheduler.add(a, framework, {items[0]});
  scheduler.add(b, framework, others);
  scheduler.add(a, framework, {items[1]});
  ASSERT_EQ(runner.started.size(), 1u);
  EXPECT_EQ(runner.started[0].batch.items.size(), 1u);  // started before the rest arrived
  runner.finish(0, Outcome::passed);
  ASSERT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(runner.started[1].batch.target, &b);
  EXPECT_EQ(runner.started[1].batch.items.size(), 2u);
}

TEST_F(SchedulerTest, BatchesCarryTheListingTheirTargetWasAddedWith) {
  Scheduler scheduler = make(2, 10);
  const std::vector<Item>& listed = kept_items.emplace_back(make_items("a", 3));
  std::vector<QueuedItem> queued;
  for (const Item& item : listed) queued.push_back(QueuedItem{&item});
  scheduler.add(a, framework, std::move(queued), listed);
  scheduler.add(b, framework, make_items("b", 1));
  ASSERT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(runner.started[0].batch.listing.data(), listed.data());
  EXPECT_EQ(runner.started[0].batch.listing.size(), 3u);
  EXPECT_TRUE(runner.started[1].batch.listing.empty()) << "b was added without its listing";
}

TEST_F(SchedulerTest, ItemsNotReachedAreQueuedAgainFirst) {
  Scheduler scheduler = make(1, 3);
  scheduler.add(a, framework, make_items("a", 3));
  scheduler.add(b, framework, make_items("b", 1));
  runner.finish(0, Outcome::crashed, {"S.t1", "S.t2"});
  ASSERT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(runner.started[1].batch.target, &a) << "requeued items go before later work";
  EXPECT_EQ(runner.started[1].batch.items.size(), 2u);
  EXPECT_EQ(reporter.outcomes.at("a/S.t0"), Outcome::crashed);
}

TEST_F(SchedulerTest, ABatchThatReachedNoItemIsNotRetriedForever) {
  Scheduler scheduler = make(1, 2);
  bool finished = false;
  scheduler.on_finished([&] { finished = true; });
  scheduler.add(a, framework, make_items("a", 2));
  scheduler.close();
  runner.finish(0, Outcome::passed, {"S.t0", "S.t1"});
  EXPECT_EQ(runner.started.size(), 1u);
  EXPECT_TRUE(finished);
  EXPECT_EQ(reporter.outcomes.at("a/S.t0"), Outcome::error);
  EXPECT_EQ(reporter.outcomes.at("a/S.t1"), Outcome::error);
}

TEST_F(SchedulerTest, DisabledItemsAreSkippedWithoutRunning) {
  Scheduler scheduler = make(1);
  auto items = make_items("a", 2);
  items[1].disabled = true;
  scheduler.add(a, framework, items);
  EXPECT_EQ(reporter.outcomes.at("a/S.t1"), Outcome::skipped);
  ASSERT_EQ(runner.started.size(), 1u);
  EXPECT_EQ(runner.started[0].batch.items[0]->name, "S.t0");
}

TEST_F(SchedulerTest, IsolatedTargetsRunOneItemPerProcess) {
  Scheduler scheduler = make(1, 10);
  a.isolate = true;
  scheduler.add(a, framework, make_items("a", 3));
  ASSERT_EQ(runner.started.size(), 1u);
  EXPECT_EQ(runner.started[0].batch.items.size(), 1u);
}

TEST_F(SchedulerTest, CancelReportsQueuedItemsNotRunAndStopsDispatching) {
  Scheduler scheduler = make(1);
  bool finished = false;
  scheduler.on_finished([&] { finished = true; });
  scheduler.add(a, framework, make_items("a", 3));
  scheduler.close();
  scheduler.cancel();
  EXPECT_EQ(runner.cancel_calls, 1);
  EXPECT_EQ(reporter.outcomes.at("a/S.t1"), Outcome::not_run);
  EXPECT_EQ(reporter.outcomes.at("a/S.t2"), Outcome::not_run);
  EXPECT_FALSE(finished) << "the running batch has not ended yet";
  runner.finish(0, Outcome::not_run);
  EXPECT_TRUE(finished);
  EXPECT_EQ(runner.started.size(), 1u);
  scheduler.add(b, framework, make_items("b", 1));  // late collection after cancel
  EXPECT_EQ(reporter.outcomes.at("b/S.t0"), Outcome::not_run);
  EXPECT_EQ(runner.started.size(), 1u);
}

TEST_F(SchedulerTest, TargetTimeoutOverridesTheDefault) {
  Scheduler scheduler(runner, reporter, SchedulerOptions{.slots = 2, .default_timeout_seconds = 7});
  b.timeout_seconds = 3;
  scheduler.add(a, framework, make_items("a", 1));
  scheduler.add(b, framework, make_items("b", 1));
  ASSERT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(runner.started[0].batch.item_timeout_seconds, 7);
  EXPECT_EQ(runner.started[1].batch.item_timeout_seconds, 3);
}

TEST_F(SchedulerTest, AnItemTheRunnerForgotIsReportedAsError) {
  Scheduler scheduler = make(1, 2);
  scheduler.add(a, framework, make_items("a", 2));
  auto& s = runner.started[0];
  s.callbacks.item_finished(Result{.item_id = "a/S.t0", .outcome = Outcome::passed});
  s.done = true;
  s.callbacks.batch_done({});
  EXPECT_EQ(reporter.outcomes.at("a/S.t1"), Outcome::error);
  EXPECT_EQ(reporter.finished_count.at("a/S.t0"), 1);
}

TEST_F(SchedulerTest, LongestFirstAndLastFailuresBeforeThat) {
  Scheduler scheduler = make(1);
  auto items = with_seconds(make_items("a", 4), {0.1, 5.0, 1.0, 0.2});
  items[3].failed_last = true;
  scheduler.add(a, framework, items);
  std::vector<std::string> order;
  for (std::size_t i = 0; i < 4; ++i) {
    order.push_back(runner.started.at(i).batch.items.at(0)->name);
    runner.finish(i, Outcome::passed);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"S.t3", "S.t1", "S.t2", "S.t0"}));
}

TEST_F(SchedulerTest, KeepOrderRunsInTheOrderAdded) {
  Scheduler scheduler(runner, reporter, SchedulerOptions{.slots = 1, .keep_order = true});
  scheduler.add(a, framework, with_seconds(make_items("a", 3), {0.1, 5.0, 1.0}));
  std::vector<std::string> order;
  for (std::size_t i = 0; i < 3; ++i) {
    order.push_back(runner.started.at(i).batch.items.at(0)->name);
    runner.finish(i, Outcome::passed);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"S.t0", "S.t1", "S.t2"}));
}

TEST_F(SchedulerTest, KeepOrderBatchesOnlyWhileTheListingOrderHolds) {
  Scheduler scheduler(runner, reporter,
                      SchedulerOptions{.slots = 1, .max_batch_items = 10, .keep_order = true});
  auto items = make_items("a", 5);
  for (std::size_t i = 0; i < items.size(); ++i) items[i].ordinal = i;
  // Shuffled: 3 4 | 0 2 | 1
  scheduler.add(a, framework, {items[3], items[4], items[0], items[2], items[1]});
  std::vector<std::vector<std::string>> batches;
  for (std::size_t i = 0; i < 3; ++i) {
    std::vector<std::string> names;
    for (const Item* item : runner.started.at(i).batch.items) names.push_back(item->name);
    batches.push_back(names);
    runner.finish(i, Outcome::passed);
  }
  EXPECT_EQ(batches,
            (std::vector<std::vector<std::string>>{{"S.t3", "S.t4"}, {"S.t0", "S.t2"}, {"S.t1"}}));
}

TEST_F(SchedulerTest, BatchSizerDecidesHowManyItemsShareAProcess) {
  std::vector<double> seen;
  SchedulerOptions options{.slots = 1, .max_batch_items = 100};
  options.batch_size = [&](const std::vector<double>& candidates, double, int) {
    seen = candidates;
    return std::size_t{3};
  };
  Scheduler scheduler(runner, reporter, options);
  scheduler.add(a, framework, make_items("a", 5));
  ASSERT_EQ(runner.started.size(), 1u);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(runner.started[0].batch.items.size(), 3u);
}

TEST_F(SchedulerTest, BatchSizerIsShownMoreCandidatesOnlyWhileItTakesThemAll) {
  std::vector<std::size_t> shown;
  std::size_t wanted = 3;
  SchedulerOptions options{.slots = 1, .max_batch_items = 1000};
  options.batch_size = [&](const std::vector<double>& candidates, double, int) {
    shown.push_back(candidates.size());
    return std::min(wanted, candidates.size());
  };
  std::size_t estimates = 0;
  options.estimate_seconds = [&](const collector::Item&) {
    ++estimates;
    return 0.001;
  };
  Scheduler scheduler(runner, reporter, options);
  scheduler.add(a, framework, make_items("a", 200));
  ASSERT_EQ(runner.started.size(), 1u);
  EXPECT_EQ(runner.started[0].batch.items.size(), 3u);
  EXPECT_EQ(shown, (std::vector<std::size_t>{17})) << "one look at the first item and 16 more";
  EXPECT_EQ(estimates, 17u);

  // Taking all it is shown, it is shown twice as many, then the rest.
  shown.clear();
  wanted = 60;
  runner.finish(0, Outcome::passed);
  ASSERT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(runner.started[1].batch.items.size(), 60u);
  EXPECT_EQ(shown, (std::vector<std::size_t>{17, 33, 65}));

  shown.clear();
  wanted = 1000;
  runner.finish(1, Outcome::passed);
  ASSERT_EQ(runner.started.size(), 3u);
  EXPECT_EQ(runner.started[2].batch.items.size(), 137u) << "every item left";
  EXPECT_EQ(shown, (std::vector<std::size_t>{17, 33, 65, 129, 137}));
}

TEST_F(SchedulerTest, ProcessorsTakeSeveralSlots) {
  Scheduler scheduler = make(4);
  b.processors = 3;
  scheduler.add(b, framework, make_items("b", 2));
  scheduler.add(a, framework, make_items("a", 3));
  // b takes 3 of 4 slots; the second b item does not fit, one a item does.
  ASSERT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(runner.started[0].batch.target, &b);
  EXPECT_EQ(runner.started[1].batch.target, &a);
}

TEST_F(SchedulerTest, RunSerialRunsAlone) {
  Scheduler scheduler = make(4);
  b.run_serial = true;
  scheduler.add(a, framework, make_items("a", 1));
  scheduler.add(b, framework, make_items("b", 1));
  scheduler.add(a, framework, make_items("a", 2, "T.t"));
  ASSERT_EQ(runner.started.size(), 3u) << "the serial item waits; the others fill slots";
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(runner.started[i].batch.target, &a);
  for (std::size_t i = 0; i < 3; ++i) runner.finish(i, Outcome::passed);
  ASSERT_EQ(runner.started.size(), 4u);
  EXPECT_EQ(runner.started[3].batch.target, &b);
  scheduler.add(a, framework, make_items("a", 1, "U.t"));
  EXPECT_EQ(runner.started.size(), 4u) << "nothing runs beside a serial item";
  runner.finish(3, Outcome::passed);
  EXPECT_EQ(runner.started.size(), 5u);
}

TEST_F(SchedulerTest, ABatchWhoseProcessEndedGivesUpItsSlotBeforeItsResultsAreIn) {
  Scheduler scheduler = make(1, 2);
  bool finished = false;
  scheduler.on_finished([&] { finished = true; });
  scheduler.add(a, framework, make_items("a", 4));
  scheduler.close();
  ASSERT_EQ(runner.started.size(), 1u);
  runner.end_process(0);
  ASSERT_EQ(runner.started.size(), 2u) << "the next batch takes the freed slot";
  runner.end_process(0);  // a second word of the same end frees nothing more
  EXPECT_EQ(runner.started.size(), 2u);
  runner.finish(0, Outcome::passed);
  EXPECT_EQ(runner.started.size(), 2u) << "batch_done after the end frees nothing more";
  EXPECT_FALSE(finished);
  runner.finish(1, Outcome::passed);
  EXPECT_TRUE(finished);
  EXPECT_EQ(reporter.finished_count.size(), 4u);
}

TEST_F(SchedulerTest, ItemsABatchDidNotReachRunOnceItIsDoneThoughItsSlotWentEarlier) {
  Scheduler scheduler = make(1, 2);
  scheduler.add(a, framework, make_items("a", 2));
  scheduler.add(b, framework, make_items("b", 1));
  runner.end_process(0);
  ASSERT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(runner.started[1].batch.target, &b);
  runner.finish(0, Outcome::crashed, {"S.t1"});
  EXPECT_EQ(runner.started.size(), 2u) << "b still holds the only slot";
  runner.finish(1, Outcome::passed);
  ASSERT_EQ(runner.started.size(), 3u);
  ASSERT_EQ(runner.started[2].batch.items.size(), 1u);
  EXPECT_EQ(runner.started[2].batch.items[0]->id, "a/S.t1");
}

TEST_F(SchedulerTest, LocksAndSerialRunsEndWithTheProcess) {
  Scheduler scheduler = make(2);
  a.resource_locks = {"db"};
  b.resource_locks = {"db"};
  collector::Target c = make_target("c");
  c.run_serial = true;
  scheduler.add(a, framework, make_items("a", 1));
  scheduler.add(b, framework, make_items("b", 1));
  scheduler.add(c, framework, make_items("c", 1));
  ASSERT_EQ(runner.started.size(), 1u);
  runner.end_process(0);
  ASSERT_EQ(runner.started.size(), 2u) << "the lock went with a's process";
  EXPECT_EQ(runner.started[1].batch.target, &b);
  runner.end_process(1);
  ASSERT_EQ(runner.started.size(), 3u) << "no process runs: the serial one may start";
  EXPECT_EQ(runner.started[2].batch.target, &c);
  scheduler.add(a, framework, make_items("a", 1, "T.t"));
  EXPECT_EQ(runner.started.size(), 3u) << "nothing starts beside a serial process";
  runner.end_process(2);
  EXPECT_EQ(runner.started.size(), 4u);
}

TEST_F(SchedulerTest, ABatchListsItsItemsInListingOrderAndTakesResultsInAnyOrder) {
  Scheduler scheduler = make(1, 4);
  std::vector<Item> items = make_items("a", 4);
  for (std::size_t i = 0; i < items.size(); ++i) items[i].ordinal = i;
  // Longest first would run them backwards.
  scheduler.add(a, framework, with_seconds(std::move(items), {0.1, 0.2, 0.3, 0.4}));
  ASSERT_EQ(runner.started.size(), 1u);
  const std::vector<const Item*>& batch = runner.started[0].batch.items;
  ASSERT_EQ(batch.size(), 4u);
  for (std::size_t i = 0; i < batch.size(); ++i) EXPECT_EQ(batch[i]->ordinal, i);

  const BatchCallbacks& callbacks = runner.started[0].callbacks;
  for (const std::size_t i : {2, 0, 3, 1, 2}) {  // one twice: counted once
    callbacks.item_finished(Result{.item_id = batch[i]->id, .outcome = Outcome::passed});
  }
  callbacks.item_finished(Result{.item_id = "a/elsewhere", .outcome = Outcome::failed});
  callbacks.batch_done({});
  EXPECT_EQ(reporter.finished_count.size(), 4u);
  for (const auto& [id, count] : reporter.finished_count) EXPECT_EQ(count, 1) << id;
  EXPECT_FALSE(reporter.finished_count.contains("a/elsewhere"));
}

TEST_F(SchedulerTest, ResourceLocksAndGroupsNeverOverlap) {
  Scheduler scheduler = make(4);
  a.resource_locks = {"db"};
  b.resource_locks = {"db"};
  collector::Target c = make_target("c");
  auto grouped = make_items("c", 2);
  for (auto& item : grouped) item.group = "serial-c";
  scheduler.add(a, framework, make_items("a", 1));
  scheduler.add(b, framework, make_items("b", 1));
  scheduler.add(c, framework, grouped);
  ASSERT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(runner.started[0].batch.target, &a);
  EXPECT_EQ(runner.started[1].batch.target, &c);
  runner.finish(1, Outcome::passed);
  ASSERT_EQ(runner.started.size(), 3u);
  EXPECT_EQ(runner.started[2].batch.target, &c) << "the group's next item after the first";
  runner.finish(0, Outcome::passed);
  ASSERT_EQ(runner.started.size(), 4u);
  EXPECT_EQ(runner.started[3].batch.target, &b);
}

/// The fixture "db" with a setup and a cleanup command per name given (each a one-word argv).
FixtureDefinition db_fixture(const std::vector<std::string>& setups,
                             const std::vector<std::string>& cleanups) {
  FixtureDefinition fixture{"db", {}, {}};
  for (const auto& name : setups) fixture.setups.push_back(FixtureCommand{"db", {name}});
  for (const auto& name : cleanups) fixture.cleanups.push_back(FixtureCommand{"db", {name}});
  return fixture;
}

TEST_F(SchedulerTest, FixtureSetsUpOnceExportsAndCleansUpAfterTheLastUser) {
  Scheduler scheduler = make(2);
  bool finished = false;
  scheduler.on_finished([&] { finished = true; });
  scheduler.define_fixture(db_fixture({"setup"}, {"cleanup"}));
  a.fixtures_required = {"db"};
  scheduler.add(a, framework, make_items("a", 2));
  scheduler.add(b, framework, make_items("b", 1));
  ASSERT_EQ(runner.fixture_commands.size(), 1u);
  EXPECT_EQ(runner.fixture_commands[0].argv, std::vector<std::string>{"setup"});
  ASSERT_EQ(runner.started.size(), 1u) << "only b runs while db is being set up";
  EXPECT_EQ(runner.started[0].batch.target, &b);
  runner.finish_fixture(0, true, "noise\nDB_PORT=5432\n");
  ASSERT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(runner.started[1].batch.environment,
            (std::vector<collector::EnvVar>{{"DB_PORT", "5432"}}));
  runner.finish(0, Outcome::passed);
  runner.finish(1, Outcome::passed);
  scheduler.close();
  ASSERT_EQ(runner.started.size(), 3u);
  EXPECT_EQ(runner.fixture_commands.size(), 1u) << "cleanup waits for the last user";
  runner.finish(2, Outcome::passed);
  ASSERT_EQ(runner.fixture_commands.size(), 2u);
  EXPECT_EQ(runner.fixture_commands[1].argv, std::vector<std::string>{"cleanup"});
  EXPECT_EQ(runner.fixture_commands[1].environment,
            (std::vector<collector::EnvVar>{{"DB_PORT", "5432"}}));
  EXPECT_FALSE(finished);
  runner.finish_fixture(1, true);
  EXPECT_TRUE(finished);
}

TEST_F(SchedulerTest, FailedFixtureSetupFailsItsItemsWithTheSetupOutput) {
  Scheduler scheduler = make(2);
  scheduler.define_fixture(db_fixture({"setup"}, {}));
  a.fixtures_required = {"db"};
  scheduler.add(a, framework, make_items("a", 2));
  scheduler.close();
  runner.finish_fixture(0, false, "cannot bind port");
  EXPECT_TRUE(runner.started.empty());
  for (const char* id : {"a/S.t0", "a/S.t1"}) {
    EXPECT_EQ(reporter.results.at(id).outcome, Outcome::failed) << id;
    EXPECT_FALSE(reporter.results.at(id).ran) << id << " never started: history must not time it";
    EXPECT_EQ(reporter.results.at(id).output, "cannot bind port") << id;
  }
  EXPECT_TRUE(scheduler.finished());
  EXPECT_EQ(scheduler.fixture_failures(), 1u);
}

TEST_F(SchedulerTest, FixtureCommandsRunWithTheirOwnTimeoutElseTheRunsElseTheFixtureDefault) {
  // One fixture whose setup has a timeout of its own and whose cleanup has none.
  auto define = [](Scheduler& scheduler) {
    FixtureDefinition fixture = db_fixture({"setup"}, {"cleanup"});
    fixture.setups[0].timeout_seconds = 7;
    scheduler.define_fixture(fixture);
  };
  a.fixtures_required = {"db"};
  auto timeouts = [&](SchedulerOptions options) {
    FakeRunner fresh;
    Scheduler scheduler(fresh, reporter, options);
    define(scheduler);
    scheduler.add(a, framework, make_items("a", 1));
    scheduler.close();
    fresh.finish_fixture(0, true);
    fresh.finish(0, Outcome::passed);
    EXPECT_EQ(fresh.fixture_commands.size(), 2u);
    fresh.finish_fixture(1, true);
    EXPECT_TRUE(scheduler.finished());
    return std::pair{fresh.fixture_commands.at(0).timeout_seconds,
                     fresh.fixture_commands.at(1).timeout_seconds};
  };
  EXPECT_EQ(timeouts(SchedulerOptions{.default_timeout_seconds = 3}), std::pair(7.0, 3.0));
  EXPECT_EQ(timeouts(SchedulerOptions{.default_timeout_seconds = 0}), std::pair(7.0, 1500.0))
      << "without --timeout, ctest's default still bounds a fixture command";
  EXPECT_EQ(timeouts(SchedulerOptions{.default_fixture_timeout_seconds = 60}),
            std::pair(7.0, 60.0));
}

TEST_F(SchedulerTest, ASetupPrintingAnExportTooLongToPassOnFailsItsItemsNamingTheVariable) {
  Scheduler scheduler = make(2);
  scheduler.define_fixture(db_fixture({"setup"}, {"cleanup"}));
  a.fixtures_required = {"db"};
  scheduler.add(a, framework, make_items("a", 1));
  scheduler.close();
  runner.finish_fixture(0, true, "OK=1\nHUGE=" + std::string(200000, 'x') + "\n");
  EXPECT_TRUE(runner.started.empty()) << "the item would have run without HUGE";
  const Result& failed = reporter.results.at("a/S.t0");
  EXPECT_EQ(failed.outcome, Outcome::failed);
  EXPECT_NE(failed.message.find("fixture 'db' setup failed: export HUGE is too long"),
            std::string::npos)
      << failed.message;
  EXPECT_EQ(scheduler.fixture_failures(), 1u);
  ASSERT_EQ(runner.fixture_commands.size(), 2u) << "a failed setup is still cleaned up";
  runner.finish_fixture(1, true);
  EXPECT_TRUE(scheduler.finished());
}

TEST_F(SchedulerTest, FailedSetupsAndCleanupsAreReportedAsFixtureFailures) {
  Scheduler scheduler = make(2);
  FixtureDefinition fixture = db_fixture({"setup"}, {"cleanup1", "cleanup2"});
  fixture.cleanups[0].name = "stop_db";  // an imported CTest test's name
  scheduler.define_fixture(fixture);
  a.fixtures_required = {"db"};
  scheduler.add(a, framework, make_items("a", 1));
  scheduler.close();
  FixtureCommandResult timed_out{Outcome::timeout, "timed out after 2 s", "waiting for db\n"};
  timed_out.seconds = 2.01;
  runner.fixture_done.at(0)(timed_out);
  ASSERT_EQ(reporter.fixture_failures.size(), 1u);
  const report::FixtureFailure& setup = reporter.fixture_failures[0];
  EXPECT_EQ(setup.fixture, "db");
  EXPECT_EQ(setup.phase, report::FixtureFailure::Phase::setup);
  EXPECT_EQ(setup.command, "");
  EXPECT_EQ(setup.outcome, Outcome::timeout);
  EXPECT_EQ(setup.message, "timed out after 2 s");
  EXPECT_EQ(setup.output, "waiting for db\n");
  EXPECT_EQ(setup.seconds, 2.01);
  EXPECT_EQ(reporter.results.at("a/S.t0").message,
            "fixture 'db' setup failed: timed out after 2 s");

  ASSERT_EQ(runner.fixture_commands.size(), 2u);
  runner.finish_fixture(1, false, "cannot stop");
  ASSERT_EQ(runner.fixture_commands.size(), 3u);
  runner.finish_fixture(2, true);
  ASSERT_EQ(reporter.fixture_failures.size(), 2u) << "a cleanup that succeeded is not reported";
  const report::FixtureFailure& cleanup = reporter.fixture_failures[1];
  EXPECT_EQ(cleanup.phase, report::FixtureFailure::Phase::cleanup);
  EXPECT_EQ(cleanup.command, "stop_db");
  EXPECT_EQ(cleanup.outcome, Outcome::failed);
  EXPECT_EQ(cleanup.output, "cannot stop");
  EXPECT_EQ(scheduler.fixture_failures(), 2u);
  EXPECT_TRUE(scheduler.finished());
}

TEST_F(SchedulerTest, CleanupStillRunsWhenInterrupted) {
  Scheduler scheduler = make(1);
  scheduler.define_fixture(db_fixture({"setup"}, {"cleanup"}));
  a.fixtures_required = {"db"};
  scheduler.add(a, framework, make_items("a", 3));
  runner.finish_fixture(0, true);
  ASSERT_EQ(runner.started.size(), 1u);
  scheduler.cancel();
  EXPECT_EQ(runner.fixture_commands.size(), 1u);
  runner.finish(0, Outcome::not_run);
  ASSERT_EQ(runner.fixture_commands.size(), 2u);
  runner.finish_fixture(1, true);
  scheduler.close();
  EXPECT_TRUE(scheduler.finished());
}

using Env = std::vector<collector::EnvVar>;

TEST_F(SchedulerTest, SeveralSetupsRunInOrderEachSeeingTheExportsOfTheEarlierOnes) {
  Scheduler scheduler = make(2);
  bool finished = false;
  scheduler.on_finished([&] { finished = true; });
  FixtureCommand second{"db", {"setup2"}, {}, Env{{"OWN", "2"}}};
  scheduler.define_fixture(FixtureDefinition{
      "db", {FixtureCommand{"db", {"setup1"}}, second}, {FixtureCommand{"db", {"cleanup"}}}});
  a.fixtures_required = {"db"};
  scheduler.add(a, framework, make_items("a", 1));
  scheduler.close();
  ASSERT_EQ(runner.fixture_commands.size(), 1u) << "one setup at a time";
  EXPECT_EQ(runner.fixture_commands[0].argv, std::vector<std::string>{"setup1"});
  runner.finish_fixture(0, true, "A=1\nSHARED=first\n");
  EXPECT_TRUE(runner.started.empty()) << "the item waits for every setup";
  ASSERT_EQ(runner.fixture_commands.size(), 2u);
  EXPECT_EQ(runner.fixture_commands[1].argv, std::vector<std::string>{"setup2"});
  EXPECT_EQ(runner.fixture_commands[1].environment,
            (Env{{"OWN", "2"}, {"A", "1"}, {"SHARED", "first"}}));
  runner.finish_fixture(1, true, "B=2\nSHARED=second\n");
  ASSERT_EQ(runner.started.size(), 1u);
  const Env exports{{"A", "1"}, {"B", "2"}, {"SHARED", "second"}};
  EXPECT_EQ(runner.started[0].batch.environment, exports);
  runner.finish(0, Outcome::passed);
  ASSERT_EQ(runner.fixture_commands.size(), 3u);
  EXPECT_EQ(runner.fixture_commands[2].argv, std::vector<std::string>{"cleanup"});
  EXPECT_EQ(runner.fixture_commands[2].environment, exports);
  EXPECT_FALSE(finished);
  runner.finish_fixture(2, true);
  EXPECT_TRUE(finished);
  EXPECT_EQ(scheduler.fixture_failures(), 0u);
}

TEST_F(SchedulerTest, AFailedSetupLetsTheLaterOnesRunThenFailsTheItemsWithTheFirstFailure) {
  Scheduler scheduler = make(2);
  scheduler.define_fixture(db_fixture({"setup1", "setup2", "setup3"}, {"cleanup"}));
  a.fixtures_required = {"db"};
  scheduler.add(a, framework, make_items("a", 2));
  scheduler.close();
  runner.finish_fixture(0, false, "cannot bind port");
  // As in ctest, the later setups still run; nothing that requires the fixture does.
  ASSERT_EQ(runner.fixture_commands.size(), 2u);
  EXPECT_EQ(runner.fixture_commands[1].argv, std::vector<std::string>{"setup2"});
  EXPECT_TRUE(reporter.results.empty());
  runner.finish_fixture(1, false, "disk full");
  ASSERT_EQ(runner.fixture_commands.size(), 3u);
  EXPECT_EQ(runner.fixture_commands[2].argv, std::vector<std::string>{"setup3"});
  runner.finish_fixture(2, true, "PORT=1\n");
  EXPECT_TRUE(runner.started.empty());
  for (const char* id : {"a/S.t0", "a/S.t1"}) {
    ASSERT_TRUE(reporter.results.contains(id)) << id;
    const Result& result = reporter.results.at(id);
    EXPECT_EQ(result.outcome, Outcome::failed) << id;
    EXPECT_EQ(result.message, "fixture 'db' setup failed: exited with code 1") << id;
    EXPECT_EQ(result.output, "cannot bind port") << id;
  }
  // Then the cleanup runs, once.
  ASSERT_EQ(runner.fixture_commands.size(), 4u);
  EXPECT_EQ(runner.fixture_commands[3].argv, std::vector<std::string>{"cleanup"});
  runner.finish_fixture(3, true);
  EXPECT_EQ(runner.fixture_commands.size(), 4u);
  EXPECT_TRUE(scheduler.finished());
  EXPECT_EQ(scheduler.fixture_failures(), 2u) << "each failed command counts";
  EXPECT_EQ(reporter.fixture_failures.size(), 2u);
}

TEST_F(SchedulerTest, FixtureWithOnlyCleanupsStartsNoSetupProcess) {
  Scheduler scheduler = make(2);
  scheduler.define_fixture(db_fixture({}, {"cleanup"}));
  a.fixtures_required = {"db"};
  scheduler.add(a, framework, make_items("a", 1));
  EXPECT_TRUE(runner.fixture_commands.empty());
  ASSERT_EQ(runner.started.size(), 1u) << "the fixture is ready at once";
  EXPECT_TRUE(runner.started[0].batch.environment.empty());
  runner.finish(0, Outcome::passed);
  scheduler.close();
  ASSERT_EQ(runner.fixture_commands.size(), 1u);
  EXPECT_EQ(runner.fixture_commands[0].argv, std::vector<std::string>{"cleanup"});
  EXPECT_FALSE(scheduler.finished());
  runner.finish_fixture(0, true);
  EXPECT_TRUE(scheduler.finished());
}

TEST_F(SchedulerTest, EveryCleanupRunsInTurnEvenAfterAnEarlierOneFailed) {
  Scheduler scheduler = make(2);
  scheduler.define_fixture(db_fixture({"setup"}, {"cleanup1", "cleanup2"}));
  a.fixtures_required = {"db"};
  scheduler.add(a, framework, make_items("a", 1));
  scheduler.close();
  runner.finish_fixture(0, true, "K=v\n");
  ASSERT_EQ(runner.started.size(), 1u);
  runner.finish(0, Outcome::passed);
  ASSERT_EQ(runner.fixture_commands.size(), 2u) << "one cleanup at a time";
  EXPECT_EQ(runner.fixture_commands[1].argv, std::vector<std::string>{"cleanup1"});
  runner.finish_fixture(1, false, "disk full");
  ASSERT_EQ(runner.fixture_commands.size(), 3u);
  EXPECT_EQ(runner.fixture_commands[2].argv, std::vector<std::string>{"cleanup2"});
  EXPECT_EQ(runner.fixture_commands[2].environment, (Env{{"K", "v"}}));
  EXPECT_FALSE(scheduler.finished()) << "the run waits for the last cleanup";
  runner.finish_fixture(2, false);
  EXPECT_TRUE(scheduler.finished());
  EXPECT_EQ(scheduler.fixture_failures(), 2u);
}

TEST_F(SchedulerTest, CancelBetweenSetupsRunsNoFurtherSetupButTheCleanups) {
  Scheduler scheduler = make(1);
  scheduler.define_fixture(db_fixture({"setup1", "setup2"}, {"cleanup"}));
  a.fixtures_required = {"db"};
  scheduler.add(a, framework, make_items("a", 2));
  ASSERT_EQ(runner.fixture_commands.size(), 1u);
  scheduler.cancel();
  EXPECT_EQ(reporter.count(Outcome::not_run), 2u);
  runner.finish_fixture(0, true);
  ASSERT_EQ(runner.fixture_commands.size(), 2u);
  EXPECT_EQ(runner.fixture_commands[1].argv, std::vector<std::string>{"cleanup"});
  runner.finish_fixture(1, true);
  scheduler.close();
  EXPECT_TRUE(runner.started.empty());
  EXPECT_TRUE(scheduler.finished());
}

TEST_F(SchedulerTest, RetriedItemThatPassesIsFlakyAndRunsAlone) {
  Scheduler scheduler(runner, reporter,
                      SchedulerOptions{.slots = 1, .max_batch_items = 10, .retries = 2});
  scheduler.add(a, framework, make_items("a", 3));
  ASSERT_EQ(runner.started.size(), 1u);
  auto& s = runner.started[0];
  for (const Item* item : s.batch.items) {
    s.callbacks.item_finished(
        Result{.item_id = item->id,
               .outcome = item->name == "S.t1" ? Outcome::failed : Outcome::passed,
               .message = "boom"});
  }
  s.done = true;
  s.callbacks.batch_done({});
  ASSERT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(runner.started[1].batch.items.size(), 1u);
  EXPECT_EQ(runner.started[1].batch.items[0]->name, "S.t1");
  EXPECT_EQ(reporter.finished_count.count("a/S.t1"), 0u) << "not reported before its last attempt";
  runner.finish(1, Outcome::passed);
  EXPECT_EQ(reporter.outcomes.at("a/S.t1"), Outcome::flaky);
  EXPECT_EQ(reporter.count(Outcome::flaky), 1u);
}

TEST_F(SchedulerTest, AnItemTheAdapterWasUnsureOfRunsAgainAloneTheOthersTogether) {
  Scheduler scheduler = make(1, 10);
  scheduler.add(a, framework, make_items("a", 4));
  ASSERT_EQ(runner.started.size(), 1u);
  const std::vector<const Item*> first = runner.started[0].batch.items;
  ASSERT_EQ(first.size(), 4u);
  auto& s = runner.started[0];
  s.callbacks.item_started(*first[0]);
  s.callbacks.item_finished(Result{.item_id = first[0]->id, .outcome = Outcome::passed});
  s.done = true;
  auto batch_done = std::move(s.callbacks.batch_done);
  batch_done({{first[1], true}, {first[2], false}, {first[3], false}});
  ASSERT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(runner.started[1].batch.items, std::vector<const Item*>{first[1]})
      << "the same item, alone";
  runner.finish(1, Outcome::passed);
  ASSERT_EQ(runner.started.size(), 3u);
  EXPECT_EQ(runner.started[2].batch.items, (std::vector<const Item*>{first[2], first[3]}));
  runner.finish(2, Outcome::passed);
  EXPECT_EQ(reporter.count(Outcome::passed), 4u);
}

TEST_F(SchedulerTest, RetriesAreBounded) {
  Scheduler scheduler(runner, reporter, SchedulerOptions{.slots = 1, .retries = 2});
  scheduler.add(a, framework, make_items("a", 1));
  for (std::size_t i = 0; i < 3; ++i) runner.finish(i, Outcome::failed);
  EXPECT_EQ(runner.started.size(), 3u);
  EXPECT_EQ(reporter.outcomes.at("a/S.t0"), Outcome::failed);
}

TEST_F(SchedulerTest, RepeatUntilFailStopsAtTheFirstFailure) {
  Scheduler scheduler(
      runner, reporter,
      SchedulerOptions{.slots = 1, .repeat = RepeatMode::until_fail, .repeat_count = 5});
  scheduler.add(a, framework, make_items("a", 1));
  runner.finish(0, Outcome::passed);
  runner.finish(1, Outcome::passed);
  runner.finish(2, Outcome::failed);
  EXPECT_EQ(runner.started.size(), 3u);
  EXPECT_EQ(reporter.outcomes.at("a/S.t0"), Outcome::failed);
}

TEST_F(SchedulerTest, RepeatUntilPassStopsAtTheFirstPass) {
  Scheduler scheduler(
      runner, reporter,
      SchedulerOptions{.slots = 1, .repeat = RepeatMode::until_pass, .repeat_count = 5});
  scheduler.add(a, framework, make_items("a", 1));
  runner.finish(0, Outcome::failed);
  runner.finish(1, Outcome::passed);
  EXPECT_EQ(runner.started.size(), 2u);
  EXPECT_EQ(reporter.outcomes.at("a/S.t0"), Outcome::passed);
}

}  // namespace
}  // namespace fanout::launcher

namespace fanout::launcher {
namespace {

class LoadAwareTest : public SchedulerTest {
 protected:
  /// Items named "wait*" keep a fifth of a core busy, the others a whole core.
  Scheduler make_load_aware(int slots, std::size_t batch = 1) {
    SchedulerOptions options{.slots = slots, .max_batch_items = batch};
    options.core_share = [](const Item& item) {
      return item.name.starts_with("S.wait") ? 0.2 : 1.0;
    };
    return Scheduler(runner, reporter, options);
  }
};

TEST_F(LoadAwareTest, WaitingItemsShareCoresUpToTheProcessCap) {
  Scheduler scheduler = make_load_aware(2);
  scheduler.add(a, framework, make_items("a", 20, "S.wait"));
  // 2 slots hold 10 fifths, but no more than 4 processes per slot run: 8.
  EXPECT_EQ(runner.running(), 8u);
  runner.finish(0, Outcome::passed);
  EXPECT_EQ(runner.running(), 8u);
}

TEST_F(LoadAwareTest, BusyItemsStillHoldWholeSlots) {
  Scheduler scheduler = make_load_aware(2);
  scheduler.add(a, framework, make_items("a", 5, "S.busy"));
  EXPECT_EQ(runner.running(), 2u);
  scheduler.add(b, framework, make_items("b", 5, "S.wait"));
  EXPECT_EQ(runner.running(), 2u) << "no core left for even a fifth";
  runner.finish(0, Outcome::passed);
  // One slot: a busy item (queued first, longest-first ties keep order) takes it whole.
  EXPECT_EQ(runner.running(), 2u);
}

TEST_F(LoadAwareTest, MixesWaitingItemsIntoWhatABusyItemLeaves) {
  Scheduler scheduler = make_load_aware(2);
  scheduler.add(a, framework, make_items("a", 1, "S.busy"));
  scheduler.add(b, framework, make_items("b", 10, "S.wait"));
  // One whole core for the busy item, five fifths for waiting ones.
  EXPECT_EQ(runner.running(), 6u);
}

TEST_F(LoadAwareTest, BusyItemsDoNotJoinABatchOfWaitingOnes) {
  Scheduler scheduler = make_load_aware(1, 10);
  auto items = make_items("a", 2, "S.wait");
  auto busy = make_items("a", 2, "S.busy");
  items.insert(items.end(), busy.begin(), busy.end());
  scheduler.add(a, framework, items);
  ASSERT_GE(runner.started.size(), 1u);
  for (const Item* item : runner.started[0].batch.items) {
    EXPECT_TRUE(item->name.starts_with("S.wait")) << item->name;
  }
}

TEST_F(LoadAwareTest, WithoutSharesSlotsMeanProcesses) {
  Scheduler scheduler = make(2);
  scheduler.add(a, framework, make_items("a", 20, "S.wait"));
  EXPECT_EQ(runner.running(), 2u);
}

}  // namespace
}  // namespace fanout::launcher
