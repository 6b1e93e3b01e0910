// The Boost.Test adapter: the DOT listing of the real fixture (suites, decorators, labels), the
// command line it builds, runs of the real binary, and a captured HRF stream however it is
// chunked, with the XML report's verdicts.

#include "collector/boost_test.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "collector/boost_test_batch_parser.hpp"
#include "framework_test_support.hpp"
#include "test_data.hpp"

namespace fanout::collector {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using testing::exited;
using testing::fixture_target;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::item_named;
using testing::items_named;
using testing::names_of;
using ::testing::Not;
using testing::pointers_to;
using testing::read_test_data;

Target boost_target() {
  return fixture_target("boost_test_cases", "boost_test");
}

const std::vector<std::string> mixed_batch{
    "passes", "fails", "throws", "expected_failure", "precondition_fails", "outer/inner/nested"};

TEST(BoostTestListing, RealBinaryGivesPathsFilesLinesLabelsAndDisabled) {
  Target target = boost_target();
  target.labels = {"unit"};
  const std::vector<Item> items = testing::list_for_real(boost_test_framework(), target);
  EXPECT_THAT(
      names_of(items),
      ElementsAre("passes", "fails", "throws", "prefix", "prefix_and_more", "expected_failure",
                  "labelled", "disabled_case", "precondition_fails", "typed<unsigned int>",
                  "typed<long>", "outer/inner/nested", "outer/crashes", "outer/hangs",
                  "outer/exits_early", "outer/fails_at_exit", "off/in_disabled_suite"));
  const Item& nested = item_named(items, "outer/inner/nested");
  EXPECT_EQ(nested.id, "t/outer/inner/nested");
  EXPECT_EQ(nested.suite, "outer/inner");
  EXPECT_EQ(nested.case_name, "nested");
  EXPECT_THAT(nested.file, EndsWith("boost_test_cases.cpp"));
  EXPECT_EQ(nested.line,
            testing::fixture_line("boost_test_cases.cpp", "BOOST_AUTO_TEST_CASE(nested)"));
  EXPECT_THAT(item_named(items, "labelled").labels, ElementsAre("unit", "slow", "db"));
  EXPECT_TRUE(item_named(items, "disabled_case").disabled);
  EXPECT_TRUE(item_named(items, "off/in_disabled_suite").disabled);
  EXPECT_FALSE(item_named(items, "passes").disabled);
  EXPECT_EQ(item_named(items, "passes").suite, "");
}

TEST(BoostTestListing, OutputWithoutAGraphIsNoListing) {
  try {
    parse_boost_test_listing(boost_target(), "Test setup error: boom\n");
    FAIL() << "no CollectError";
  } catch (const CollectError& error) {
    EXPECT_THAT(error.what(), HasSubstr("boost_test_cases"));
    EXPECT_THAT(error.what(), HasSubstr("Test setup error: boom"));
  }
  EXPECT_THROW(parse_boost_test_listing(boost_target(), "digraph G {\nsomething else\n}\n"),
               CollectError);
}

TEST(BoostTestListing, DependencyEdgesAreNotParents) {
  const std::string dot =
      "digraph G {rankdir=LR;\n"
      "tu1[shape=ellipse,peripheries=2,fontname=Helvetica,color=green,label=\"m\"];\n{\n"
      "tu65536[shape=Mrecord,fontname=Helvetica,color=green,label=\"a|a.cpp(3)\"];\n"
      "tu1 -> tu65536;\n"
      "tu65537[shape=Mrecord,fontname=Helvetica,color=green,label=\"b|a.cpp(4)|timeout=3\"];\n"
      "tu1 -> tu65537;\n"
      "tu65537 -> tu65536[color=red,style=dotted,constraint=false];\n}\n}\n";
  const std::vector<Item> items = parse_boost_test_listing(boost_target(), dot);
  EXPECT_THAT(names_of(items), ElementsAre("a", "b"));
  EXPECT_EQ(items[1].line, 4);
}

TEST(BoostTestRunCommand, ClashingArgumentsAreDroppedAndOursGoBeforeDashDash) {
  Target target = boost_target();
  target.extra_args = {"--log_level=all", "-t", "other", "--random=1", "--", "--module-arg"};
  const BatchContext context{"/scratch"};
  const std::vector<Item> batch = items_named({"passes", "outer/inner/nested"});
  const Command command = boost_test_framework().run_command(target, pointers_to(batch), context);
  EXPECT_THAT(command.argv,
              ElementsAre(target.executable.string(), "--random=1",
                          "--run_test=passes:outer/inner/nested", "--log_format=HRF",
                          "--log_level=test_suite", "--color_output=no", "--report_level=detailed",
                          "--report_format=XML", "--report_sink=/scratch/boost_test_report.xml",
                          "--catch_system_errors=no", "--", "--module-arg"));
  target.extra_args = {"--catch_system_errors=yes"};
  const std::vector<Item> one = items_named({"a"});
  EXPECT_THAT(boost_test_framework().run_command(target, pointers_to(one), context).argv,
              Not(Contains("--catch_system_errors=no")));
}

class BoostTestExactName : public ::testing::TestWithParam<std::string> {};

TEST_P(BoostTestExactName, RunsExactlyThatTestCase) {
  testing::expect_runs_exactly(
      boost_test_framework(), boost_target(), GetParam(),
      [](const std::string& output) { return testing::count_of(output, "Entering test case \""); });
}

INSTANTIATE_TEST_SUITE_P(BoostTest, BoostTestExactName,
                         ::testing::Values("prefix", "typed<unsigned int>", "outer/inner/nested",
                                           "disabled_case", "labelled"));

TEST(BoostTestRun, OutcomesOfOneBatchWithTheReportsVerdicts) {
  const testing::RealRun run =
      testing::run_for_real(boost_test_framework(), boost_target(), items_named(mixed_batch));
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::exited);
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  const Result fails = run.parsed.result("fails");
  EXPECT_EQ(fails.outcome, Outcome::failed);
  EXPECT_THAT(fails.message, HasSubstr("check answer == 42 has failed [41 != 42]"));
  EXPECT_THAT(fails.output, HasSubstr("fixture output before the failure"));
  EXPECT_THAT(run.parsed.result("throws").message, HasSubstr("fixture exception"));
  const Result expected = run.parsed.result("expected_failure");
  EXPECT_EQ(expected.outcome, Outcome::passed);
  EXPECT_THAT(expected.message, HasSubstr("expected failures"));
  const Result precondition = run.parsed.result("precondition_fails");
  EXPECT_EQ(precondition.outcome, Outcome::skipped);
  EXPECT_EQ(precondition.message, "skipped because precondition failed");
  EXPECT_EQ(run.parsed.result("outer/inner/nested").outcome, Outcome::passed);
  EXPECT_THAT(run.parsed.not_started, IsEmpty());
}

TEST(BoostTestRun, CrashIsARealSignalForTheRunningItem) {
  const testing::RealRun run =
      testing::run_for_real(boost_test_framework(), boost_target(),
                            items_named({"passes", "outer/crashes", "outer/fails_at_exit"}));
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::signaled);
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  const Result crashed = run.parsed.result("outer/crashes");
  EXPECT_EQ(crashed.outcome, Outcome::crashed);
  EXPECT_EQ(crashed.signal, SIGSEGV);
  EXPECT_THAT(run.parsed.not_started, ElementsAre("outer/fails_at_exit"));
}

TEST(BoostTestRun, HangIsATimeout) {
  const testing::RealRun run =
      testing::run_for_real(boost_test_framework(), boost_target(),
                            items_named({"passes", "outer/hangs", "outer/fails_at_exit"}), 1);
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::timed_out);
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  EXPECT_EQ(run.parsed.result("outer/hangs").outcome, Outcome::timeout);
  EXPECT_THAT(run.parsed.not_started, ElementsAre("outer/fails_at_exit"));
}

TEST(BoostTestRun, ExitInsideATestCaseFailsIt) {
  const testing::RealRun run =
      testing::run_for_real(boost_test_framework(), boost_target(),
                            items_named({"outer/exits_early", "outer/fails_at_exit"}));
  const Result early = run.parsed.result("outer/exits_early");
  EXPECT_TRUE(is_failure(early.outcome));
  EXPECT_THAT(run.parsed.not_started, ElementsAre("outer/fails_at_exit"));
}

TEST(BoostTestRun, NonZeroExitAfterEverythingPassedIsNotLost) {
  const testing::RealRun run = testing::run_for_real(
      boost_test_framework(), boost_target(), items_named({"passes", "outer/fails_at_exit"}));
  EXPECT_EQ(run.end.exit_code, 3);
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  EXPECT_EQ(run.parsed.result("outer/fails_at_exit").outcome, Outcome::failed);
  EXPECT_THAT(run.parsed.result("outer/fails_at_exit").message, HasSubstr("exited with code 3"));
}

TEST(BoostTestRun, OutputWithoutANewlineBeforeBoostTestsLinesIsKept) {
  const Target target = fixture_target("boost_test_unended", "boost_test");
  const std::vector<Item> items = testing::list_for_real(boost_test_framework(), target);
  ASSERT_THAT(names_of(items), ElementsAre("passes", "fails", "suite/passes_on_stderr"));
  const testing::RealRun run = testing::run_for_real(boost_test_framework(), target, items);
  const Result passes = run.parsed.result("passes");
  EXPECT_EQ(passes.outcome, Outcome::passed);
  EXPECT_EQ(passes.output, "unended passing output\n") << run.output;
  const Result fails = run.parsed.result("fails");
  EXPECT_EQ(fails.outcome, Outcome::failed);
  EXPECT_THAT(fails.message, HasSubstr("1 + 1 == 3"));
  EXPECT_THAT(fails.output, HasSubstr("unended failing output")) << run.output;
  const Result on_stderr = run.parsed.result("suite/passes_on_stderr");
  EXPECT_EQ(on_stderr.outcome, Outcome::passed);
  EXPECT_EQ(on_stderr.output, "unended stderr output\n") << run.output;
}

TEST(BoostTestParser, OutputBeforeALogEntryOnTheSameLineIsOutput) {
  std::vector<Item> items = items_named({"x", "y"});
  items[0].file = items[1].file = "a.cpp";
  items[0].line = 3;
  items[1].line = 7;
  const std::string text =
      "Running 2 test cases...\nEntering test module \"m\"\n"
      "a.cpp(3): Entering test case \"x\"\n"
      "x saysa.cpp(3): Leaving test case \"x\"; testing time: 5us\n"
      "between casesa.cpp(7): Entering test case \"y\"\n"
      "y saysa.cpp(7): Leaving test case \"y\"; testing time: 6us\n"
      "module tear-downLeaving test module \"m\"; testing time: 20us\n";
  const auto make = [&items] {
    return std::make_unique<BoostTestBatchParser>(boost_target(), pointers_to(items), "");
  };
  const std::unique_ptr<BatchParser> parser = make();
  const testing::Parsed parsed = testing::parse_chunks(*parser, {text}, exited(1));
  const Result& x = parsed.result("x");
  EXPECT_EQ(x.outcome, Outcome::passed);
  EXPECT_DOUBLE_EQ(x.seconds, 5e-6);
  EXPECT_EQ(x.output, "x says\n");
  const Result& y = parsed.result("y");
  EXPECT_EQ(y.outcome, Outcome::failed);  // the exit code after every item passed
  EXPECT_THAT(y.output, HasSubstr("between cases\ny says\n"));
  EXPECT_THAT(y.output, HasSubstr("module tear-down\n"));
  EXPECT_THAT(y.output, Not(HasSubstr("a.cpp(")));
}

TEST(BoostTestParser, CapturedStreamWithTheReport) {
  testing::ScratchDir scratch;
  const std::filesystem::path report = scratch.path() / boost_test_report_file;
  std::ofstream(report) << read_test_data("boost_test/report_mixed.xml");
  const std::vector<Item> items = items_named(mixed_batch);
  BoostTestBatchParser parser(boost_target(), pointers_to(items), report);
  const testing::Parsed parsed =
      testing::parse_chunks(parser, {read_test_data("boost_test/run_mixed.txt")}, exited(201));
  EXPECT_THAT(parsed.started, ElementsAre("passes", "fails", "throws", "expected_failure",
                                          "precondition_fails", "outer/inner/nested"));
  // Items with errors wait for the report: only "passes" and the skip stream.
  EXPECT_EQ(parsed.streamed.size(), 2u);
  EXPECT_DOUBLE_EQ(parsed.result("passes").seconds, 74e-6);
  EXPECT_EQ(parsed.result("fails").outcome, Outcome::failed);
  EXPECT_EQ(parsed.result("fails").message,
            "boost_test_cases.cpp(25): error: in \"fails\": check answer == 42 has failed "
            "[41 != 42]");
  EXPECT_EQ(parsed.result("fails").output,
            "fixture output before the failure\n"
            "boost_test_cases.cpp(25): error: in \"fails\": check answer == 42 has failed "
            "[41 != 42]\n");
  EXPECT_EQ(parsed.result("throws").outcome, Outcome::failed);
  EXPECT_EQ(parsed.result("expected_failure").outcome, Outcome::passed);
  EXPECT_EQ(parsed.result("precondition_fails").outcome, Outcome::skipped);
  EXPECT_EQ(parsed.result("outer/inner/nested").outcome, Outcome::passed);
}

TEST(BoostTestParser, WithoutTheReportErrorsStayFailures) {
  const std::vector<Item> items = items_named(mixed_batch);
  BoostTestBatchParser parser(boost_target(), pointers_to(items), "");
  const testing::Parsed parsed =
      testing::parse_chunks(parser, {read_test_data("boost_test/run_mixed.txt")}, exited(201));
  EXPECT_EQ(parsed.result("expected_failure").outcome, Outcome::failed);
  EXPECT_EQ(parsed.result("passes").outcome, Outcome::passed);
}

TEST(BoostTestParser, CapturedStreamSplitAnywhereGivesTheSameResults) {
  const std::string text = read_test_data("boost_test/run_mixed.txt");
  testing::expect_split_invariant(
      [] {
        return std::make_unique<testing::ParserWithItems>(
            items_named(mixed_batch), [](std::vector<const Item*> batch) {
              return std::make_unique<BoostTestBatchParser>(boost_target(), std::move(batch), "");
            });
      },
      text, exited(201));
}

TEST(BoostTestParser, SkippedSuiteSkipsTheBatchItemsInIt) {
  const std::string text =
      "Running 2 test cases...\nEntering test module \"m\"\n"
      "a.cpp(3): Test suite \"off\" is skipped because disabled\n"
      "a.cpp(9): Test suite \"offset\" is skipped because disabled\n"
      "Leaving test module \"m\"; testing time: 5us\n";
  const std::vector<Item> items = items_named({"off/a", "off/b/c", "offset2"});
  BoostTestBatchParser parser(boost_target(), pointers_to(items), "");
  const testing::Parsed parsed = testing::parse_chunks(parser, {text}, exited(0));
  EXPECT_EQ(parsed.result("off/a").outcome, Outcome::skipped);
  EXPECT_EQ(parsed.result("off/b/c").message, "skipped because disabled");
  EXPECT_EQ(parsed.result("offset2").outcome, Outcome::error);
}

TEST(BoostTestReport, ResultsByPath) {
  const auto results = parse_boost_test_report(read_test_data("boost_test/report_mixed.xml"));
  EXPECT_EQ(results.at("expected_failure"), "passed");
  EXPECT_EQ(results.at("throws"), "aborted");
  EXPECT_EQ(results.at("outer/inner/nested"), "passed");
  EXPECT_EQ(results.count("fanout_boost_fixture"), 0u);
}

}  // namespace
}  // namespace fanout::collector

namespace fanout::collector {
namespace {

TEST(BoostTestParser, AFailureTheMissingReportCannotConfirmRunsAgainAlone) {
  // The process died before writing its report: the failure may have been an expected one.
  const auto missing = std::filesystem::temp_directory_path() / "fanout-no-such-report.xml";
  const std::vector<Item> items = items_named(mixed_batch);
  BoostTestBatchParser parser(boost_target(), pointers_to(items), missing);
  parser.feed(read_test_data("boost_test/run_mixed.txt"));
  std::vector<Result> results = parser.take_finished();
  BatchEnd end = parser.finish(exited(201));
  results.insert(results.end(), end.results.begin(), end.results.end());
  auto named = [](const std::string& name) {
    return [name](const auto& x) {
      if constexpr (std::is_same_v<std::decay_t<decltype(x)>, NotStarted>)
        return x.item->name == name;
      else
        return x.item_id == make_item_id("t", name);
    };
  };
  EXPECT_TRUE(std::none_of(results.begin(), results.end(), named("expected_failure")));
  const auto again =
      std::find_if(end.not_started.begin(), end.not_started.end(), named("expected_failure"));
  ASSERT_NE(again, end.not_started.end());
  EXPECT_TRUE(again->alone);
  EXPECT_EQ(again->item, &item_named(items, "expected_failure")) << "the caller's own item";
  const auto passes = std::find_if(results.begin(), results.end(), named("passes"));
  ASSERT_NE(passes, results.end());
  EXPECT_EQ(passes->outcome, Outcome::passed);
}

}  // namespace
}  // namespace fanout::collector
