// The scheduler with a start condition (SchedulerOptions::may_start), and with the DependencyGate
// that gives it CTest's DEPENDS, as the session wires them.

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "launcher/dependency_gate.hpp"
#include "launcher/scheduler.hpp"
#include "tests/launcher/fakes.hpp"

namespace fanout::launcher {
namespace {

collector::Target make_target(const std::string& name, std::vector<std::string> depends = {}) {
  collector::Target target;
  target.name = name;
  target.executable = "/bin/" + name;
  target.depends = std::move(depends);
  return target;
}

std::vector<Item> make_items(const std::string& target, int count) {
  std::vector<Item> items;
  for (int i = 0; i < count; ++i) {
    Item item;
    item.target = target;
    item.name = "S.t" + std::to_string(i);
    item.id = collector::make_item_id(target, item.name);
    item.ordinal = static_cast<std::size_t>(i);
    items.push_back(item);
  }
  return items;
}

/// The targets of the batches started so far, in order.
std::vector<std::string> started_targets(const FakeRunner& runner) {
  std::vector<std::string> names;
  for (const auto& started : runner.started) names.push_back(started.batch.target->name);
  return names;
}

TEST(SchedulerStartCondition, AnItemThatMayNotStartWaitsWhileOthersRun) {
  NullFramework framework;
  FakeRunner runner;
  RecordingReporter reporter;
  const collector::Target a = make_target("a");
  const collector::Target b = make_target("b");
  bool b_may_start = false;
  Scheduler scheduler(runner, reporter,
                      SchedulerOptions{.slots = 4, .may_start = [&](const collector::Target& t) {
                                         return &t != &b || b_may_start;
                                       }});
  bool finished = false;
  scheduler.on_finished([&] { finished = true; });
  scheduler.add(b, framework, make_items("b", 1));
  scheduler.add(a, framework, make_items("a", 1));
  scheduler.close();
  EXPECT_EQ(started_targets(runner), std::vector<std::string>{"a"}) << "b holds no slot";
  runner.finish(0, Outcome::passed);
  EXPECT_EQ(runner.started.size(), 1u) << "nothing changed for b";
  EXPECT_FALSE(finished);
  b_may_start = true;
  scheduler.resume();
  EXPECT_EQ(started_targets(runner), (std::vector<std::string>{"a", "b"}));
  runner.finish(1, Outcome::passed);
  EXPECT_TRUE(finished);
}

TEST(SchedulerStartCondition, AWaitingItemDoesNotSetUpItsFixtureYet) {
  NullFramework framework;
  FakeRunner runner;
  RecordingReporter reporter;
  collector::Target user = make_target("user");
  user.fixtures_required = {"db"};
  bool may_start = false;
  Scheduler scheduler(runner, reporter,
                      SchedulerOptions{.slots = 2, .may_start = [&](const collector::Target&) {
                                         return may_start;
                                       }});
  scheduler.define_fixture(FixtureDefinition{"db", {FixtureCommand{"db", {"setup"}}}, {}});
  scheduler.add(user, framework, make_items("user", 1));
  EXPECT_TRUE(runner.fixture_commands.empty());
  may_start = true;
  scheduler.resume();
  ASSERT_EQ(runner.fixture_commands.size(), 1u);
  EXPECT_EQ(runner.fixture_commands[0].argv.front(), "setup");
}

/// A scheduler whose reporter is a DependencyGate (besides a recorder), resumed as the session
/// resumes it: after the event that changed the gate's mind, not from inside it.
class SchedulerDependenciesTest : public ::testing::Test {
 protected:
  /// Forwards to the recorder and the gate.
  class Both : public report::Reporter {
   public:
    Both(report::Reporter& first, report::Reporter& second) : first_(first), second_(second) {}
    void target_collected(const collector::Target& t, const std::vector<Item>& items) override {
      first_.target_collected(t, items);
      second_.target_collected(t, items);
    }
    void item_finished(const Item& item, const Result& result) override {
      first_.item_finished(item, result);
      second_.item_finished(item, result);
    }

   private:
    report::Reporter& first_;
    report::Reporter& second_;
  };

  void start(SchedulerOptions options) {
    gate = std::make_unique<DependencyGate>(targets);
    gate->on_change([this] { resume_due = true; });
    both = std::make_unique<Both>(reporter, *gate);
    options.may_start = [this](const collector::Target& t) { return gate->may_start(t); };
    scheduler = std::make_unique<Scheduler>(runner, *both, std::move(options));
    scheduler->on_finished([this] { finished = true; });
  }
  /// Collects and queues `count` items of target `index`, as the session does.
  void add(std::size_t index, int count) {
    const std::vector<Item>& items = kept.emplace_back(make_items(targets[index].name, count));
    both->target_collected(targets[index], items);
    std::vector<QueuedItem> queued;
    for (const Item& item : items) queued.push_back(QueuedItem{&item});
    scheduler->add(targets[index], framework, std::move(queued));
    settle();
  }
  void settle() {
    while (std::exchange(resume_due, false)) scheduler->resume();
  }
  void finish(std::size_t batch, Outcome outcome) {
    runner.finish(batch, outcome);
    settle();
  }
  void close() {
    gate->collection_done();
    scheduler->close();
    settle();
  }

  NullFramework framework;
  FakeRunner runner;
  RecordingReporter reporter;
  std::vector<collector::Target> targets;
  std::unique_ptr<DependencyGate> gate;
  std::unique_ptr<Both> both;
  std::unique_ptr<Scheduler> scheduler;
  std::deque<std::vector<Item>> kept;
  bool resume_due = false;
  bool finished = false;
};

TEST_F(SchedulerDependenciesTest, ATestStartsOnlyOnceEveryItemOfItsDependencyFinished) {
  targets = {make_target("after", {"split"}), make_target("split"), make_target("free")};
  start(SchedulerOptions{.slots = 8});
  add(0, 1);
  add(1, 3);  // three batches of one item each
  add(2, 1);
  close();
  EXPECT_EQ(started_targets(runner), (std::vector<std::string>{"split", "split", "split", "free"}));
  finish(0, Outcome::passed);
  finish(2, Outcome::failed);
  finish(3, Outcome::passed);
  EXPECT_EQ(runner.started.size(), 4u) << "one item of split is still running";
  finish(1, Outcome::crashed);
  ASSERT_EQ(runner.started.size(), 5u) << "its dependency failed: the test runs all the same";
  EXPECT_EQ(runner.started[4].batch.target->name, "after");
  finish(4, Outcome::passed);
  EXPECT_TRUE(finished);
  EXPECT_EQ(reporter.outcomes.at("after/S.t0"), Outcome::passed);
}

TEST_F(SchedulerDependenciesTest, AChainRunsInOrderAtAnyNumberOfSlots) {
  targets = {make_target("c", {"b"}), make_target("b", {"a"}), make_target("a")};
  start(SchedulerOptions{.slots = 4});
  add(0, 1);
  add(1, 1);
  add(2, 1);
  close();
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(runner.started.size(), i + 1);
    EXPECT_EQ(runner.running(), 1u);
    finish(i, Outcome::passed);
  }
  EXPECT_EQ(started_targets(runner), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(finished);
}

TEST_F(SchedulerDependenciesTest, ADependencyNotCollectedImposesNothingOnceCollectionIsOver) {
  targets = {make_target("user", {"absent"}), make_target("absent")};
  start(SchedulerOptions{.slots = 2});
  add(0, 1);
  EXPECT_TRUE(runner.started.empty()) << "absent may still be collected";
  close();  // it was not: none of its items were selected (a shard of the others, say)
  ASSERT_EQ(runner.started.size(), 1u);
  finish(0, Outcome::passed);
  EXPECT_TRUE(finished);
}

TEST_F(SchedulerDependenciesTest, RetriesOfTheDependencyComeFirst) {
  targets = {make_target("user", {"dep"}), make_target("dep")};
  start(SchedulerOptions{.slots = 4, .retries = 2});
  add(0, 1);
  add(1, 1);
  close();
  finish(0, Outcome::failed);
  ASSERT_EQ(started_targets(runner), (std::vector<std::string>{"dep", "dep"}))
      << "the retry of dep, not user";
  finish(1, Outcome::passed);
  ASSERT_EQ(started_targets(runner), (std::vector<std::string>{"dep", "dep", "user"}));
  EXPECT_EQ(reporter.outcomes.at("dep/S.t0"), Outcome::flaky);
  finish(2, Outcome::passed);
  EXPECT_TRUE(finished);
}

TEST_F(SchedulerDependenciesTest, EveryRepetitionOfTheDependencyComesFirst) {
  targets = {make_target("user", {"dep"}), make_target("dep")};
  start(SchedulerOptions{.slots = 4, .repeat = RepeatMode::until_fail, .repeat_count = 3});
  add(0, 1);
  add(1, 1);
  close();
  for (std::size_t i = 0; i < 3; ++i) finish(i, Outcome::passed);
  EXPECT_EQ(started_targets(runner), (std::vector<std::string>{"dep", "dep", "dep", "user"}));
}

TEST_F(SchedulerDependenciesTest, InterruptedWaitingTestsEndNotRunAndTheRunFinishes) {
  targets = {make_target("user", {"dep"}), make_target("dep")};
  start(SchedulerOptions{.slots = 4});
  add(0, 2);
  add(1, 1);
  close();
  scheduler->cancel();
  settle();
  EXPECT_EQ(reporter.outcomes.at("user/S.t0"), Outcome::not_run);
  EXPECT_EQ(reporter.outcomes.at("user/S.t1"), Outcome::not_run);
  runner.finish(0, Outcome::not_run);  // the killed dependency
  settle();
  EXPECT_EQ(runner.started.size(), 1u) << "nothing starts after an interrupt";
  EXPECT_TRUE(finished);
}

TEST_F(SchedulerDependenciesTest, InOrderAddedAWaitingTestLetsThoseBehindItRun) {
  targets = {make_target("user", {"dep"}), make_target("other"), make_target("dep")};
  start(SchedulerOptions{.slots = 1, .keep_order = true});
  add(0, 1);
  add(1, 1);
  add(2, 1);
  close();
  finish(0, Outcome::passed);
  finish(1, Outcome::passed);
  EXPECT_EQ(started_targets(runner), (std::vector<std::string>{"other", "dep", "user"}));
}

}  // namespace
}  // namespace fanout::launcher
