#include "launcher/report/result_text.hpp"

#include <charconv>
#include <cmath>

namespace fanout::launcher::report {

std::string describe_result(const collector::Result& result) {
  using collector::Outcome;
  std::string message = result.message;
  switch (result.outcome) {
    case Outcome::crashed:
      if (result.signal != 0) {
        const std::string signal = collector::signal_name(result.signal);
        if (message.empty()) return "crashed (" + signal + ")";
        if (message.find(signal) == std::string::npos) message += " (" + signal + ")";
      }
      return message.empty() ? "crashed" : message;
    case Outcome::timeout:
      return message.empty() ? "timed out" : message;
    case Outcome::failed:
    case Outcome::error:
      return message.empty() ? std::string(to_string(result.outcome)) : message;
    case Outcome::flaky:
      return "passed on attempt " + std::to_string(result.attempts);
    case Outcome::passed:
    case Outcome::skipped:
    case Outcome::not_run:
      break;
  }
  return message;
}

std::string fixture_command_name(const FixtureFailure& failure) {
  std::string name = failure.fixture + " " + std::string(to_string(failure.phase));
  if (!failure.command.empty()) name += " (" + failure.command + ")";
  return name;
}

std::string fixed_seconds(double seconds, int decimals) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  char buffer[400];  // the largest double has 309 digits before the point
  const auto written =
      std::to_chars(buffer, buffer + sizeof buffer, seconds, std::chars_format::fixed, decimals);
  return std::string(buffer, written.ptr);
}

}  // namespace fanout::launcher::report
