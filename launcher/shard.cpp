#include "launcher/shard.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <queue>
#include <string>
#include <tuple>

#include "launcher/errors.hpp"

namespace fanout::launcher {

namespace {

[[noreturn]] void bad_shard(std::string_view text, const std::string& why) {
  throw UsageError("--shard: expected I/N with 1 <= I <= N (e.g. 2/5), got '" + std::string(text) +
                   "': " + why);
}

std::size_t parse_count(std::string_view text, std::string_view whole) {
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) {
    bad_shard(whole, "'" + std::string(text) + "' is not a number");
  }
  return value;
}

}  // namespace

ShardSpec parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) bad_shard(text, "no '/'");
  const ShardSpec shard{.index = parse_count(text.substr(0, slash), text),
                        .count = parse_count(text.substr(slash + 1), text)};
  if (shard.count == 0) bad_shard(text, "N must be at least 1");
  if (shard.index == 0 || shard.index > shard.count) bad_shard(text, "I must be 1 to N");
  return shard;
}

std::vector<std::size_t> assign_shards(const std::vector<PlannedItem>& items, std::size_t count) {
  count = std::max<std::size_t>(count, 1);
  std::vector<std::size_t> by_size(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) by_size[i] = i;
  std::sort(by_size.begin(), by_size.end(), [&](std::size_t a, std::size_t b) {
    const PlannedItem& x = items[a];
    const PlannedItem& y = items[b];
    return std::tie(y.expected_seconds, x.id, x.target) <
           std::tie(x.expected_seconds, y.id, y.target);
  });
  // (expected time so far, items so far, part): the smallest is the next to receive an item.
  using Load = std::tuple<double, std::size_t, std::size_t>;
  std::priority_queue<Load, std::vector<Load>, std::greater<Load>> parts;
  for (std::size_t part = 0; part < count; ++part) parts.emplace(0.0, 0, part);
  std::vector<std::size_t> assignment(items.size());
  for (std::size_t i : by_size) {
    auto [seconds, size, part] = parts.top();
    parts.pop();
    assignment[i] = part;
    parts.emplace(seconds + items[i].expected_seconds, size + 1, part);
  }
  return assignment;
}

std::vector<PlannedItem> select_shard(const std::vector<PlannedItem>& items, ShardSpec shard) {
  const std::vector<std::size_t> assignment = assign_shards(items, shard.count);
  std::vector<PlannedItem> selected;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (assignment[i] + 1 == shard.index) selected.push_back(items[i]);
  }
  return selected;
}

}  // namespace fanout::launcher
