#pragma once
// A target's per-item properties (GROUP with GROUP_ITEMS, ISOLATE_ITEMS) put on its items.

#include <regex>
#include <vector>

#include "collector/item.hpp"
#include "collector/target.hpp"

namespace fanout::launcher {

/// Tags the items of one target: every item joins `target.group` (or only those whose name
/// matches one of `group_items`), and items matching `isolate_items` run alone.
class ItemTagger {
 public:
  /// Throws UsageError naming the target and the expression when a regex does not compile.
  explicit ItemTagger(const collector::Target& target);
  void apply(std::vector<collector::Item>& items) const;

 private:
  std::string group_;
  std::vector<std::regex> group_items_;
  std::vector<std::regex> isolate_items_;
};

}  // namespace fanout::launcher
