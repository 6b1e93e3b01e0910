#include "launcher/item_tags.hpp"

#include <gtest/gtest.h>

#include "launcher/errors.hpp"

namespace fanout::launcher {
namespace {

std::vector<collector::Item> items_named(std::vector<std::string> names) {
  std::vector<collector::Item> items;
  for (auto& name : names) {
    collector::Item item;
    item.name = std::move(name);
    items.push_back(item);
  }
  return items;
}

TEST(ItemTagger, GroupAppliesToEveryItemWithoutGroupItems) {
  collector::Target target;
  target.group = "db";
  auto items = items_named({"A.x", "B.y"});
  ItemTagger(target).apply(items);
  EXPECT_EQ(items[0].group, "db");
  EXPECT_EQ(items[1].group, "db");
  EXPECT_FALSE(items[0].isolate);
}

TEST(ItemTagger, GroupItemsAndIsolateItemsTagOnlyMatchingItems) {
  collector::Target target;
  target.group = "db";
  target.group_items = {"^Db\\."};
  target.isolate_items = {"Fresh"};
  auto items = items_named({"Db.Insert", "Math.Adds", "Math.FreshProcess"});
  ItemTagger(target).apply(items);
  EXPECT_EQ(items[0].group, "db");
  EXPECT_EQ(items[1].group, "");
  EXPECT_EQ(items[2].group, "");
  EXPECT_FALSE(items[0].isolate);
  EXPECT_TRUE(items[2].isolate);
}

TEST(ItemTagger, BadExpressionNamesTheTargetAndProperty) {
  collector::Target target;
  target.name = "unit";
  target.isolate_items = {"(open"};
  try {
    ItemTagger tagger(target);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("unit: ISOLATE_ITEMS '(open'"), std::string::npos);
  }
}

}  // namespace
}  // namespace fanout::launcher
