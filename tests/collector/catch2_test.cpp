// The Catch2 adapter: test specs that select exactly one case, v2 listings from the real
// fixture binary and v3 listings from golden files, and batch results from real runs and
// golden streams, however they are chunked.

#include "collector/catch2.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "collector/catch2_batch_parser.hpp"
#include "collector/collect.hpp"
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
using testing::read_test_data;

Target catch2_target() {
  return fixture_target("catch2_cases", "catch2");
}

std::unique_ptr<BatchParser> parser_for(const std::vector<std::string>& names) {
  return std::make_unique<testing::ParserWithItems>(
      items_named(names), [](std::vector<const Item*> batch) {
        return std::make_unique<Catch2BatchParser>(catch2_target(), std::move(batch));
      });
}

TEST(Catch2TestSpec, QuotesTheNameAndEscapesWhatQuotesDoNotProtect) {
  EXPECT_EQ(catch2_test_spec("plain name"), "\"plain name\"");
  EXPECT_EQ(catch2_test_spec("with, comma"), "\"with\\, comma\"");
  EXPECT_EQ(catch2_test_spec("brackets [x]"), "\"brackets \\[x\\]\"");
  EXPECT_EQ(catch2_test_spec("star * name"), "\"star * name\"");
  EXPECT_EQ(catch2_test_spec("quote \" name"), "\"quote \\\" name\"");
  EXPECT_EQ(catch2_test_spec("back\\slash"), "\"back\\\\slash\"");
  EXPECT_EQ(catch2_test_spec("~tilde first"), "\"~tilde first\"");
  EXPECT_EQ(catch2_test_spec("-leading dash"), "\"-leading dash\"");
}

TEST(Catch2TestSpec, ExcludePrefixBecomesAWildcardNarrowedByASecondPattern) {
  EXPECT_EQ(catch2_test_spec("exclude:me"), "\"*xclude:me\"\"exclude*\"");
  EXPECT_EQ(catch2_test_spec("exclude:[x]"), "\"*xclude:\\[x\\]\"\"exclude*\"");
  EXPECT_EQ(catch2_test_spec("Exclude:me"), "\"Exclude:me\"");
  EXPECT_EQ(catch2_test_spec("not exclude:me"), "\"not exclude:me\"");
}

TEST(Catch2Version, TheDebianFixtureIsV2AndAFileWithoutTheOptionIsV3) {
  EXPECT_EQ(catch2_version(testing::fixture_path("catch2_cases")), Catch2Version::v2);
  EXPECT_EQ(catch2_version(testing::fixture_path("plain_exit")), Catch2Version::v3);
}

TEST(Catch2Listing, V2BinaryIsListedWithNamesFilesAndLines) {
  const Target target = catch2_target();
  const Command command = catch2_framework().list_command(target);
  EXPECT_THAT(command.argv, Contains("--list-test-names-only"));
  EXPECT_TRUE(command.listing_exit_code_ignored);

  const std::vector<Item> items = testing::list_for_real(catch2_framework(), target);
  EXPECT_THAT(names_of(items),
              ElementsAre("passes", "fails", "throws", "with, comma", "brackets [x]", "star * name",
                          "star x name", "quote \" name", "back\\slash", "tilde ~ name",
                          "-leading dash", "#hash name", "xml <&> chars", "prefix",
                          "prefix and more", "crashes", "hangs", "exits early", "fails at exit"));
  const Item& fails = item_named(items, "fails");
  EXPECT_EQ(fails.id, "t/fails");
  EXPECT_EQ(fails.target, "t");
  EXPECT_THAT(fails.file, EndsWith("catch2_cases.cpp"));
  EXPECT_EQ(fails.line, testing::fixture_line("catch2_cases.cpp", "TEST_CASE(\"fails\""));
  EXPECT_FALSE(fails.disabled);
}

TEST(Catch2Listing, CollectAcceptsV2sExitCodeThatCountsTheTests) {
  const std::vector<Item> items = collect_items(catch2_target(), catch2_framework());
  EXPECT_EQ(items.size(), 19u);
}

TEST(Catch2Listing, TargetLabelsAndTestSpecsCarryOver) {
  Target target = catch2_target();
  target.labels = {"unit"};
  target.extra_args = {"[basic]", "--reporter", "console"};
  const Command command = catch2_framework().list_command(target);
  EXPECT_THAT(command.argv, Not(Contains("console")));
  const std::vector<Item> items = testing::list_for_real(catch2_framework(), target);
  EXPECT_THAT(names_of(items), ElementsAre("passes", "fails"));
  EXPECT_THAT(items[0].labels, ElementsAre("unit"));
}

TEST(Catch2Listing, V2LineWithoutLocationIsNotAListing) {
  EXPECT_THROW(parse_catch2_v2_listing(catch2_target(), "passes\t@a.cpp:3\nSegmentation fault\n"),
               CollectError);
  EXPECT_THROW(catch2_framework().parse_listing(catch2_target(), "name\t@a.cpp:x\n"), CollectError);
  EXPECT_THAT(parse_catch2_v2_listing(catch2_target(), ""), IsEmpty());
}

TEST(Catch2Listing, V3XmlListingGivesNamesFilesLinesClassesAndTags) {
  Target target = catch2_target();
  target.labels = {"unit"};
  const std::vector<Item> items =
      catch2_framework().parse_listing(target, read_test_data("catch2/v3_list.xml"));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].name, "passes");
  EXPECT_EQ(items[0].file, "/src/tests/basic_test.cpp");
  EXPECT_EQ(items[0].line, 14);
  EXPECT_EQ(items[0].suite, "");
  EXPECT_THAT(items[0].labels, ElementsAre("unit", "basic", "fast"));
  EXPECT_EQ(items[1].name, "with, comma & <angles> and \"quotes\"");
  EXPECT_EQ(items[1].id, "t/with, comma & <angles> and \"quotes\"");
  EXPECT_EQ(items[1].suite, "DatabaseFixture");
  EXPECT_EQ(items[1].line, 201);
  EXPECT_THAT(items[1].labels, ElementsAre("unit", "db"));
  EXPECT_EQ(items[2].name, "star * and [brackets] \\ back");
  EXPECT_EQ(items[2].file, "/src/tests/names_test.cpp");
}

TEST(Catch2Listing, V3EmptyListingHasNoItemsAndErrorOutputIsNoListing) {
  EXPECT_THAT(
      catch2_framework().parse_listing(catch2_target(), read_test_data("catch2/v3_list_empty.xml")),
      IsEmpty());
  try {
    parse_catch2_v3_listing(catch2_target(), read_test_data("catch2/v3_list_not_xml.txt"));
    FAIL() << "no CollectError";
  } catch (const CollectError& error) {
    EXPECT_THAT(error.what(), HasSubstr("catch2_cases"));
    EXPECT_THAT(error.what(), HasSubstr("Unrecognised token"));
  }
}

TEST(Catch2RunCommand, SpecsFollowTheTargetsOptionsWithoutItsSpecsAndReporters) {
  Target target = catch2_target();
  target.extra_args = {"[slow]", "-r", "junit", "--out=report.xml", "--abort", "-x", "2"};
  const std::vector<Item> items = items_named({"with, comma", "star * name"});
  const Command command =
      catch2_framework().run_command(target, testing::pointers_to(items), BatchContext{});
  EXPECT_THAT(command.argv, ElementsAre(target.executable.string(), "--abort", "-x", "2",
                                        "--reporter", "xml", "--durations", "yes", "--order",
                                        "decl", "\"with\\, comma\",\"star * name\""));
  EXPECT_EQ(catch2_framework().run_command(target, {}, BatchContext{}).argv.back(), "~*");
}

class Catch2NastyName : public ::testing::TestWithParam<std::string> {};

TEST_P(Catch2NastyName, RunsExactlyThatTestCase) {
  testing::expect_runs_exactly(
      catch2_framework(), catch2_target(), GetParam(),
      [](const std::string& output) { return testing::count_of(output, "<TestCase "); });
}

INSTANTIATE_TEST_SUITE_P(Catch2, Catch2NastyName,
                         ::testing::Values("with, comma", "brackets [x]", "star * name",
                                           "quote \" name", "back\\slash", "tilde ~ name",
                                           "-leading dash", "#hash name", "xml <&> chars",
                                           "prefix"));

Target spec_names_target() {
  return fixture_target("catch2_spec_names", "catch2");
}

// Names that look like test-spec syntax, which Catch2 2.13 (the fixture) selects exactly.
class Catch2SpecSyntaxName : public ::testing::TestWithParam<std::string> {};

TEST_P(Catch2SpecSyntaxName, RunsExactlyThatTestCase) {
  testing::expect_runs_exactly(
      catch2_framework(), spec_names_target(), GetParam(),
      [](const std::string& output) { return testing::count_of(output, "<TestCase "); });
}

INSTANTIATE_TEST_SUITE_P(Catch2, Catch2SpecSyntaxName,
                         ::testing::Values("exclude:me", "exclude:[x]", "~tilde first",
                                           "* spaced star", "trail star*",
                                           "[not a tag],\"and\" a\\, comma",
                                           "ends in backslash\\"));

TEST(Catch2Run, SpecsThatSelectMoreReportExactlyTheBatch) {
  // Catch2 2.x reads a '*' at either end of a name as a wildcard even when escaped, and
  // matches without regard to case: "*lead star" also runs "other *lead star", "Mixed Case"
  // also "MIXED case", and "*" every test case. Those that are not batch items fail, and
  // must neither be reported nor make a batch item fail through the exit code.
  const std::vector<std::string> batch = {"exclude:me", "*lead star", "Mixed Case", "*",
                                          "~tilde first"};
  const testing::RealRun run =
      testing::run_for_real(catch2_framework(), spec_names_target(), items_named(batch));
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::exited);
  EXPECT_NE(run.end.exit_code, 0) << "the extra test cases should have run and failed";
  EXPECT_THAT(run.output, HasSubstr("name=\"other *lead star\""));
  EXPECT_THAT(run.output, HasSubstr("name=\"MIXED case\""));
  // In the order of the source file, as Catch2 ran them.
  EXPECT_THAT(run.parsed.started,
              ElementsAre("exclude:me", "~tilde first", "*lead star", "*", "Mixed Case"));
  ASSERT_EQ(run.parsed.results.size(), batch.size());
  for (const std::string& name : batch) {
    EXPECT_EQ(run.parsed.result(name).outcome, Outcome::passed)
        << name << ": " << run.parsed.result(name).message;
  }
  EXPECT_THAT(run.parsed.not_started, IsEmpty());
}

TEST(Catch2Run, AloneAnItemKeepsItsResultWhenItsSpecSelectsAFailingCase) {
  const testing::RealRun run =
      testing::run_for_real(catch2_framework(), spec_names_target(), items_named({"Mixed Case"}));
  EXPECT_EQ(testing::count_of(run.output, "<TestCase "), 2u) << run.output;
  ASSERT_EQ(run.parsed.results.size(), 1u);
  EXPECT_EQ(run.parsed.result("Mixed Case").outcome, Outcome::passed);
}

TEST(Catch2Run, PassFailAndExceptionInOneBatch) {
  const testing::RealRun run = testing::run_for_real(
      catch2_framework(), catch2_target(), items_named({"passes", "fails", "throws", "prefix"}));
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::exited);
  EXPECT_THAT(run.parsed.started, ElementsAre("passes", "fails", "throws", "prefix"));
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  const Result fails = run.parsed.result("fails");
  EXPECT_EQ(fails.outcome, Outcome::failed);
  const int check_line = testing::fixture_line("catch2_cases.cpp", "CHECK(answer == 42)");
  EXPECT_THAT(fails.message, HasSubstr("catch2_cases.cpp:" + std::to_string(check_line) +
                                       ": CHECK( answer == 42 )"));
  EXPECT_THAT(fails.message, HasSubstr("41 == 42"));
  EXPECT_THAT(fails.output, HasSubstr("fixture output before the failure"));
  EXPECT_THAT(fails.output, Not(HasSubstr("<")));
  const Result throws = run.parsed.result("throws");
  EXPECT_EQ(throws.outcome, Outcome::failed);
  EXPECT_THAT(throws.message, HasSubstr("unexpected exception: fixture exception"));
  EXPECT_EQ(run.parsed.result("prefix").outcome, Outcome::passed);
  EXPECT_THAT(run.output, Not(HasSubstr("prefix and more")));
  EXPECT_THAT(run.parsed.not_started, IsEmpty());
}

TEST(Catch2Run, CrashIsTheRunningItemsAndTheRestIsRequeued) {
  const testing::RealRun run = testing::run_for_real(
      catch2_framework(), catch2_target(), items_named({"passes", "crashes", "fails at exit"}));
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::signaled);
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  const Result crashed = run.parsed.result("crashes");
  EXPECT_EQ(crashed.outcome, Outcome::crashed);
  EXPECT_EQ(crashed.signal, SIGSEGV);
  EXPECT_THAT(crashed.message, HasSubstr("SIGSEGV"));
  EXPECT_THAT(run.parsed.not_started, ElementsAre("fails at exit"));
}

TEST(Catch2Run, HangIsATimeoutAndFinishedItemsKeepTheirResults) {
  const testing::RealRun run = testing::run_for_real(
      catch2_framework(), catch2_target(), items_named({"passes", "hangs", "fails at exit"}), 1);
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::timed_out);
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  EXPECT_EQ(run.parsed.result("hangs").outcome, Outcome::timeout);
  EXPECT_THAT(run.parsed.not_started, ElementsAre("fails at exit"));
}

TEST(Catch2Run, ExitInsideATestCaseFailsIt) {
  const testing::RealRun run = testing::run_for_real(catch2_framework(), catch2_target(),
                                                     items_named({"exits early", "fails at exit"}));
  EXPECT_TRUE(is_failure(run.parsed.result("exits early").outcome));
  EXPECT_THAT(run.parsed.not_started, ElementsAre("fails at exit"));
}

TEST(Catch2Run, NonZeroExitAfterEverythingPassedIsNotLost) {
  const testing::RealRun run = testing::run_for_real(catch2_framework(), catch2_target(),
                                                     items_named({"passes", "fails at exit"}));
  EXPECT_EQ(run.end.exit_code, 3);
  EXPECT_EQ(run.parsed.result("passes").outcome, Outcome::passed);
  const Result last = run.parsed.result("fails at exit");
  EXPECT_EQ(last.outcome, Outcome::failed);
  EXPECT_THAT(last.message, HasSubstr("exited with code 3 after its tests ended"));
}

TEST(Catch2Run, TestCaseNotInTheListingIsAnErrorNotASilentPass) {
  const testing::RealRun run =
      testing::run_for_real(catch2_framework(), catch2_target(), items_named({"no such test"}));
  const Result result = run.parsed.result("no such test");
  EXPECT_EQ(result.outcome, Outcome::error);
  EXPECT_THAT(result.message, HasSubstr("without running it"));
}

TEST(Catch2Parser, V2StreamGivesResultsMessagesAndDurations) {
  const std::string xml = read_test_data("catch2/v2_run_mixed.xml");
  auto parser = parser_for({"passes", "fails", "throws", "xml <&> chars", "prefix"});
  const testing::Parsed parsed = testing::parse_chunks(*parser, {xml}, exited(2));
  EXPECT_THAT(parsed.started, ElementsAre("passes", "fails", "throws", "xml <&> chars", "prefix"));
  EXPECT_EQ(parsed.streamed.size(), 4u);  // the last is held until the process ends
  EXPECT_EQ(parsed.result("passes").outcome, Outcome::passed);
  EXPECT_DOUBLE_EQ(parsed.result("passes").seconds, 4e-05);
  EXPECT_EQ(parsed.result("fails").message,
            "catch2_cases.cpp:19: CHECK( answer == 42 ) with expansion: 41 == 42");
  EXPECT_EQ(parsed.result("fails").output,
            "catch2_cases.cpp:19: CHECK( answer == 42 ) with expansion: 41 == 42\n"
            "fixture output before the failure\n");
  EXPECT_EQ(parsed.result("xml <&> chars").outcome, Outcome::passed);
  EXPECT_EQ(parsed.result("prefix").outcome, Outcome::passed);
}

TEST(Catch2Parser, V2StreamSplitAnywhereGivesTheSameResults) {
  const std::string xml = read_test_data("catch2/v2_run_mixed.xml");
  const std::vector<std::string> names{"passes", "fails", "throws", "xml <&> chars", "prefix"};
  testing::expect_split_invariant([&] { return parser_for(names); }, xml, exited(2));
}

TEST(Catch2Parser, V3SkipsSectionsAndCapturedOutput) {
  const std::string xml = read_test_data("catch2/v3_run_mixed.xml");
  auto parser = parser_for({"passes", "skips", "sections"});
  const testing::Parsed parsed = testing::parse_chunks(*parser, testing::pieces(xml, 5), exited(1));
  EXPECT_EQ(parsed.result("passes").outcome, Outcome::passed);
  const Result skips = parsed.result("skips");
  EXPECT_EQ(skips.outcome, Outcome::skipped);
  EXPECT_EQ(skips.message, "needs a GPU");
  const Result sections = parsed.result("sections");
  EXPECT_EQ(sections.outcome, Outcome::failed);
  EXPECT_EQ(sections.message,
            "/src/tests/basic_test.cpp:34: REQUIRE( v.size() == 3 ) with expansion: 2 == 3");
  EXPECT_THAT(sections.output, HasSubstr("printed by the test\n"));
  EXPECT_DOUBLE_EQ(sections.seconds, 0.25);
}

TEST(Catch2Parser, V3StreamSplitAnywhereGivesTheSameResults) {
  const std::string xml = read_test_data("catch2/v3_run_mixed.xml");
  testing::expect_split_invariant(
      [] {
        return parser_for({"passes", "skips", "sections"});
      },
      xml, exited(1));
}

TEST(Catch2Parser, V3ExitCodeFourWhenEverythingWasSkippedIsExpected) {
  const std::string xml = read_test_data("catch2/v3_run_all_skipped.xml");
  auto parser = parser_for({"skips"});
  const testing::Parsed parsed = testing::parse_chunks(*parser, {xml}, exited(4));
  EXPECT_EQ(parsed.result("skips").outcome, Outcome::skipped);
}

TEST(Catch2Parser, ExitCodeFourAfterAPassIsAFailure) {
  const std::string xml = read_test_data("catch2/v3_run_mixed.xml");
  auto parser = parser_for({"passes"});
  const testing::Parsed parsed = testing::parse_chunks(*parser, {xml}, exited(4));
  EXPECT_EQ(parsed.result("passes").outcome, Outcome::failed);
  EXPECT_THAT(parsed.result("passes").message, HasSubstr("exited with code 4"));
}

TEST(Catch2Parser, FailureOutsideTheBatchExplainsTheV3ExitCodeOfFailures) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Catch2TestRun name=\"x\">\n"
      "  <TestCase name=\"Mixed Case\">\n"
      "    <OverallResult success=\"true\" skips=\"0\"/>\n  </TestCase>\n"
      "  <TestCase name=\"MIXED case\">\n"
      "    <OverallResult success=\"false\" skips=\"0\"/>\n  </TestCase>\n"
      "</Catch2TestRun>\n";
  auto parser = parser_for({"Mixed Case"});
  testing::Parsed parsed = testing::parse_chunks(*parser, {xml}, exited(42));
  ASSERT_EQ(parsed.results.size(), 1u);
  EXPECT_EQ(parsed.result("Mixed Case").outcome, Outcome::passed);
  // Another code is still the batch's own failure (at exit).
  parser = parser_for({"Mixed Case"});
  parsed = testing::parse_chunks(*parser, {xml}, exited(3));
  EXPECT_EQ(parsed.result("Mixed Case").outcome, Outcome::failed);
  // Without the failure outside the batch, 42 is the batch's.
  const std::string alone =
      xml.substr(0, xml.find("  <TestCase name=\"MIXED")) + "</Catch2TestRun>\n";
  parser = parser_for({"Mixed Case"});
  parsed = testing::parse_chunks(*parser, {alone}, exited(42));
  EXPECT_EQ(parsed.result("Mixed Case").outcome, Outcome::failed);
}

TEST(Catch2Parser, TestCasesOutsideTheBatchAreIgnored) {
  const std::string xml = read_test_data("catch2/v2_run_mixed.xml");
  auto parser = parser_for({"fails"});
  const testing::Parsed parsed = testing::parse_chunks(*parser, {xml}, exited(2));
  ASSERT_EQ(parsed.results.size(), 1u);
  EXPECT_EQ(parsed.results[0].item_id, "t/fails");
  EXPECT_EQ(parsed.results[0].outcome, Outcome::failed);
  EXPECT_THAT(parsed.results[0].output, Not(HasSubstr("fixture exception")));
}

TEST(Catch2Parser, FatalErrorConditionIsACrashWithThatSignal) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Catch name=\"x\">\n  <Group name=\"x\">\n"
      "    <TestCase name=\"a\" filename=\"a.cpp\" line=\"3\">\n"
      "      <FatalErrorCondition filename=\"a.cpp\" line=\"3\">\n"
      "        SIGABRT - Abort (abnormal termination) signal\n"
      "      </FatalErrorCondition>\n"
      "      <OverallResult success=\"false\"/>\n    </TestCase>\n";
  auto parser = parser_for({"a", "b"});
  const testing::Parsed parsed = testing::parse_chunks(*parser, {xml}, testing::signaled(SIGABRT));
  EXPECT_EQ(parsed.result("a").outcome, Outcome::crashed);
  EXPECT_EQ(parsed.result("a").signal, SIGABRT);
  EXPECT_THAT(parsed.not_started, ElementsAre("b"));
}

TEST(Catch2Parser, NothingRunBeforeAStartFailureMakesEveryItemAnError) {
  auto parser = parser_for({"a", "b"});
  ProcessEnd end = testing::of_kind(ProcessEnd::Kind::start_failed);
  end.error = "No such file or directory";
  const testing::Parsed parsed = testing::parse_chunks(*parser, {}, end);
  ASSERT_EQ(parsed.results.size(), 2u);
  EXPECT_EQ(parsed.result("a").outcome, Outcome::error);
  EXPECT_THAT(parsed.result("b").message, HasSubstr("No such file or directory"));
  EXPECT_THAT(parsed.not_started, IsEmpty());
}

}  // namespace
}  // namespace fanout::collector
