#pragma once
// A JUnit clock for golden files: it starts at 2024-01-02T03:04:05 UTC and moves one second per
// reading, so each timestamp in a golden file shows which event took it.

#include <chrono>
#include <functional>

namespace fanout::launcher::report::testing {

inline std::function<std::chrono::system_clock::time_point()> ticking_clock() {
  using namespace std::chrono;
  auto next = sys_days{year{2024} / January / 2} + hours{3} + minutes{4} + seconds{5};
  return [next]() mutable {
    const auto now = next;
    next += seconds{1};
    return now;
  };
}

}  // namespace fanout::launcher::report::testing
