#pragma once
// Adaptive batches: how many queued items of one target the next process runs.
//
// The rule. A batch is the longest prefix of the target's queued items such that
//   1. it has at least one item and at most max_items;
//   2. it stops growing once its expected time reaches min_batch_seconds: by then the process
//      start-up (process_start_seconds, ~2 ms) is a small share of it (~4 % at 50 ms), and a
//      longer batch would only make crash recovery and the end of the run coarser;
//   3. it grows only while its expected time stays within the tail cap,
//        max_fraction_of_remaining_per_worker * remaining_total_seconds / workers,
//      so that near the end, where little work is left, batches shrink and every worker stays busy
//      until the queue is empty. The cap never goes below 2 * process_start_seconds: splitting
//      less work than that over two processes costs more start-up than it saves in waiting.
// Items longer than min_batch_seconds therefore run alone; tiny items run min_batch_seconds'
// worth at a time (500 items of 0.1 ms), fewer at the end.
//
// Items history never timed are valued at unknown_item_seconds (10 ms: slow-ish; 5 items per
// batch), unless the caller knows better: unknown_estimate() gives the median of the timed items
// of the same target once it has a few, which is usually close, since one binary's tests tend to
// be alike (the median, so that its few long tests do not count for all the others). A caller
// that records results into History while the run goes on thus gets small batches for a binary
// never seen before until its first batch reports, and batches sized from real times after that.
// Example, first run, 3 binaries of 1,000 tiny gtest cases, 2 workers: without any history every
// batch has 5 items (600 processes, not 3,000); with the first batches recorded, the rest of each
// binary runs in a few batches of hundreds, bounded by the tail cap, never 1,500 on one worker.

#include <cstddef>
#include <string>
#include <vector>

#include "launcher/history.hpp"

namespace fanout::launcher {

/// The knobs of the batch rule (see the top of this header).
struct BatchPolicy {
  double process_start_seconds = 0.002;  ///< cost of one exec of a test binary
  double min_batch_seconds = 0.05;       ///< start-up is at most ~4 % of a batch this long
  double max_fraction_of_remaining_per_worker = 0.5;  ///< tail cap, as a share of a worker's work
  double unknown_item_seconds = 0.01;                 ///< value of an item no one timed
  std::size_t max_items = 1000;  ///< bound on one command line (--gtest_filter length)
};

/// The value for batching of `target`'s items that history never timed: the median of its timed
/// items (History::target_median_seconds), else policy.unknown_item_seconds.
double unknown_estimate(const History& history, const std::string& target,
                        const BatchPolicy& policy = {});

/// How many items from the front of `queue_seconds` (the expected seconds of one target's queued
/// items, in queue order; a negative or non-finite value means unknown and counts as
/// policy.unknown_item_seconds) the next batch takes. `remaining_total_seconds` is the expected
/// time of all work not yet handed out, every target included; `workers` the number of slots.
/// Returns 0 only for an empty queue.
std::size_t take_count(const std::vector<double>& queue_seconds, double remaining_total_seconds,
                       int workers, const BatchPolicy& policy = {});

}  // namespace fanout::launcher
