// Targets whose items cannot be listed: the run reports them, naming the binary, and still runs
// every other target.

#include <gtest/gtest.h>

#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

constexpr double kRunBound = 20;  // seconds; a hanging listing is given 2 s

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Runs `broken` beside the passing gtest_env target and checks how it is reported.
void expect_reported_beside_a_good_target(const TargetSpec& broken,
                                          const std::vector<std::string>& args = {}) {
  const std::string binary = broken.executable.filename().string();
  const ManifestDir dir({broken, fixture_target("gtest_env")});
  const FanoutRun run = run_clean(dir, args);
  ASSERT_TRUE(run.junit) << run.diagnostics();

  EXPECT_NE(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_LT(run.command.seconds, kRunBound) << run.diagnostics();
  EXPECT_TRUE(contains(run.command.output, binary)) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_env/Env.HasToken"), "passed") << run.diagnostics();

  const auto cases = run.junit->in_suite(broken.name);
  ASSERT_FALSE(cases.empty()) << "no testsuite for " << broken.name << "\n" << run.diagnostics();
  bool named = false;
  for (const JunitCase* test_case : cases) {
    EXPECT_EQ(test_case->status, "error") << test_case->name;
    named = named || contains(test_case->message, binary);
  }
  EXPECT_TRUE(named) << "no <error> message names " << binary << "\n" << run.diagnostics();

  const auto summary = parse_summary_line(run.last_line);
  ASSERT_TRUE(summary) << run.diagnostics();
  EXPECT_EQ(summary->passed, 1);
}

TEST(BrokenTargets, MissingBinary) {
  TargetSpec ghost = fixture_target("no_such_fixture_binary");
  ghost.name = "ghost";
  expect_reported_beside_a_good_target(ghost);
}

TEST(BrokenTargets, ListingThatHangs) {
  expect_reported_beside_a_good_target(fixture_target("list_hang"), {"--list-timeout", "2"});
}

TEST(BrokenTargets, ListingThatIsNotGoogleTest) {
  expect_reported_beside_a_good_target(fixture_target("list_garbage"));
}

}  // namespace
}  // namespace fanout::e2e
