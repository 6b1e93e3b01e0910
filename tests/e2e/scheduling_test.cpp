// What may run at the same time: items of one GROUP (or of its GROUP_ITEMS) run one after another,
// items holding one RESOURCE_LOCK never meet, a RUN_SERIAL item and an item that takes every
// slot (PROCESSORS) run alone; everything else does run side by side on -j 2, which each test
// also checks, so that "no overlap" cannot pass merely because nothing ran in parallel.

#include <gtest/gtest.h>

#include <functional>

#include "tests/e2e/probe_log.hpp"
#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

using RunFilter = std::function<bool(const ProbeRun&)>;

/// Fails for every pair of runs that overlap in time and are both selected by `member`.
void expect_no_overlap_among(const std::vector<ProbeRun>& runs, const RunFilter& member) {
  std::vector<ProbeRun> members;
  for (const auto& run : runs) {
    if (member(run)) members.push_back(run);
  }
  for (std::size_t i = 0; i < members.size(); ++i) {
    EXPECT_NE(members[i].end_ns, -1) << members[i].id() << " never ended";
    for (std::size_t j = i + 1; j < members.size(); ++j) {
      EXPECT_FALSE(overlap(members[i], members[j]))
          << members[i].id() << " and " << members[j].id() << " ran at the same time\n"
          << describe(runs);
    }
  }
}

/// Fails for every run selected by `alone` that overlaps any other run.
void expect_overlaps_nothing(const std::vector<ProbeRun>& runs, const RunFilter& alone) {
  for (const auto& a : runs) {
    if (!alone(a)) continue;
    EXPECT_NE(a.end_ns, -1) << a.id() << " never ended";
    for (const auto& b : runs) {
      if (&a == &b) continue;
      EXPECT_FALSE(overlap(a, b)) << a.id() << " ran at the same time as " << b.id() << "\n"
                                  << describe(runs);
    }
  }
}

/// Fails unless some two runs overlapped: the run really used both slots.
void expect_some_overlap(const std::vector<ProbeRun>& runs) {
  for (std::size_t i = 0; i < runs.size(); ++i) {
    for (std::size_t j = i + 1; j < runs.size(); ++j) {
      if (overlap(runs[i], runs[j])) return;
    }
  }
  ADD_FAILURE() << "nothing ran in parallel on -j 2\n" << describe(runs);
}

RunFilter of_target(const std::string& target) {
  return [target](const ProbeRun& run) { return run.target == target; };
}

/// Items free of constraints, each in a process of its own, so they can run side by side.
TargetSpec free_target(const ProbeLog& log) {
  TargetSpec free = probe_target("free", log);
  free.isolate = true;
  return free;
}

FanoutRun run_sleepy(const ManifestDir& dir, const std::string& cases) {
  FanoutRun run = run_clean(dir, {"-j", "2", "-R", R"(Sleepy\.)" + cases + "$"});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  return run;
}

TEST(Scheduling, ItemsOfAGroupNeverOverlapWhileOthersDo) {
  const ProbeLog log;
  TargetSpec grouped = probe_target("grouped", log);
  grouped.group = "shared_state";
  grouped.isolate = true;  // one process per item: only the group keeps them apart
  const ManifestDir dir({grouped, free_target(log)});
  run_sleepy(dir, "[A-D]");
  const auto runs = log.runs();
  ASSERT_EQ(runs.size(), 8u) << log.text();
  expect_no_overlap_among(runs, of_target("grouped"));
  expect_some_overlap(runs);
}

TEST(Scheduling, OneGroupSpansTargets) {
  const ProbeLog log;
  TargetSpec first = probe_target("first", log);
  first.group = "one_database";
  TargetSpec second = probe_target("second", log);
  second.group = "one_database";
  const ManifestDir dir({first, second, free_target(log)});
  run_sleepy(dir, "[A-C]");
  const auto runs = log.runs();
  ASSERT_EQ(runs.size(), 9u) << log.text();
  expect_no_overlap_among(runs, [](const ProbeRun& r) { return r.target != "free"; });
  expect_some_overlap(runs);
}

TEST(Scheduling, GroupItemsPutOnlyTheMatchingItemsInTheGroup) {
  const ProbeLog log;
  TargetSpec probe = probe_target("probe", log);
  probe.group = "subset";
  probe.group_items = {R"(Sleepy\.[A-D]$)"};
  probe.isolate = true;  // one process per item: only the group keeps them apart
  const ManifestDir dir({probe});
  run_sleepy(dir, "[A-H]");
  const auto runs = log.runs();
  ASSERT_EQ(runs.size(), 8u) << log.text();
  expect_no_overlap_among(runs, [](const ProbeRun& r) {
    return r.name == "Sleepy.A" || r.name == "Sleepy.B" || r.name == "Sleepy.C" ||
           r.name == "Sleepy.D";
  });
  expect_some_overlap(runs);
}

TEST(Scheduling, ResourceLockIsHeldAcrossTargets) {
  const ProbeLog log;
  TargetSpec first = probe_target("first", log);
  first.resource_locks = {"database"};
  TargetSpec second = probe_target("second", log);
  second.resource_locks = {"database", "network"};
  const ManifestDir dir({first, second, free_target(log)});
  run_sleepy(dir, "[A-C]");
  const auto runs = log.runs();
  ASSERT_EQ(runs.size(), 9u) << log.text();
  expect_no_overlap_among(runs, [](const ProbeRun& r) { return r.target != "free"; });
  expect_some_overlap(runs);
}

TEST(Scheduling, RunSerialItemOverlapsNothing) {
  const ProbeLog log;
  TargetSpec serial = probe_target("serial", log);
  serial.run_serial = true;
  serial.isolate = true;  // two processes that could otherwise run side by side
  const ManifestDir dir({serial, free_target(log)});
  run_sleepy(dir, "[A-B]");
  const auto runs = log.runs();
  ASSERT_EQ(runs.size(), 4u) << log.text();
  expect_overlaps_nothing(runs, of_target("serial"));
  expect_some_overlap(runs);
}

TEST(Scheduling, ItemNeedingEveryProcessorOverlapsNothing) {
  const ProbeLog log;
  TargetSpec wide = probe_target("wide", log);
  wide.processors = 2;
  wide.isolate = true;  // two processes that could otherwise run side by side
  const ManifestDir dir({wide, free_target(log)});
  run_sleepy(dir, "[A-B]");
  const auto runs = log.runs();
  ASSERT_EQ(runs.size(), 4u) << log.text();
  expect_overlaps_nothing(runs, of_target("wide"));
  expect_some_overlap(runs);
}

}  // namespace
}  // namespace fanout::e2e

namespace fanout::e2e {
namespace {

/// The most runs that were under way at one moment.
std::size_t most_at_once(const std::vector<ProbeRun>& runs) {
  std::size_t most = 0;
  for (const auto& a : runs) {
    std::size_t at_once = 0;
    for (const auto& b : runs) {
      if (b.begin_ns <= a.begin_ns && (b.end_ns == -1 || b.end_ns > a.begin_ns)) ++at_once;
    }
    most = std::max(most, at_once);
  }
  return most;
}

TEST(Scheduling, LoadAwareSlotsLetMeasuredWaitingItemsShareACore) {
  const ProbeLog log;
  const ManifestDir dir({free_target(log)});
  const std::vector<std::string> args = {"-j", "1", "--load-aware", "-R", R"(Sleepy\.[A-F]$)"};

  // First run: nothing measured yet, so -j 1 means one at a time.
  FanoutRun first = run_clean(dir, args);
  ASSERT_EQ(first.command.exit_code, 0) << first.diagnostics();
  ASSERT_EQ(log.runs().size(), 6u) << log.text();
  EXPECT_EQ(most_at_once(log.runs()), 1u) << describe(log.runs());

  // Without --load-aware, history changes nothing about -j.
  log.clear();
  FanoutRun plain = run_clean(dir, {"-j", "1", "-R", R"(Sleepy\.[A-F]$)"});
  ASSERT_EQ(plain.command.exit_code, 0) << plain.diagnostics();
  EXPECT_EQ(most_at_once(log.runs()), 1u) << describe(log.runs());

  // History now says each item sleeps 0.2 s on next to no CPU: they share the one core.
  log.clear();
  FanoutRun second = run_clean(dir, args);
  ASSERT_EQ(second.command.exit_code, 0) << second.diagnostics();
  ASSERT_EQ(log.runs().size(), 6u) << log.text();
  EXPECT_GE(most_at_once(log.runs()), 2u) << describe(log.runs());
  EXPECT_LE(most_at_once(log.runs()), 4u) << "at most 4 processes per slot\n"
                                          << describe(log.runs());
}

}  // namespace
}  // namespace fanout::e2e
