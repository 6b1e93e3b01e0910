// Items that do not end by themselves, and processes that try to outlive their test.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>

#include "tests/e2e/probe_log.hpp"
#include "tests/e2e/run_checks.hpp"
#include "tests/e2e/spawned_command.hpp"

namespace fanout::e2e {
namespace {

// Generous bounds: the hang fixtures are cut after 1-2 s, the grandchild sleeps 60 s.
constexpr double kHangRunBound = 30;

void expect_hang_timed_out(const FanoutRun& run) {
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  EXPECT_LT(run.command.seconds, kHangRunBound) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_hang/Hang.Passes"), "passed") << run.diagnostics();
  const JunitCase* hang = run.item("gtest_hang/Hang.SleepsForever");
  ASSERT_NE(hang, nullptr) << item_ids(run);
  EXPECT_EQ(hang->status, "error");
  EXPECT_EQ(hang->type, "timeout");
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{1, 1, 0})) << run.diagnostics();
}

TEST(Timeouts, CommandLineTimeoutEndsAHangingItem) {
  const ManifestDir dir({fixture_target("gtest_hang")});
  expect_hang_timed_out(run_clean(dir, {"--timeout", "2"}));
}

TEST(Timeouts, ManifestTimeoutWinsOverTheCommandLineDefault) {
  const ManifestDir dir({fixture_target("gtest_hang", 1)});
  expect_hang_timed_out(run_clean(dir, {"--timeout", "600"}));
}

TEST(Timeouts, ATimeoutNoTimerCanHoldMeansNoTimeoutRatherThanAnInstantOne) {
  const ProbeLog log;
  TargetSpec probe = probe_target("probe", log, {"FANOUT_E2E_SLEEP_MS=200"});
  probe.timeout = 1e10;  // ~317 years: more nanoseconds than a 64-bit clock counts
  const ManifestDir dir({probe});
  const FanoutRun run = run_clean(dir, {"-j", "1", "-R", R"(Sleepy\.A$)"});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(status_of(run, "probe/Sleepy.A"), "passed") << run.diagnostics();
}

TEST(Timeouts, TheTimeoutIsPerItemSoABatchMayOutlastIt) {
  const ProbeLog log;
  const std::vector<std::string> sleepy = {"-j", "1", "--timeout", "1", "-R", R"(Sleepy\.[A-E]$)"};
  // A first run with naps of 1 ms teaches history that these items are tiny...
  const ManifestDir quick({probe_target("probe", log, {"FANOUT_E2E_SLEEP_MS=1"})});
  ASSERT_EQ(run_clean(quick, sleepy).command.exit_code, 0);
  // ...so the second, with naps of 400 ms, runs them in few processes: one of at least three
  // items outlasts the 1 s timeout, yet no item does.
  const ManifestDir slow({probe_target("probe", log, {"FANOUT_E2E_SLEEP_MS=400"})});
  std::filesystem::create_directories(slow.path() / ".fanout");
  std::filesystem::copy_file(quick.path() / ".fanout" / "history.json",
                             slow.path() / ".fanout" / "history.json");
  log.clear();
  const FanoutRun run = run_clean(slow, sleepy);
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{5, 0, 0})) << run.diagnostics();
  const auto runs = log.runs();
  ASSERT_EQ(runs.size(), 5u) << log.text();
  std::map<pid_t, int> items_per_process;
  for (const ProbeRun& item : runs) ++items_per_process[item.pid];
  int most = 0;
  for (const auto& [pid, count] : items_per_process) most = std::max(most, count);
  EXPECT_GE(most, 3) << describe(runs);
}

TEST(Processes, ForkedSleeperDoesNotDelayTheRunAndIsKilled) {
  const ManifestDir dir({fixture_target("gtest_grandchild", 30)});
  const FanoutRun run = run_clean(dir, {});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_grandchild/Grandchild.LeavesSleeper"), "passed")
      << run.diagnostics();
  EXPECT_LT(run.command.seconds, kHangRunBound) << run.diagnostics();
}

TEST(Processes, TestsReadAnEmptyStdinEvenWhenFanoutsStdinStaysOpen) {
  // A test that inherited fanout's stdin (a pipe nobody closes) would block until its timeout.
  const ManifestDir dir({fixture_target("gtest_stdin", 5)});
  SpawnedCommand fanout(fanout_argv(dir, {}), dir.path(), /*keep_stdin_open=*/true);
  const FanoutRun run = collect_run(dir, fanout.wait(std::chrono::seconds(60)));
  expect_clean(run);
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_stdin/Stdin.IsEmpty"), "passed") << run.diagnostics();
}

}  // namespace
}  // namespace fanout::e2e
