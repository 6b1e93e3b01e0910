#include "launcher/dependency_gate.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanout::launcher {
namespace {

using collector::Item;
using collector::Outcome;
using collector::Result;

collector::Target test(const std::string& name, std::vector<std::string> depends = {}) {
  collector::Target target;
  target.name = name;
  target.depends = std::move(depends);
  return target;
}

std::vector<Item> items_of(const std::string& target, int count) {
  std::vector<Item> items;
  for (int i = 0; i < count; ++i) {
    Item item;
    item.target = target;
    item.name = "T.t" + std::to_string(i);
    item.id = collector::make_item_id(target, item.name);
    items.push_back(item);
  }
  return items;
}

class DependencyGateTest : public ::testing::Test {
 protected:
  void finish(const Item& item, Outcome outcome = Outcome::passed) {
    gate.item_finished(item, Result{.item_id = item.id, .outcome = outcome});
  }
  std::vector<collector::Target> targets{test("dep"), test("user", {"dep", "not_in_run"}),
                                         test("free")};
  DependencyGate gate{targets};
  int changes = 0;
  void SetUp() override {
    gate.on_change([this] { ++changes; });
  }
};

TEST_F(DependencyGateTest, WaitsUntilEveryCollectedItemHasItsResultWhateverTheOutcome) {
  EXPECT_TRUE(gate.has_dependencies());
  EXPECT_FALSE(gate.may_start(targets[1])) << "dep is not even collected yet";
  EXPECT_TRUE(gate.may_start(targets[0]));
  EXPECT_TRUE(gate.may_start(targets[2]));
  const auto items = items_of("dep", 3);
  gate.target_collected(targets[0], items);
  finish(items[0]);
  finish(items[2], Outcome::failed);
  EXPECT_FALSE(gate.may_start(targets[1]));
  EXPECT_EQ(changes, 0);
  gate.collection_done();  // dep was collected: its last item is still to come
  EXPECT_FALSE(gate.may_start(targets[1]));
  finish(items[1], Outcome::crashed);
  EXPECT_TRUE(gate.may_start(targets[1]));
  EXPECT_GE(changes, 1);
}

TEST_F(DependencyGateTest, ResultsOfOtherTargetsDoNotCount) {
  const auto items = items_of("dep", 1);
  gate.target_collected(targets[0], items);
  for (const auto& other : items_of("free", 3)) finish(other);
  EXPECT_FALSE(gate.may_start(targets[1]));
  finish(items[0]);
  EXPECT_TRUE(gate.may_start(targets[1]));
}

TEST_F(DependencyGateTest, ADependencyCollectedWithoutItemsHasFinished) {
  gate.target_collected(targets[0], {});
  EXPECT_TRUE(gate.may_start(targets[1]));
  EXPECT_EQ(changes, 1);
}

TEST_F(DependencyGateTest, ADependencyNeverCollectedHasFinishedOnceCollectionIsOver) {
  EXPECT_FALSE(gate.may_start(targets[1]));
  gate.collection_done();
  EXPECT_TRUE(gate.may_start(targets[1]));
  EXPECT_EQ(changes, 1);
}

TEST_F(DependencyGateTest, ADependencyThatCouldNotBeCollectedHasFinished) {
  gate.collection_failed(report::CollectionError{"dep", "/bin/dep", "no such file"});
  EXPECT_TRUE(gate.may_start(targets[1]));
  EXPECT_EQ(changes, 1);
}

TEST(DependencyGate, DependenciesOutsideTheRunImposeNothing) {
  const std::vector<collector::Target> targets{test("a", {"unselected", "unknown"}), test("b")};
  const DependencyGate gate(targets);
  EXPECT_FALSE(gate.has_dependencies());
  EXPECT_TRUE(gate.may_start(targets[0]));
}

TEST(DependencyGate, ATestWaitsForEachOfItsDependencies) {
  const std::vector<collector::Target> targets{test("a"), test("b"), test("c", {"a", "b"})};
  DependencyGate gate(targets);
  const auto a = items_of("a", 1);
  const auto b = items_of("b", 1);
  gate.target_collected(targets[0], a);
  gate.target_collected(targets[1], b);
  gate.item_finished(a[0], Result{.item_id = a[0].id, .outcome = Outcome::passed});
  EXPECT_FALSE(gate.may_start(targets[2]));
  gate.item_finished(b[0], Result{.item_id = b[0].id, .outcome = Outcome::skipped});
  EXPECT_TRUE(gate.may_start(targets[2]));
}

}  // namespace
}  // namespace fanout::launcher
