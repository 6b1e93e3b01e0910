// Which items a run holds: generated names, DISABLED_ items, -R/-E over full item ids.

#include <gtest/gtest.h>

#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

const std::vector<std::string> kTypedParamIds = {
    "gtest_typed_param/Typed/0.Works",
    "gtest_typed_param/Typed/1.Works",
    "gtest_typed_param/Negative/Param.IsNegative/0",
    "gtest_typed_param/Negative/Param.IsNegative/1",
    "gtest_typed_param/Negative/Param.IsNegative/2",
};

std::vector<TargetSpec> outcomes_and_typed() {
  return {fixture_target("gtest_outcomes"), fixture_target("gtest_typed_param")};
}

TEST(Selection, TypedAndParameterisedCasesAreItemsWithTheirGeneratedNames) {
  const ManifestDir dir({fixture_target("gtest_typed_param")});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  for (const auto& id : kTypedParamIds) EXPECT_EQ(status_of(run, id), "passed") << id;
  EXPECT_EQ(run.junit->cases.size(), kTypedParamIds.size()) << item_ids(run);
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{5, 0, 0})) << run.diagnostics();
}

TEST(Selection, DisabledItemsAreNotRun) {
  const ManifestDir dir({fixture_target("gtest_disabled")});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  // Running either disabled case would fail it.
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_disabled/Disabled.Enabled"), "passed") << run.diagnostics();
  for (const char* id :
       {"gtest_disabled/Disabled.DISABLED_Case", "gtest_disabled/DISABLED_Suite.Case"}) {
    const std::string status = status_of(run, id);
    EXPECT_TRUE(status == "absent" || status == "skipped") << id << ": " << status;
  }
  const auto summary = parse_summary_line(run.last_line);
  ASSERT_TRUE(summary) << run.diagnostics();
  EXPECT_EQ(summary->passed, 1);
  EXPECT_EQ(summary->failed, 0);
}

TEST(Selection, IncludeRegexSelectsByFullItemId) {
  const ManifestDir dir(outcomes_and_typed());
  const FanoutRun run = run_clean(dir, {"-R", R"(^gtest_outcomes/Outcomes\.Pass$)"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_outcomes/Outcomes.Pass"), "passed") << run.diagnostics();
  EXPECT_EQ(run.junit->cases.size(), 1u) << item_ids(run);
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{1, 0, 0})) << run.diagnostics();
}

TEST(Selection, IncludeRegexMatchesTheTargetPartOfTheId) {
  const ManifestDir dir(outcomes_and_typed());
  const FanoutRun run = run_clean(dir, {"-R", "^gtest_typed_param/Negative/"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(run.junit->cases.size(), 3u) << item_ids(run);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(status_of(run, kTypedParamIds[2 + i]), "passed") << item_ids(run);
  }
}

TEST(Selection, ExcludeRegexDropsItems) {
  const ManifestDir dir(outcomes_and_typed());
  const FanoutRun run = run_clean(dir, {"-E", "Outcomes\\.(Fail|Skip)"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_outcomes/Outcomes.Fail"), "absent") << item_ids(run);
  EXPECT_EQ(status_of(run, "gtest_outcomes/Outcomes.Skip"), "absent") << item_ids(run);
  EXPECT_EQ(status_of(run, "gtest_outcomes/Outcomes.Pass"), "passed") << item_ids(run);
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{6, 0, 0})) << run.diagnostics();
}

TEST(Selection, IncludeAndExcludeCombine) {
  const ManifestDir dir(outcomes_and_typed());
  const FanoutRun run = run_clean(dir, {"-R", "gtest_typed_param", "-E", "IsNegative/[01]$"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.junit->cases.size(), 3u) << item_ids(run);
  EXPECT_EQ(status_of(run, "gtest_typed_param/Negative/Param.IsNegative/2"), "passed")
      << item_ids(run);
}

TEST(Selection, NothingSelectedExitsFive) {
  const ManifestDir dir(outcomes_and_typed());
  const FanoutRun run = run_fanout(dir, {"-R", "no_item_is_called_like_this"});
  EXPECT_EQ(run.command.exit_code, 5) << run.diagnostics();
  EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
}

}  // namespace
}  // namespace fanout::e2e
