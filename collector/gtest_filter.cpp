#include "collector/gtest_filter.hpp"

#include <functional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace fanout::collector {
namespace {

/// "Suite" of "Suite.Case", "Prefix/Suite" of "Prefix/Suite.Case/0": names of suites and cases
/// hold no '.'.
std::string_view suite_of(std::string_view name) {
  return name.substr(0, name.find('.'));
}

/// The suites of `batch` that it holds whole: every item of `listing` in them is one the
/// batch points to. A suite with a batch item from outside `listing` is never whole.
std::unordered_set<std::string_view> whole_suites(const std::vector<const Item*>& batch,
                                                  std::span<const Item> listing) {
  const std::less<const Item*> before;
  auto in_listing = [&](const Item* item) {
    return !before(item, listing.data()) && before(item, listing.data() + listing.size());
  };
  std::unordered_map<std::string_view, std::size_t> listed;  // per suite of the batch
  for (const Item* item : batch) listed.try_emplace(suite_of(item->name), 0);
  for (const Item& item : listing) {
    if (auto it = listed.find(suite_of(item.name)); it != listed.end()) ++it->second;
  }
  std::unordered_set<const Item*> counted;
  std::unordered_map<std::string_view, std::size_t> in_batch;
  std::unordered_set<std::string_view> spoiled;  // has an item from elsewhere
  for (const Item* item : batch) {
    const std::string_view suite = suite_of(item->name);
    if (!in_listing(item)) {
      spoiled.insert(suite);
    } else if (counted.insert(item).second) {
      ++in_batch[suite];
    }
  }
  std::unordered_set<std::string_view> whole;
  for (const auto& [suite, count] : in_batch) {
    if (count == listed[suite] && !spoiled.contains(suite)) whole.insert(suite);
  }
  return whole;
}

}  // namespace

std::string gtest_batch_filter(const std::vector<const Item*>& batch,
                               std::span<const Item> listing) {
  if (batch.empty()) return "-*";
  const std::unordered_set<std::string_view> whole =
      listing.empty() ? std::unordered_set<std::string_view>{} : whole_suites(batch, listing);
  std::unordered_set<std::string_view> named;  // whole suites already written
  std::string filter;
  for (const Item* item : batch) {
    const std::string_view suite = suite_of(item->name);
    const bool is_whole = whole.contains(suite);
    if (is_whole && !named.insert(suite).second) continue;
    if (!filter.empty()) filter += ':';
    if (is_whole) {
      filter += suite;
      filter += ".*";
    } else {
      filter += item->name;
    }
  }
  return filter;
}

}  // namespace fanout::collector
