#include "launcher/report/result_text.hpp"

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

}  // namespace fanout::launcher::report
