// fanout as a drop-in for ctest on a project that never heard of Fanout
// (tests/e2e/projects/ctest_dropin): the same verdict as ctest for every CTest test, CTest's
// properties honoured, a whole GoogleTest binary split into items, discovered items run as they
// are, and ctest's selection options choosing the same tests; and on
// tests/e2e/projects/ctest_fixtures, every setup and cleanup test of a fixture run, as ctest runs
// them, also after a setup test failed (tests/e2e/projects/ctest_failed_setup), and stopped at
// their time limit (tests/e2e/projects/ctest_fixture_timeout).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "tests/e2e/ctest_project.hpp"

namespace fanout::e2e {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using ::testing::HasSubstr;

/// The CTest tests that fanout runs as fixture setup and cleanup, not as items.
const std::set<std::string> kFixtureTests = {"db_setup", "db_cleanup"};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The project built, and one run of ctest and one of fanout on all of it (both at -j 4, so locks
/// and RUN_SERIAL matter).
struct DropIn {
  DropIn() : project("ctest_dropin") {
    if (!project.ok()) return;
    ctest = project.run_ctest({"-j", "4"});
    // The fixture's cleanup leaves this note; only fanout's cleanup may bring it back.
    std::error_code ignored;
    fs::remove(cleaned_note(), ignored);
    fanout = project.run_fanout({"-j", "4"});
  }
  fs::path cleaned_note() const { return project.build() / "state" / "cleaned"; }

  CtestProject project;
  CtestRun ctest;
  FanoutTreeRun fanout;
};

void expect_ctests_verdict_for_every_test(const DropIn& d) {
  ASSERT_EQ(d.ctest.junit_error, "") << d.ctest.command.output;
  ASSERT_TRUE(d.fanout.junit) << d.fanout.diagnostics();
  EXPECT_FALSE(d.fanout.command.timed_out) << d.fanout.diagnostics();
  EXPECT_EQ(d.ctest.verdicts.size(), 27u)
      << "the project registers 27 tests; ctest saw " << describe(d.ctest.verdicts);
  Verdicts fanout_verdicts;
  for (const auto& [test, ctest_verdict] : d.ctest.verdicts) {
    if (kFixtureTests.contains(test)) continue;
    const auto verdict = d.fanout.verdict(test);
    if (!verdict) {
      ADD_FAILURE() << "fanout reports nothing for CTest test '" << test << "'";
      continue;
    }
    fanout_verdicts[test] = *verdict;
    EXPECT_EQ(to_string(*verdict), std::string(to_string(ctest_verdict))) << "test " << test;
  }
  // Both tools agree with the project's intent, so agreement is not agreement on nonsense.
  const Verdicts intended = {
      {"passes", Verdict::pass},
      {"fails", Verdict::fail},
      {"will_fail", Verdict::pass},
      {"pass_regex_matches", Verdict::pass},
      {"pass_regex_misses", Verdict::fail},
      {"fail_regex", Verdict::fail},
      {"skip_regex", Verdict::skip},
      {"skip_code", Verdict::skip},
      {"disabled", Verdict::skip},
      {"hangs", Verdict::fail},
      {"environment", Verdict::pass},
      {"working_directory", Verdict::pass},
      {"db_user", Verdict::pass},
      {"locked_a", Verdict::pass},
      {"locked_b", Verdict::pass},
      {"serial", Verdict::pass},
      {"gt_whole", Verdict::pass},
      {"gt_failing", Verdict::fail},
      {"discovered.Math.Skips", Verdict::skip},
      {"not_built", Verdict::fail},
  };
  for (const auto& [test, verdict] : intended) {
    const auto found = fanout_verdicts.find(test);
    ASSERT_NE(found, fanout_verdicts.end()) << test;
    EXPECT_EQ(to_string(found->second), std::string(to_string(verdict))) << "test " << test;
  }
  EXPECT_EQ(d.fanout.command.exit_code, 1) << d.fanout.diagnostics();
  EXPECT_NE(d.ctest.command.exit_code, 0) << d.ctest.command.output;
}

void expect_hang_killed_at_its_timeout(const FanoutTreeRun& run) {
  EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
  ASSERT_TRUE(run.junit) << run.diagnostics();
  const auto hangs = run.junit->in_suite("hangs");
  ASSERT_EQ(hangs.size(), 1u) << run.diagnostics();
  EXPECT_EQ(hangs[0]->type, "timeout") << hangs[0]->message;
}

void expect_whole_gtest_binary_split(const FanoutTreeRun& run) {
  ASSERT_TRUE(run.junit) << run.diagnostics();
  const JunitReport& junit = *run.junit;
  ASSERT_EQ(junit.in_suite("gt_whole").size(), 3u) << run.diagnostics();
  EXPECT_EQ(junit.cases.at("gt_whole/Math.Adds").status, "passed");
  EXPECT_EQ(junit.cases.at("gt_whole/Math.Skips").status, "skipped");
  EXPECT_EQ(junit.cases.at("gt_whole/Env.FailsOnRequest").status, "passed");
  EXPECT_THAT(run.command.output, HasSubstr("PASSED  gt_whole/Math.Adds ("));

  // A real failure of a split binary stands: the whole command fails too.
  ASSERT_TRUE(junit.cases.contains("gt_failing/Env.FailsOnRequest")) << run.diagnostics();
  const JunitCase& failing = junit.cases.at("gt_failing/Env.FailsOnRequest");
  EXPECT_EQ(failing.status, "failure");
  EXPECT_THAT(failing.message + failing.details, HasSubstr("dropin failure: GT_FAIL is set"));
  EXPECT_EQ(junit.cases.at("gt_failing/Math.Adds").status, "passed");
  EXPECT_THAT(run.command.output, HasSubstr("gt_failing: the whole command failed as well"));

  // Tests of gtest_discover_tests are one item each.
  for (const char* test :
       {"discovered.Math.Adds", "discovered.Math.Skips", "discovered.Env.FailsOnRequest"}) {
    EXPECT_EQ(junit.in_suite(test).size(), 1u) << test << "\n" << run.diagnostics();
  }
}

void expect_fixture_set_up_and_cleaned_up(const DropIn& d) {
  EXPECT_EQ(d.fanout.verdict("db_user"), Verdict::pass) << d.fanout.diagnostics();
  EXPECT_TRUE(fs::exists(d.cleaned_note())) << "the cleanup test did not run\n"
                                            << d.fanout.diagnostics();
  EXPECT_FALSE(fs::exists(d.project.build() / "state" / "ready")) << d.fanout.diagnostics();
}

void expect_unbuilt_reported_and_ignored_property_named(const FanoutTreeRun& run) {
  ASSERT_TRUE(run.junit) << run.diagnostics();
  const auto not_built = run.junit->in_suite("not_built");
  ASSERT_EQ(not_built.size(), 1u) << run.diagnostics();
  EXPECT_EQ(not_built[0]->status, "error");
  // COST is a CTest property Fanout does not honour: a warning names it and the test.
  bool warned = false;
  std::istringstream lines(run.command.output);
  for (std::string line; std::getline(lines, line);) {
    warned = warned || (contains(line, "COST") && contains(line, "costly"));
  }
  EXPECT_TRUE(warned) << run.diagnostics();
}

// One test for everything one run shows: a GoogleTest item of its own process would build the
// project again.
TEST(CtestDropIn, SameVerdictsAsCtestAndCtestPropertiesHonoured) {
  const DropIn d;
  ASSERT_TRUE(d.project.ok()) << d.project.log();
  {
    SCOPED_TRACE("verdicts");
    expect_ctests_verdict_for_every_test(d);
  }
  {
    SCOPED_TRACE("TIMEOUT");
    expect_hang_killed_at_its_timeout(d.fanout);
  }
  {
    SCOPED_TRACE("GoogleTest binaries");
    expect_whole_gtest_binary_split(d.fanout);
  }
  {
    SCOPED_TRACE("FIXTURES_SETUP/REQUIRED/CLEANUP");
    expect_fixture_set_up_and_cleaned_up(d);
  }
  // RESOURCE_LOCK and RUN_SERIAL: each of these fails when another one holds its directory.
  for (const char* test : {"locked_a", "locked_b", "serial"}) {
    EXPECT_EQ(d.fanout.verdict(test), Verdict::pass) << test << "\n" << d.fanout.diagnostics();
  }
  {
    SCOPED_TRACE("not built, unsupported property");
    expect_unbuilt_reported_and_ignored_property_named(d.fanout);
  }
}

/// The CTest tests `ctest -N <selection>` lists, fixture tests aside (fanout lists no items for
/// them: they are its fixtures).
std::set<std::string> ctest_listed(const CtestProject& project,
                                   const std::vector<std::string>& selection) {
  std::vector<std::string> argv{FANOUT_CTEST_COMMAND, "--test-dir", project.build().string(), "-N"};
  argv.insert(argv.end(), selection.begin(), selection.end());
  const CommandResult listed = run_command(argv, project.build());
  EXPECT_EQ(listed.exit_code, 0) << listed.output;
  // "  Test #12: disabled (Disabled)"; the project's test names have no spaces.
  static const std::regex entry(R"(^\s*Test\s+#\d+: (\S+)( \(Disabled\))?$)");
  std::set<std::string> tests;
  std::istringstream lines(listed.output);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, entry) && !kFixtureTests.contains(match[1])) {
      tests.insert(match[1]);
    }
  }
  return tests;
}

/// The targets `fanout -N --format json <selection>` lists items of.
std::set<std::string> fanout_listed(const CtestProject& project,
                                    const std::vector<std::string>& selection) {
  std::vector<std::string> argv{FANOUT_BINARY, "--test-dir", project.build().string(),
                                "-N",          "--format",   "json"};
  argv.insert(argv.end(), selection.begin(), selection.end());
  const CommandResult listed = run_command(argv, project.build());
  std::set<std::string> tests;
  try {
    const json::value listing = json_in(listed.output);
    for (const auto& item : listing.at("items").as_array()) {
      tests.insert(std::string(item.at("target").as_string()));
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
  return tests;
}

std::string joined(const std::set<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

TEST(CtestDropIn, SelectionOptionsChooseTheSameTestsAsCtest) {
  const CtestProject project("ctest_dropin");
  ASSERT_TRUE(project.ok()) << project.log();
  const std::vector<std::vector<std::string>> selections = {
      {"-R", "^gt_"},        {"-R", "regex"},
      {"-R", "Adds"},        {"-E", "discovered|regex|^lock"},
      {"-L", "fast"},        {"-L", "discovered", "-E", "Skips"},
      {"-LE", "discovered"}, {"-R", "^label", "-LE", "slow"},
  };
  for (const auto& selection : selections) {
    std::string shown;
    for (const auto& arg : selection) shown += " " + arg;
    SCOPED_TRACE("-N" + shown);
    std::set<std::string> expected = ctest_listed(project, selection);
    // not_built has no items to list; whether a selection keeps it out is checked below.
    expected.erase("not_built");
    ASSERT_FALSE(expected.empty()) << "a selection that selects nothing proves little";
    EXPECT_EQ(joined(fanout_listed(project, selection)), joined(expected));
  }

  // ctest -L fast runs labelled_fast only and passes: not_built, which has no label, is no
  // concern of this run.
  const CtestRun ctest = project.run_ctest({"-L", "fast"});
  EXPECT_EQ(ctest.command.exit_code, 0) << ctest.command.output;
  const FanoutTreeRun run = project.run_fanout({"-L", "fast"});
  EXPECT_EQ(run.tests(), std::vector<std::string>{"labelled_fast"}) << run.diagnostics();
  EXPECT_EQ(run.verdict("labelled_fast"), Verdict::pass) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, ctest.command.exit_code) << run.diagnostics();
}

/// The first line of `path`; "<missing>" when there is no such file.
std::string first_line(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return "<missing>";
  std::string line;
  std::getline(in, line);
  return line;
}

/// What the fixture tests of ctest_fixtures left in its state directory after a run, file by file.
std::map<std::string, std::string> state_files(const fs::path& state) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(state, ec)) {
    files[entry.path().filename().string()] = first_line(entry.path());
  }
  return files;
}

/// Fanout's run of `project` with -j 4, after what ctest's run left in `state` was removed.
FanoutTreeRun run_fanout_afresh(const CtestProject& project, const fs::path& state) {
  std::error_code ignored;
  fs::remove_all(state, ignored);
  return project.run_fanout({"-j", "4"});
}

std::string describe(const std::map<std::string, std::string>& files) {
  std::string text;
  for (const auto& [name, line] : files) text += (text.empty() ? "" : ", ") + name + ": " + line;
  return text;
}

// CTest runs every setup test of a fixture before the tests that require it and every cleanup
// test after them; so does fanout, and the setups' KEY=VALUE lines reach the later setups and
// the tests that require the fixture.
TEST(CtestDropIn, EverySetupAndCleanupTestOfAFixtureRuns) {
  const CtestProject project("ctest_fixtures");
  ASSERT_TRUE(project.ok()) << project.log();
  const fs::path state = project.build() / "state";

  const CtestRun ctest = project.run_ctest({"-j", "4"});
  EXPECT_EQ(ctest.command.exit_code, 0) << ctest.command.output;
  EXPECT_EQ(describe(ctest.verdicts),
            "svc_cleanup_a=pass, svc_cleanup_b=pass, svc_setup_a=pass, svc_setup_b=pass, "
            "svc_user=pass, tmp_cleanup=pass, tmp_user=pass")
      << ctest.command.output;
  // ctest exports nothing: the same files, with empty values.
  EXPECT_EQ(describe(state_files(state)),
            "cleaned_a: [] [], cleaned_b: [] [], seen: [] [], tmp_cleaned: noted")
      << ctest.command.output;

  const FanoutTreeRun run = run_fanout_afresh(project, state);
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
  // The fixture tests are the fixtures' commands, not items; the requiring tests pass, so every
  // setup ran before them (svc_user reads the files of both).
  std::vector<std::string> tests = run.tests();
  std::sort(tests.begin(), tests.end());  // in the order their targets were listed
  EXPECT_EQ(tests, (std::vector<std::string>{"svc_user", "tmp_user"})) << run.diagnostics();
  EXPECT_EQ(run.verdict("svc_user"), Verdict::pass) << run.diagnostics();
  EXPECT_EQ(run.verdict("tmp_user"), Verdict::pass) << run.diagnostics();
  // setup_b ran after setup_a and saw its export; svc_user and both cleanups saw both exports;
  // both cleanups removed what their setup left.
  EXPECT_EQ(describe(state_files(state)),
            "cleaned_a: [alpha] [beta:alpha], cleaned_b: [alpha] [beta:alpha], "
            "seen: [alpha] [beta:alpha], tmp_cleaned: noted")
      << run.diagnostics();
  EXPECT_THAT(run.command.output, ::testing::Not(HasSubstr("several setup")));
  EXPECT_THAT(run.command.output, ::testing::Not(HasSubstr("several cleanup")));
}

// A failed setup test does not keep ctest from running the fixture's later setup tests and its
// cleanup tests; only the tests that require the fixture do not run. Fanout does the same, and
// fails those tests with the first failed setup's output.
TEST(CtestDropIn, AFailedSetupTestLetsTheOtherSetupsAndTheCleanupsRun) {
  const CtestProject project("ctest_failed_setup");
  ASSERT_TRUE(project.ok()) << project.log();
  const fs::path state = project.build() / "state";

  const CtestRun ctest = project.run_ctest({"-j", "4"});
  EXPECT_NE(ctest.command.exit_code, 0) << ctest.command.output;
  EXPECT_EQ(describe(state_files(state)), "cleanup_ran: noted, later_setup_ran: noted")
      << ctest.command.output;

  const FanoutTreeRun run = run_fanout_afresh(project, state);
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
  // The failed setup test is reported too, as a failed testcase of the suite "fixtures".
  EXPECT_EQ(run.tests(), (std::vector<std::string>{"bad_user", "fixtures"})) << run.diagnostics();
  EXPECT_EQ(run.verdict("bad_user"), Verdict::fail) << run.diagnostics();
  const JunitCase* failed_setup = run.junit->find("fixtures/fixtures.bad setup (bad_setup_fails)");
  ASSERT_NE(failed_setup, nullptr) << run.diagnostics();
  EXPECT_EQ(failed_setup->status, "failure");
  EXPECT_THAT(failed_setup->details, HasSubstr("cannot bind port"));
  EXPECT_EQ(run.junit->in_suite("fixtures").size(), 1u) << "only the failed setup test";
  EXPECT_EQ(describe(state_files(state)), "cleanup_ran: noted, later_setup_ran: noted")
      << run.diagnostics();
  EXPECT_THAT(run.command.output, HasSubstr("cannot bind port")) << run.diagnostics();
}

// Setup tests that hang are stopped at their TIMEOUT, else at --timeout; they, and a cleanup test
// that fails, are failed testcases of the JUnit report, so CI reading only the report sees them.
TEST(CtestDropIn, SetupAndCleanupTestsThatTimeOutOrFailAreInTheReport) {
  const CtestProject project("ctest_fixture_timeout");
  ASSERT_TRUE(project.ok()) << project.log();
  const FanoutTreeRun run = project.run_fanout({"-j", "4", "--timeout", "2"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  EXPECT_LT(run.command.seconds, 60) << run.diagnostics();
  EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
  EXPECT_EQ(run.verdict("slow_user"), Verdict::fail) << run.diagnostics();
  EXPECT_EQ(run.verdict("untimed_user"), Verdict::fail) << run.diagnostics();
  EXPECT_EQ(run.verdict("independent"), Verdict::pass) << run.diagnostics();

  struct Expected {
    std::string id, status, type, message, output;
  };
  for (const Expected& expected : {
           Expected{"fixtures/fixtures.slow setup (slow_setup)", "error", "timeout",
                    "timed out after 1 s", "slow-setup-started"},
           Expected{"fixtures/fixtures.untimed setup (untimed_setup)", "error", "timeout",
                    "timed out after 2 s", "untimed-setup-started"},
           Expected{"fixtures/fixtures.slow cleanup (slow_cleanup)", "failure", "failed",
                    "exited with code 3", "slow-cleanup-diagnostic"},
       }) {
    const JunitCase* found = run.junit->find(expected.id);
    ASSERT_NE(found, nullptr) << expected.id << "\n" << run.diagnostics();
    EXPECT_EQ(found->status, expected.status) << expected.id;
    EXPECT_EQ(found->type, expected.type) << expected.id;
    EXPECT_EQ(found->message, expected.message) << expected.id;
    EXPECT_THAT(found->details + found->system_out, HasSubstr(expected.output)) << expected.id;
  }
  EXPECT_EQ(run.junit->in_suite("fixtures").size(), 3u) << run.diagnostics();
}

/// How many lines `file` has (0 when it does not exist).
int line_count(const fs::path& file) {
  std::ifstream in(file);
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines;
}

TEST(CtestDropIn, ATestThatServesTwoFixturesRunsOnce) {
  const CtestProject project("ctest_shared_fixture");
  ASSERT_TRUE(project.ok()) << project.log();
  const fs::path state = project.build() / "state";

  const CtestRun ctest = project.run_ctest({"-j", "4"});
  EXPECT_EQ(ctest.command.exit_code, 0) << ctest.command.output;
  EXPECT_EQ(line_count(state / "setup_runs"), 1) << ctest.command.output;
  EXPECT_EQ(line_count(state / "cleanup_runs"), 1) << ctest.command.output;

  const FanoutTreeRun run = run_fanout_afresh(project, state);
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
  EXPECT_EQ(run.tests(), (std::vector<std::string>{"db_user", "cache_user", "lone_user"}))
      << run.diagnostics();
  EXPECT_EQ(line_count(state / "setup_runs"), 1) << run.diagnostics();
  EXPECT_EQ(line_count(state / "cleanup_runs"), 1) << run.diagnostics();
  EXPECT_EQ(describe(state_files(state)),
            "cache_user_ran: noted, cleanup_runs: run, db_user_ran: noted, lone_user_ran: noted, "
            "setup_runs: run")
      << run.diagnostics();
}

}  // namespace
}  // namespace fanout::e2e
