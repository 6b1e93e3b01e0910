#include "launcher/ctest_command.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanout::launcher {
namespace {

using Args = std::vector<std::string>;

bool splittable(const Args& args, const std::vector<collector::EnvVar>& environment = {}) {
  return leaves_selection_to_binary(args, environment);
}

TEST(LeavesSelectionToBinary, NoArgumentsLeaveItToTheBinary) {
  EXPECT_TRUE(splittable({}));
}

TEST(LeavesSelectionToBinary, OptionsThatDoNotSelectLeaveItToTheBinary) {
  EXPECT_TRUE(splittable({"--gtest_color=no", "--gtest_brief=1"}));
  EXPECT_TRUE(splittable({"--verbose", "-q"}));
  EXPECT_TRUE(splittable({"-s", "--durations=yes"}));
}

TEST(LeavesSelectionToBinary, GoogleTestSelectionsRunWhole) {
  EXPECT_FALSE(splittable({"--gtest_filter=Math.*"}));
  EXPECT_FALSE(splittable({"--gtest_filter", "Math.*"}));
  EXPECT_FALSE(splittable({"--gtest_also_run_disabled_tests"}));
  EXPECT_FALSE(splittable({"--gtest_color=no", "--gtest_output=xml:out.xml"}));
  EXPECT_FALSE(splittable({"--gtest_repeat=3"}));
}

TEST(LeavesSelectionToBinary, Catch2SpecsAndReportersRunWhole) {
  EXPECT_FALSE(splittable({"[fast]"}));
  EXPECT_FALSE(splittable({"adds\\, quickly"}));
  EXPECT_FALSE(splittable({"--reporter=xml"}));
  EXPECT_FALSE(splittable({"-r", "xml"}));
  EXPECT_FALSE(splittable({"--shard-index=1"}));
}

TEST(LeavesSelectionToBinary, DoctestFiltersRunWholeInEverySpelling) {
  EXPECT_FALSE(splittable({"-tc=add*"}));
  EXPECT_FALSE(splittable({"--test-case=add works"}));
  EXPECT_FALSE(splittable({"--test-suite=math"}));
  EXPECT_FALSE(splittable({"--dt-test-case=add*"}));
  EXPECT_FALSE(splittable({"-dt-ts=math"}));
  EXPECT_TRUE(splittable({"--dt-duration=true"}));
}

TEST(LeavesSelectionToBinary, BoostTestSelectionsRunWhole) {
  EXPECT_FALSE(splittable({"--run_test=suite/case"}));
  EXPECT_FALSE(splittable({"--log_sink=out.xml"}));
}

TEST(LeavesSelectionToBinary, PositionalEmptyAndDashArgumentsRunWhole) {
  EXPECT_FALSE(splittable({"input.txt"}));
  EXPECT_FALSE(splittable({"--verbose", "/path/to/wrapped/binary"}));
  EXPECT_FALSE(splittable({""}));
  EXPECT_FALSE(splittable({"-"}));
}

TEST(LeavesSelectionToBinary, SelectingEnvironmentRunsWhole) {
  EXPECT_FALSE(splittable({}, {{"GTEST_FILTER", "Math.*"}}));
  EXPECT_FALSE(splittable({}, {{"GTEST_SHARD_INDEX", "0"}, {"GTEST_TOTAL_SHARDS", "2"}}));
  EXPECT_TRUE(splittable({}, {{"FOO", "1"}, {"GTEST_COLOR", "no"}}));
}

}  // namespace
}  // namespace fanout::launcher
