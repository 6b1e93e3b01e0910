// Ctrl-C: fanout stops soon, exits 2, writes the report of what finished and leaves nothing.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
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

}  // namespace
}  // namespace fanout::e2e
