#include "launcher/plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace fanout::launcher {
namespace {

using collector::Item;
using collector::Outcome;
using collector::Result;

void record(History& history, const std::string& id, Outcome outcome, double seconds) {
  history.record(id, Result{.item_id = id, .outcome = outcome, .seconds = seconds});
}

Item item(const std::string& target, const std::string& name) {
  return Item{.id = collector::make_item_id(target, name), .target = target, .name = name};
}

std::vector<std::string> ids(const std::vector<PlannedItem>& items) {
  std::vector<std::string> result;
  for (const auto& planned : items) result.push_back(planned.id);
  return result;
}

TEST(Plan, ExpectedSecondsComeFromHistoryOrTheDefault) {
  History history;
  record(history, "t/A.fast", Outcome::passed, 0.5);
  record(history, "t/A.broken", Outcome::error, 0);
  EXPECT_DOUBLE_EQ(expected_seconds(history, "t/A.fast", 7), 0.5);
  EXPECT_DOUBLE_EQ(expected_seconds(history, "t/A.new", 7), 7);
  EXPECT_DOUBLE_EQ(expected_seconds(history, "t/A.broken", 7), 7);  // never timed
}

TEST(Plan, UnknownItemsCountAsTheLongestKnown) {
  History history;
  EXPECT_DOUBLE_EQ(default_unknown_seconds(history), 1.0);
  record(history, "t/A.x", Outcome::passed, 0.25);
  record(history, "t/A.y", Outcome::passed, 3);
  record(history, "t/A.z", Outcome::failed, 2);
  EXPECT_DOUBLE_EQ(default_unknown_seconds(history), 3.0);
}

TEST(Plan, PlanItemsKeepsIndexTargetAndHistory) {
  History history;
  record(history, "u/S.failed", Outcome::failed, 2);
  record(history, "u/S.timeout", Outcome::timeout, 9);
  record(history, "u/S.crashed", Outcome::crashed, 1);
  record(history, "u/S.error", Outcome::error, 0);
  record(history, "u/S.flaky", Outcome::flaky, 1);
  record(history, "u/S.skipped", Outcome::skipped, 0);
  record(history, "v/S.passed", Outcome::passed, 4);
  const std::vector<Item> items = {
      item("u", "S.failed"), item("u", "S.timeout"), item("u", "S.crashed"), item("u", "S.error"),
      item("u", "S.flaky"),  item("u", "S.skipped"), item("v", "S.passed"),  item("v", "S.new")};
  const std::vector<PlannedItem> planned = plan_items(items, history);
  ASSERT_EQ(planned.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(planned[i].index, i);
    EXPECT_EQ(planned[i].id, items[i].id);
    EXPECT_EQ(planned[i].target, items[i].target);
  }
  const std::vector<bool> failed = {true, true, true, true, false, false, false, false};
  for (std::size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(planned[i].failed_last, failed[i]) << planned[i].id;
  }
  EXPECT_TRUE(planned[1].known);
  EXPECT_DOUBLE_EQ(planned[1].expected_seconds, 9);
  EXPECT_FALSE(planned[3].known);  // an error was never timed
  EXPECT_FALSE(planned[7].known);
  EXPECT_DOUBLE_EQ(planned[7].expected_seconds, 9);  // unknown: the longest known
}

TEST(Plan, OrderPutsLastFailuresFirstThenLongest) {
  History history;
  record(history, "t/A.short_failure", Outcome::failed, 0.1);
  record(history, "t/A.long_failure", Outcome::crashed, 5);
  record(history, "t/A.long", Outcome::passed, 10);
  record(history, "t/A.medium", Outcome::passed, 2);
  record(history, "t/A.tiny", Outcome::passed, 0.001);
  record(history, "t/A.was_flaky", Outcome::flaky, 1);
  std::vector<Item> items;
  for (const char* name : {"A.tiny", "A.medium", "A.short_failure", "A.long", "A.new",
                           "A.was_flaky", "A.long_failure"}) {
    items.push_back(item("t", name));
  }
  std::vector<PlannedItem> planned = plan_items(items, history);
  order_longest_first(planned);
  // A.new is unknown: it counts as slow as the longest known (10 s) and ties with it by id.
  EXPECT_EQ(ids(planned),
            (std::vector<std::string>{"t/A.long_failure", "t/A.short_failure", "t/A.long",
                                      "t/A.new", "t/A.medium", "t/A.was_flaky", "t/A.tiny"}));
}

TEST(Plan, OrderDoesNotDependOnInputOrder) {
  History history;
  std::vector<Item> items;
  for (int i = 0; i < 12; ++i) {
    const std::string name = "S.case" + std::to_string(i);
    items.push_back(item(i % 2 ? "odd" : "even", name));
    // Several equal durations, so ties must be broken by id.
    if (i % 4 != 3) {
      record(history, items.back().id, i % 5 == 0 ? Outcome::failed : Outcome::passed, i % 3);
    }
  }
  std::vector<PlannedItem> reference = plan_items(items, history);
  order_longest_first(reference);
  std::vector<Item> permuted = items;
  for (int round = 0; round < 10; ++round) {
    std::rotate(permuted.begin(), permuted.begin() + 5, permuted.end());
    std::swap(permuted[round % 12], permuted[(round * 7) % 12]);
    std::vector<PlannedItem> planned = plan_items(permuted, history);
    order_longest_first(planned);
    EXPECT_EQ(ids(planned), ids(reference));
    for (const auto& p : planned) EXPECT_EQ(permuted[p.index].id, p.id);
  }
}

TEST(Plan, SelectFailedLastKeepsOnlyLastFailuresInInputOrder) {
  History history;
  record(history, "t/A.a", Outcome::failed, 1);
  record(history, "t/A.b", Outcome::passed, 1);
  record(history, "t/A.c", Outcome::timeout, 1);
  record(history, "t/A.d", Outcome::failed, 1);
  record(history, "t/A.d", Outcome::passed, 1);  // fixed since
  const std::vector<PlannedItem> planned = plan_items(
      {item("t", "A.c"), item("t", "A.b"), item("t", "A.new"), item("t", "A.a"), item("t", "A.d")},
      history);
  const std::vector<PlannedItem> failed = select_failed_last(planned);
  EXPECT_EQ(ids(failed), (std::vector<std::string>{"t/A.c", "t/A.a"}));
  EXPECT_EQ(failed[1].index, 3u);
  EXPECT_TRUE(select_failed_last(plan_items({item("t", "A.b")}, history)).empty());
}

}  // namespace
}  // namespace fanout::launcher
