#include "launcher/load_share.hpp"

#include <gtest/gtest.h>

namespace fanout::launcher {
namespace {

ItemHistory measured(double wall, double cpu) {
  ItemHistory item;
  item.mean_seconds = wall;
  item.runs = 3;
  item.cpu_seconds = cpu;
  item.cpu_runs = 3;
  return item;
}

TEST(CoreShare, AWaitingItemHoldsASmallShareRoundedUpToATenth) {
  const ItemHistory sleeper = measured(2.0, 0.002);
  EXPECT_DOUBLE_EQ(core_share(&sleeper), min_core_share);
  const ItemHistory half = measured(1.0, 0.43);
  EXPECT_DOUBLE_EQ(core_share(&half), 0.5);
}

TEST(CoreShare, BusyItemsHoldAWholeCore) {
  const ItemHistory busy = measured(1.0, 0.98);
  EXPECT_DOUBLE_EQ(core_share(&busy), 1.0);
  const ItemHistory threaded = measured(1.0, 3.5);  // several threads: still one slot
  EXPECT_DOUBLE_EQ(core_share(&threaded), 1.0);
}

TEST(CoreShare, UnknownOrShortItemsHoldAWholeCore) {
  EXPECT_DOUBLE_EQ(core_share(nullptr), 1.0);
  ItemHistory no_cpu = measured(2.0, 0.0);
  no_cpu.cpu_runs = 0;
  no_cpu.cpu_seconds = -1;
  EXPECT_DOUBLE_EQ(core_share(&no_cpu), 1.0);
  const ItemHistory short_sleeper = measured(0.05, 0.0);
  EXPECT_DOUBLE_EQ(core_share(&short_sleeper), 1.0);
  ItemHistory never_timed = measured(2.0, 0.0);
  never_timed.runs = 0;
  EXPECT_DOUBLE_EQ(core_share(&never_timed), 1.0);
}

}  // namespace
}  // namespace fanout::launcher
