#include "launcher/cpu_share.hpp"

#include <gtest/gtest.h>

namespace fanout::launcher {
namespace {

std::vector<collector::Result> results_taking(std::initializer_list<double> seconds) {
  std::vector<collector::Result> results;
  for (double s : seconds) results.push_back(collector::Result{.seconds = s});
  return results;
}

TEST(CpuShare, DividesTheCpuUsedSinceTheLastReadingByWallTime) {
  CpuShare share;
  auto first = results_taking({1.0, 3.0});
  share.share(first, 2.0);
  EXPECT_DOUBLE_EQ(first[0].cpu_seconds, 0.5);
  EXPECT_DOUBLE_EQ(first[1].cpu_seconds, 1.5);
  auto second = results_taking({2.0});
  share.share(second, 2.25);  // only what was used since 2.0
  EXPECT_DOUBLE_EQ(second[0].cpu_seconds, 0.25);
}

TEST(CpuShare, SharesEvenlyWhenNoWallTimeWasMeasured) {
  CpuShare share;
  auto results = results_taking({0.0, 0.0, 0.0, 0.0});
  share.share(results, 0.4);
  for (const auto& result : results) EXPECT_DOUBLE_EQ(result.cpu_seconds, 0.1);
}

TEST(CpuShare, UnknownReadingsLeaveCpuUnknownAndKeepTheBase) {
  CpuShare share;
  auto measured = results_taking({1.0});
  share.share(measured, 1.0);
  auto unknown = results_taking({1.0});
  share.share(unknown, -1);  // the process had ended: no clock
  EXPECT_LT(unknown[0].cpu_seconds, 0);
  auto later = results_taking({1.0});
  share.share(later, 1.5);
  EXPECT_DOUBLE_EQ(later[0].cpu_seconds, 0.5);
  auto backwards = results_taking({1.0});
  share.share(backwards, 1.2);
  EXPECT_LT(backwards[0].cpu_seconds, 0);
}

}  // namespace
}  // namespace fanout::launcher
