#pragma once
// Selection of items by id (-R / -E), with ctest's meaning: a regex search, not a full match.

#include <regex>
#include <string>
#include <vector>

#include "collector/item.hpp"

namespace fanout::launcher {

/// Keeps items whose id matches any include pattern (all, when there are none) and no exclude.
class ItemFilter {
 public:
  ItemFilter(const std::vector<std::string>& include, const std::vector<std::string>& exclude);
  bool selects(const collector::Item& item) const;

 private:
  std::vector<std::regex> include_;
  std::vector<std::regex> exclude_;
};

}  // namespace fanout::launcher
