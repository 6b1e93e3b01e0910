// gtest_batch_filter: whole suites by `Suite.*`, everything else by exact name.

#include "collector/gtest_filter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanout::collector {
namespace {

std::vector<Item> listing_of(const std::vector<std::string>& names) {
  std::vector<Item> items;
  for (const std::string& name : names) {
    Item item;
    item.name = name;
    item.id = make_item_id("unit", name);
    items.push_back(item);
  }
  return items;
}

std::vector<const Item*> pick(const std::vector<Item>& listing,
                              const std::vector<std::size_t>& positions) {
  std::vector<const Item*> batch;
  for (std::size_t position : positions) batch.push_back(&listing[position]);
  return batch;
}

const std::vector<Item> kListing =
    listing_of({"Math.Add", "Math.Sub", "Io.Read", "Io.Write", "Io.Seek", "Values/Param.Works/0",
                "Values/Param.Works/1", "Typed/0.Works"});

TEST(GTestBatchFilter, NamesAWholeSuiteByItsPattern) {
  EXPECT_EQ(gtest_batch_filter(pick(kListing, {0, 1}), kListing), "Math.*");
}

TEST(GTestBatchFilter, NamesThePartOfASuiteItemByItem) {
  EXPECT_EQ(gtest_batch_filter(pick(kListing, {2, 4}), kListing), "Io.Read:Io.Seek");
}

TEST(GTestBatchFilter, MixesWholeAndPartialSuitesInBatchOrder) {
  EXPECT_EQ(gtest_batch_filter(pick(kListing, {3, 1, 7, 0, 5}), kListing),
            "Io.Write:Math.*:Typed/0.*:Values/Param.Works/0");
}

TEST(GTestBatchFilter, KeepsTheInstantiationPrefixOfParameterizedSuites) {
  EXPECT_EQ(gtest_batch_filter(pick(kListing, {6, 5}), kListing), "Values/Param.*");
}

TEST(GTestBatchFilter, AnItemNamedTwiceDoesNotMakeItsSuiteWhole) {
  EXPECT_EQ(gtest_batch_filter(pick(kListing, {2, 2, 3}), kListing), "Io.Read:Io.Read:Io.Write");
}

TEST(GTestBatchFilter, ADisabledItemLeftOutKeepsItsSuiteByName) {
  // With --gtest_also_run_disabled_tests among the user's arguments, `Suite.*` would run it.
  const std::vector<Item> listing = listing_of({"Net.Up", "Net.DISABLED_Down", "Io.Read"});
  EXPECT_EQ(gtest_batch_filter(pick(listing, {0}), listing), "Net.Up");
  EXPECT_EQ(gtest_batch_filter(pick(listing, {0, 1}), listing), "Net.*");
}

TEST(GTestBatchFilter, WithoutAListingNamesEveryItem) {
  EXPECT_EQ(gtest_batch_filter(pick(kListing, {0, 1}), {}), "Math.Add:Math.Sub");
}

TEST(GTestBatchFilter, ItemsFromOutsideTheListingAreNamedAndSpoilTheirSuite) {
  const std::vector<Item> elsewhere = listing_of({"Math.Add"});
  std::vector<const Item*> batch = {&elsewhere[0], &kListing[1]};
  EXPECT_EQ(gtest_batch_filter(batch, kListing), "Math.Add:Math.Sub");
}

TEST(GTestBatchFilter, TheWholeListingIsEverything) {
  EXPECT_EQ(gtest_batch_filter(pick(kListing, {7, 6, 5, 4, 3, 2, 1, 0}), kListing), "*");
  const std::vector<Item> listing = listing_of({"Net.Up", "Net.DISABLED_Down"});
  EXPECT_EQ(gtest_batch_filter(pick(listing, {0, 1}), listing), "*");
}

TEST(GTestBatchFilter, TheListingWithAnItemTwiceOrAnotherMissingIsNotEverything) {
  // GoogleTest runs a test once however many patterns match it.
  EXPECT_EQ(gtest_batch_filter(pick(kListing, {0, 1, 2, 3, 4, 5, 6, 7, 7}), kListing),
            "Math.*:Io.*:Values/Param.*:Typed/0.*");
  EXPECT_EQ(gtest_batch_filter(pick(kListing, {0, 1, 2, 3, 4, 5, 6, 6}), kListing),
            "Math.*:Io.*:Values/Param.*");
}

TEST(GTestBatchFilter, AnEmptyBatchSelectsNothing) {
  EXPECT_EQ(gtest_batch_filter({}, kListing), "-*");
}

}  // namespace
}  // namespace fanout::collector
