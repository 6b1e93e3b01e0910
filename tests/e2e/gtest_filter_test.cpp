// The --gtest_filter of a batch: a suite a batch holds whole is named `Suite.*`, which must run
// exactly the items listed, no more (a filter of the user's own narrows the listing) and none
// twice (a crash sends the rest of a suite to a later batch).

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "tests/e2e/probe_log.hpp"
#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

std::map<std::string, int> begins_per_item(const std::vector<ProbeRun>& runs) {
  std::map<std::string, int> begins;
  for (const auto& run : runs) ++begins[run.id()];
  return begins;
}

TEST(GTestFilters, AWholeBinaryRunBeginsEveryListedItemOnceAndNothingElse) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log, {"FANOUT_E2E_SLEEP_MS=1"})});
  const FanoutRun run = run_clean(dir, {"-j", "2"});
  ASSERT_TRUE(run.junit) << run.junit_error << run.diagnostics();

  std::map<std::string, int> expected;
  for (const auto& [id, junit_case] : run.junit->cases) expected[id] = 1;
  ASSERT_GT(expected.size(), 200u) << run.diagnostics();
  EXPECT_EQ(begins_per_item(log.runs()), expected) << run.diagnostics() << describe(log.runs());
  const JunitCase* crashed = run.junit->find("probe/Crash.Segfaults");
  ASSERT_NE(crashed, nullptr);
  EXPECT_EQ(crashed->status, "error");
  const JunitCase* after = run.junit->find("probe/Crash.After3");
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->status, "passed");
}

TEST(GTestFilters, ASuiteTheUsersFilterNarrowedRunsOnlyItsListedItems) {
  const ProbeLog log;
  const ManifestDir dir(
      {probe_target("probe", log, {"GTEST_FILTER=Verdict.*:Durations.Short-Verdict.B"})});
  const FanoutRun run = run_clean(dir, {"-j", "2"});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{8, 0, 0})) << run.diagnostics();

  const std::map<std::string, int> expected = {
      {"probe/Durations.Short", 1}, {"probe/Verdict.A", 1}, {"probe/Verdict.C", 1},
      {"probe/Verdict.D", 1},       {"probe/Verdict.E", 1}, {"probe/Verdict.F", 1},
      {"probe/Verdict.G", 1},       {"probe/Verdict.H", 1}};
  EXPECT_EQ(begins_per_item(log.runs()), expected) << describe(log.runs());
}

}  // namespace
}  // namespace fanout::e2e
