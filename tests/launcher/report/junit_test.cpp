#include "launcher/report/junit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <climits>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

#include "golden.hpp"
#include "launcher/report/xml_text.hpp"
#include "scenario.hpp"
#include "temp_dir.hpp"
#include "ticking_clock.hpp"
#include "xml_check.hpp"

namespace fanout::launcher::report {
namespace {

using boost::property_tree::ptree;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TempDir;
using testing::ticking_clock;

JUnitOptions options_for(const std::filesystem::path& path) {
  return {.path = path, .hostname = "ci-runner-1", .clock = ticking_clock()};
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs `play` into a JUnitReporter writing under `dir`; returns the file's contents.
std::string written_report(const TempDir& dir, const std::function<void(Reporter&)>& play) {
  JUnitReporter reporter(options_for(dir.path() / "junit.xml"));
  play(reporter);
  return read(dir.path() / "junit.xml");
}

ptree parse(const std::string& xml) {
  std::istringstream in(xml);
  ptree tree;
  boost::property_tree::read_xml(in, tree);
  return tree;
}

std::string attr(const ptree& node, const std::string& name) {
  return node.get<std::string>("<xmlattr>." + name);
}

/// The testsuite element named `name`.
const ptree& suite_named(const ptree& doc, const std::string& name) {
  for (const auto& [tag, child] : doc.get_child("testsuites")) {
    if (tag == "testsuite" && attr(child, "name") == name) return child;
  }
  throw std::runtime_error("no testsuite " + name);
}

/// The testcase element named `name` in `suite`.
const ptree& case_named(const ptree& suite, const std::string& name) {
  for (const auto& [tag, child] : suite) {
    if (tag == "testcase" && attr(child, "name") == name) return child;
  }
  throw std::runtime_error("no testcase " + name);
}

std::vector<std::string> child_names(const ptree& node, const std::string& tag,
                                     const std::string& attribute) {
  std::vector<std::string> names;
  for (const auto& [t, child] : node) {
    if (t == tag) names.push_back(attr(child, attribute));
  }
  return names;
}

TEST(JUnitReporter, GoldenEveryOutcome) {
  TempDir dir;
  testing::expect_golden(written_report(dir, testing::play_every_outcome),
                         "junit_every_outcome.xml");
}

TEST(JUnitReporter, GoldenBadBytes) {
  TempDir dir;
  testing::expect_golden(written_report(dir, testing::play_bad_bytes), "junit_bad_bytes.xml");
}

TEST(JUnitReporter, GoldenInterrupted) {
  TempDir dir;
  testing::expect_golden(written_report(dir, testing::play_interrupted), "junit_interrupted.xml");
}

TEST(JUnitReporter, GoldenCollectionError) {
  TempDir dir;
  testing::expect_golden(written_report(dir, testing::play_collection_error),
                         "junit_collection_error.xml");
}

TEST(JUnitReporter, GoldenFixtureFailures) {
  TempDir dir;
  testing::expect_golden(written_report(dir, testing::play_fixture_failures),
                         "junit_fixture_failures.xml");
}

TEST(JUnitReporter, EveryScenarioIsWellFormedXml) {
  for (const auto& play :
       {testing::play_every_outcome, testing::play_bad_bytes, testing::play_interrupted,
        testing::play_collection_error, testing::play_fixture_failures}) {
    TempDir dir;
    const std::string xml = written_report(dir, play);
    EXPECT_EQ(testing::xml_chars_problem(xml), "");
    EXPECT_NO_THROW(parse(xml)) << xml;
  }
}

TEST(JUnitReporter, TotalsAndOrderMatchTheRun) {
  TempDir dir;
  const ptree doc = parse(written_report(dir, testing::play_every_outcome));
  const ptree& root = doc.get_child("testsuites");
  EXPECT_EQ(attr(root, "name"), "fanout");
  // 6 + 1 + 1 (collection) + 1 testcases; timeout, crashed, error and collection are errors.
  EXPECT_EQ(attr(root, "tests"), "9");
  EXPECT_EQ(attr(root, "failures"), "1");
  EXPECT_EQ(attr(root, "errors"), "4");
  EXPECT_EQ(attr(root, "skipped"), "1");
  EXPECT_EQ(attr(root, "time"), "31.500");
  EXPECT_EQ(attr(root, "timestamp"), "2024-01-02T03:04:05");  // at run_started
  // Each suite's timestamp is when its first item started: later than the run's.
  EXPECT_EQ(attr(suite_named(doc, "unit_tests"), "timestamp"), "2024-01-02T03:04:06");
  EXPECT_EQ(attr(suite_named(doc, "crashy"), "timestamp"), "2024-01-02T03:04:07");
  EXPECT_THAT(child_names(root, "testsuite", "name"),
              ElementsAre("unit_tests", "crashy", "broken", "other"));

  const ptree& unit = suite_named(doc, "unit_tests");
  EXPECT_THAT(child_names(unit, "testcase", "name"),
              ElementsAre("Add", "Div", "Sqrt", "Connect", "Retry", "Check/0"));
  EXPECT_EQ(attr(unit, "tests"), "6");
  EXPECT_EQ(attr(unit, "failures"), "1");
  EXPECT_EQ(attr(unit, "errors"), "1");
  EXPECT_EQ(attr(unit, "hostname"), "ci-runner-1");
  // Sum of the testcase times: 0.012 + 0.125 + 0 + 30.004 + 1.25 + 0.001.
  EXPECT_EQ(attr(unit, "time"), "31.392");
}

TEST(JUnitReporter, OutcomesBecomeTheRightElements) {
  TempDir dir;
  const ptree doc = parse(written_report(dir, testing::play_every_outcome));
  const ptree& unit = suite_named(doc, "unit_tests");

  const ptree& add = case_named(unit, "Add");
  EXPECT_EQ(attr(add, "classname"), "Math");
  EXPECT_EQ(attr(add, "time"), "0.012");
  EXPECT_EQ(attr(add, "file"), "tests/math_test.cpp");
  EXPECT_EQ(attr(add, "line"), "10");
  EXPECT_FALSE(add.get_child_optional("failure"));

  const ptree& div = case_named(unit, "Div");
  EXPECT_EQ(attr(div.get_child("failure"), "type"), "failed");
  EXPECT_THAT(attr(div.get_child("failure"), "message"), HasSubstr("Expected equality"));
  EXPECT_THAT(div.get<std::string>("failure"), HasSubstr("Which is: 2\n"));
  EXPECT_THAT(div.get<std::string>("system-out"), HasSubstr("[  FAILED  ] Math.Div"));

  const ptree& sqrt_case = case_named(unit, "Sqrt");
  EXPECT_EQ(attr(sqrt_case.get_child("skipped"), "message"), "needs libm with long double");
  EXPECT_FALSE(case_named(unit, "Connect").get_child_optional("file"));
  EXPECT_EQ(attr(case_named(unit, "Connect").get_child("error"), "type"), "timeout");

  const ptree& retry = case_named(unit, "Retry");
  EXPECT_FALSE(retry.get_child_optional("failure"));
  EXPECT_FALSE(retry.get_child_optional("error"));
  EXPECT_EQ(attr(retry.get_child("properties.property"), "name"), "flaky");
  EXPECT_EQ(attr(retry.get_child("properties.property"), "value"), "true");
  EXPECT_THAT(retry.get<std::string>("system-out"), StartsWith("flaky: passed on attempt 2\n"));

  const ptree& crash = case_named(suite_named(doc, "crashy"), "crashy");
  EXPECT_EQ(attr(crash, "classname"), "crashy");
  EXPECT_EQ(attr(crash.get_child("error"), "type"), "crashed");
  EXPECT_THAT(attr(crash.get_child("error"), "message"), HasSubstr("SIGSEGV"));

  const ptree& broken = suite_named(doc, "broken");
  EXPECT_EQ(attr(broken, "errors"), "1");
  const ptree& collection = case_named(broken, "collection");
  EXPECT_EQ(attr(collection.get_child("error"), "type"), "collection");
  EXPECT_THAT(attr(collection.get_child("error"), "message"), HasSubstr("/build/tests/broken"));

  EXPECT_EQ(attr(case_named(suite_named(doc, "other"), "Start").get_child("error"), "type"),
            "error");
}

TEST(JUnitReporter, FailedFixtureCommandsAreFailedTestcasesOfAFixturesSuite) {
  TempDir dir;
  const ptree doc = parse(written_report(dir, testing::play_fixture_failures));
  // The run's totals count them: CI reading only the report sees the failures.
  const ptree& all = doc.get_child("testsuites");
  EXPECT_EQ(attr(all, "tests"), "5");
  EXPECT_EQ(attr(all, "failures"), "2");
  EXPECT_EQ(attr(all, "errors"), "1");
  EXPECT_EQ(attr(all, "skipped"), "1");

  const ptree& fixtures = suite_named(doc, "fixtures");
  EXPECT_EQ(attr(fixtures, "tests"), "3");
  EXPECT_EQ(attr(fixtures, "failures"), "1");
  EXPECT_EQ(attr(fixtures, "errors"), "1");
  EXPECT_EQ(attr(fixtures, "skipped"), "1");
  EXPECT_THAT(child_names(fixtures, "testcase", "name"),
              ElementsAre("db setup", "db cleanup (stop_db)", "cache cleanup"));

  const ptree& setup = case_named(fixtures, "db setup");
  EXPECT_EQ(attr(setup, "classname"), "fixtures");
  EXPECT_EQ(attr(setup, "time"), "2.004");
  EXPECT_EQ(attr(setup.get_child("error"), "type"), "timeout");
  EXPECT_EQ(attr(setup.get_child("error"), "message"), "timed out after 2 s");
  EXPECT_EQ(setup.get<std::string>("system-out"), "starting <db> & waiting\n");

  const ptree& cleanup = case_named(fixtures, "db cleanup (stop_db)");
  EXPECT_EQ(attr(cleanup.get_child("failure"), "type"), "failed");
  EXPECT_EQ(attr(cleanup.get_child("failure"), "message"), "exited with code 4");
  EXPECT_EQ(cleanup.get<std::string>("failure"), "cleanup failing\n");

  EXPECT_EQ(attr(case_named(fixtures, "cache cleanup").get_child("skipped"), "message"),
            "not run: interrupted");
  // The item the setup failed keeps its own testcase.
  EXPECT_EQ(attr(case_named(suite_named(doc, "needs_db"), "Query").get_child("failure"), "message"),
            "fixture 'db' setup failed: timed out after 2 s");
}

TEST(JUnitReporter, AnyBytesRoundTripAsTheirSanitizedText) {
  TempDir dir;
  const ptree doc = parse(written_report(dir, testing::play_bad_bytes));
  // Rebuild what the scenario sent, through a recording reporter.
  struct Recorder : Reporter {
    std::string message, output, file;
    void item_finished(const collector::Item& item, const collector::Result& r) override {
      message = r.message;
      output = r.output;
      file = item.file;
    }
  } recorder;
  testing::play_bad_bytes(recorder);

  const ptree& item = case_named(suite_named(doc, "bytes"), "Print<int>");
  EXPECT_EQ(attr(item, "file"), recorder.file);
  EXPECT_EQ(attr(item.get_child("failure"), "message"), sanitize_xml_chars(recorder.message));
  EXPECT_EQ(item.get<std::string>("failure"), sanitize_xml_chars(recorder.output));
  EXPECT_EQ(item.get<std::string>("system-out"), sanitize_xml_chars(recorder.output));
}

TEST(JUnitReporter, UnfinishedItemsAreReportedNotRun) {
  TempDir dir;
  const ptree doc = parse(written_report(dir, testing::play_interrupted));
  const ptree& slow = suite_named(doc, "slow");
  EXPECT_EQ(attr(slow, "tests"), "4");
  EXPECT_EQ(attr(slow, "skipped"), "3");
  EXPECT_FALSE(case_named(slow, "One").get_child_optional("skipped"));
  EXPECT_EQ(attr(case_named(slow, "Two").get_child("skipped"), "message"),
            "not run: interrupted by SIGINT");
  EXPECT_EQ(attr(case_named(slow, "Three").get_child("skipped"), "message"),
            "not run: the run was interrupted");
  EXPECT_EQ(attr(case_named(slow, "DISABLED_Four").get_child("skipped"), "message"), "disabled");
}

TEST(JUnitReporter, WritesAtomicallyAndReplacesAnOldReport) {
  TempDir dir;
  std::ofstream(dir.path() / "junit.xml") << "stale report from an earlier run";
  const std::string xml = written_report(dir, testing::play_collection_error);
  EXPECT_THAT(xml, StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
  EXPECT_THAT(dir.entries(), ElementsAre("junit.xml"));
}

TEST(JUnitReporter, ReportsEvenWithoutAnyItem) {
  TempDir dir;
  JUnitReporter reporter(options_for(dir.path() / "empty.xml"));
  reporter.run_started({});
  reporter.run_finished(Summary{.interrupted = true});
  const ptree doc = parse(read(dir.path() / "empty.xml"));
  EXPECT_EQ(attr(doc.get_child("testsuites"), "tests"), "0");
}

TEST(JUnitReporter, UnwritablePathThrowsNamingIt) {
  TempDir dir;
  std::ofstream(dir.path() / "file") << "x";
  JUnitReporter reporter(options_for(dir.path() / "file" / "junit.xml"));
  reporter.run_started({});
  try {
    reporter.run_finished({});
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("file/junit.xml"));
  }
}

TEST(JUnitReporter, SuitesFollowTheRunsTargetOrderNotTheOrderTheyWereListed) {
  JUnitReporter reporter({.path = "unused.xml"});
  reporter.run_started(RunInfo{.targets = {"first", "second", "third"}});
  // Collected targets and items stay alive until the report is written (see Reporter).
  const std::vector<collector::Target> targets{testing::make_target("unknown"),
                                               testing::make_target("third"),
                                               testing::make_target("first")};
  const std::vector<std::vector<collector::Item>> items{{testing::make_item("unknown", "A", "b")},
                                                        {testing::make_item("third", "A", "b")},
                                                        {testing::make_item("first", "A", "b")}};
  reporter.target_collected(targets[0], items[0]);
  reporter.target_collected(targets[1], items[1]);
  reporter.collection_failed(CollectionError{"second", "/bin/second", "cannot list"});
  reporter.target_collected(targets[2], items[2]);
  const ptree doc = parse(reporter.document({}));
  EXPECT_THAT(child_names(doc.get_child("testsuites"), "testsuite", "name"),
              ElementsAre("first", "second", "third", "unknown"));
}

TEST(JUnitReporter, DefaultHostnameIsThisMachine) {
  char name[HOST_NAME_MAX + 1] = {};
  ASSERT_EQ(::gethostname(name, sizeof name - 1), 0);
  JUnitReporter reporter({.path = "unused.xml"});
  const collector::Target target = testing::make_target("t");
  const std::vector<collector::Item> items{testing::make_item("t", "A", "b")};
  reporter.target_collected(target, items);
  const ptree doc = parse(reporter.document({}));
  EXPECT_EQ(attr(suite_named(doc, "t"), "hostname"), name);
}

}  // namespace
}  // namespace fanout::launcher::report
