// Tests that share state through the process: Counter.SawTheOthers passes only when both
// Counter.First and Counter.Second ran before it in the same process.

#include <gtest/gtest.h>

namespace {
int runs = 0;
}

TEST(Counter, First) {
  ++runs;
}

TEST(Counter, Second) {
  ++runs;
}

TEST(Counter, SawTheOthers) {
  EXPECT_EQ(runs, 2) << "shared_state: the other tests did not run in this process";
}
