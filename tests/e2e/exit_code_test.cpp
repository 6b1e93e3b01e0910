// Exit codes for runs that go wrong before any test runs: usage errors and empty runs.

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/e2e/probe_log.hpp"
#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

constexpr int kUsageError = 4;
constexpr int kNoTests = 5;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ExitCodes, UnknownOptionIsAUsageErrorNamingTheOption) {
  const ManifestDir dir({fixture_target("gtest_env")});
  const FanoutRun run = run_fanout(dir, {"--no-such-option"});
  EXPECT_EQ(run.command.exit_code, kUsageError) << run.diagnostics();
  EXPECT_TRUE(contains(run.command.output, "--no-such-option")) << run.command.output;
  EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
}

TEST(ExitCodes, AJunitFileThatCannotBeWrittenIsAUsageErrorBeforeAnythingRuns) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  std::filesystem::create_directories(dir.junit_path());  // a directory where the file should go
  const CommandResult run = run_command(fanout_argv(dir, {"-R", R"(Verdict\.A$)"}), dir.path());
  EXPECT_EQ(run.exit_code, kUsageError) << run.output;
  EXPECT_TRUE(contains(run.output, "--junit: cannot write " + dir.junit_path().string()))
      << run.output;
  EXPECT_TRUE(log.runs().empty()) << "a test ran although its report could not be written\n"
                                  << log.text();
}

TEST(ExitCodes, BadJobsValueIsAUsageError) {
  const ManifestDir dir({fixture_target("gtest_env")});
  const FanoutRun run = run_fanout(dir, {"-j", "lots"});
  EXPECT_EQ(run.command.exit_code, kUsageError) << run.diagnostics();
}

TEST(ExitCodes, MalformedIndexIsAUsageErrorNamingTheFile) {
  const ManifestDir dir({fixture_target("gtest_env")});
  dir.write_file(".fanout/manifest.json", "{\"version\": 1, \"targets\": [");
  const FanoutRun run = run_fanout(dir, {});
  EXPECT_EQ(run.command.exit_code, kUsageError) << run.diagnostics();
  EXPECT_TRUE(contains(run.command.output, "manifest.json")) << run.command.output;
}

TEST(ExitCodes, MalformedTargetFileIsAUsageErrorNamingTheFile) {
  const ManifestDir dir({fixture_target("gtest_env")});
  dir.write_file(".fanout/targets/gtest_env.json", "[1, 2");
  const FanoutRun run = run_fanout(dir, {});
  EXPECT_EQ(run.command.exit_code, kUsageError) << run.diagnostics();
  EXPECT_TRUE(contains(run.command.output, "gtest_env.json")) << run.command.output;
}

TEST(ExitCodes, TargetFileWithoutExecutableIsAUsageError) {
  const ManifestDir dir({fixture_target("gtest_env")});
  dir.write_file(".fanout/targets/gtest_env.json",
                 R"({"name": "gtest_env", "framework": "gtest"})");
  const FanoutRun run = run_fanout(dir, {});
  EXPECT_EQ(run.command.exit_code, kUsageError) << run.diagnostics();
}

TEST(ExitCodes, UnsupportedManifestVersionIsAUsageError) {
  const ManifestDir dir({fixture_target("gtest_env")});
  dir.write_file(".fanout/manifest.json",
                 R"({"version": 99, "targets": ["gtest_env"], "fixtures": []})");
  const FanoutRun run = run_fanout(dir, {});
  EXPECT_EQ(run.command.exit_code, kUsageError) << run.diagnostics();
}

TEST(ExitCodes, DirectoryWithoutManifestIsAUsageError) {
  const ManifestDir dir({});
  std::filesystem::remove_all(dir.path() / ".fanout");
  const FanoutRun run = run_fanout(dir, {});
  EXPECT_EQ(run.command.exit_code, kUsageError) << run.diagnostics();
  EXPECT_TRUE(contains(run.command.output, dir.path().string())) << run.command.output;
}

TEST(ExitCodes, ManifestWithoutTargetsMeansNoTestsCollected) {
  const ManifestDir dir({});
  const FanoutRun run = run_fanout(dir, {});
  EXPECT_EQ(run.command.exit_code, kNoTests) << run.diagnostics();
}

}  // namespace
}  // namespace fanout::e2e
