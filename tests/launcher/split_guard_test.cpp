#include "launcher/split_guard.hpp"

#include <gtest/gtest.h>

#include "tests/launcher/fakes.hpp"

namespace fanout::launcher {
namespace {

class SplitGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    split.name = "suite";
    split.executable = "/bin/suite";
    split.from_ctest = true;
    split.framework = "auto";
    for (const char* name : {"A.one", "A.two"}) {
      Item item;
      item.target = "suite";
      item.name = name;
      item.id = collector::make_item_id("suite", name);
      items.push_back(item);
    }
    guard.watch(split, items);
  }
  Result result(const Item& item, Outcome outcome) {
    return Result{.item_id = item.id, .outcome = outcome, .message = "boom"};
  }
  /// Ends the whole-command run the guard started with `outcome`.
  void finish_whole_run(Outcome outcome) {
    ASSERT_EQ(runner.started.size(), 1u);
    auto& whole = runner.started[0];
    EXPECT_EQ(whole.batch.target->framework, "null") << "the command runs as one item";
    whole.callbacks.item_finished(
        Result{.item_id = whole.batch.items.at(0)->id, .outcome = outcome});
    whole.done = true;
    whole.callbacks.batch_done({});
  }

  NullFramework whole_framework;
  FakeRunner runner;
  RecordingReporter downstream;
  History history;
  SplitGuard guard{downstream, runner, history, whole_framework};
  collector::Target split;
  std::vector<Item> items;
};

TEST_F(SplitGuardTest, PassingItemsAreForwardedWithoutAWholeRun) {
  guard.item_finished(items[0], result(items[0], Outcome::passed));
  EXPECT_TRUE(downstream.outcomes.empty()) << "held until the target is complete";
  guard.item_finished(items[1], result(items[1], Outcome::skipped));
  EXPECT_EQ(downstream.outcomes.at("suite/A.one"), Outcome::passed);
  EXPECT_EQ(downstream.outcomes.at("suite/A.two"), Outcome::skipped);
  EXPECT_TRUE(runner.started.empty());
  EXPECT_TRUE(guard.idle());
}

TEST_F(SplitGuardTest, AFailureThatPassesWholeFollowsTheWholeRunAndIsRemembered) {
  bool became_idle = false;
  guard.on_idle([&] { became_idle = true; });
  guard.item_finished(items[0], result(items[0], Outcome::failed));
  guard.item_finished(items[1], result(items[1], Outcome::passed));
  EXPECT_FALSE(guard.idle());
  EXPECT_TRUE(downstream.outcomes.empty());
  finish_whole_run(Outcome::passed);
  EXPECT_TRUE(became_idle);
  EXPECT_EQ(downstream.outcomes.at("suite/A.one"), Outcome::passed);
  EXPECT_EQ(downstream.outcomes.at("suite/A.two"), Outcome::passed);
  EXPECT_TRUE(history.is_unsplittable("suite"));
}

TEST_F(SplitGuardTest, AFailureThatFailsWholeStands) {
  guard.item_finished(items[0], result(items[0], Outcome::crashed));
  guard.item_finished(items[1], result(items[1], Outcome::passed));
  finish_whole_run(Outcome::failed);
  EXPECT_EQ(downstream.outcomes.at("suite/A.one"), Outcome::crashed);
  EXPECT_EQ(downstream.outcomes.at("suite/A.two"), Outcome::passed);
  EXPECT_FALSE(history.is_unsplittable("suite"));
}

TEST_F(SplitGuardTest, OtherTargetsPassStraightThrough) {
  Item other;
  other.target = "other";
  other.id = "other/X.y";
  guard.item_finished(other, result(other, Outcome::failed));
  EXPECT_EQ(downstream.outcomes.at("other/X.y"), Outcome::failed);
  EXPECT_TRUE(runner.started.empty());
}

TEST_F(SplitGuardTest, ReleasedOnInterruptForwardsWithoutVerifying) {
  guard.item_finished(items[0], result(items[0], Outcome::failed));
  guard.release_all();
  EXPECT_EQ(downstream.outcomes.at("suite/A.one"), Outcome::failed);
  guard.item_finished(items[1], result(items[1], Outcome::not_run));
  EXPECT_EQ(downstream.outcomes.at("suite/A.two"), Outcome::not_run);
  EXPECT_TRUE(runner.started.empty());
}

}  // namespace
}  // namespace fanout::launcher
