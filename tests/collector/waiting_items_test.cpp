// WaitingItems: the first waiting item of a name, in batch order or out of it.

#include "collector/waiting_items.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "framework_test_support.hpp"

namespace fanout::collector {
namespace {

using testing::items_named;
using testing::pointers_to;

class WaitingItemsTest : public ::testing::Test {
 protected:
  std::optional<std::size_t> first(std::string_view name) {
    return finder_.first(name, [this](std::size_t i) { return waiting_[i]; });
  }
  void start(std::size_t index) { waiting_[index] = false; }

  const std::vector<Item> items_ = items_named({"A.x", "A.y", "B.x", "A.y"});
  const std::vector<const Item*> batch_ = pointers_to(items_);
  std::vector<bool> waiting_ = std::vector<bool>(items_.size(), true);
  WaitingItems finder_{batch_};
};

TEST_F(WaitingItemsTest, FollowsTheBatchInOrder) {
  for (std::size_t i = 0; i < items_.size(); ++i) {
    EXPECT_EQ(first(items_[i].name), i);
    start(i);
  }
  EXPECT_EQ(first("A.x"), std::nullopt);
}

TEST_F(WaitingItemsTest, FindsItemsOutOfOrderAndRepeatedNamesFirstWaitingFirst) {
  EXPECT_EQ(first("B.x"), 2u);
  start(2);
  EXPECT_EQ(first("A.y"), 1u);
  start(1);
  EXPECT_EQ(first("A.y"), 3u) << "the next of that name";
  start(3);
  EXPECT_EQ(first("A.y"), std::nullopt);
  EXPECT_EQ(first("A.x"), 0u);
  EXPECT_EQ(first("C.z"), std::nullopt);
}

}  // namespace
}  // namespace fanout::collector
