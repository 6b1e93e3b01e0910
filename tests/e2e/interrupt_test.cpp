// Ctrl-C: fanout stops soon, exits 2, writes the report of what finished and leaves nothing.

#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/e2e/run_checks.hpp"
#include "tests/e2e/spawned_command.hpp"

namespace fanout::e2e {
namespace {

constexpr int kInterrupted = 2;

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
