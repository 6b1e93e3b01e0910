#include "launcher/history_items.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace fanout::launcher {
namespace {

std::vector<std::string> sorted_ids(const HistoryItems& items) {
  std::vector<std::string> ids;
  items.for_each_sorted([&](std::string_view id, const ItemHistory&) { ids.emplace_back(id); });
  return ids;
}

std::vector<std::string> ids_with_prefix(const HistoryItems& items, std::string_view prefix) {
  std::vector<std::string> ids;
  items.for_each_with_prefix(
      prefix, [&](std::string_view id, const ItemHistory&) { ids.emplace_back(id); });
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(HistoryItems, AddFindsOrCreates) {
  HistoryItems items;
  EXPECT_TRUE(items.empty());
  EXPECT_EQ(items.find("t/A"), nullptr);
  bool added = false;
  items.add("t/A", &added).runs = 3;
  EXPECT_TRUE(added);
  items.add("t/A", &added).flaky = 1;
  EXPECT_FALSE(added);
  ASSERT_EQ(items.size(), 1u);
  const ItemHistory* a = items.find("t/A");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->runs, 3u);
  EXPECT_EQ(a->flaky, 1u);
  EXPECT_EQ(items.find("t/"), nullptr);
  EXPECT_EQ(items.find("t/AB"), nullptr);
  EXPECT_EQ(items.find(""), nullptr);
  items.add("").runs = 9;  // the empty id is an id like any other
  EXPECT_EQ(items.find("")->runs, 9u);
}

TEST(HistoryItems, ManyEntriesStayFindableAsTheIndexGrows) {
  HistoryItems items;
  // Out of order, so the entries are not sorted as they are added.
  for (int i = 0; i < 5000; ++i) {
    const int n = (i * 7919) % 5000;
    items.add("t/Case" + std::to_string(n)).runs = static_cast<std::uint64_t>(n);
  }
  ASSERT_EQ(items.size(), 5000u);
  for (int n = 0; n < 5000; ++n) {
    const ItemHistory* item = items.find("t/Case" + std::to_string(n));
    ASSERT_NE(item, nullptr) << n;
    EXPECT_EQ(item->runs, static_cast<std::uint64_t>(n));
  }
  EXPECT_EQ(items.find("t/Case5000"), nullptr);
  const std::vector<std::string> ids = sorted_ids(items);
  ASSERT_EQ(ids.size(), 5000u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

TEST(HistoryItems, SortedVisitsAreInIdOrderWhateverTheOrderOfAdding) {
  for (const bool in_order : {true, false}) {
    std::vector<std::string> ids = {"a/X.1", "a/X.2", "a/Y.1", "ab/Z", "b/A", "b\xC3\xA9/A"};
    if (!in_order) std::reverse(ids.begin(), ids.end());
    HistoryItems items;
    for (const std::string& id : ids) items.add(id);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(sorted_ids(items), ids) << in_order;
  }
}

TEST(HistoryItems, PrefixVisitsCoverExactlyTheIdsStartingWithIt) {
  for (const bool in_order : {true, false}) {
    std::vector<std::string> ids = {"a", "a/X.1", "a/X.2", "a.b/Z", "ab/Z", "b/A", "b/a/c"};
    std::sort(ids.begin(), ids.end());
    if (!in_order) std::swap(ids.front(), ids.back());
    HistoryItems items;
    for (const std::string& id : ids) items.add(id);
    EXPECT_EQ(ids_with_prefix(items, "a/"), (std::vector<std::string>{"a/X.1", "a/X.2"}));
    EXPECT_EQ(ids_with_prefix(items, "b/"), (std::vector<std::string>{"b/A", "b/a/c"}));
    EXPECT_EQ(ids_with_prefix(items, "ab/"), (std::vector<std::string>{"ab/Z"}));
    EXPECT_TRUE(ids_with_prefix(items, "c/").empty());
    EXPECT_EQ(ids_with_prefix(items, "").size(), ids.size());
  }
}

TEST(HistoryItems, CopiesAreIndependentAndIndexed) {
  HistoryItems original;
  original.add("t/A").runs = 1;
  HistoryItems copy = original;
  copy.add("t/A").runs = 2;
  copy.add("t/B").runs = 3;
  EXPECT_EQ(original.find("t/A")->runs, 1u);
  EXPECT_EQ(original.find("t/B"), nullptr);
  EXPECT_EQ(copy.find("t/A")->runs, 2u);
  EXPECT_EQ(copy.find("t/B")->runs, 3u);
  HistoryItems moved = std::move(copy);
  EXPECT_EQ(moved.find("t/B")->runs, 3u);
}

TEST(HistoryItems, ReserveIsOnlyAHint) {
  HistoryItems items;
  items.reserve(2, 4);
  for (int i = 0; i < 100; ++i) items.add("id" + std::to_string(i)).runs = 1;
  items.reserve(1, 1);
  EXPECT_EQ(items.size(), 100u);
  EXPECT_NE(items.find("id99"), nullptr);
  EXPECT_NE(items.find("id0"), nullptr);
}

}  // namespace
}  // namespace fanout::launcher
