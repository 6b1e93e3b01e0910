#include "launcher/shard.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>
#include <string>
#include <tuple>

#include "launcher/errors.hpp"
#include "launcher/whole_number.hpp"

namespace fanout::launcher {

namespace {

[[noreturn]] void bad_shard(std::string_view text, const std::string& why) {
  throw UsageError("--shard: expected I/N with 1 <= I <= N (e.g. 2/5), got '" + std::string(text) +
                   "': " + why);
}

std::size_t parse_count(std::string_view text, std::string_view whole) {
  const auto value = whole_number<std::size_t>(text);
  if (!value) bad_shard(whole, "'" + std::string(text) + "' is not a number");
  return *value;
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

namespace {

/// What goes to one part whole: a group's items, or one item outside any group.
struct Unit {
  double seconds = 0;
  std::string_view group;              // empty: a single item
  const PlannedItem* first = nullptr;  // by (id, target): names the unit in ties
  std::vector<std::size_t> members;    // positions in the input
};

std::vector<Unit> units_of(const std::vector<PlannedItem>& items) {
  std::vector<Unit> units;
  std::map<std::string_view, std::size_t> group_unit;
  auto named_before = [](const PlannedItem& x, const PlannedItem& y) {
    return std::tie(x.id, x.target) < std::tie(y.id, y.target);
  };
  for (std::size_t i = 0; i < items.size(); ++i) {
    const PlannedItem& item = items[i];
    if (!item.group.empty()) {
      const auto [it, added] = group_unit.try_emplace(item.group, units.size());
      if (!added) {
        Unit& unit = units[it->second];
        unit.seconds += item.expected_seconds;
        unit.members.push_back(i);
        if (named_before(item, *unit.first)) unit.first = &item;
        continue;
      }
    }
    units.push_back(Unit{item.expected_seconds, item.group, &item, {i}});
  }
  return units;
}

}  // namespace

std::vector<std::size_t> assign_shards(const std::vector<PlannedItem>& items, std::size_t count) {
  count = std::max<std::size_t>(count, 1);
  std::vector<Unit> units = units_of(items);
  std::sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) {
    return std::tie(b.seconds, a.group, a.first->id, a.first->target) <
           std::tie(a.seconds, b.group, b.first->id, b.first->target);
  });
  // (expected time so far, items so far, part): the smallest is the next to receive a unit.
  using Load = std::tuple<double, std::size_t, std::size_t>;
  std::priority_queue<Load, std::vector<Load>, std::greater<Load>> parts;
  for (std::size_t part = 0; part < count; ++part) parts.emplace(0.0, 0, part);
  std::vector<std::size_t> assignment(items.size());
  for (const Unit& unit : units) {
    auto [seconds, size, part] = parts.top();
    parts.pop();
    for (std::size_t i : unit.members) assignment[i] = part;
    parts.emplace(seconds + unit.seconds, size + unit.members.size(), part);
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
