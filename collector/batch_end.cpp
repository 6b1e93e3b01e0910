#include "collector/batch_end.hpp"

#include "collector/text.hpp"

namespace fanout::collector {

bool exited_with_skip_code(const ProcessEnd& end, std::optional<int> skip_return_code) {
  return end.kind == ProcessEnd::Kind::exited && skip_return_code &&
         end.exit_code == *skip_return_code;
}

std::string skip_code_message(const ProcessEnd& end) {
  return "exited with code " + std::to_string(end.exit_code) + " (the skip return code)";
}

RunningItemEnd running_item_end(const ProcessEnd& end, std::string_view executable,
                                std::optional<int> skip_return_code) {
  if (exited_with_skip_code(end, skip_return_code)) {
    return {Outcome::skipped, skip_code_message(end)};
  }
  const std::string exe(executable);
  switch (end.kind) {
    case ProcessEnd::Kind::signaled:
      return {Outcome::crashed, "crashed with " + signal_name(end.signal), end.signal};
    case ProcessEnd::Kind::timed_out:
      return {Outcome::timeout, "timed out after " + end_limit(end)};
    case ProcessEnd::Kind::exited:
      return {Outcome::failed,
              "exited with code " + std::to_string(end.exit_code) + " before the test finished"};
    case ProcessEnd::Kind::start_failed:
      return {Outcome::error, "could not start " + exe + ": " + end.error};
    case ProcessEnd::Kind::cancelled:
      break;
  }
  return {Outcome::not_run, "cancelled"};
}

std::string end_limit(const ProcessEnd& end) {
  return format_seconds(end.timeout_seconds > 0 ? end.timeout_seconds : end.seconds) + " s";
}

std::string blame_last_item(const ProcessEnd& end, std::string_view executable,
                            bool exit_code_expected, std::string_view after, Result& last) {
  const std::string tail = " " + std::string(after);
  switch (end.kind) {
    case ProcessEnd::Kind::signaled:
      last.outcome = Outcome::crashed;
      last.signal = end.signal;
      return std::string(executable) + " was killed by " + signal_name(end.signal) + tail;
    case ProcessEnd::Kind::timed_out:
      last.outcome = Outcome::timeout;
      return std::string(executable) + " timed out after " + end_limit(end) + tail;
    case ProcessEnd::Kind::exited:
      if (exit_code_expected) break;
      last.outcome = Outcome::failed;
      return std::string(executable) + " exited with code " + std::to_string(end.exit_code) + tail;
    default:
      break;
  }
  return "";
}

bool requeues_unstarted(const ProcessEnd& end, bool ran_any, bool was_running,
                        std::optional<int> skip_return_code) {
  return end.kind == ProcessEnd::Kind::cancelled ||
         (end.kind == ProcessEnd::Kind::exited && was_running) ||
         (ran_any &&
          (end.kind == ProcessEnd::Kind::signaled || end.kind == ProcessEnd::Kind::timed_out ||
           exited_with_skip_code(end, skip_return_code)));
}

void remember_last_line(std::deque<std::string>& lines, std::string_view line, std::size_t limit,
                        std::size_t max_line) {
  if (limit == 0) return;
  std::string kept;
  if (lines.size() >= limit) {
    kept = std::move(lines.front());
    lines.pop_front();
  }
  if (line.size() <= max_line) {
    kept.assign(line);
  } else {
    kept = shorten(line, max_line);
  }
  lines.push_back(std::move(kept));
}

std::string with_last_lines(std::string message, const std::deque<std::string>& last_lines) {
  if (last_lines.empty()) return message + " (it printed nothing)";
  message += "; last output:";
  for (const std::string& line : last_lines) message += "\n  " + line;
  return message;
}

UnstartedEnd unstarted_end(const ProcessEnd& end, std::string_view executable, bool ran_any,
                           std::optional<int> skip_return_code, const QuoteLastLines& quote) {
  const std::string exe(executable);
  if (exited_with_skip_code(end, skip_return_code)) {
    return {Outcome::skipped, exe + " " + skip_code_message(end) + " before any test started"};
  }
  switch (end.kind) {
    case ProcessEnd::Kind::start_failed:
      return {Outcome::error, "could not start " + exe + ": " + end.error};
    case ProcessEnd::Kind::exited: {
      std::string reason = "not run: " + exe + " exited with code " +
                           std::to_string(end.exit_code) + " without running it";
      if (end.exit_code == 0 && !ran_any) reason += " (is the test still in the binary?)";
      return {Outcome::error, quote(std::move(reason))};
    }
    case ProcessEnd::Kind::signaled:
      return {Outcome::error, quote("not run: " + exe + " was killed by " +
                                    signal_name(end.signal) + " before any test started")};
    case ProcessEnd::Kind::timed_out:
      return {Outcome::error, quote("not run: " + exe + " timed out after " + end_limit(end) +
                                    " before any test started")};
    case ProcessEnd::Kind::cancelled:
      break;
  }
  return {Outcome::error, ""};
}

}  // namespace fanout::collector
