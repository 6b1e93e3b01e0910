#include "collector/gtest_batch_parser.hpp"

#include <algorithm>
#include <charconv>
#include <system_error>
#include <utility>

#include "collector/gtest.hpp"
#include "collector/text.hpp"

namespace fanout::collector {
namespace {

constexpr std::string_view run_prefix = "[ RUN      ] ";
constexpr std::string_view ok_prefix = "[       OK ] ";
constexpr std::string_view failed_prefix = "[  FAILED  ] ";
constexpr std::string_view skipped_prefix = "[  SKIPPED ] ";
constexpr int block_lines = 5;            // text lines kept after a failure's location line
constexpr std::size_t max_message = 600;  // bytes of a failure block
constexpr std::size_t max_quoted_line = 200;

std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// GoogleTest's own lines outside any test: not worth passing on as a test's output.
bool is_framing(std::string_view line) {
  static constexpr std::string_view prefixes[] = {
      "[==========]", "[----------]", "[  PASSED  ]",         "[  FAILED  ]",
      "[  SKIPPED ]", "[       OK ]", "Running main() from ", "Note: Google Test filter = ",
      " YOU HAVE "};
  if (is_blank(line)) return true;
  for (std::string_view prefix : prefixes) {
    if (line.starts_with(prefix)) return true;
  }
  return line.ends_with(" FAILED TEST") || line.ends_with(" FAILED TESTS");
}

// "a_test.cpp:12: Failure", "unknown file: Failure", or MSVC's "a_test.cpp(12): error: ...".
bool is_failure_location(std::string_view line) {
  return line.ends_with(": Failure") || line.find("): error: ") != std::string_view::npos;
}

// The "(12 ms)" at the end of a result line.
std::optional<double> parse_millis(std::string_view tail) {
  if (!tail.ends_with(" ms)")) return std::nullopt;
  tail.remove_suffix(4);
  const std::size_t open = tail.rfind('(');
  if (open == std::string_view::npos) return std::nullopt;
  const std::string_view digits = tail.substr(open + 1);
  long long millis = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), millis);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return static_cast<double>(millis) / 1000.0;
}

}  // namespace

GTestBatchParser::GTestBatchParser(const Target& target, std::vector<Item> batch,
                                   const BatchContext& context, GTestParserLimits limits)
    : executable_(target.executable.string()),
      limits_(limits),
      items_(std::move(batch)),
      states_(items_.size(), State::waiting),
      waiting_(items_.size()),
      running_output_(limits.output_head, limits.output_tail),
      outside_output_(limits.output_head, limits.output_tail) {
  if (!context.scratch_dir.empty()) {
    premature_exit_file_ = context.scratch_dir / gtest_premature_exit_file;
  }
  if (limits_.max_line == 0) limits_.max_line = 1;
  for (std::size_t i = 0; i < items_.size(); ++i) index_by_name_.emplace(items_[i].name, i);
}

void GTestBatchParser::feed(std::string_view chunk) {
  if (ended_ || chunk.empty()) return;
  pending_.append(chunk);
  split_lines(false);
}

std::vector<Item> GTestBatchParser::take_started() {
  return std::exchange(started_, {});
}

std::vector<Result> GTestBatchParser::take_finished() {
  return std::exchange(finished_, {});
}

// Cuts pending_ into lines. A line reaching max_line bytes is passed on in max_line pieces; the
// cut points depend only on the bytes, never on how they were split into chunks.
void GTestBatchParser::split_lines(bool at_end) {
  std::size_t consumed = 0;
  std::size_t search_from = scanned_;
  while (true) {
    const std::size_t newline = pending_.find('\n', search_from);
    const std::size_t end = newline == std::string::npos ? pending_.size() : newline;
    const std::string_view line = std::string_view(pending_).substr(consumed, end - consumed);
    if (newline != std::string::npos && line.size() < limits_.max_line) {
      on_line(line, true, std::exchange(continued_, false));
      consumed = newline + 1;
      search_from = consumed;
    } else if (pending_.size() - consumed >= limits_.max_line) {
      on_fragment(line.substr(0, limits_.max_line), std::exchange(continued_, true));
      consumed += limits_.max_line;
      search_from = end;
    } else {
      break;
    }
  }
  if (at_end && consumed < pending_.size()) {
    on_line(std::string_view(pending_).substr(consumed), false, std::exchange(continued_, false));
    consumed = pending_.size();
  }
  pending_.erase(0, consumed);
  scanned_ = pending_.size();
}

void GTestBatchParser::on_line(std::string_view line, bool newline, bool continued) {
  const std::string_view text = strip_cr(line);
  if (continued) {
    failure_.lines_left = skip_.lines_left = 0;
  } else {
    remember_line(text);
    if (on_marker(text)) return;
    if (running_) on_item_line(text);
  }
  const bool framing = !continued && is_framing(text);
  append_output(line, framing);
  if (newline) append_output("\n", framing);
}

void GTestBatchParser::on_fragment(std::string_view bytes, bool continued) {
  if (!continued) remember_line(bytes);
  failure_.lines_left = skip_.lines_left = 0;
  append_output(bytes, false);
}

// Handles `[ RUN ]` of a waiting item and the result line of the running one.
bool GTestBatchParser::on_marker(std::string_view line) {
  if (!running_) {
    if (!line.starts_with(run_prefix)) return false;
    std::string name(line.substr(run_prefix.size()));
    while (!name.empty() && name.back() == ' ') name.pop_back();
    const auto found = index_by_name_.find(name);
    if (found == index_by_name_.end() || states_[found->second] != State::waiting) return false;
    start_item(found->second);
    return true;
  }
  static constexpr std::pair<std::string_view, Outcome> results[] = {
      {ok_prefix, Outcome::passed},
      {failed_prefix, Outcome::failed},
      {skipped_prefix, Outcome::skipped}};
  const std::string& name = items_[*running_].name;
  for (const auto& [prefix, outcome] : results) {
    if (!line.starts_with(prefix)) continue;
    const std::string_view rest = line.substr(prefix.size());
    if (!rest.starts_with(name)) return false;
    const std::string_view tail = rest.substr(name.size());
    if (!tail.empty() && !tail.starts_with(" (") && !tail.starts_with(", where ")) return false;
    std::string message;
    if (outcome == Outcome::failed) {
      message = failure_.count == 0 ? std::string("failed") : failure_.text;
      if (failure_.count > 1) {
        message += "\n(and " + std::to_string(failure_.count - 1) + " more failure" +
                   (failure_.count > 2 ? "s)" : ")");
      }
    } else if (outcome == Outcome::skipped) {
      const std::size_t reason = skip_.text.find('\n');
      if (reason != std::string::npos) message = skip_.text.substr(reason + 1);
    }
    finish_item(outcome, parse_millis(tail), std::move(message));
    return true;
  }
  return false;
}

// Keeps the first failure block and the first skip block of the running item.
void GTestBatchParser::on_item_line(std::string_view line) {
  const bool failure = is_failure_location(line);
  const bool skip = !failure && line.ends_with(": Skipped");
  if (failure || skip) {
    failure_.lines_left = skip_.lines_left = 0;
    Block& block = failure ? failure_ : skip_;
    if (++block.count == 1) {
      block.text = shorten(line, max_message);
      block.lines_left = block_lines;
    }
    return;
  }
  for (Block* block : {&failure_, &skip_}) {
    if (block->lines_left == 0) continue;
    if (is_blank(line)) {
      block->lines_left = 0;
      continue;
    }
    block->text += '\n';
    block->text += line;
    --block->lines_left;
    if (block->text.size() > max_message) {
      block->text = shorten(block->text, max_message);
      block->lines_left = 0;
    }
  }
}

void GTestBatchParser::start_item(std::size_t index) {
  states_[index] = State::running;
  --waiting_;
  running_ = index;
  running_since_ = std::chrono::steady_clock::now();
  running_output_.clear();
  if (!outside_output_.empty()) {
    running_output_.append(outside_output_.str());
    outside_output_.clear();
  }
  failure_ = {};
  skip_ = {};
  started_.push_back(items_[index]);
}

void GTestBatchParser::finish_item(Outcome outcome, std::optional<double> seconds,
                                   std::string message) {
  Result result = running_result(outcome, std::move(message));
  if (seconds) result.seconds = *seconds;
  // The last item is held: a failure after it (tear-down, leak checker) must still be reported.
  if (waiting_ == 0) {
    held_ = std::move(result);
  } else {
    finished_.push_back(std::move(result));
  }
}

Result GTestBatchParser::running_result(Outcome outcome, std::string message) {
  const std::size_t index = *running_;
  Result result;
  result.item_id = items_[index].id;
  result.outcome = outcome;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - running_since_).count();
  result.message = std::move(message);
  result.output = running_output_.str();
  states_[index] = State::done;
  running_.reset();
  running_output_.clear();
  if (is_failure(outcome)) any_failed_ = true;
  return result;
}

void GTestBatchParser::append_output(std::string_view text, bool framing) {
  if (running_) {
    running_output_.append(text);
  } else if (!framing) {
    outside_output_.append(text);
  }
}

void GTestBatchParser::remember_line(std::string_view line) {
  if (limits_.quoted_lines == 0 || is_blank(line)) return;
  last_lines_.push_back(shorten(line, max_quoted_line));
  while (last_lines_.size() > limits_.quoted_lines) last_lines_.pop_front();
}

std::string GTestBatchParser::with_last_lines(std::string message) const {
  if (last_lines_.empty()) return message + " (it printed nothing)";
  message += "; last output:";
  for (const std::string& line : last_lines_) message += "\n  " + line;
  return message;
}

bool GTestBatchParser::premature_exit_file_exists() const {
  std::error_code error;
  return !premature_exit_file_.empty() && std::filesystem::exists(premature_exit_file_, error);
}

BatchEnd GTestBatchParser::finish(const ProcessEnd& end) {
  if (ended_) return {};
  split_lines(true);
  ended_ = true;
  const bool ran_any = waiting_ < items_.size();
  const bool was_running = running_.has_value();
  const std::string code = std::to_string(end.exit_code);
  const std::string limit =
      format_seconds(end.timeout_seconds > 0 ? end.timeout_seconds : end.seconds) + " s";

  BatchEnd out;
  out.results = std::exchange(finished_, {});
  if (running_) {
    Result result;
    switch (end.kind) {
      case ProcessEnd::Kind::signaled:
        result = running_result(Outcome::crashed, "crashed with " + signal_name(end.signal));
        result.signal = end.signal;
        break;
      case ProcessEnd::Kind::timed_out:
        result = running_result(Outcome::timeout, "timed out after " + limit);
        break;
      case ProcessEnd::Kind::exited:
        result = running_result(Outcome::failed,
                                "exited with code " + code + " before the test finished");
        break;
      case ProcessEnd::Kind::start_failed:
        result =
            running_result(Outcome::error, "could not start " + executable_ + ": " + end.error);
        break;
      case ProcessEnd::Kind::cancelled:
        result = running_result(Outcome::not_run, "cancelled");
        break;
    }
    out.results.push_back(std::move(result));
  } else if (held_ && waiting_ == 0 && !any_failed_) {
    std::string blame;
    switch (end.kind) {
      case ProcessEnd::Kind::signaled:
        held_->outcome = Outcome::crashed;
        held_->signal = end.signal;
        blame =
            executable_ + " was killed by " + signal_name(end.signal) + " after its tests passed";
        break;
      case ProcessEnd::Kind::timed_out:
        held_->outcome = Outcome::timeout;
        blame = executable_ + " timed out after " + limit + " after its tests passed";
        break;
      case ProcessEnd::Kind::exited:
        if (end.exit_code != 0) {
          blame = executable_ + " exited with code " + code + " after its tests passed";
        } else if (premature_exit_file_exists()) {
          blame = executable_ +
                  " exited with code 0 before GoogleTest finished (the premature-exit file is "
                  "still there)";
        }
        if (!blame.empty()) held_->outcome = Outcome::failed;
        break;
      default:
        break;
    }
    if (!blame.empty()) {
      held_->message = with_last_lines(blame);
      held_->output += outside_output_.str();
    }
  }
  if (held_) out.results.push_back(std::move(*held_));
  held_.reset();

  // Items the process never reached: run them again elsewhere when another item is to blame.
  const bool requeue = end.kind == ProcessEnd::Kind::cancelled ||
                       (end.kind == ProcessEnd::Kind::exited && was_running) ||
                       (ran_any && (end.kind == ProcessEnd::Kind::signaled ||
                                    end.kind == ProcessEnd::Kind::timed_out));
  std::string reason;
  switch (end.kind) {
    case ProcessEnd::Kind::start_failed:
      reason = "could not start " + executable_ + ": " + end.error;
      break;
    case ProcessEnd::Kind::exited:
      reason = "not run: " + executable_ + " exited with code " + code + " without running it";
      if (end.exit_code == 0 && !ran_any) reason += " (is the test still in the binary?)";
      reason = with_last_lines(std::move(reason));
      break;
    case ProcessEnd::Kind::signaled:
      reason = with_last_lines("not run: " + executable_ + " was killed by " +
                               signal_name(end.signal) + " before any test started");
      break;
    case ProcessEnd::Kind::timed_out:
      reason = with_last_lines("not run: " + executable_ + " timed out after " + limit +
                               " before any test started");
      break;
    case ProcessEnd::Kind::cancelled:
      break;
  }
  const std::string outside = outside_output_.str();
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (states_[i] != State::waiting) continue;
    states_[i] = State::done;
    if (requeue) {
      out.not_started.push_back(items_[i]);
      continue;
    }
    Result result;
    result.item_id = items_[i].id;
    result.outcome = Outcome::error;
    result.message = reason;
    result.output = outside;
    out.results.push_back(std::move(result));
  }
  waiting_ = 0;
  return out;
}

}  // namespace fanout::collector
