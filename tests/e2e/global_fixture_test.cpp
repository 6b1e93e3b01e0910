// Global fixtures (the manifest's "fixtures"): one setup before the first item that requires it,
// its KEY=VALUE lines in the environment of every requiring item, one cleanup after the last,
// also when the setup failed or the run is interrupted.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

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
