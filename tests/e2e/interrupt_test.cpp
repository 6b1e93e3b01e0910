// Ctrl-C: fanout stops soon, exits 2, writes the report of what finished and leaves nothing.

#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/e2e/probe_log.hpp"
#include "tests/e2e/run_checks.hpp"
#include "tests/e2e/spawned_command.hpp"

namespace fanout::e2e {
namespace {

constexpr int kInterrupted = 2;

/// Whether `condition` became true within `timeout`, asking every 20 ms.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

TEST(Interrupt, SigintStopsTheRunAndKeepsFinishedResults) {
  const ManifestDir dir({fixture_target("gtest_outcomes"), fixture_target("gtest_hang")});
  SpawnedCommand fanout(fanout_argv(dir, {"--timeout", "600", "-j", "2"}), dir.path());
  // Once gtest_outcomes has been reported, Hang.SleepsForever is the only thing left.
  ASSERT_TRUE(fanout.wait_for_output("Outcomes.Fail", std::chrono::seconds(20))) << fanout.output();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto interrupted_at = std::chrono::steady_clock::now();
  fanout.send(SIGINT);
  const FanoutRun run = collect_run(dir, fanout.wait(std::chrono::seconds(10)));
  const double seconds_after_sigint =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - interrupted_at).count();

  expect_clean(run);
  EXPECT_EQ(run.command.exit_code, kInterrupted) << run.diagnostics();
  EXPECT_LT(seconds_after_sigint, 5.0) << run.diagnostics();
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_outcomes/Outcomes.Pass"), "passed") << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_outcomes/Outcomes.Fail"), "failure") << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_outcomes/Outcomes.Skip"), "skipped") << run.diagnostics();
  EXPECT_NE(status_of(run, "gtest_hang/Hang.SleepsForever"), "passed") << run.diagnostics();
}

TEST(Interrupt, SigtermAndSighupStopTheRunAsSigintDoes) {
  for (const int signal : {SIGTERM, SIGHUP}) {
    const ManifestDir dir({fixture_target("gtest_outcomes"), fixture_target("gtest_hang")});
    SpawnedCommand fanout(fanout_argv(dir, {"--timeout", "600", "-j", "2"}), dir.path());
    ASSERT_TRUE(fanout.wait_for_output("Outcomes.Fail", std::chrono::seconds(20)))
        << fanout.output();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    fanout.send(signal);
    const FanoutRun run = collect_run(dir, fanout.wait(std::chrono::seconds(10)));
    expect_clean(run);
    EXPECT_EQ(run.command.exit_code, kInterrupted) << strsignal(signal) << "\n"
                                                   << run.diagnostics();
    ASSERT_TRUE(run.junit) << run.diagnostics();
    EXPECT_EQ(status_of(run, "gtest_outcomes/Outcomes.Pass"), "passed") << run.diagnostics();
    EXPECT_NE(status_of(run, "gtest_hang/Hang.SleepsForever"), "passed") << run.diagnostics();
  }
}

TEST(Interrupt, AReaderOfTheOutputGoingAwayStopsTheRunAndTheReportIsWritten) {
  const ProbeLog log;
  const ManifestDir dir(
      {probe_target("probe", log, {"FANOUT_E2E_SLEEP_MS=300"}), fixture_target("gtest_hang")});
  // `fanout | head -c 1`: head leaves after the first byte; fanout's next write finds no reader.
  std::vector<std::string> argv{"/bin/bash", "-c",
                                R"(set -o pipefail; "$@" | head -c 1 >/dev/null; exit $?)", "bash"};
  for (const auto& arg :
       fanout_argv(dir, {"--timeout", "600", "-j", "2", "--isolate", "-R", R"(Sleepy\.|Hang\.)"})) {
    argv.push_back(arg);
  }
  const auto started = std::chrono::steady_clock::now();
  const FanoutRun run = collect_run(dir, run_command(argv, dir.path(), std::chrono::seconds(60)));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  expect_clean(run);
  EXPECT_EQ(run.command.exit_code, kInterrupted) << run.diagnostics();
  EXPECT_LT(seconds, 30.0) << "fanout went on after its reader left\n" << run.diagnostics();
  ASSERT_TRUE(run.junit) << run.diagnostics();
  int passed = 0;
  for (const auto& [id, test_case] : run.junit->cases) passed += test_case.status == "passed";
  EXPECT_GE(passed, 1) << "the item printed before the reader left is not in the report\n"
                       << run.diagnostics();
  EXPECT_NE(status_of(run, "gtest_hang/Hang.SleepsForever"), "passed") << run.diagnostics();
}

TEST(Interrupt, ASighupIgnoredWhenFanoutStartedStaysIgnored) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log, {"FANOUT_E2E_SLEEP_MS=300"})});
  // As `nohup fanout ...` starts it: SIGHUP ignored.
  std::vector<std::string> argv{"/bin/sh", "-c", R"(trap '' HUP; exec "$@")", "sh"};
  for (const auto& arg : fanout_argv(dir, {"-j", "1", "--isolate", "-R", R"(Sleepy\.[A-D]$)"})) {
    argv.push_back(arg);
  }
  SpawnedCommand fanout(argv, dir.path());
  ASSERT_TRUE(fanout.wait_for_output("Sleepy.", std::chrono::seconds(20))) << fanout.output();
  fanout.send(SIGHUP);
  const FanoutRun run = collect_run(dir, fanout.wait(std::chrono::seconds(30)));
  expect_clean(run);
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{4, 0, 0})) << run.diagnostics();
}

TEST(Interrupt, MoreWritesToAReaderThatLeftDoNotCutTheCleanupsShort) {
  const ProbeLog log;
  TargetSpec probe = probe_target("probe", log, {"FANOUT_E2E_SLEEP_MS=300"});
  probe.fixtures_required = {"slow_cleanup"};
  const FixtureSpec slow_cleanup{
      "slow_cleanup",
      {"/bin/true"},
      {"/bin/sh", "-c", "echo started > cleaning; sleep 1; echo > cleaned"}};
  const ManifestDir dir({probe}, {slow_cleanup});
  SpawnedCommand fanout(
      fanout_argv(dir, {"--timeout", "600", "-j", "1", "--isolate", "-R", R"(Sleepy\.)"}),
      dir.path());
  ASSERT_TRUE(fanout.wait_for_output("Sleepy.", std::chrono::seconds(20))) << fanout.output();
  // The reader left: the first write raises SIGPIPE, and so does every later one, on any stream.
  fanout.send(SIGPIPE);
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(dir.path() / "cleaning"); },
                         std::chrono::seconds(20)))
      << fanout.output();
  fanout.send(SIGPIPE);
  const FanoutRun run = collect_run(dir, fanout.wait(std::chrono::seconds(20)));
  expect_clean(run);
  EXPECT_EQ(run.command.exit_code, kInterrupted) << run.diagnostics();
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "cleaned"))
      << "the second SIGPIPE killed the fixture's cleanup, as a second Ctrl-C does\n"
      << run.diagnostics();
  EXPECT_TRUE(run.junit) << run.diagnostics();
}

TEST(Interrupt, ASecondSigintStopsWaitingForCleanupsYetWritesTheReport) {
  TargetSpec hang = fixture_target("gtest_hang");
  hang.fixtures_required = {"slow"};
  const FixtureSpec slow{
      "slow", {"/bin/true"}, {"/bin/sh", "-c", "echo $$ > cleanup.pid; exec sleep 60"}};
  const ManifestDir dir({fixture_target("gtest_outcomes"), hang}, {slow});
  SpawnedCommand fanout(fanout_argv(dir, {"--timeout", "600", "-j", "2"}), dir.path());
  ASSERT_TRUE(fanout.wait_for_output("Outcomes.Fail", std::chrono::seconds(20))) << fanout.output();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  fanout.send(SIGINT);
  // The first Ctrl-C stops the hanging item and starts the fixture's cleanup, which takes a minute.
  const std::filesystem::path pid_file = dir.path() / "cleanup.pid";
  pid_t cleanup = 0;
  ASSERT_TRUE(eventually([&] { return (std::ifstream(pid_file) >> cleanup) && cleanup > 0; },
                         std::chrono::seconds(20)))
      << fanout.output();
  const auto second_at = std::chrono::steady_clock::now();
  fanout.send(SIGINT);
  const FanoutRun run = collect_run(dir, fanout.wait(std::chrono::seconds(20)));
  const double seconds_after_second =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - second_at).count();

  expect_clean(run);
  EXPECT_EQ(run.command.exit_code, kInterrupted) << run.diagnostics();
  EXPECT_LT(seconds_after_second, 5.0) << run.diagnostics();
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_outcomes/Outcomes.Pass"), "passed") << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_outcomes/Outcomes.Fail"), "failure") << run.diagnostics();
  EXPECT_TRUE(eventually([&] { return ::kill(cleanup, 0) == -1 && errno == ESRCH; },
                         std::chrono::seconds(5)))
      << "the cleanup outlived the run";
}

}  // namespace
}  // namespace fanout::e2e
