#pragma once
// `--shard I/N`: a deterministic split of the items into N parts of about equal expected time,
// for CI matrices where job I of N runs part I. Every item is in exactly one part.

#include <cstddef>
#include <string_view>
#include <vector>

#include "launcher/plan.hpp"

namespace fanout::launcher {

/// Part `index` (1-based) of `count` parts.
struct ShardSpec {
  std::size_t index = 1;
  std::size_t count = 1;
};

/// Parses "I/N" with 1 <= I <= N. Throws UsageError naming `--shard` on anything else
/// ("0/5", "6/5", "x/y", "3").
ShardSpec parse_shard(std::string_view text);

/// The part (0-based, < count) of each item, by position in `items`: greedy longest-processing-
/// time assignment on expected_seconds. The items of one group (PlannedItem::group) go to one part
/// together, since they may share state and must never run concurrently; every other item is a
/// unit of its own. Units are taken by (expected time descending, group, first id and target),
/// each to the part with the least expected time so far (then fewest items, then lowest number),
/// so the result depends only on the set of items and their expected times, not on their order.
/// Every job of a matrix must therefore see the same items and the same history.
/// count must be >= 1.
std::vector<std::size_t> assign_shards(const std::vector<PlannedItem>& items, std::size_t count);

/// The items of part `shard.index` of `shard.count` (see assign_shards), in input order.
std::vector<PlannedItem> select_shard(const std::vector<PlannedItem>& items, ShardSpec shard);

}  // namespace fanout::launcher
