#include "collector/result.hpp"

#include <csignal>
#include <cstring>

namespace fanout::collector {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::passed:
      return "passed";
    case Outcome::failed:
      return "failed";
    case Outcome::skipped:
      return "skipped";
    case Outcome::timeout:
      return "timeout";
    case Outcome::crashed:
      return "crashed";
    case Outcome::error:
      return "error";
    case Outcome::flaky:
      return "flaky";
    case Outcome::not_run:
      return "not-run";
  }
  return "unknown";
}

bool is_failure(Outcome outcome) {
  return outcome == Outcome::failed || outcome == Outcome::timeout || outcome == Outcome::crashed ||
         outcome == Outcome::error;
}

std::string signal_name(int signal) {
  if (const char* abbrev = sigabbrev_np(signal)) return std::string("SIG") + abbrev;
  return "signal " + std::to_string(signal);
}

}  // namespace fanout::collector
