#include "launcher/item_filter.hpp"

#include <algorithm>

namespace fanout::launcher {

ItemFilter::ItemFilter(const std::vector<std::string>& include,
                       const std::vector<std::string>& exclude) {
  for (const auto& p : include) include_.emplace_back(p);
  for (const auto& p : exclude) exclude_.emplace_back(p);
}

bool ItemFilter::selects(const collector::Item& item) const {
  auto matches = [&](const std::regex& re) { return std::regex_search(item.id, re); };
  if (!include_.empty() && std::none_of(include_.begin(), include_.end(), matches)) return false;
  return std::none_of(exclude_.begin(), exclude_.end(), matches);
}

}  // namespace fanout::launcher
