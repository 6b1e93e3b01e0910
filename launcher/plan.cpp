#include "launcher/plan.hpp"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace fanout::launcher {

double expected_seconds(const History& history, const std::string& item_id,
                        double unknown_default) {
  const ItemHistory* item = history.find(item_id);
  return item && item->runs > 0 ? item->mean_seconds : unknown_default;
}

double default_unknown_seconds(const History& history) {
  const double longest = history.longest_mean_seconds();
  return longest >= 0 ? longest : 1.0;
}

PlannedItem plan_item(std::size_t index, const collector::Item& item, const History& history,
                      double unknown_default) {
  PlannedItem planned{.index = index, .id = item.id, .target = item.target, .group = item.group};
  const ItemHistory* past = history.find(planned.id);
  planned.known = past && past->runs > 0;
  planned.expected_seconds = planned.known ? past->mean_seconds : unknown_default;
  planned.failed_last = past && collector::is_failure(past->last_outcome);
  return planned;
}

std::vector<PlannedItem> plan_items(const std::vector<collector::Item>& items,
                                    const History& history) {
  const double unknown = default_unknown_seconds(history);
  std::vector<PlannedItem> planned;
  planned.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    planned.push_back(plan_item(i, items[i], history, unknown));
  }
  return planned;
}

void order_longest_first(std::vector<PlannedItem>& items) {
  std::sort(items.begin(), items.end(), [](const PlannedItem& a, const PlannedItem& b) {
    return std::tie(b.failed_last, b.expected_seconds, a.id, a.target) <
           std::tie(a.failed_last, a.expected_seconds, b.id, b.target);
  });
}

std::vector<PlannedItem> select_failed_last(const std::vector<PlannedItem>& items) {
  std::vector<PlannedItem> failed;
  std::copy_if(items.begin(), items.end(), std::back_inserter(failed),
               [](const PlannedItem& item) { return item.failed_last; });
  return failed;
}

}  // namespace fanout::launcher
