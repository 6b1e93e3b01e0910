// fanout as a drop-in for ctest on tests/e2e/projects/ctest_properties: DEPENDS orders the tests
// (also split GoogleTest binaries, with -j, --shuffle, --retries, --repeat and --shard, and
// Ctrl-C leaves no test waiting), ENVIRONMENT_MODIFICATION changes their environment and
// REQUIRED_FILES keeps them from running, as in ctest; and on
// tests/e2e/projects/ctest_depends_cycle, a DEPENDS cycle is refused as ctest refuses it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "tests/e2e/ctest_project.hpp"
#include "tests/e2e/leftovers.hpp"
#include "tests/e2e/spawned_command.hpp"

namespace fanout::e2e {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

/// What the runs are given to inherit (see the project's env_modified test).
const std::vector<std::string> kEnvironment = {"PROPS_INHERITED=outer", "PROPS_GONE=bye",
                                               "PROPS_RESET=inherited", "ORDER_FORBIDDEN=1"};
/// Every run but the interrupt test's leaves the test that takes a minute out.
const std::vector<std::string> kUsualTests = {"-E", "^interrupt_"};

/// The DEPENDS of the project: dependency -> the tests that depend on it.
const std::multimap<std::string, std::string> kDepends = {
    {"dep_first", "dep_second"},        {"dep_second", "dep_third"},
    {"dep_fails", "after_failure"},     {"gt_split/Order.One", "after_gt"},
    {"gt_split/Order.Two", "after_gt"}, {"gt_split/Order.Three", "after_gt"},
};

/// The "start NAME" and "end NAME" lines of state/order.log, in order.
class OrderLog {
 public:
  explicit OrderLog(const fs::path& file) {
    std::ifstream in(file);
    std::size_t index = 0;
    for (std::string line; std::getline(in, line); ++index) {
      text_ += line + "\n";
      const auto space = line.find(' ');
      if (space == std::string::npos) continue;
      const std::string what = line.substr(0, space);
      const std::string name = line.substr(space + 1);
      if (what == "start" && !first_start_.contains(name)) first_start_[name] = index;
      if (what == "end") last_end_[name] = index;
    }
  }
  bool started(const std::string& name) const { return first_start_.contains(name); }
  /// Every DEPENDS edge of the project whose two ends both started: the dependency had ended
  /// (the last time it ran) before the other started (the first time). One line per violation.
  std::string violations() const {
    std::string found;
    for (const auto& [dependency, user] : kDepends) {
      if (!started(dependency) || !started(user)) continue;
      const auto end = last_end_.find(dependency);
      if (end == last_end_.end() || end->second > first_start_.at(user)) {
        found += user + " started before " + dependency + " ended\n";
      }
    }
    return found;
  }
  const std::string& text() const { return text_; }

 private:
  std::map<std::string, std::size_t> first_start_;
  std::map<std::string, std::size_t> last_end_;
  std::string text_;
};

/// One build of the project for every test of the suite.
class CtestProperties : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { project_ = new CtestProject("ctest_properties"); }
  static void TearDownTestSuite() {
    delete project_;
    project_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(project_->ok()) << project_->log(); }

  static const CtestProject& project() { return *project_; }
  static fs::path state() { return project_->build() / "state"; }
  static void clear_state() {
    std::error_code ignored;
    fs::remove_all(state(), ignored);
  }
  /// fanout on the usual tests with `args`, the state of an earlier run removed first.
  static FanoutTreeRun run_fanout(std::vector<std::string> args) {
    clear_state();
    args.insert(args.end(), kUsualTests.begin(), kUsualTests.end());
    return project_->run_fanout(args, kEnvironment);
  }

 private:
  static inline CtestProject* project_ = nullptr;
};

std::string warnings_in(const std::string& output) {
  std::string lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.find("ctest import") != std::string::npos) lines += line + "\n";
  }
  return lines;
}

TEST_F(CtestProperties, SameVerdictsAsCtestAndTheOrderItKeeps) {
  clear_state();
  std::vector<std::string> args{"-j", "4"};
  args.insert(args.end(), kUsualTests.begin(), kUsualTests.end());
  const CtestRun ctest = project().run_ctest(args, kEnvironment);
  const OrderLog ctest_order(state() / "order.log");
  // The project's checks are sound: ctest passes them.
  EXPECT_EQ(ctest_order.violations(), "") << ctest_order.text();
  EXPECT_TRUE(ctest_order.started("gt_split/Order.Three")) << ctest_order.text();

  const FanoutTreeRun run = run_fanout({"-j", "4"});
  const OrderLog order(state() / "order.log");
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();

  const Verdicts intended = {
      {"dep_first", Verdict::pass},     {"dep_second", Verdict::pass},
      {"dep_third", Verdict::pass},     {"dep_fails", Verdict::fail},
      {"after_failure", Verdict::pass}, {"gt_split", Verdict::pass},
      {"after_gt", Verdict::pass},      {"env_modified", Verdict::pass},
      {"files_present", Verdict::pass}, {"files_missing", Verdict::fail},
      {"makes_file", Verdict::pass},    {"needs_made", Verdict::pass},
  };
  for (const auto& [test, verdict] : intended) {
    const auto ctest_verdict = ctest.verdicts.find(test);
    ASSERT_NE(ctest_verdict, ctest.verdicts.end()) << test << "\n" << ctest.command.output;
    EXPECT_EQ(to_string(ctest_verdict->second), std::string(to_string(verdict)))
        << "ctest on " << test << "\n"
        << ctest.command.output;
    const auto fanout_verdict = run.verdict(test);
    ASSERT_TRUE(fanout_verdict) << test << "\n" << run.diagnostics();
    EXPECT_EQ(to_string(*fanout_verdict), std::string(to_string(verdict)))
        << "fanout on " << test << "\n"
        << run.diagnostics();
  }

  // DEPENDS: no test started before one it depends on had ended; the split binary's items all
  // ended before the test after it started.
  EXPECT_EQ(order.violations(), "") << order.text() << run.diagnostics();
  EXPECT_EQ(run.junit->in_suite("gt_split").size(), 3u)
      << "split into its items, listed with ORDER_FORBIDDEN unset\n"
      << run.diagnostics();

  // REQUIRED_FILES: the test with a missing file never started; the report names the file.
  EXPECT_FALSE(order.started("files_missing")) << order.text();
  const auto missing = run.junit->in_suite("files_missing");
  ASSERT_EQ(missing.size(), 1u) << run.diagnostics();
  EXPECT_EQ(missing[0]->status, "error");
  EXPECT_THAT(missing[0]->message, AllOf(HasSubstr("'missing.txt'"), HasSubstr("not run")));
  EXPECT_THAT(ctest.command.output, HasSubstr("missing.txt"));

  // ENVIRONMENT_MODIFICATION: a bad entry is ignored with a warning, the others are applied;
  // ctest refuses to run that test instead.
  EXPECT_EQ(ctest.verdicts.at("env_bad_entry"), Verdict::fail) << ctest.command.output;
  EXPECT_EQ(run.verdict("env_bad_entry"), Verdict::pass) << run.diagnostics();
  const std::string warnings = warnings_in(run.command.output);
  EXPECT_THAT(warnings, AllOf(HasSubstr("'PROPS_BAD=bogus:1'"), HasSubstr("'env_bad_entry'")));
  for (const char* honoured : {"DEPENDS", "REQUIRED_FILES", "ENVIRONMENT_MODIFICATION ("}) {
    EXPECT_THAT(warnings, Not(HasSubstr(honoured))) << warnings;
  }
}

TEST_F(CtestProperties, ShuffleRetriesAndRepeatKeepTheOrder) {
  const std::vector<std::vector<std::string>> variants = {
      {"-j", "4", "--shuffle"},
      {"-j", "4", "--retries", "1"},
      {"-j", "4", "--repeat", "until-fail:2"},
      {"-j", "1"},
  };
  for (const auto& variant : variants) {
    std::string shown;
    for (const auto& arg : variant) shown += " " + arg;
    SCOPED_TRACE(shown);
    const FanoutTreeRun run = run_fanout(variant);
    const OrderLog order(state() / "order.log");
    EXPECT_FALSE(run.command.timed_out) << run.diagnostics();
    EXPECT_EQ(run.command.exit_code, 1) << "dep_fails and files_missing fail\n"
                                        << run.diagnostics();
    EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
    EXPECT_EQ(order.violations(), "") << order.text() << run.diagnostics();
    EXPECT_TRUE(order.started("after_gt")) << order.text() << run.diagnostics();
    EXPECT_EQ(run.verdict("after_failure"), Verdict::pass) << run.diagnostics();
  }
}

TEST_F(CtestProperties, EachShardKeepsTheOrderOfWhatItRunsAndTheShardsRunEveryTest) {
  std::set<std::string> tests;
  std::multiset<std::string> items;
  for (const char* shard : {"1/2", "2/2"}) {
    SCOPED_TRACE(shard);
    // Every shard must plan over the same history, as every job of a CI matrix does: none here.
    std::error_code ignored;
    fs::remove(project().build() / ".fanout" / "history.json", ignored);
    const FanoutTreeRun run = run_fanout({"-j", "4", "--shard", shard});
    const OrderLog order(state() / "order.log");
    EXPECT_FALSE(run.command.timed_out) << run.diagnostics();
    EXPECT_TRUE(run.command.exit_code == 0 || run.command.exit_code == 1) << run.diagnostics();
    EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
    // A dependency in the other shard imposes nothing; one in this shard still comes first.
    EXPECT_EQ(order.violations(), "") << order.text() << run.diagnostics();
    for (const auto& test : run.tests()) tests.insert(test);
    if (run.junit) {
      for (const auto& [id, testcase] : run.junit->cases) items.insert(id);
    }
  }
  const std::set<std::string> every = {
      "dep_first",     "dep_second", "dep_third",    "dep_fails",     "after_failure",
      "gt_split",      "after_gt",   "env_modified", "env_bad_entry", "files_present",
      "files_missing", "makes_file", "needs_made"};
  EXPECT_EQ(tests, every);
  // Each item in one shard: the split binary's three, one for each other test.
  EXPECT_EQ(items.size(), every.size() + 2);
  EXPECT_EQ(std::set<std::string>(items.begin(), items.end()).size(), items.size());
}

TEST_F(CtestProperties, CtrlCEndsTheTestsWaitingForADependency) {
  clear_state();
  const fs::path report = state().parent_path() / "interrupted.xml";
  const std::string token = "FANOUT_E2E_TOKEN=interrupt-" + std::to_string(::getpid());
  std::vector<std::string> argv{"/usr/bin/env", token};
  argv.insert(argv.end(), kEnvironment.begin(), kEnvironment.end());
  argv.insert(argv.end(), {FANOUT_BINARY, "--test-dir", project().build().string(), "--junit",
                           report.string(), "-j", "4", "-R", "^interrupt_"});
  SpawnedCommand fanout(argv, project().build());
  bool blocker_started = false;
  for (int i = 0; i < 300 && !blocker_started; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    blocker_started = OrderLog(state() / "order.log").started("interrupt_blocker");
  }
  ASSERT_TRUE(blocker_started) << fanout.output();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(OrderLog(state() / "order.log").started("interrupt_waiter"));
  fanout.send(SIGINT);
  const CommandResult result = fanout.wait(std::chrono::seconds(30));
  const auto leftovers = reap_leftovers(token);
  EXPECT_FALSE(result.timed_out) << result.output;
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_TRUE(leftovers.empty()) << describe(leftovers);
  EXPECT_FALSE(OrderLog(state() / "order.log").started("interrupt_waiter"));
  std::ifstream in(report);
  const std::string xml{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const JunitReport junit = parse_junit(xml);
  const auto waiter = junit.in_suite("interrupt_waiter");
  ASSERT_EQ(waiter.size(), 1u) << xml;
  EXPECT_EQ(waiter[0]->status, "skipped") << xml;
  EXPECT_THAT(waiter[0]->message, HasSubstr("interrupted")) << xml;
}

TEST(CtestDependsCycle, RefusedAsCtestRefusesItAndWhatIsOutsideItRuns) {
  const CtestProject project("ctest_depends_cycle");
  ASSERT_TRUE(project.ok()) << project.log();

  const CtestRun ctest = project.run_ctest({});
  EXPECT_THAT(ctest.command.output, HasSubstr("cycle"));
  EXPECT_TRUE(ctest.verdicts.empty()) << "ctest runs nothing\n" << ctest.command.output;
  const FanoutTreeRun run = project.run_fanout({});
  EXPECT_EQ(run.command.exit_code, 4) << run.diagnostics();
  EXPECT_THAT(run.command.output,
              AllOf(HasSubstr("cycle"), HasSubstr("'cycle_a'"), HasSubstr("'cycle_b'"),
                    HasSubstr("'cycle_c'"), Not(HasSubstr("'outside'"))));
  EXPECT_FALSE(run.junit) << "nothing ran\n" << run.diagnostics();

  // Without cycle_a in the run, nothing waits: outside runs, in both.
  const CtestRun ctest_outside = project.run_ctest({"-R", "outside"});
  EXPECT_EQ(ctest_outside.command.exit_code, 0) << ctest_outside.command.output;
  const FanoutTreeRun outside = project.run_fanout({"-R", "outside"});
  EXPECT_EQ(outside.command.exit_code, 0) << outside.diagnostics();
  EXPECT_EQ(outside.tests(), std::vector<std::string>{"outside"}) << outside.diagnostics();

  // Listing is no run: the tests of the cycle are listed.
  const CommandResult listed =
      run_command({FANOUT_BINARY, "--test-dir", project.build().string(), "-N"}, project.build());
  EXPECT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_THAT(listed.output, AllOf(HasSubstr("cycle_a"), HasSubstr("outside")));
}

}  // namespace
}  // namespace fanout::e2e
