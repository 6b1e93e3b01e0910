#pragma once
// Selection of items, with ctest's meaning: -R/-E are regex searches in the item id; -L/-LE
// are regex searches in the item's labels. Repeated -L or -LE patterns combine as in ctest 3.21+:
// an item is selected when every -L pattern matches one of its labels, and excluded when every
// -LE pattern does.

#include <regex>
#include <string>
#include <vector>

#include "collector/item.hpp"
#include "collector/target.hpp"

namespace fanout::launcher {

/// The patterns of a selection; every list may be empty.
struct Selection {
  std::vector<std::string> include;         ///< -R: id matches any
  std::vector<std::string> exclude;         ///< -E: id matches none
  std::vector<std::string> labels;          ///< -L: every pattern matches some label
  std::vector<std::string> exclude_labels;  ///< -LE: not every pattern matches some label
};

/// Decides which items a run selects.
class ItemFilter {
 public:
  /// Throws UsageError naming the option (-R, -E, -L, -LE) and the pattern when a pattern is
  /// not a valid regular expression.
  explicit ItemFilter(const Selection& selection);
  /// For items of registered targets: -R/-E on the item id, -L/-LE on the item's labels.
  bool selects(const collector::Item& item) const;
  /// For a test imported from ctest, ctest's own selection: -R/-E on the CTest test name,
  /// -L/-LE on its labels; all of its items follow.
  bool selects_test(const collector::Target& test) const;
  /// False when the target's own labels exclude every item it could have (-LE), so it need not
  /// even be listed: an item's labels include its target's.
  bool may_select(const collector::Target& target) const;

 private:
  std::vector<std::regex> include_;
  std::vector<std::regex> exclude_;
  std::vector<std::regex> labels_;
  std::vector<std::regex> exclude_labels_;

  bool selects(const std::string& id, const std::vector<std::string>& labels) const;
  /// Whether -LE excludes an item with `labels`: every -LE pattern matches one of them.
  bool excluded_by_labels(const std::vector<std::string>& labels) const;
};

}  // namespace fanout::launcher
