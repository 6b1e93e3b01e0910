#include "transport/launch_plan.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "transport/temporary_directory.hpp"

namespace fanout::transport {
namespace {

namespace fs = std::filesystem;

fs::path write_file(const fs::path& path, fs::perms perms) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << "#!/bin/sh\n";
  fs::permissions(path, perms);
  return path;
}

constexpr auto executable = fs::perms::owner_all;
constexpr auto not_executable = fs::perms::owner_read | fs::perms::owner_write;

TEST(MergeEnvironment, OverridesReplaceInheritedValuesAndNewNamesFollow) {
  const char* inherited[] = {"A=1", "PATH=/bin", "B=2", nullptr};
  const auto merged =
      merge_environment(inherited, {{"PATH", "/opt/bin"}, {"C", "3"}, {"A", "x=y"}});
  EXPECT_EQ(merged, (std::vector<std::string>{"A=x=y", "PATH=/opt/bin", "B=2", "C=3"}));
}

TEST(MergeEnvironment, LaterOverrideOfTheSameNameWins) {
  const char* inherited[] = {nullptr};
  const auto merged = merge_environment(inherited, {{"X", "1"}, {"X", "2"}});
  EXPECT_EQ(merged, (std::vector<std::string>{"X=2"}));
}

TEST(MergeEnvironment, UnsetNamesAreDroppedWholeAndMaySetAgain) {
  const char* inherited[] = {"A=1", "AB=2", "B=3", "C=4", nullptr};
  const auto merged = merge_environment(inherited, {{"C", "new"}}, {"A", "C", "MISSING"});
  EXPECT_EQ(merged, (std::vector<std::string>{"AB=2", "B=3", "C=new"}));
}

TEST(FindVariable, MatchesWholeNamesOnly) {
  const std::vector<std::string> environment{"PATHX=/no", "PATH=/yes", "EMPTY="};
  EXPECT_EQ(find_variable(environment, "PATH"), "/yes");
  EXPECT_EQ(find_variable(environment, "EMPTY"), "");
  EXPECT_EQ(find_variable(environment, "PAT"), std::nullopt);
}

TEST(FindInPath, SkipsMissingAndNonExecutableEntries) {
  const TemporaryDirectory dir("fanout-plan-");
  write_file(dir.path() / "first" / "tool", not_executable);
  const auto wanted = write_file(dir.path() / "second" / "tool", executable);
  const std::string search = "/nonexistent-fanout:" + (dir.path() / "first").string() + ":" +
                             (dir.path() / "second").string();
  EXPECT_EQ(find_in_path("tool", search), wanted);
  EXPECT_EQ(find_in_path("other", search), std::nullopt);
}

TEST(FindInPath, SkipsDirectories) {
  const TemporaryDirectory dir("fanout-plan-");
  fs::create_directories(dir.path() / "a" / "tool");
  EXPECT_EQ(find_in_path("tool", (dir.path() / "a").string()), std::nullopt);
}

TEST(PlanLaunch, LooksUpBareNamesInTheOverriddenPath) {
  const TemporaryDirectory dir("fanout-plan-");
  const auto tool = write_file(dir.path() / "tool", executable);
  const char* inherited[] = {"PATH=/nonexistent-fanout", nullptr};
  ProcessSpec spec{{"tool", "--flag"}};
  spec.environment = {{"PATH", dir.path().string()}};
  std::string error;
  const auto plan = plan_launch(spec, inherited, error);
  ASSERT_TRUE(plan) << error;
  EXPECT_EQ(plan->executable, tool);
  EXPECT_EQ(plan->argv, (std::vector<std::string>{"tool", "--flag"}));
  EXPECT_EQ(find_variable(plan->environment, "PATH"), dir.path().string());
}

TEST(PlanLaunch, UnsetVariablesAreNotInTheEnvironment) {
  const char* inherited[] = {"KEEP=1", "DROP=2", nullptr};
  ProcessSpec spec{{"/bin/sh"}};
  spec.unset_environment = {"DROP"};
  std::string error;
  const auto plan = plan_launch(spec, inherited, error);
  ASSERT_TRUE(plan) << error;
  EXPECT_EQ(plan->environment, (std::vector<std::string>{"KEEP=1"}));
}

TEST(PlanLaunch, NameNotInPathIsAnErrorNamingIt) {
  const char* inherited[] = {"PATH=/nonexistent-fanout", nullptr};
  std::string error;
  EXPECT_FALSE(plan_launch(ProcessSpec{{"sh"}}, inherited, error));
  EXPECT_NE(error.find("'sh'"), std::string::npos) << error;
  EXPECT_NE(error.find(std::strerror(ENOENT)), std::string::npos) << error;
}

TEST(PlanLaunch, RelativePathIsResolvedAgainstTheLauncherDirectory) {
  const char* inherited[] = {nullptr};
  std::string error;
  const auto plan = plan_launch(ProcessSpec{{"./bin/test"}}, inherited, error);
  ASSERT_TRUE(plan) << error;
  EXPECT_EQ(plan->executable, fs::current_path() / "./bin/test");
  EXPECT_EQ(plan->argv.front(), "./bin/test");
}

TEST(PlanLaunch, WorkingDirectoryMustBeADirectory) {
  const TemporaryDirectory dir("fanout-plan-");
  const auto file = write_file(dir.path() / "file", not_executable);
  const char* inherited[] = {nullptr};
  ProcessSpec spec{{"/bin/sh"}};
  spec.working_directory = file;
  std::string error;
  EXPECT_FALSE(plan_launch(spec, inherited, error));
  EXPECT_NE(error.find(file.string()), std::string::npos) << error;
  EXPECT_NE(error.find(std::strerror(ENOTDIR)), std::string::npos) << error;
}

TEST(PlanLaunch, EmptyArgvIsAnError) {
  const char* inherited[] = {nullptr};
  std::string error;
  EXPECT_FALSE(plan_launch(ProcessSpec{}, inherited, error));
  EXPECT_FALSE(error.empty());
}

TEST(CStringArray, EndsWithNullptr) {
  const std::vector<std::string> strings{"a", "bc"};
  const auto array = c_string_array(strings);
  ASSERT_EQ(array.size(), 3u);
  EXPECT_STREQ(array[0], "a");
  EXPECT_STREQ(array[1], "bc");
  EXPECT_EQ(array[2], nullptr);
}

}  // namespace
}  // namespace fanout::transport
