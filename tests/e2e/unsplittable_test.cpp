// Splitting must never invent failures: GoogleTest binaries registered with plain add_test that
// pass under ctest but not when split into items (tests/e2e/projects/unsplittable) pass under
// fanout too, and history remembers to run them whole.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <iterator>

#include "tests/e2e/ctest_project.hpp"

namespace fanout::e2e {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

/// targets.<target>.unsplittable of the history of `build`, false when absent.
bool marked_unsplittable(const fs::path& build, const std::string& target) {
  std::ifstream in(build / ".fanout" / "history.json");
  if (!in) return false;
  const json::value history = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  const json::value* targets = history.as_object().if_contains("targets");
  const json::value* notes = targets ? targets->as_object().if_contains(target) : nullptr;
  const json::value* marked = notes ? notes->as_object().if_contains("unsplittable") : nullptr;
  return marked != nullptr && marked->is_bool() && marked->get_bool();
}

void expect_same_verdicts(const CtestRun& ctest, const FanoutTreeRun& fanout) {
  ASSERT_EQ(ctest.junit_error, "") << ctest.command.output;
  ASSERT_FALSE(ctest.verdicts.empty()) << ctest.command.output;
  for (const auto& [test, verdict] : ctest.verdicts) {
    const auto fanout_verdict = fanout.verdict(test);
    ASSERT_TRUE(fanout_verdict) << test << "\n" << fanout.diagnostics();
    EXPECT_EQ(to_string(*fanout_verdict), std::string(to_string(verdict))) << test;
  }
  EXPECT_EQ(fanout.command.exit_code, ctest.command.exit_code) << fanout.diagnostics();
}

TEST(Unsplittable, SharedStateBinaryPassesAsUnderCtestAndThenRunsWhole) {
  const CtestProject project("unsplittable", {"-DONLY=shared_state"});
  ASSERT_TRUE(project.ok()) << project.log();
  const CtestRun ctest = project.run_ctest({});
  ASSERT_EQ(ctest.verdicts, (Verdicts{{"shared_state", Verdict::pass}})) << ctest.command.output;

  // One process per item: Counter.SawTheOthers fails alone, as it does in any split that
  // separates it from the others.
  const FanoutTreeRun split = project.run_fanout({"--isolate"});
  ASSERT_TRUE(split.junit) << split.diagnostics();
  expect_same_verdicts(ctest, split);
  EXPECT_EQ(split.junit->in_suite("shared_state").size(), 3u) << split.diagnostics();
  EXPECT_THAT(split.command.output, HasSubstr("shared_state: cannot be split"))
      << split.diagnostics();
  EXPECT_TRUE(split.leftovers.empty()) << describe(split.leftovers);
  EXPECT_TRUE(marked_unsplittable(project.build(), "shared_state")) << split.diagnostics();

  // The next run knows: the binary runs whole, as one item, and nothing fails on the way.
  const FanoutTreeRun whole = project.run_fanout({"--isolate"});
  ASSERT_TRUE(whole.junit) << whole.diagnostics();
  expect_same_verdicts(ctest, whole);
  EXPECT_EQ(whole.junit->in_suite("shared_state").size(), 1u) << whole.diagnostics();
  EXPECT_THAT(whole.command.output, Not(HasSubstr("failed when run split"))) << whole.diagnostics();
  EXPECT_TRUE(marked_unsplittable(project.build(), "shared_state")) << whole.diagnostics();
}

TEST(Unsplittable, BinaryThatCannotListItsTestsRunsWholeAndPassesAsUnderCtest) {
  const CtestProject project("unsplittable", {"-DONLY=no_listing"});
  ASSERT_TRUE(project.ok()) << project.log();
  const CtestRun ctest = project.run_ctest({});
  ASSERT_EQ(ctest.verdicts, (Verdicts{{"no_listing", Verdict::pass}})) << ctest.command.output;

  const FanoutTreeRun run = project.run_fanout({});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  expect_same_verdicts(ctest, run);
  EXPECT_EQ(run.junit->in_suite("no_listing").size(), 1u) << run.diagnostics();
  EXPECT_THAT(run.command.output, HasSubstr("no_listing: cannot be listed")) << run.diagnostics();
  EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
}

}  // namespace
}  // namespace fanout::e2e
