#include "launcher/cpu_share.hpp"

#include <algorithm>
#include <cmath>

namespace fanout::launcher {

void CpuShare::share(std::vector<collector::Result>& results, double process_cpu_seconds) {
  if (results.empty()) return;
  if (!std::isfinite(process_cpu_seconds) || process_cpu_seconds < last_reading_) return;
  const double used = process_cpu_seconds - last_reading_;
  last_reading_ = process_cpu_seconds;
  double wall = 0;
  for (const auto& result : results) wall += std::max(0.0, result.seconds);
  for (auto& result : results) {
    const double part =
        wall > 0 ? std::max(0.0, result.seconds) / wall : 1.0 / static_cast<double>(results.size());
    result.cpu_seconds = used * part;
  }
}

}  // namespace fanout::launcher
