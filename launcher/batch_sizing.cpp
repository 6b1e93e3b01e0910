#include "launcher/batch_sizing.hpp"

#include <algorithm>
#include <cmath>

namespace fanout::launcher {

double unknown_estimate(const History& history, const std::string& target,
                        const BatchPolicy& policy) {
  const double median = history.target_median_seconds(target);
  return median >= 0 ? median : policy.unknown_item_seconds;
}

std::size_t take_count(const std::vector<double>& queue_seconds, double remaining_total_seconds,
                       int workers, const BatchPolicy& policy) {
  if (queue_seconds.empty()) return 0;
  const auto value = [&](double seconds) {
    return std::isfinite(seconds) && seconds >= 0 ? seconds : policy.unknown_item_seconds;
  };
  const double per_worker = std::max(0.0, remaining_total_seconds) / std::max(1, workers);
  const double cap = std::max(policy.max_fraction_of_remaining_per_worker * per_worker,
                              2 * policy.process_start_seconds);
  const std::size_t limit =
      std::min(queue_seconds.size(), std::max<std::size_t>(1, policy.max_items));
  double sum = value(queue_seconds[0]);
  std::size_t count = 1;
  while (count < limit && sum < policy.min_batch_seconds) {
    const double next = value(queue_seconds[count]);
    if (sum + next > cap) break;
    sum += next;
    ++count;
  }
  return count;
}

}  // namespace fanout::launcher
