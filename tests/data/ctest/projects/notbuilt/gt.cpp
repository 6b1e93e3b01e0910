#include <gtest/gtest.h>
TEST(Math, Add) { EXPECT_EQ(2, 1 + 1); }
TEST(Math, DISABLED_Later) { FAIL(); }
TEST(Math, Skipped) { GTEST_SKIP() << "not today"; }
class Param : public ::testing::TestWithParam<int> {};
TEST_P(Param, Positive) { EXPECT_GT(GetParam(), 0); }
INSTANTIATE_TEST_SUITE_P(Small, Param, ::testing::Values(1, 2));
