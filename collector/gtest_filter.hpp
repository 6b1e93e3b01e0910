#pragma once
// The --gtest_filter value that makes a GoogleTest binary run exactly one batch.

#include <span>
#include <string>
#include <vector>

#include "collector/item.hpp"

namespace fanout::collector {

/// The patterns, `:`-separated, that select exactly `batch` (GoogleTest `Suite.Case` names) out
/// of `listing`, the target's whole listing, which the batch's items point into: `Suite.*` for a
/// suite whose every listed item is in the batch (disabled ones included, so that
/// --gtest_also_run_disabled_tests cannot add any), the exact names of the others, in batch
/// order; `*` when the batch is the listing itself, each item once. GoogleTest matches a long list
/// of exact names slowly (~1 ms for 1,000 of them), and prints the filter back; even ten `Suite.*`
/// patterns cost a 1,000-test binary ~1 ms, as GoogleTest parses the filter again for every test,
/// while `*` costs nothing measurable.
/// An empty `listing` (unknown) gives exact names only; an empty batch gives `-*`, which selects
/// nothing.
std::string gtest_batch_filter(const std::vector<const Item*>& batch,
                               std::span<const Item> listing);

}  // namespace fanout::collector
