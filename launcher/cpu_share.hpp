#pragma once
// Per-item CPU time out of a batch process's CPU clock, read whenever results come in.

#include <vector>

#include "collector/result.hpp"

namespace fanout::launcher {

/// Shares a batch process's CPU time among its items. Each call gets the results that ended
/// since the last call and the process's total CPU time now; the CPU time used since the last
/// reading is divided among those results in proportion to their wall time (evenly when all
/// took no measurable time). A negative or decreasing reading leaves the results' cpu_seconds
/// unknown and keeps the last good reading as the base.
class CpuShare {
 public:
  void share(std::vector<collector::Result>& results, double process_cpu_seconds);

 private:
  double last_reading_ = 0;
};

}  // namespace fanout::launcher
