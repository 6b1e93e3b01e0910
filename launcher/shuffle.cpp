#include "launcher/shuffle.hpp"

#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <tuple>

#include "launcher/errors.hpp"
#include "launcher/whole_number.hpp"

namespace fanout::launcher {

namespace {

/// A uniform draw from [0, bound) (bound > 0): rejects the top remainder of the 64-bit range so
/// that every value is equally likely.
std::uint64_t draw_below(std::mt19937_64& engine, std::uint64_t bound) {
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % bound;
  std::uint64_t value;
  do {
    value = engine();
  } while (value >= limit);
  return value % bound;
}

}  // namespace

std::uint64_t make_seed() {
  std::random_device device;
  const auto high = static_cast<std::uint64_t>(device());
  const auto low = static_cast<std::uint64_t>(device());
  return (high << 32) ^ low;
}

std::uint64_t parse_seed(std::string_view text) {
  const auto seed = whole_number<std::uint64_t>(text);
  if (!seed) {
    throw UsageError("--shuffle: the seed must be an unsigned 64-bit decimal number, not '" +
                     std::string(text) + "'");
  }
  return *seed;
}

std::vector<std::size_t> shuffled_permutation(std::size_t count, std::uint64_t seed) {
  std::vector<std::size_t> permutation(count);
  for (std::size_t i = 0; i < count; ++i) permutation[i] = i;
  std::mt19937_64 engine(seed);
  for (std::size_t i = count; i > 1; --i) {
    const auto j = static_cast<std::size_t>(draw_below(engine, i));
    std::swap(permutation[i - 1], permutation[j]);
  }
  return permutation;
}

void shuffle_items(std::vector<PlannedItem>& items, std::uint64_t seed) {
  std::sort(items.begin(), items.end(), [](const PlannedItem& a, const PlannedItem& b) {
    return std::tie(a.id, a.target) < std::tie(b.id, b.target);
  });
  std::vector<PlannedItem> shuffled;
  shuffled.reserve(items.size());
  for (std::size_t from : shuffled_permutation(items.size(), seed)) {
    shuffled.push_back(std::move(items[from]));
  }
  items = std::move(shuffled);
}

}  // namespace fanout::launcher
