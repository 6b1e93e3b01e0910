#pragma once
// The planning view of items (id, target, expected time from history) and their order: last
// run's failures first, then longest first.

#include <cstddef>
#include <string>
#include <vector>

#include "collector/item.hpp"
#include "launcher/history.hpp"

namespace fanout::launcher {

/// One item as planning sees it. `index` is the item's position in the caller's own list, so a
/// reordered or filtered vector of PlannedItem is also a permutation of that list.
struct PlannedItem {
  std::size_t index = 0;
  std::string id;
  std::string target;
  std::string group;            ///< the item's group (empty: none); a shard keeps a group whole
  double expected_seconds = 0;  ///< history's mean, or the unknown default
  bool known = false;           ///< history has timed this item
  bool failed_last = false;     ///< its last recorded outcome was a failure
};

/// The expected wall time of `item_id`: history's mean when it was timed, else `unknown_default`.
double expected_seconds(const History& history, const std::string& item_id, double unknown_default);

/// The expected time given to items history never timed, so that they count as slow (they run
/// early and nothing waits on them at the end): the longest known mean, or 1 s when history has
/// no timed item.
double default_unknown_seconds(const History& history);

/// The planning view of `item`, at `index` in the caller's list.
PlannedItem plan_item(std::size_t index, const collector::Item& item, const History& history,
                      double unknown_default);

/// The planning view of `items` (index i is items[i]), unknown items at
/// default_unknown_seconds(history).
std::vector<PlannedItem> plan_items(const std::vector<collector::Item>& items,
                                    const History& history);

/// Orders `items` for running: items that failed last time first (a developer sees them soon),
/// then by expected time, longest first; ties by id, then target, so the order does not depend on
/// the input order.
void order_longest_first(std::vector<PlannedItem>& items);

/// `--rerun-failed`: the items whose last recorded outcome was a failure (failed, timeout,
/// crashed, error), in input order. Empty when none failed; what to do then is the caller's call.
std::vector<PlannedItem> select_failed_last(const std::vector<PlannedItem>& items);

}  // namespace fanout::launcher
