#include "collector/gtest_filter.hpp"

#include <functional>
#include <string_view>
#include <unordered_map>

namespace fanout::collector {
namespace {

/// "Suite" of "Suite.Case", "Prefix/Suite" of "Prefix/Suite.Case/0": names of suites and cases
/// hold no '.'.
std::string_view suite_of(std::string_view name) {
  return name.substr(0, name.find('.'));
}

/// Whether each suite is whole, looked up once per run of equal suites (a listing, and so a
/// batch, holds a suite's items side by side): a batch of a thousand items costs a few lookups.
class SuiteFlags {
 public:
  /// The flag of `suite`, false when first seen.
  bool& operator[](std::string_view suite) {
    if (current_ == nullptr || suite != current_suite_) {
      current_suite_ = suite;
      current_ = &flags_[suite];
    }
    return *current_;
  }

 private:
  std::unordered_map<std::string_view, bool> flags_;
  std::string_view current_suite_;
  bool* current_ = nullptr;  // unordered_map keeps its elements in place
};

/// Marks the suites of `batch` that it holds whole: every item of `listing` in them is one the
/// batch points to. A suite with a batch item from outside `listing` is never whole. Returns
/// whether the batch is exactly the listing: each listed item once, nothing else.
bool mark_whole_suites(const std::vector<const Item*>& batch, std::span<const Item> listing,
                       SuiteFlags& whole) {
  const std::less<const Item*> before;
  std::vector<bool> taken(listing.size(), false);
  std::size_t distinct_taken = 0;
  SuiteFlags spoiled;  // has an item from elsewhere
  for (const Item* item : batch) {
    if (before(item, listing.data()) || !before(item, listing.data() + listing.size())) {
      spoiled[suite_of(item->name)] = true;
    } else {
      const auto position = static_cast<std::size_t>(item - listing.data());
      if (!taken[position]) ++distinct_taken;
      taken[position] = true;
    }
  }
  if (distinct_taken == listing.size() && batch.size() == listing.size()) return true;
  // A suite is whole until one of its listed items turns out not to be taken.
  SuiteFlags seen;
  SuiteFlags missing;
  for (std::size_t i = 0; i < listing.size(); ++i) {
    const std::string_view suite = suite_of(listing[i].name);
    seen[suite] = true;
    if (!taken[i]) missing[suite] = true;
  }
  for (const Item* item : batch) {
    const std::string_view suite = suite_of(item->name);
    whole[suite] = seen[suite] && !missing[suite] && !spoiled[suite];
  }
  return false;
}

}  // namespace

std::string gtest_batch_filter(const std::vector<const Item*>& batch,
                               std::span<const Item> listing) {
  if (batch.empty()) return "-*";
  SuiteFlags whole;
  if (!listing.empty() && mark_whole_suites(batch, listing, whole)) return "*";
  SuiteFlags named;  // whole suites already written
  std::string filter;
  for (const Item* item : batch) {
    const std::string_view suite = suite_of(item->name);
    const bool is_whole = !listing.empty() && whole[suite];
    if (is_whole) {
      bool& written = named[suite];
      if (written) continue;
      written = true;
    }
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
