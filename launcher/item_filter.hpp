#pragma once
// Selection of items, with ctest's meaning: -R/-E are regex searches in the item id; -L/-LE
// are regex searches in the item's labels.

#include <regex>
#include <string>
#include <vector>

#include "collector/item.hpp"

namespace fanout::launcher {

/// The patterns of a selection; every list may be empty.
struct Selection {
  std::vector<std::string> include;        ///< -R: id matches any
  std::vector<std::string> exclude;        ///< -E: id matches none
  std::vector<std::string> labels;         ///< -L: every pattern matches some label
  std::vector<std::string> exclude_labels; ///< -LE: no pattern matches any label
};

/// Decides which items a run selects.
class ItemFilter {
 public:
  explicit ItemFilter(const Selection& selection);
  bool selects(const collector::Item& item) const;

 private:
  std::vector<std::regex> include_;
  std::vector<std::regex> exclude_;
  std::vector<std::regex> labels_;
  std::vector<std::regex> exclude_labels_;
};

}  // namespace fanout::launcher
