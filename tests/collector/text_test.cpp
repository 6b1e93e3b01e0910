// Message helpers.

#include "collector/text.hpp"

#include <gtest/gtest.h>

namespace fanout::collector {
namespace {

TEST(FormatSeconds, DropsTrailingZeros) {
  EXPECT_EQ(format_seconds(30), "30");
  EXPECT_EQ(format_seconds(0.5), "0.5");
  EXPECT_EQ(format_seconds(1.25), "1.25");
  EXPECT_EQ(format_seconds(0.0004), "0");
  EXPECT_EQ(format_seconds(120.1234), "120.123");
}

TEST(QuoteLastLines, KeepsTheLastNonEmptyLinesIndented) {
  EXPECT_EQ(quote_last_lines("a\nb\n\n  \nc\nd\n\n", 3), "  b\n  c\n  d");
  EXPECT_EQ(quote_last_lines("only\r\n", 5), "  only");
  EXPECT_EQ(quote_last_lines("\n\n", 5), "");
  EXPECT_EQ(quote_last_lines("abcdefgh\n", 1, 4), "  abcd...");
}

TEST(Shorten, CutsOnlyWhatIsTooLong) {
  EXPECT_EQ(shorten("abc", 3), "abc");
  EXPECT_EQ(shorten("abcd", 3), "abc...");
}

}  // namespace
}  // namespace fanout::collector
