#include "launcher/batch_sizing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <string>
#include <vector>

namespace fanout::launcher {
namespace {

using collector::Outcome;
using collector::Result;

// Binary fractions keep the sums exact, so counts are exact.
constexpr double tiny = 1.0 / 1024;  // ~1 ms

std::vector<double> repeated(std::size_t count, double seconds) {
  return std::vector<double>(count, seconds);
}

TEST(BatchSizing, EmptyQueueTakesNothing) {
  EXPECT_EQ(take_count({}, 10, 2), 0u);
}

TEST(BatchSizing, LongItemRunsAlone) {
  EXPECT_EQ(take_count({3.0, 3.0, 3.0}, 100, 2), 1u);
  EXPECT_EQ(take_count({0.06, tiny, tiny}, 100, 2), 1u);  // already past min_batch_seconds
}

TEST(BatchSizing, TinyItemsFillMinBatchSeconds) {
  const BatchPolicy policy{.min_batch_seconds = 1.0 / 16};
  EXPECT_EQ(take_count(repeated(1000, tiny), 1000, 2, policy), 64u);
  // Start-up is then a small share of the batch.
  EXPECT_LE(policy.process_start_seconds / (64 * tiny), 0.04);
  // A longer item at the front counts too.
  EXPECT_EQ(take_count({1.0 / 32, tiny, tiny, tiny}, 1000, 2, policy), 4u);
  std::vector<double> mixed = {1.0 / 32};
  mixed.resize(100, tiny);
  EXPECT_EQ(take_count(mixed, 1000, 2, policy), 33u);
}

TEST(BatchSizing, MaxItemsBoundsABatch) {
  EXPECT_EQ(take_count(repeated(5000, 1e-6), 1000, 2), 1000u);
  EXPECT_EQ(take_count(repeated(5000, 1e-6), 1000, 2, BatchPolicy{.max_items = 30}), 30u);
  EXPECT_EQ(take_count(repeated(5, 1e-6), 1000, 2, BatchPolicy{.max_items = 0}), 1u);
}

TEST(BatchSizing, TailCapShrinksBatchesWhenLittleWorkIsLeft) {
  const BatchPolicy policy{.min_batch_seconds = 1.0 / 16};
  // 64 items of ~1 ms left for 4 workers: half a worker's share is 8 ms, i.e. 8 items.
  EXPECT_EQ(take_count(repeated(64, tiny), 64 * tiny, 4, policy), 8u);
  // More workers, smaller batches.
  EXPECT_LT(take_count(repeated(64, tiny), 64 * tiny, 8, policy),
            take_count(repeated(64, tiny), 64 * tiny, 4, policy));
  // Other targets' queued work counts towards what is left.
  EXPECT_EQ(take_count(repeated(64, tiny), 100, 4, policy), 64u);
}

TEST(BatchSizing, TailCapNeverSplitsBelowTwoProcessStarts) {
  // Nearly nothing left: the cap stays at 2 * 2 ms, i.e. 4 items of ~1 ms.
  EXPECT_EQ(take_count(repeated(20, tiny), 0, 16), 4u);
  EXPECT_EQ(take_count(repeated(20, tiny), 0, 16, BatchPolicy{.process_start_seconds = 0.004}), 8u);
}

TEST(BatchSizing, UnknownItemsCountAsSlowish) {
  // Never timed: 10 ms each, so 5 make a 50 ms batch.
  EXPECT_EQ(take_count(repeated(1000, -1), 10, 2), 5u);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(take_count({nan, inf, -1, nan, inf, nan, nan}, 10, 2), 5u);
  EXPECT_EQ(take_count(repeated(1000, -1), 10, 2, BatchPolicy{.unknown_item_seconds = 0.025}), 2u);
}

TEST(BatchSizing, UnknownEstimateUsesTheTargetsTimedItems) {
  History history;
  const BatchPolicy policy;
  EXPECT_DOUBLE_EQ(unknown_estimate(history, "unit", policy), policy.unknown_item_seconds);
  history.record("unit/A.long", Result{.outcome = Outcome::passed, .seconds = 1.6});
  EXPECT_DOUBLE_EQ(unknown_estimate(history, "unit", policy), policy.unknown_item_seconds)
      << "one long test says little about the others";
  history.record("unit/A.x", Result{.outcome = Outcome::passed, .seconds = 0.001});
  history.record("unit/A.y", Result{.outcome = Outcome::passed, .seconds = 0.002});
  history.record("other/A.x", Result{.outcome = Outcome::passed, .seconds = 9});
  EXPECT_DOUBLE_EQ(unknown_estimate(history, "unit", policy), 0.002);
  EXPECT_DOUBLE_EQ(unknown_estimate(history, "new", policy), policy.unknown_item_seconds);
}

/// A queued item of the simulation: what planning knows (id, target) and what it will really take.
struct SimItem {
  std::string id;
  std::string target;
  double actual_seconds;
};

struct SimRun {
  std::vector<std::size_t> batch_sizes;
  double makespan = 0;
  double busy_seconds = 0;  ///< start-up included
};

/// Runs `queue` on `workers` simulated slots the way the scheduler would: the earliest idle slot
/// takes the front item's target and take_count() of its items, valued from `history`. Results are
/// recorded into `history` when their batch ends, when `record_live`.
SimRun simulate(std::deque<SimItem> queue, int workers, History& history, bool record_live,
                const BatchPolicy& policy = {}) {
  struct Running {
    double end;
    std::vector<SimItem> items;
  };
  SimRun run;
  std::vector<double> free_at(static_cast<std::size_t>(workers), 0.0);
  std::vector<Running> running;
  const auto estimate = [&](const SimItem& item) {
    const ItemHistory* known = history.find(item.id);
    return known && known->runs > 0 ? known->mean_seconds
                                    : unknown_estimate(history, item.target, policy);
  };
  while (!queue.empty()) {
    const auto slot = std::min_element(free_at.begin(), free_at.end());
    const double now = *slot;
    if (record_live) {
      for (auto it = running.begin(); it != running.end();) {
        if (it->end > now) {
          ++it;
          continue;
        }
        for (const auto& item : it->items) {
          history.record(item.id, Result{.item_id = item.id,
                                         .outcome = Outcome::passed,
                                         .seconds = item.actual_seconds});
        }
        it = running.erase(it);
      }
    }
    double remaining = 0;
    std::vector<double> same_target;
    const std::string target = queue.front().target;
    for (const auto& item : queue) {
      const double seconds = estimate(item);
      remaining += seconds;
      if (item.target == target) same_target.push_back(seconds);
    }
    const std::size_t take = take_count(same_target, remaining, workers, policy);
    EXPECT_GE(take, 1u);
    Running batch{now + policy.process_start_seconds, {}};
    for (auto it = queue.begin(); it != queue.end() && batch.items.size() < take;) {
      if (it->target != target) {
        ++it;
        continue;
      }
      batch.end += it->actual_seconds;
      batch.items.push_back(*it);
      it = queue.erase(it);
    }
    run.batch_sizes.push_back(batch.items.size());
    run.busy_seconds += batch.end - now;
    *slot = batch.end;
    running.push_back(std::move(batch));
  }
  run.makespan = *std::max_element(free_at.begin(), free_at.end());
  return run;
}

std::deque<SimItem> binaries(int binaries, int items_each, double actual_seconds) {
  std::deque<SimItem> queue;
  for (int b = 0; b < binaries; ++b) {
    const std::string target = "bin" + std::to_string(b);
    for (int i = 0; i < items_each; ++i) {
      queue.push_back({target + "/Suite.case" + std::to_string(i), target, actual_seconds});
    }
  }
  return queue;
}

std::size_t largest(const SimRun& run) {
  return *std::max_element(run.batch_sizes.begin(), run.batch_sizes.end());
}
std::size_t smallest(const SimRun& run) {
  return *std::min_element(run.batch_sizes.begin(), run.batch_sizes.end());
}

TEST(BatchSizing, FirstRunOfManyTinyTestsWithoutHistory) {
  // 3 binaries of 1,000 gtest cases of 0.1 ms, 2 workers, nothing known and nothing recorded:
  // unknown items are valued at 10 ms, so batches hold 50 ms / 10 ms = 5 items, fewer only in
  // the last few batches, where the tail cap splits what is left over both workers.
  History history;
  const SimRun run = simulate(binaries(3, 1000, 0.0001), 2, history, false);
  EXPECT_EQ(largest(run), 5u);
  const auto short_batches = std::count_if(run.batch_sizes.begin(), run.batch_sizes.end(),
                                           [](std::size_t size) { return size < 5; });
  EXPECT_LE(short_batches, 12);
  for (std::size_t i = 0; i + 12 < run.batch_sizes.size(); ++i) EXPECT_EQ(run.batch_sizes[i], 5u);
  EXPECT_LT(run.batch_sizes.size(), 3000u / 4);
}

TEST(BatchSizing, FirstRunLearnsFromItsOwnFirstBatches) {
  // Same run, but results go into history as batches end: after the first batch of a binary,
  // its other items are valued at their siblings' time.
  History history;
  const SimRun run = simulate(binaries(3, 1000, 0.0001), 2, history, true);
  EXPECT_GT(smallest(run), 1u);
  EXPECT_LT(largest(run), 1500u);
  EXPECT_LT(run.batch_sizes.size(), 40u);
  // Nearly all the time is the tests' own, not start-up.
  EXPECT_LT(run.busy_seconds - 3000 * 0.0001, 0.5 * 3000 * 0.0001);
}

TEST(BatchSizing, LaterRunWithHistory) {
  History history;
  for (const auto& item : binaries(3, 1000, 0.0001)) {
    history.record(
        item.id,
        Result{.item_id = item.id, .outcome = Outcome::passed, .seconds = item.actual_seconds});
  }
  const SimRun run = simulate(binaries(3, 1000, 0.0001), 2, history, false);
  EXPECT_GT(smallest(run), 1u);
  EXPECT_LE(largest(run), 500u);
  EXPECT_GE(run.batch_sizes.size(), 6u);  // every binary is split; both workers get work
  EXPECT_LT(run.batch_sizes.size(), 40u);
  // Both workers stay busy until the end: the run takes about half the work.
  EXPECT_LT(run.makespan, 0.6 * run.busy_seconds);
}

TEST(BatchSizing, SlowUnknownTestsAloneAreSpreadOverWorkers) {
  // A binary of 10 unknown integration tests that really take 1 s each: the tail cap keeps them
  // apart (at most 2 per batch, 1 once less is left), so 2 workers finish in about 5 s, not 10.
  History history;
  const SimRun run = simulate(binaries(1, 10, 1.0), 2, history, false);
  EXPECT_LE(largest(run), 2u);
  EXPECT_LT(run.makespan, 5.5);
}

TEST(BatchSizing, MixedDurationsKeepTheTailBalanced) {
  History history;
  std::deque<SimItem> queue;
  // Longest first, as order_longest_first() would give: 2 long items per worker, many short ones.
  for (int i = 0; i < 8; ++i) queue.push_back({"slow/S.c" + std::to_string(i), "slow", 1.0});
  for (int i = 0; i < 400; ++i) {
    const std::string target = i % 2 ? "a" : "b";
    queue.push_back({target + "/S.c" + std::to_string(i), target, 0.001 * (1 + i % 7)});
  }
  for (const auto& item : queue) {
    history.record(
        item.id,
        Result{.item_id = item.id, .outcome = Outcome::passed, .seconds = item.actual_seconds});
  }
  const int workers = 4;
  const SimRun run = simulate(queue, workers, history, false);
  // The ideal is busy / workers; the tail may add at most about one short batch.
  EXPECT_LT(run.makespan, run.busy_seconds / workers + 0.1);
  EXPECT_GT(largest(run), 1u);
}

}  // namespace
}  // namespace fanout::launcher
