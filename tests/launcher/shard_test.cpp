#include "launcher/shard.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "launcher/errors.hpp"
#include "launcher/shuffle.hpp"

namespace fanout::launcher {
namespace {

/// Items with varied expected times (some equal, some zero, one long), as history would give.
std::vector<PlannedItem> varied_items(int count) {
  std::vector<PlannedItem> items;
  for (int i = 0; i < count; ++i) {
    const double seconds = i == 7 ? 40.0 : (i * 37 % 11) * 0.25;
    items.push_back(PlannedItem{.index = static_cast<std::size_t>(i),
                                .id = "t" + std::to_string(i % 3) + "/S.case" + std::to_string(i),
                                .target = "t" + std::to_string(i % 3),
                                .expected_seconds = seconds});
  }
  return items;
}

TEST(Shard, ParsesIOverN) {
  const ShardSpec spec = parse_shard("2/5");
  EXPECT_EQ(spec.index, 2u);
  EXPECT_EQ(spec.count, 5u);
  EXPECT_EQ(parse_shard("1/1").count, 1u);
  EXPECT_EQ(parse_shard("7/7").index, 7u);
}

TEST(Shard, RejectsBadSpecsNamingTheOption) {
  for (const char* bad : {"0/5", "6/5", "x/y", "3", "/5", "2/", "2/0", "0/0", " 2/5", "2/5 ",
                          "-1/5", "2/-5", "2/5/1", "", "99999999999999999999999/1"}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UsageError& error) {
      EXPECT_NE(std::string(error.what()).find("--shard"), std::string::npos) << error.what();
    }
  }
}

TEST(Shard, EveryItemInExactlyOneShard) {
  const std::vector<PlannedItem> items = varied_items(100);
  for (std::size_t count = 1; count <= 7; ++count) {
    std::map<std::string, int> seen;
    std::size_t total = 0;
    for (std::size_t index = 1; index <= count; ++index) {
      for (const auto& item : select_shard(items, {index, count})) {
        ++seen[item.id];
        ++total;
      }
    }
    EXPECT_EQ(total, items.size()) << count << " shards";
    EXPECT_EQ(seen.size(), items.size()) << count << " shards";
    for (const auto& [id, times] : seen) EXPECT_EQ(times, 1) << id;
  }
}

TEST(Shard, BalancedByExpectedTime) {
  std::vector<PlannedItem> items = varied_items(100);
  items[7].expected_seconds = 3;  // no single item dominates here
  double longest = 0;
  for (const auto& item : items) longest = std::max(longest, item.expected_seconds);
  for (std::size_t count = 2; count <= 7; ++count) {
    std::vector<double> load(count, 0);
    const std::vector<std::size_t> assignment = assign_shards(items, count);
    for (std::size_t i = 0; i < items.size(); ++i) load[assignment[i]] += items[i].expected_seconds;
    const auto [low, high] = std::minmax_element(load.begin(), load.end());
    // Greedy assignment: no part exceeds the lightest by more than one item.
    EXPECT_LE(*high - *low, longest) << count << " shards";
  }
}

TEST(Shard, LongItemGetsAShardOfItsOwn) {
  const std::vector<PlannedItem> items = varied_items(30);
  double others = 0;
  for (const auto& item : items) others += item.index == 7 ? 0 : item.expected_seconds;
  ASSERT_LT(others, items[7].expected_seconds);
  const std::vector<std::size_t> assignment = assign_shards(items, 2);
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 7) {
      EXPECT_NE(assignment[i], assignment[7]) << items[i].id;
    }
  }
}

TEST(Shard, StableUnderInputPermutation) {
  const std::vector<PlannedItem> items = varied_items(60);
  for (std::size_t count = 1; count <= 7; ++count) {
    std::map<std::string, std::size_t> reference;
    const std::vector<std::size_t> assignment = assign_shards(items, count);
    for (std::size_t i = 0; i < items.size(); ++i) reference[items[i].id] = assignment[i];
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      std::vector<PlannedItem> permuted;
      for (std::size_t from : shuffled_permutation(items.size(), seed * 1000 + count)) {
        permuted.push_back(items[from]);
      }
      const std::vector<std::size_t> other = assign_shards(permuted, count);
      for (std::size_t i = 0; i < permuted.size(); ++i) {
        EXPECT_EQ(other[i], reference[permuted[i].id]) << permuted[i].id;
      }
    }
  }
}

TEST(Shard, SelectionKeepsInputOrderAndIndices) {
  const std::vector<PlannedItem> items = varied_items(40);
  const std::vector<PlannedItem> shard = select_shard(items, {2, 3});
  ASSERT_FALSE(shard.empty());
  for (std::size_t i = 1; i < shard.size(); ++i) EXPECT_LT(shard[i - 1].index, shard[i].index);
  for (const auto& item : shard) EXPECT_EQ(items[item.index].id, item.id);
}

TEST(Shard, ItemsWithoutHistorySplitByCount) {
  // No history: every item has the same expected time (or none at all).
  for (double seconds : {1.0, 0.0}) {
    std::vector<PlannedItem> items;
    for (int i = 0; i < 10; ++i) {
      items.push_back(PlannedItem{.index = static_cast<std::size_t>(i),
                                  .id = "t/S.c" + std::to_string(i),
                                  .target = "t",
                                  .expected_seconds = seconds});
    }
    std::multiset<std::size_t> sizes;
    for (std::size_t index = 1; index <= 3; ++index) {
      sizes.insert(select_shard(items, {index, 3}).size());
    }
    EXPECT_EQ(sizes, (std::multiset<std::size_t>{3, 3, 4})) << seconds;
  }
}

TEST(Shard, AGroupStaysInOneShardAndCountsWithItsWholeTime) {
  std::vector<PlannedItem> items = varied_items(60);
  for (std::size_t i = 0; i < items.size(); i += 6) items[i].group = "db";
  for (std::size_t i = 1; i < items.size(); i += 10) items[i].group = "gpu";
  for (std::size_t count = 2; count <= 7; ++count) {
    const std::vector<std::size_t> assignment = assign_shards(items, count);
    std::map<std::string, std::set<std::size_t>> parts_of_group;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!items[i].group.empty()) parts_of_group[items[i].group].insert(assignment[i]);
    }
    EXPECT_EQ(parts_of_group["db"].size(), 1u) << count << " shards";
    EXPECT_EQ(parts_of_group["gpu"].size(), 1u) << count << " shards";
  }
  // A group whose summed time exceeds every other item's gets a part to itself among 2.
  std::vector<PlannedItem> heavy;
  for (int i = 0; i < 8; ++i) {
    heavy.push_back(PlannedItem{.index = static_cast<std::size_t>(i),
                                .id = "t/S.c" + std::to_string(i),
                                .target = "t",
                                .group = i < 4 ? "g" : "",
                                .expected_seconds = i < 4 ? 3.0 : 1.0});
  }
  const std::vector<std::size_t> two = assign_shards(heavy, 2);
  for (int i = 4; i < 8; ++i) EXPECT_NE(two[i], two[0]) << heavy[i].id;
}

TEST(Shard, GroupsAreStableUnderInputPermutation) {
  std::vector<PlannedItem> items = varied_items(40);
  for (std::size_t i = 0; i < items.size(); i += 5) items[i].group = "g" + std::to_string(i % 3);
  std::map<std::string, std::size_t> reference;
  const std::vector<std::size_t> assignment = assign_shards(items, 3);
  for (std::size_t i = 0; i < items.size(); ++i) reference[items[i].id] = assignment[i];
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::vector<PlannedItem> permuted;
    for (std::size_t from : shuffled_permutation(items.size(), seed)) {
      permuted.push_back(items[from]);
    }
    const std::vector<std::size_t> other = assign_shards(permuted, 3);
    for (std::size_t i = 0; i < permuted.size(); ++i) {
      EXPECT_EQ(other[i], reference[permuted[i].id]) << permuted[i].id;
    }
  }
}

TEST(Shard, MoreShardsThanItemsLeavesSomeEmpty) {
  const std::vector<PlannedItem> items = varied_items(3);
  std::size_t total = 0;
  for (std::size_t index = 1; index <= 5; ++index) total += select_shard(items, {index, 5}).size();
  EXPECT_EQ(total, 3u);
}

}  // namespace
}  // namespace fanout::launcher
