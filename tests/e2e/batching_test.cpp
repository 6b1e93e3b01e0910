// Batches: tiny items share processes, --isolate / ISOLATE / ISOLATE_ITEMS give items processes
// of their own, and a crash in a batch does not cost the items after it their run.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "tests/e2e/probe_log.hpp"
#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

// Many/Tiny.Case/0 .. Many/Tiny.Case/39.
constexpr const char* kFortyTinyItems = R"(Tiny\.Case/[0-3]?[0-9]$)";

std::set<pid_t> pids_of(const std::vector<ProbeRun>& runs) {
  std::set<pid_t> pids;
  for (const auto& run : runs) pids.insert(run.pid);
  return pids;
}

std::set<std::string> ids_of(const std::vector<ProbeRun>& runs) {
  std::set<std::string> ids;
  for (const auto& run : runs) ids.insert(run.id());
  return ids;
}

TEST(Batching, TinyItemsShareProcesses) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const FanoutRun run = run_clean(dir, {"-j", "2", "-R", R"(Tiny\.Case/)"});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{200, 0, 0})) << run.diagnostics();

  const auto runs = log.runs();
  ASSERT_EQ(runs.size(), 200u) << log.text();
  EXPECT_EQ(ids_of(runs).size(), 200u) << "some item ran twice\n" << describe(runs);
  EXPECT_LT(pids_of(runs).size(), runs.size() / 2) << describe(runs);
}

TEST(Batching, IsolatedTargetGetsOneProcessPerItemWhileOthersShare) {
  const ProbeLog log;
  TargetSpec isolated = probe_target("isolated", log);
  isolated.isolate = true;
  const ManifestDir dir({isolated, probe_target("batched", log)});
  const FanoutRun run = run_clean(dir, {"-j", "2", "-R", kFortyTinyItems});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();

  const auto alone = log.runs_of("isolated");
  ASSERT_EQ(alone.size(), 40u) << log.text();
  EXPECT_EQ(pids_of(alone).size(), alone.size()) << describe(alone);
  const auto shared = log.runs_of("batched");
  ASSERT_EQ(shared.size(), 40u) << log.text();
  EXPECT_LT(pids_of(shared).size(), shared.size() / 2) << describe(shared);
}

TEST(Batching, IsolateOptionRunsEveryItemInItsOwnProcess) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const FanoutRun run = run_clean(dir, {"-j", "2", "--isolate", "-R", kFortyTinyItems});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{40, 0, 0})) << run.diagnostics();

  const auto runs = log.runs();
  ASSERT_EQ(runs.size(), 40u) << log.text();
  EXPECT_EQ(pids_of(runs).size(), runs.size()) << describe(runs);
}

TEST(Batching, IsolateItemsRunsOnlyTheMatchingItemsAlone) {
  const ProbeLog log;
  TargetSpec probe = probe_target("probe", log);
  probe.isolate_items = {R"(Tiny\.Case/(3|17|29)$)"};
  const ManifestDir dir({probe});
  const FanoutRun run = run_clean(dir, {"-j", "2", "-R", kFortyTinyItems});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();

  const auto runs = log.runs();
  ASSERT_EQ(runs.size(), 40u) << log.text();
  std::map<pid_t, int> items_per_pid;
  for (const auto& item : runs) ++items_per_pid[item.pid];
  for (const auto& item : runs) {
    const bool isolated = item.name == "Many/Tiny.Case/3" || item.name == "Many/Tiny.Case/17" ||
                          item.name == "Many/Tiny.Case/29";
    if (isolated) {
      EXPECT_EQ(items_per_pid[item.pid], 1) << item.id() << " shared its process\n"
                                            << describe(runs);
    }
  }
  EXPECT_LT(items_per_pid.size(), runs.size() / 2) << "the other items were not batched\n"
                                                   << describe(runs);
}

TEST(Batching, ItemsAfterACrashInABatchStillRunAndPass) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const FanoutRun run = run_clean(dir, {"-j", "1", "-R", R"(Crash\.)"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{5, 1, 0})) << run.diagnostics();

  const JunitCase* crashed = run.item("probe/Crash.Segfaults");
  ASSERT_NE(crashed, nullptr) << item_ids(run);
  EXPECT_EQ(crashed->type, "crashed") << run.diagnostics();
  for (const char* name : {"Before1", "Before2", "After1", "After2", "After3"}) {
    EXPECT_EQ(status_of(run, std::string("probe/Crash.") + name), "passed") << run.diagnostics();
  }

  const auto runs = log.runs();
  std::map<std::string, std::vector<ProbeRun>> by_name;
  for (const auto& item : runs) by_name[item.name].push_back(item);
  ASSERT_EQ(by_name["Crash.Segfaults"].size(), 1u) << describe(runs);
  const pid_t crash_pid = by_name["Crash.Segfaults"].front().pid;
  // What this test is about: the crashing item was not alone in its process.
  ASSERT_GT(std::count_if(runs.begin(), runs.end(),
                          [&](const ProbeRun& r) { return r.pid == crash_pid; }),
            1)
      << "the crash did not happen in a batch\n"
      << describe(runs);
  for (const char* name :
       {"Crash.Before1", "Crash.Before2", "Crash.After1", "Crash.After2", "Crash.After3"}) {
    ASSERT_EQ(by_name[name].size(), 1u) << name << " did not run exactly once\n" << describe(runs);
    EXPECT_NE(by_name[name].front().end_ns, -1) << name;
  }
  for (const char* name : {"Crash.After1", "Crash.After2", "Crash.After3"}) {
    EXPECT_NE(by_name[name].front().pid, crash_pid) << name << " cannot have run after the crash "
                                                    << "in the crashed process";
  }
}

}  // namespace
}  // namespace fanout::e2e
