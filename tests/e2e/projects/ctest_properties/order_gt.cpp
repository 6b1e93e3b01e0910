// Three GoogleTest cases that log their start and end to $ORDER_LOG, taking a moment each. The
// binary refuses to run (and so to list its tests) when ORDER_FORBIDDEN is set.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

namespace {

void log_line(const std::string& line) {
  const char* path = std::getenv("ORDER_LOG");
  ASSERT_NE(path, nullptr) << "ORDER_LOG is not set";
  std::ofstream(path, std::ios::app) << line + "\n" << std::flush;
}

void step(const std::string& name) {
  log_line("start gt_split/" + name);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  log_line("end gt_split/" + name);
}

TEST(Order, One) {
  step("Order.One");
}
TEST(Order, Two) {
  step("Order.Two");
}
TEST(Order, Three) {
  step("Order.Three");
}

}  // namespace

int main(int argc, char** argv) {
  if (std::getenv("ORDER_FORBIDDEN") != nullptr) {
    std::puts("order_gt: ORDER_FORBIDDEN is set");
    return 3;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
