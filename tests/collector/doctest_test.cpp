// The doctest adapter: filters for names doctest cannot take literally, listings and runs of the
// real fixture binary, and batch results from a captured stream however it is chunked.

#include "collector/doctest.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "collector/doctest_batch_parser.hpp"
#include "framework_test_support.hpp"
#include "test_data.hpp"

namespace fanout::collector {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::EndsWith;
using testing::exited;
using testing::fixture_target;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::item_named;
using testing::items_named;
using ::testing::Not;
using testing::read_test_data;

Target doctest_target() {
  return fixture_target("doctest_cases", "doctest");
}

// Test cases the process really ran (doctest also lists the filtered-out ones, as skipped).
std::size_t cases_run(const std::string& output) {
  return testing::count_of(output, "<TestCase ") - testing::count_of(output, "skipped=\"true\"/>");
}

std::unique_ptr<BatchParser> parser_for(const std::vector<std::string>& names) {
  return std::make_unique<testing::ParserWithItems>(
      items_named(names), [](std::vector<const Item*> batch) {
        return std::make_unique<DoctestBatchParser>(doctest_target(), std::move(batch));
      });
}

TEST(DoctestFilter, EscapesCommasAndBackslashesAndNarrowsWildcards) {
  EXPECT_EQ(doctest_filter("plain name"), "plain name");
  EXPECT_EQ(doctest_filter("with, comma"), "with\\, comma");
  EXPECT_EQ(doctest_filter("back\\slash"), "back\\\\slash");
  EXPECT_EQ(doctest_filter("star * name"), "star ? name");
  EXPECT_EQ(doctest_filter("question ? mark"), "question ? mark");
  EXPECT_TRUE(doctest_selects_exactly("with, comma [x] \"q\""));
  EXPECT_FALSE(doctest_selects_exactly("star * name"));
  EXPECT_FALSE(doctest_selects_exactly("question ? mark"));
}

TEST(DoctestListing, RealBinaryGivesNamesSuitesFilesLinesAndSkippedAsDisabled) {
  Target target = doctest_target();
  target.labels = {"unit"};
  const std::vector<Item> items = testing::list_for_real(doctest_framework(), target);
  ASSERT_EQ(items.size(), 20u);
  EXPECT_EQ(items[0].name, "passes");
  EXPECT_THAT(items[0].file, EndsWith("doctest_cases.cpp"));
  EXPECT_EQ(items[0].line, testing::fixture_line("doctest_cases.cpp", "TEST_CASE(\"passes\")"));
  EXPECT_THAT(items[0].labels, ElementsAre("unit"));
  EXPECT_EQ(item_named(items, "quote \" name").id, "t/quote \" name");
  EXPECT_EQ(item_named(items, "back\\slash").case_name, "back\\slash");
  EXPECT_EQ(item_named(items, "in a suite").suite, "fixture suite");
  EXPECT_TRUE(item_named(items, "skipped").disabled);
  EXPECT_FALSE(item_named(items, "passes").disabled);
  EXPECT_EQ(item_named(items, "Upper Case").name, "Upper Case");
  EXPECT_EQ(item_named(items, "upper case").name, "upper case");
}

TEST(DoctestListing, OutputWithoutADoctestElementIsNoListing) {
  try {
    doctest_framework().parse_listing(doctest_target(), "Segmentation fault\n");
    FAIL() << "no CollectError";
  } catch (const CollectError& error) {
    EXPECT_THAT(error.what(), HasSubstr("doctest_cases"));
    EXPECT_THAT(error.what(), HasSubstr("Segmentation fault"));
  }
}

TEST(DoctestListing, RepeatedNamesAreListedOnce) {
  const std::string xml =
      "<?xml version=\"1.0\"?>\n<doctest binary=\"x\">\n"
      "  <TestCase name=\"same\" filename=\"a.cpp\" line=\"1\" skipped=\"false\"/>\n"
      "  <TestCase name=\"same\" filename=\"b.cpp\" line=\"2\" skipped=\"false\"/>\n"
      "</doctest>\n";
  const std::vector<Item> items = doctest_framework().parse_listing(doctest_target(), xml);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].file, "a.cpp");
}

TEST(DoctestRunCommand, OurOptionsComeLastSoTheyWin) {
  Target target = doctest_target();
  target.extra_args = {"--dt-test-case=other", "--custom"};
  std::vector<Item> batch = items_named({"with, comma", "skipped"});
  Command command =
      doctest_framework().run_command(target, testing::pointers_to(batch), BatchContext{});
  EXPECT_EQ(command.argv.back(), "--dt-test-case=with\\, comma,skipped");
  EXPECT_THAT(command.argv, Contains("--custom"));
  EXPECT_THAT(command.argv, Contains("--dt-case-sensitive=true"));
  EXPECT_THAT(command.argv, Not(Contains("--dt-no-skip=true")));
  batch[1].disabled = true;
  command = doctest_framework().run_command(target, testing::pointers_to(batch), BatchContext{});
  EXPECT_THAT(command.argv, Contains("--dt-no-skip=true"));
  EXPECT_EQ(doctest_framework().run_command(target, {}, BatchContext{}).argv.back(),
            "--dt-test-case-exclude=*");
}

class DoctestExactName : public ::testing::TestWithParam<std::string> {};

TEST_P(DoctestExactName, RunsExactlyThatTestCase) {
  testing::expect_runs_exactly(doctest_framework(), doctest_target(), GetParam(), cases_run);
}

INSTANTIATE_TEST_SUITE_P(Doctest, DoctestExactName,
                         ::testing::Values("with, comma", "back\\slash", "brackets [x]",
                                           "quote \" name", "prefix", "upper case", "Upper Case",
                                           "in a suite"));

TEST(DoctestRun, WildcardNameRunsByPatternAndOnlyItsResultCounts) {
  const testing::RealRun run =
      testing::run_for_real(doctest_framework(), doctest_target(), items_named({"star * name"}));
  // "star ? name" also selects "star x name": it runs, but is no result of this batch.
  EXPECT_EQ(cases_run(run.output), 2u) << run.output;
  EXPECT_THAT(run.parsed.started, ElementsAre("star * name"));
  ASSERT_EQ(run.parsed.results.size(), 1u);
  EXPECT_EQ(run.parsed.results[0].item_id, "t/star * name");
  EXPECT_EQ(run.parsed.results[0].outcome, Outcome::passed);
}

Target wildcards_target() {
  return fixture_target("doctest_wildcards", "doctest");
}

class DoctestEscapedName : public ::testing::TestWithParam<std::string> {};

TEST_P(DoctestEscapedName, RunsExactlyThatTestCase) {
  testing::expect_runs_exactly(doctest_framework(), wildcards_target(), GetParam(), cases_run);
}

// doctest 2.4.9 reads "\," as a comma and "\\" as a backslash in a filter (the fixture proves
// it): a backslash that ends a name must not escape the comma between two filters.
INSTANTIATE_TEST_SUITE_P(Doctest, DoctestEscapedName,
                         ::testing::Values("comma, then\\, backslash", "ends in backslash\\"));

TEST(DoctestRun, WildcardFiltersRunEachItemOnceAndReportOnlyTheBatch) {
  // "a?b" also selects "aXb", "why?" also "whyX", and "?" every one-character name: the extra
  // test cases fail, but are no results of this batch, nor the reason of its exit code.
  const std::vector<std::string> batch = {"a*b", "why?", "*", "comma, then\\, backslash",
                                          "ends in backslash\\"};
  const testing::RealRun run =
      testing::run_for_real(doctest_framework(), wildcards_target(), items_named(batch));
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::exited);
  EXPECT_EQ(run.end.exit_code, 1) << "the extra test cases should have run and failed";
  EXPECT_EQ(cases_run(run.output), batch.size() + 2) << run.output;
  EXPECT_THAT(run.parsed.started, ElementsAreArray(batch));
  ASSERT_EQ(run.parsed.results.size(), batch.size());
  for (const std::string& name : batch) {
    EXPECT_EQ(run.parsed.result(name).outcome, Outcome::passed)
        << name << ": " << run.parsed.result(name).message;
  }
  EXPECT_THAT(run.parsed.not_started, IsEmpty());
}

TEST(DoctestRun, DisabledItemsFilterRunsAnotherSkippedCaseThatIsIgnored) {
  // With --dt-no-skip=true for the disabled "skipped x?", its filter also runs "skipped xX",
  // which is outside the selection altogether (disabled, and failing).
  const std::vector<Item> listed = testing::list_for_real(doctest_framework(), wildcards_target());
  const Item& disabled = item_named(listed, "skipped x?");
  ASSERT_TRUE(disabled.disabled);
  const std::vector<Item> batch = {item_named(listed, "why?"), disabled};
  const testing::RealRun run =
      testing::run_for_real(doctest_framework(), wildcards_target(), batch);
  EXPECT_THAT(run.output, HasSubstr("name=\"skipped xX\""));
  ASSERT_EQ(run.parsed.results.size(), 2u);
  EXPECT_EQ(run.parsed.result("why?").outcome, Outcome::passed);
  EXPECT_EQ(run.parsed.result("skipped x?").outcome, Outcome::passed);
}

TEST(DoctestRun, PassFailExceptionAndSkipInOneBatch) {
  const testing::RealRun run =
      testing::run_for_real(doctest_framework(), doctest_target(),
                            items_named({"passes", "fails", "throws", "skipped", "prefix"}));
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::exited);
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  const Result fails = run.parsed.result("fails");
  EXPECT_EQ(fails.outcome, Outcome::failed);
  const int check_line = testing::fixture_line("doctest_cases.cpp", "CHECK(answer == 42)");
  EXPECT_THAT(fails.message, HasSubstr("doctest_cases.cpp:" + std::to_string(check_line) +
                                       ": CHECK( answer == 42 )"));
  EXPECT_THAT(fails.message, HasSubstr("41 == 42"));
  EXPECT_THAT(fails.output, HasSubstr("fixture output before the failure"));
  EXPECT_THAT(run.parsed.result("throws").message,
              HasSubstr("unexpected exception: fixture exception"));
  const Result skipped = run.parsed.result("skipped");
  EXPECT_EQ(skipped.outcome, Outcome::skipped);
  EXPECT_EQ(run.parsed.result("prefix").outcome, Outcome::passed);
  EXPECT_THAT(run.parsed.not_started, IsEmpty());
}

TEST(DoctestRun, DisabledItemRunsWhenAskedFor) {
  std::vector<Item> batch = items_named({"skipped"});
  batch[0].disabled = true;
  const testing::RealRun run = testing::run_for_real(doctest_framework(), doctest_target(), batch);
  EXPECT_EQ(run.parsed.result("skipped").outcome, Outcome::failed);  // it checks false
}

TEST(DoctestRun, CrashIsTheRunningItemsAndTheRestIsRequeued) {
  const testing::RealRun run = testing::run_for_real(
      doctest_framework(), doctest_target(), items_named({"passes", "crashes", "fails at exit"}));
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::signaled);
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  const Result crashed = run.parsed.result("crashes");
  EXPECT_EQ(crashed.outcome, Outcome::crashed);
  EXPECT_EQ(crashed.signal, SIGSEGV);
  EXPECT_THAT(run.parsed.not_started, ElementsAre("fails at exit"));
}

TEST(DoctestRun, HangIsATimeout) {
  const testing::RealRun run = testing::run_for_real(
      doctest_framework(), doctest_target(), items_named({"passes", "hangs", "fails at exit"}), 1);
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::timed_out);
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  EXPECT_EQ(run.parsed.result("hangs").outcome, Outcome::timeout);
  EXPECT_THAT(run.parsed.not_started, ElementsAre("fails at exit"));
}

TEST(DoctestRun, ExitInsideATestCaseFailsIt) {
  const testing::RealRun run = testing::run_for_real(doctest_framework(), doctest_target(),
                                                     items_named({"exits early", "fails at exit"}));
  const Result early = run.parsed.result("exits early");
  EXPECT_TRUE(is_failure(early.outcome));
  if (run.end.kind == ProcessEnd::Kind::exited) {
    EXPECT_THAT(early.message, HasSubstr("before the test finished"));
  }
  EXPECT_THAT(run.parsed.not_started, ElementsAre("fails at exit"));
}

TEST(DoctestRun, NonZeroExitAfterEverythingPassedIsNotLost) {
  const testing::RealRun run = testing::run_for_real(doctest_framework(), doctest_target(),
                                                     items_named({"passes", "fails at exit"}));
  EXPECT_EQ(run.end.exit_code, 3);
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  EXPECT_EQ(run.parsed.result("fails at exit").outcome, Outcome::failed);
  EXPECT_THAT(run.parsed.result("fails at exit").message, HasSubstr("exited with code 3"));
}

TEST(DoctestParser, CapturedStreamGivesResultsMessagesAndDurations) {
  const std::string xml = read_test_data("doctest/run_mixed.xml");
  auto parser = parser_for({"passes", "fails", "throws", "skipped", "in a suite", "prefix"});
  const testing::Parsed parsed = testing::parse_chunks(*parser, {xml}, exited(1));
  EXPECT_THAT(parsed.started,
              ElementsAre("passes", "fails", "throws", "prefix", "skipped", "in a suite"));
  EXPECT_DOUBLE_EQ(parsed.result("passes").seconds, 1e-05);
  EXPECT_EQ(parsed.result("fails").output,
            "fixture output before the failure\n"
            "doctest_cases.cpp:21: CHECK( answer == 42 ) with expansion: 41 == 42\n");
  EXPECT_EQ(parsed.result("throws").message, "unexpected exception: fixture exception");
  EXPECT_EQ(parsed.result("skipped").outcome, Outcome::skipped);
  EXPECT_EQ(parsed.result("in a suite").outcome, Outcome::passed);
}

TEST(DoctestParser, CapturedStreamSplitAnywhereGivesTheSameResults) {
  const std::string xml = read_test_data("doctest/run_mixed.xml");
  testing::expect_split_invariant(
      [] {
        return parser_for({"passes", "fails", "throws", "skipped", "in a suite", "prefix"});
      },
      xml, exited(1));
}

TEST(DoctestParser, MessagesAndCrashes) {
  const std::string xml =
      "<doctest binary=\"x\">\n  <TestSuite>\n"
      "    <TestCase name=\"m\" filename=\"m.cpp\" line=\"3\">\n"
      "      <Message type=\"WARNING\" filename=\"m.cpp\" line=\"4\">\n"
      "        <Text>\n          just saying\n        </Text>\n      </Message>\n"
      "      <Message type=\"FATAL ERROR\" filename=\"m.cpp\" line=\"5\">\n"
      "        <Text>\n          gave up\n        </Text>\n"
      "        <Info>\n          x := 3\n        </Info>\n      </Message>\n"
      "      <OverallResultsAsserts successes=\"0\" failures=\"1\" test_case_success=\"false\"/>\n"
      "    </TestCase>\n"
      "    <TestCase name=\"c\" filename=\"m.cpp\" line=\"9\">\n"
      "      <Exception crash=\"true\">\n        SIGFPE - Floating point error signal\n"
      "      </Exception>\n"
      "      <OverallResultsAsserts successes=\"0\" failures=\"0\" test_case_success=\"false\"/>\n"
      "    </TestCase>\n";
  auto parser = parser_for({"m", "c", "later"});
  const testing::Parsed parsed =
      testing::parse_chunks(*parser, testing::pieces(xml, 3), testing::signaled(SIGFPE));
  const Result m = parsed.result("m");
  EXPECT_EQ(m.outcome, Outcome::failed);
  EXPECT_EQ(m.message, "m.cpp:5: fatal error: gave up\n  x := 3");
  EXPECT_THAT(m.output, HasSubstr("m.cpp:4: warning: just saying"));
  EXPECT_EQ(parsed.result("c").outcome, Outcome::crashed);
  EXPECT_EQ(parsed.result("c").signal, SIGFPE);
  EXPECT_THAT(parsed.not_started, ElementsAre("later"));
}

}  // namespace
}  // namespace fanout::collector
