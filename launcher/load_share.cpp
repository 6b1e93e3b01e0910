#include "launcher/load_share.hpp"

#include <algorithm>
#include <cmath>

namespace fanout::launcher {

double core_share(const ItemHistory* item) {
  if (item == nullptr || item->runs == 0 || item->cpu_runs == 0 || item->cpu_seconds < 0) return 1;
  if (item->mean_seconds < min_measured_seconds) return 1;
  const double share = std::ceil(item->cpu_seconds / item->mean_seconds * 10) / 10;
  return std::clamp(share, min_core_share, 1.0);
}

}  // namespace fanout::launcher
