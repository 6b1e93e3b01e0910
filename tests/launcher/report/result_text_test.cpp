#include "launcher/report/result_text.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace fanout::launcher::report {
namespace {

TEST(FixedSeconds, RoundsToTheGivenDecimals) {
  EXPECT_EQ(fixed_seconds(1.5, 2), "1.50");
  EXPECT_EQ(fixed_seconds(0.0004, 3), "0.000");
  EXPECT_EQ(fixed_seconds(0.0006, 3), "0.001");
  EXPECT_EQ(fixed_seconds(2.999, 2), "3.00");
  EXPECT_EQ(fixed_seconds(1234.5678, 3), "1234.568");
}

TEST(FixedSeconds, NegativeAndNonFiniteValuesReadAsZero) {
  EXPECT_EQ(fixed_seconds(-0.5, 2), "0.00");
  EXPECT_EQ(fixed_seconds(std::numeric_limits<double>::quiet_NaN(), 3), "0.000");
  EXPECT_EQ(fixed_seconds(std::numeric_limits<double>::infinity(), 2), "0.00");
}

TEST(FixedSeconds, TheLargestDoubleFits) {
  const std::string text = fixed_seconds(std::numeric_limits<double>::max(), 3);
  EXPECT_EQ(text.size(), 309u + 4u);
  EXPECT_EQ(text.substr(text.size() - 4), ".000");
}

}  // namespace
}  // namespace fanout::launcher::report
