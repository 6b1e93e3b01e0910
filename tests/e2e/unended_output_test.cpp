// Output that does not end its line before the framework's own markers, end to end: every item
// keeps its own outcome, and the text before a marker is the item's output.

#include <gtest/gtest.h>

#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The JUnit case of `target` called `name` ("classname.name", or its name alone), or nullptr.
const JunitCase* find_case(const FanoutRun& run, const std::string& target,
                           const std::string& name) {
  if (!run.junit) return nullptr;
  for (const JunitCase* c : run.junit->in_suite(target)) {
    if (c->name == name || c->classname + "." + c->name == name) return c;
  }
  return nullptr;
}

/// Checks the case `name` of `target` in `run`: its JUnit status and, when `text` is not empty,
/// that its output or messages hold `text`.
void expect_item(const FanoutRun& run, const std::string& target, const std::string& name,
                 const std::string& status, const std::string& text) {
  SCOPED_TRACE(target + ": " + name);
  const JunitCase* c = find_case(run, target, name);
  ASSERT_NE(c, nullptr) << item_ids(run) << "\n" << run.diagnostics();
  EXPECT_EQ(c->status, status) << c->message << "\n" << run.diagnostics();
  if (!text.empty()) {
    EXPECT_TRUE(contains(c->message + c->details + c->system_out, text)) << run.diagnostics();
  }
}

TEST(UnendedOutput, GoogleTestMarkersAfterItAreReadEverywhere) {
  const ManifestDir dir({fixture_target("gtest_no_newline")});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  const std::string t = "gtest_no_newline";
  expect_item(run, t, "Unended.Passes", "passed", "passing output");
  expect_item(run, t, "Unended.Fails", "failure", "fixture failure");
  expect_item(run, t, "Unended.Skips", "skipped", "fixture skip");
  expect_item(run, t, "Unended.PassesOnStderr", "passed", "stderr output");
  expect_item(run, t, "Unended.MimicsMarkers", "failure", "mimic failure");
  expect_item(run, t, "After.Passes", "passed", "");
  EXPECT_EQ(run.junit->cases.size(), 6u) << item_ids(run);
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{3, 2, 1})) << run.diagnostics();
}

TEST(UnendedOutput, EachGoogleTestItemAloneGivesTheSameOutcomes) {
  TargetSpec spec = fixture_target("gtest_no_newline");
  spec.isolate = true;
  const ManifestDir dir({spec});
  const FanoutRun run = run_clean(dir, {"-j", "2"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  const std::string t = "gtest_no_newline";
  expect_item(run, t, "Unended.Passes", "passed", "environment set-up output");
  expect_item(run, t, "Unended.Skips", "skipped", "fixture skip");
  expect_item(run, t, "Unended.PassesOnStderr", "passed", "suite set-up output");
  expect_item(run, t, "Unended.MimicsMarkers", "failure", "mimic failure");
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{3, 2, 1})) << run.diagnostics();
}

TEST(UnendedOutput, OtherFrameworksKeepTheirOutcomesAndTheOutput) {
  TargetSpec catch2 = fixture_target("catch2_unended");
  catch2.framework = "catch2";
  TargetSpec doctest = fixture_target("doctest_unended");
  doctest.framework = "doctest";
  TargetSpec boost_test = fixture_target("boost_test_unended");
  boost_test.framework = "boost_test";
  const ManifestDir dir({catch2, doctest, boost_test});
  const FanoutRun run = run_clean(dir, {"-j", "2"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  for (const std::string target : {"catch2_unended", "doctest_unended"}) {
    expect_item(run, target, "passes", "passed", "unended passing output");
    expect_item(run, target, "fails", "failure", "unended failing output");
    expect_item(run, target, "passes on stderr", "passed", "unended stderr output");
  }
  const std::string boost_target = "boost_test_unended";
  expect_item(run, boost_target, "passes", "passed", "unended passing output");
  expect_item(run, boost_target, "fails", "failure", "unended failing output");
  expect_item(run, boost_target, "passes_on_stderr", "passed", "unended stderr output");
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{6, 3, 0})) << run.diagnostics();
}

}  // namespace
}  // namespace fanout::e2e
