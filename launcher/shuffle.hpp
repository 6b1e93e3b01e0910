#pragma once
// `--shuffle[=SEED]`: a random order that the printed seed reproduces, on any standard library.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "launcher/plan.hpp"

namespace fanout::launcher {

/// A fresh seed from std::random_device (64 bits).
std::uint64_t make_seed();

/// Parses the SEED of `--shuffle=SEED` (a decimal unsigned 64-bit number). Throws UsageError
/// naming the option on anything else.
std::uint64_t parse_seed(std::string_view text);

/// A permutation of 0..count-1 that depends only on `count` and `seed`: Fisher-Yates driven by
/// std::mt19937_64 (whose output the standard fixes) with our own unbiased bounded draw, not
/// std::uniform_int_distribution (whose algorithm differs between standard libraries).
std::vector<std::size_t> shuffled_permutation(std::size_t count, std::uint64_t seed);

/// Puts `items` in a random order that depends only on `seed` and the set of item ids: they are
/// sorted by id (then target) first, so the order of collection does not matter.
void shuffle_items(std::vector<PlannedItem>& items, std::uint64_t seed);

}  // namespace fanout::launcher
