// A GoogleTest binary whose main() fails whenever it is asked to list its tests (or to select
// or report them), and runs all of them when started without arguments.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

TEST(Plain, Passes) {
  EXPECT_TRUE(true);
}

TEST(Plain, AlsoPasses) {
  EXPECT_EQ(1 + 1, 2);
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--gtest_", 8) == 0) {
      std::fprintf(stderr, "no_listing: refusing %s\n", argv[i]);
      return 3;
    }
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
