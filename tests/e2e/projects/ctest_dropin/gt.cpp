// GoogleTest cases of the ctest_dropin project: one passes, one skips, one fails only when
// GT_FAIL is set.

#include <gtest/gtest.h>

#include <cstdlib>

TEST(Math, Adds) {
  EXPECT_EQ(2 + 2, 4);
}

TEST(Math, Skips) {
  GTEST_SKIP() << "dropin skip reason";
}

TEST(Env, FailsOnRequest) {
  EXPECT_EQ(std::getenv("GT_FAIL"), nullptr) << "dropin failure: GT_FAIL is set";
}
