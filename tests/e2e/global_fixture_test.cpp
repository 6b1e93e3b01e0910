// Global fixtures (the manifest's "fixtures"): one setup before the first item that requires it,
// its KEY=VALUE lines in the environment of every requiring item, one cleanup after the last,
// also when the setup failed or the run is interrupted.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/leftovers.hpp"
#include "tests/e2e/probe_log.hpp"
#include "tests/e2e/run_checks.hpp"
#include "tests/e2e/spawned_command.hpp"

namespace fanout::e2e {
namespace {

constexpr int kSomeFailed = 1;
constexpr int kInterrupted = 2;
// Many/Tiny.Case/0 .. Many/Tiny.Case/29 of every target.
constexpr const char* kThirtyTinyItems = R"(Tiny\.Case/[12]?[0-9]$)";

std::vector<ProbeEvent> events_named(const ProbeLog& log, const std::string& event) {
  std::vector<ProbeEvent> selected;
  for (auto& e : log.events()) {
    if (e.event == event) selected.push_back(std::move(e));
  }
  return selected;
}

FixtureSpec logging_fixture(const std::string& name, const std::string& setup_mode,
                            const ProbeLog& log) {
  return FixtureSpec{name, fixture_command(setup_mode, log, name),
                     fixture_command("cleanup", log, name)};
}

std::string exported_value(const ProbeEvent& setup) {
  return "from-setup-" + std::to_string(setup.pid) + ",two";
}

TEST(GlobalFixtures, SetUpOnceBeforeAndCleanedUpOnceAfterEveryRequiringItem) {
  const ProbeLog log;
  TargetSpec needs = probe_target("needs_db", log);
  needs.fixtures_required = {"db"};
  const ManifestDir dir({needs, probe_target("free", log)}, {logging_fixture("db", "setup", log)});
  const FanoutRun run = run_clean(dir, {"-j", "2", "-R", kThirtyTinyItems});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{60, 0, 0})) << run.diagnostics();

  const auto setups = events_named(log, "setup");
  const auto cleanups = events_named(log, "cleanup");
  ASSERT_EQ(setups.size(), 1u) << log.text();
  ASSERT_EQ(cleanups.size(), 1u) << log.text();
  const ProbeEvent& setup = setups.front();
  const ProbeEvent& cleanup = cleanups.front();
  // Both exports reached the cleanup; the line between them was not taken for one.
  EXPECT_EQ(cleanup.value, exported_value(setup)) << log.text();

  const auto requiring = log.runs_of("needs_db");
  ASSERT_EQ(requiring.size(), 30u) << log.text();
  for (const auto& item : requiring) {
    EXPECT_GT(item.begin_line, setup.line) << item.id() << " began before the setup ended\n"
                                           << log.text();
    EXPECT_GT(item.begin_ns, setup.ns) << item.id();
    EXPECT_EQ(item.value, exported_value(setup)) << item.id() << " lacks the setup's exports";
    ASSERT_NE(item.end_ns, -1) << item.id();
    EXPECT_LT(item.end_line, cleanup.line) << item.id() << " ended after the cleanup began\n"
                                           << log.text();
    EXPECT_LT(item.end_ns, cleanup.ns) << item.id();
  }
  // Items that do not require the fixture do not get its exports.
  const auto free = log.runs_of("free");
  ASSERT_EQ(free.size(), 30u) << log.text();
  for (const auto& item : free) EXPECT_EQ(item.value, "-,-") << item.id();
}

TEST(GlobalFixtures, FailingSetupFailsTheRequiringItemsWithoutRunningThem) {
  const ProbeLog log;
  TargetSpec needs = probe_target("needs_broken", log);
  needs.fixtures_required = {"broken"};
  const ManifestDir dir({needs, probe_target("free", log)},
                        {logging_fixture("broken", "fail-setup", log)});
  const FanoutRun run = run_clean(dir, {"-j", "2", "-R", R"(Verdict\.[A-D]$)"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, kSomeFailed) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{4, 4, 0})) << run.diagnostics();

  EXPECT_EQ(events_named(log, "setup-failed").size(), 1u) << log.text();
  EXPECT_TRUE(log.runs_of("needs_broken").empty()) << log.text();
  EXPECT_EQ(log.runs_of("free").size(), 4u) << log.text();
  for (const char* name : {"A", "B", "C", "D"}) {
    const std::string suffix = std::string("/Verdict.") + name;
    EXPECT_EQ(status_of(run, "free" + suffix), "passed") << run.diagnostics();
    const JunitCase* failed = run.item("needs_broken" + suffix);
    ASSERT_NE(failed, nullptr) << item_ids(run);
    EXPECT_EQ(failed->status, "failure") << run.diagnostics();
    const std::string reported = failed->message + failed->details + failed->system_out;
    EXPECT_NE(reported.find("database-unreachable-4711"), std::string::npos)
        << "the setup's output is missing from the report of " << suffix << "\n"
        << run.diagnostics();
  }
}

/// A setup that prints a line, then hangs in a shell and a background child of it, all of them
/// holding `marker` ("KEY=VALUE") in their environment so that leftovers can be found.
std::vector<std::string> hanging_setup(const std::string& marker) {
  return {"/usr/bin/env", marker, "/bin/sh", "-c",
          "echo setup-diagnostic-4711; sleep 600 & sleep 600"};
}

/// A marker entry unique to this process and test, for hanging_setup().
std::string unique_marker() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return "FANOUT_E2E_HANG=" + std::to_string(::getpid()) + "-" + test->name();
}

/// Checks that `item_id` failed because its fixture's setup timed out after `limit`, with the
/// setup's output in the report.
void expect_failed_by_timed_out_setup(const FanoutRun& run, const std::string& item_id,
                                      const std::string& limit) {
  const JunitCase* failed = run.item(item_id);
  ASSERT_NE(failed, nullptr) << item_ids(run);
  EXPECT_EQ(failed->status, "failure") << run.diagnostics();
  EXPECT_NE(failed->message.find("setup failed: timed out after " + limit), std::string::npos)
      << failed->message;
  EXPECT_NE((failed->details + failed->system_out).find("setup-diagnostic-4711"), std::string::npos)
      << "the setup's output is missing\n"
      << run.diagnostics();
}

TEST(GlobalFixtures, AHangingSetupTimesOutAfterTheRunsTimeoutAndFailsItsItems) {
  const ProbeLog log;
  const std::string marker = unique_marker();
  TargetSpec needs = probe_target("needs_slow", log);
  needs.fixtures_required = {"slow"};
  const ManifestDir dir({needs, probe_target("free", log)},
                        {FixtureSpec{"slow", hanging_setup(marker), {}}});
  const auto started = std::chrono::steady_clock::now();
  const FanoutRun run = run_clean(dir, {"-j", "2", "--timeout", "2", "-R", R"(Verdict\.[AB]$)"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(run.command.exit_code, kSomeFailed) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{2, 2, 0})) << run.diagnostics();
  EXPECT_LT(seconds, 40) << "the setup was not stopped at its time limit\n" << run.diagnostics();
  EXPECT_TRUE(log.runs_of("needs_slow").empty()) << log.text();
  for (const char* name : {"A", "B"}) {
    expect_failed_by_timed_out_setup(run, std::string("needs_slow/Verdict.") + name, "2 s");
    EXPECT_EQ(status_of(run, std::string("free/Verdict.") + name), "passed") << run.diagnostics();
  }
  // The setup's shell and its background sleep were killed with its process group.
  const auto leftovers = reap_leftovers(marker);
  EXPECT_TRUE(leftovers.empty()) << describe(leftovers);
}

TEST(GlobalFixtures, AFixturesOwnTimeoutWinsOverTheRunsTimeout) {
  const ProbeLog log;
  const std::string marker = unique_marker();
  TargetSpec needs = probe_target("needs_slow", log);
  needs.fixtures_required = {"slow"};
  FixtureSpec slow{"slow", hanging_setup(marker), {}};
  slow.timeout = 1;
  const ManifestDir dir({needs}, {slow});
  const FanoutRun run = run_clean(dir, {"--timeout", "600", "-R", R"(Verdict\.A$)"});
  EXPECT_EQ(run.command.exit_code, kSomeFailed) << run.diagnostics();
  expect_failed_by_timed_out_setup(run, "needs_slow/Verdict.A", "1 s");
  const auto leftovers = reap_leftovers(marker);
  EXPECT_TRUE(leftovers.empty()) << describe(leftovers);
}

/// A shell setup that prints `lines` lines of noise, `first` (an export line), as much noise
/// again, then FANOUT_E2E_SECOND set to `second_bytes` times 'v'.
std::vector<std::string> chatty_setup(int lines, const std::string& first, int second_bytes) {
  const std::string noise = "i=0; while [ $i -lt " + std::to_string(lines) +
                            " ]; do echo \"log line $i of a chatty setup\"; i=$((i+1)); done; ";
  return {"/bin/sh", "-c",
          noise + "echo " + first + "; " + noise + "printf 'FANOUT_E2E_SECOND=%s\\n' \"$(head -c " +
              std::to_string(second_bytes) + " /dev/zero | tr '\\0' v)\""};
}

TEST(GlobalFixtures, ExportsReachTheItemsWholeHoweverMuchTheSetupPrints) {
  const ProbeLog log;
  TargetSpec needs = probe_target("needs_big", log);
  needs.fixtures_required = {"big"};
  const ManifestDir dir(
      {needs},
      {FixtureSpec{
          "big", chatty_setup(20000, "FANOUT_E2E_FIXTURE_VALUE=after-the-noise", 100000), {}}});
  const FanoutRun run = run_clean(dir, {"-R", R"(Verdict\.A$)"});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  const auto runs = log.runs_of("needs_big");
  ASSERT_EQ(runs.size(), 1u) << log.text().substr(0, 2000);
  const std::string& value = runs.front().value;
  EXPECT_EQ(value.substr(0, value.find(',')), "after-the-noise")
      << "an export between 40,000 lines of output was lost";
  EXPECT_EQ(value.substr(value.find(',') + 1), std::string(100000, 'v'))
      << "a 100,000-byte export was cut to " << value.size() - value.find(',') - 1 << " bytes";
}

TEST(GlobalFixtures, AnExportTooLongForAnEnvironmentFailsTheSetupNamingIt) {
  const ProbeLog log;
  TargetSpec needs = probe_target("needs_big", log);
  needs.fixtures_required = {"big"};
  const ManifestDir dir(
      {needs}, {FixtureSpec{"big", chatty_setup(10, "FANOUT_E2E_FIXTURE_VALUE=x", 200000), {}}});
  const FanoutRun run = run_clean(dir, {"-R", R"(Verdict\.A$)"});
  EXPECT_EQ(run.command.exit_code, kSomeFailed) << run.diagnostics();
  EXPECT_TRUE(log.runs_of("needs_big").empty()) << log.text().substr(0, 2000);
  const JunitCase* failed = run.item("needs_big/Verdict.A");
  ASSERT_NE(failed, nullptr) << item_ids(run);
  EXPECT_EQ(failed->status, "failure") << run.diagnostics();
  EXPECT_NE(
      failed->message.find("fixture 'big' setup failed: export FANOUT_E2E_SECOND is too long"),
      std::string::npos)
      << failed->message;
}

TEST(GlobalFixtures, AFailedCleanupIsAFailedTestcaseOfTheReport) {
  const ProbeLog log;
  TargetSpec needs = probe_target("needs_db", log);
  needs.fixtures_required = {"db"};
  const ManifestDir dir(
      {needs}, {FixtureSpec{"db",
                            fixture_command("setup", log, "db"),
                            {"/bin/sh", "-c", "echo 'cleanup <diagnostic> & 4711'; exit 4"}}});
  const FanoutRun run = run_clean(dir, {"-R", R"(Verdict\.[AB]$)"});
  EXPECT_EQ(run.command.exit_code, kSomeFailed) << run.diagnostics();
  // The closing line counts items only; the fixture failure is noted on the line above.
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{2, 0, 0})) << run.diagnostics();
  EXPECT_NE(run.command.output.find("1 fixture failure"), std::string::npos) << run.diagnostics();
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(status_of(run, "needs_db/Verdict.A"), "passed") << run.diagnostics();
  const JunitCase* cleanup = run.item("fixtures/fixtures.db cleanup");
  ASSERT_NE(cleanup, nullptr) << item_ids(run);
  EXPECT_EQ(cleanup->status, "failure") << run.diagnostics();
  EXPECT_EQ(cleanup->message, "exited with code 4") << run.diagnostics();
  EXPECT_NE(cleanup->details.find("cleanup <diagnostic> & 4711"), std::string::npos)
      << run.diagnostics();
  EXPECT_NE(run.junit_text.find(R"(<testsuites name="fanout" tests="3" failures="1")"),
            std::string::npos)
      << "the run's totals must count the failed cleanup\n"
      << run.diagnostics();
}

TEST(GlobalFixtures, CleanupRunsWhenTheRunIsInterrupted) {
  const ProbeLog log;
  TargetSpec needs = probe_target("needs_db", log, {"FANOUT_E2E_SLEEP_MS=60000"});
  needs.fixtures_required = {"db"};
  const ManifestDir dir({needs}, {logging_fixture("db", "setup", log)});
  SpawnedCommand fanout(fanout_argv(dir, {"-j", "2", "-R", R"(Sleepy\.A$)", "--timeout", "600"}),
                        dir.path());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (log.runs().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(log.runs().size(), 1u) << "the sleeping item never began\n"
                                   << fanout.output() << log.text();
  fanout.send(SIGINT);
  const FanoutRun run = collect_run(dir, fanout.wait(std::chrono::seconds(20)));
  expect_clean(run);
  EXPECT_EQ(run.command.exit_code, kInterrupted) << run.diagnostics();

  const auto setups = events_named(log, "setup");
  const auto cleanups = events_named(log, "cleanup");
  ASSERT_EQ(setups.size(), 1u) << log.text();
  ASSERT_EQ(cleanups.size(), 1u) << "no cleanup after Ctrl-C\n" << log.text() << run.diagnostics();
  EXPECT_EQ(cleanups.front().value, exported_value(setups.front())) << log.text();
  const ProbeRun item = log.runs().front();
  EXPECT_EQ(item.end_ns, -1) << "the sleeping item was not stopped\n" << log.text();
  EXPECT_GT(cleanups.front().line, item.begin_line) << log.text();
}

}  // namespace
}  // namespace fanout::e2e
