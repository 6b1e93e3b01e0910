// Items that end their process: a signal, abort(), a premature exit(0). The item that was running
// gets the blame; the finished siblings keep their results and the unfinished ones still run.

#include <gtest/gtest.h>

#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

void expect_crash_between_passing_siblings(const std::string& target, const std::string& suite,
                                           const std::string& crashing_case,
                                           const std::string& signal_name) {
  const ManifestDir dir({fixture_target(target)});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();

  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  EXPECT_EQ(status_of(run, target + "/" + suite + ".PassesBefore"), "passed") << run.diagnostics();
  EXPECT_EQ(status_of(run, target + "/" + suite + ".PassesAfter"), "passed") << run.diagnostics();
  const JunitCase* crashed = run.item(target + "/" + suite + "." + crashing_case);
  ASSERT_NE(crashed, nullptr) << item_ids(run);
  EXPECT_EQ(crashed->status, "error");
  EXPECT_EQ(crashed->type, "crashed");
  EXPECT_NE(crashed->message.find(signal_name), std::string::npos) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{2, 1, 0})) << run.diagnostics();
}

TEST(Crashes, SegfaultIsCrashedWithSigsegvAndSiblingsKeepTheirResults) {
  expect_crash_between_passing_siblings("gtest_segfault", "Segfault", "Crashes", "SIGSEGV");
}

TEST(Crashes, AbortIsCrashedWithSigabrtAndSiblingsKeepTheirResults) {
  expect_crash_between_passing_siblings("gtest_abort", "Abort", "Aborts", "SIGABRT");
}

TEST(Crashes, PrematureExitZeroIsAFailure) {
  const ManifestDir dir({fixture_target("gtest_early_exit")});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();

  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_early_exit/EarlyExit.PassesBefore"), "passed")
      << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_early_exit/EarlyExit.ExitsZero"), "failure") << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_early_exit/EarlyExit.PassesAfter"), "passed")
      << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{2, 1, 0})) << run.diagnostics();
}

}  // namespace
}  // namespace fanout::e2e
