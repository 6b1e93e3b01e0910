// The basic outcomes of GoogleTest items, end to end: JUnit, exit code, closing line.

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Outcomes, PassFailAndSkipAreReportedPerItem) {
  const ManifestDir dir({fixture_target("gtest_outcomes")});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();

  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_outcomes/Outcomes.Pass"), "passed") << item_ids(run);

  const JunitCase* fail = run.item("gtest_outcomes/Outcomes.Fail");
  ASSERT_NE(fail, nullptr) << item_ids(run);
  EXPECT_EQ(fail->status, "failure");
  EXPECT_EQ(fail->type, "failed");
  EXPECT_TRUE(contains(fail->message + fail->details + fail->system_out, "fixture failure marker"))
      << run.diagnostics();

  const JunitCase* skip = run.item("gtest_outcomes/Outcomes.Skip");
  ASSERT_NE(skip, nullptr) << item_ids(run);
  EXPECT_EQ(skip->status, "skipped");
  EXPECT_TRUE(contains(skip->message, "fixture skip reason")) << run.diagnostics();

  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{1, 1, 1})) << run.diagnostics();
}

TEST(Outcomes, TerminalShowsTheOutputOfFailures) {
  const ManifestDir dir({fixture_target("gtest_outcomes")});
  const FanoutRun run = run_clean(dir, {});
  EXPECT_TRUE(contains(run.command.output, "fixture failure marker")) << run.diagnostics();
}

TEST(Outcomes, AllPassedExitsZeroAndManifestEnvironmentReachesTheTest) {
  // Env.HasToken passes only when the manifest's FANOUT_E2E_TOKEN reached the test process, which
  // is also what every leftover check relies on.
  const ManifestDir dir({fixture_target("gtest_env")});
  const FanoutRun run = run_clean(dir, {});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_env/Env.HasToken"), "passed") << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{1, 0, 0})) << run.diagnostics();
}

TEST(Outcomes, SeveralTargetsEachGetTheirTestsuite) {
  const ManifestDir dir({fixture_target("gtest_outcomes"), fixture_target("gtest_env")});
  const FanoutRun run = run_clean(dir, {"-j", "2"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  const auto& suites = run.junit->suites;
  EXPECT_EQ(std::count(suites.begin(), suites.end(), "gtest_outcomes"), 1) << run.diagnostics();
  EXPECT_EQ(std::count(suites.begin(), suites.end(), "gtest_env"), 1) << run.diagnostics();
  EXPECT_EQ(run.junit->cases.size(), 4u) << item_ids(run);
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{2, 1, 1})) << run.diagnostics();
}

}  // namespace
}  // namespace fanout::e2e
