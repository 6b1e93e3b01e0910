// A target's SKIP_RETURN_CODE for framework binaries, end to end: a process that exits with it
// skips the item it was running, the items it never reached run in a new process, and a process
// that exits with it before running anything skips its whole batch.

#include <gtest/gtest.h>

#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

TargetSpec skipping(const std::string& binary, const std::string& framework) {
  TargetSpec spec = fixture_target(binary);
  spec.framework = framework;
  spec.skip_return_code = 77;
  return spec;
}

/// The JUnit case of `target` named `name` (its case name, whatever its class), or nullptr.
const JunitCase* find_case(const FanoutRun& run, const std::string& target,
                           const std::string& name) {
  if (!run.junit) return nullptr;
  for (const JunitCase* c : run.junit->in_suite(target)) {
    if (c->name == name) return c;
  }
  return nullptr;
}

/// The JUnit status of case `name` of `target`, or "absent".
std::string status_in(const FanoutRun& run, const std::string& target, const std::string& name) {
  const JunitCase* c = find_case(run, target, name);
  return c ? c->status : "absent";
}

void expect_skipped_with_code(const FanoutRun& run, const std::string& target,
                              const std::string& name) {
  SCOPED_TRACE(target + ": " + name);
  const JunitCase* c = find_case(run, target, name);
  ASSERT_NE(c, nullptr) << item_ids(run) << "\n" << run.diagnostics();
  EXPECT_EQ(c->status, "skipped") << run.diagnostics();
  EXPECT_NE(c->message.find("exited with code 77"), std::string::npos) << c->message;
}

TEST(SkipReturnCode, GoogleTestItemExitingWithItIsSkippedAndItsSiblingsRun) {
  const ManifestDir dir({skipping("gtest_skip_code", "gtest")});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(status_in(run, "gtest_skip_code", "PassesBefore"), "passed") << run.diagnostics();
  expect_skipped_with_code(run, "gtest_skip_code", "ExitsWithTheSkipCode");
  EXPECT_EQ(status_in(run, "gtest_skip_code", "PassesAfter"), "passed") << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{2, 0, 1})) << run.diagnostics();
}

TEST(SkipReturnCode, GoogleTestMainReturningItSkipsEveryItem) {
  TargetSpec spec = skipping("gtest_skip_code", "gtest");
  spec.environment = {"FANOUT_FIXTURE_SKIP_ALL=1"};
  const ManifestDir dir({spec});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  for (const std::string name : {"PassesBefore", "ExitsWithTheSkipCode", "PassesAfter"}) {
    expect_skipped_with_code(run, "gtest_skip_code", name);
  }
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{0, 0, 3})) << run.diagnostics();
}

TEST(SkipReturnCode, WithoutItTheSameExitIsAFailure) {
  TargetSpec spec = fixture_target("gtest_skip_code");
  const ManifestDir dir({spec});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  EXPECT_EQ(status_in(run, "gtest_skip_code", "ExitsWithTheSkipCode"), "failure")
      << run.diagnostics();
  EXPECT_EQ(status_in(run, "gtest_skip_code", "PassesAfter"), "passed") << run.diagnostics();
}

TEST(SkipReturnCode, DoctestItemExitingWithItIsSkippedAndItsSiblingsRun) {
  const ManifestDir dir({skipping("doctest_skip_code", "doctest")});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(status_in(run, "doctest_skip_code", "passes before"), "passed") << run.diagnostics();
  expect_skipped_with_code(run, "doctest_skip_code", "exits with the skip code");
  EXPECT_EQ(status_in(run, "doctest_skip_code", "passes after"), "passed") << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{2, 0, 1})) << run.diagnostics();
}

}  // namespace
}  // namespace fanout::e2e
