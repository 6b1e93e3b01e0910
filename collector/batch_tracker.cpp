#include "collector/batch_tracker.hpp"

#include <algorithm>
#include <utility>

#include "collector/batch_end.hpp"
#include "collector/text.hpp"

namespace fanout::collector {
namespace {

constexpr std::size_t max_quoted_line = 200;

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

BatchTracker::BatchTracker(const Target& target, std::vector<const Item*> batch,
                           ParserLimits limits)
    : executable_(target.executable.string()),
      skip_return_code_(target.skip_return_code),
      limits_(limits),
      items_(std::move(batch)),
      states_(items_.size(), State::waiting),
      waiting_(items_.size()),
      running_output_(limits.output_head, limits.output_tail),
      outside_output_(limits.output_head, limits.output_tail) {
  if (limits_.max_line == 0) limits_.max_line = 1;
}

std::optional<std::size_t> BatchTracker::waiting(std::string_view name) {
  return by_name_.first(name, [this](std::size_t i) { return states_[i] == State::waiting; });
}

bool BatchTracker::done(std::size_t index) const {
  return states_.at(index) == State::done;
}

void BatchTracker::start(std::size_t index) {
  if (ended_ || states_.at(index) != State::waiting || running_) return;
  states_[index] = State::running;
  --waiting_;
  running_ = index;
  running_since_ = std::chrono::steady_clock::now();
  running_output_.clear();
  if (!outside_output_.empty()) {
    running_output_.append(outside_output_.str());
    outside_output_.clear();
  }
  started_.push_back(items_[index]);
}

void BatchTracker::output(std::string_view text) {
  if (text.empty()) return;
  (running_ ? running_output_ : outside_output_).append(text);
  remember(text);
}

// Keeps the last non-blank lines for messages; lines are cut to max_quoted_line bytes.
void BatchTracker::remember(std::string_view text) {
  if (limits_.quoted_lines == 0) return;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::string_view piece = text.substr(0, newline);
    if (partial_line_.size() < max_quoted_line + 1) {
      partial_line_.append(piece.substr(0, max_quoted_line + 1 - partial_line_.size()));
    }
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
    if (!is_blank(partial_line_)) {
      std::string_view line = partial_line_;
      if (line.back() == '\r') line.remove_suffix(1);
      remember_last_line(last_lines_, line, limits_.quoted_lines, max_quoted_line);
    }
    partial_line_.clear();
  }
}

Result BatchTracker::make_result(std::size_t index, Outcome outcome, std::string message) {
  Result result;
  result.item_id = items_[index]->id;
  result.outcome = outcome;
  result.message = std::move(message);
  states_[index] = State::done;
  return result;
}

void BatchTracker::emit(Result result, bool defer) {
  if (defer) {
    deferred_.push_back(std::move(result));
    return;
  }
  ended_as_.push_back(result.outcome);
  // The last item is held: a failure after it (tear-down, leak checker) must still be reported.
  if (waiting_ == 0 && !running_) {
    if (held_) finished_.push_back(std::move(*held_));
    held_ = std::move(result);
  } else {
    finished_.push_back(std::move(result));
  }
}

void BatchTracker::finish_running(Outcome outcome, std::string message,
                                  std::optional<double> seconds, int signal, bool defer) {
  if (!running_ || ended_) return;
  const std::size_t index = *running_;
  Result result = make_result(index, outcome, std::move(message));
  result.signal = signal;
  result.seconds =
      seconds ? *seconds
              : std::chrono::duration<double>(std::chrono::steady_clock::now() - running_since_)
                    .count();
  result.output = running_output_.str();
  running_output_.clear();
  running_.reset();
  emit(std::move(result), defer);
}

void BatchTracker::finish_unstarted(std::size_t index, Outcome outcome, std::string message) {
  if (ended_ || states_.at(index) != State::waiting) return;
  started_.push_back(items_[index]);
  --waiting_;
  emit(make_result(index, outcome, std::move(message)), false);
}

std::vector<const Item*> BatchTracker::take_started() {
  return std::exchange(started_, {});
}

std::vector<Result> BatchTracker::take_finished() {
  return std::exchange(finished_, {});
}

bool BatchTracker::all_ended_as(Outcome outcome) const {
  if (waiting_ != 0 || running_) return false;
  return std::all_of(ended_as_.begin(), ended_as_.end(),
                     [outcome](Outcome o) { return o == outcome; }) &&
         std::all_of(deferred_.begin(), deferred_.end(),
                     [outcome](const Result& r) { return r.outcome == outcome; });
}

std::string BatchTracker::with_last_lines(std::string message) const {
  std::deque<std::string> lines = last_lines_;
  if (!is_blank(partial_line_) && limits_.quoted_lines > 0) {
    lines.push_back(shorten(partial_line_, max_quoted_line));
    if (lines.size() > limits_.quoted_lines) lines.pop_front();
  }
  return collector::with_last_lines(std::move(message), lines);
}

BatchEnd BatchTracker::finish(const ProcessEnd& end, bool exit_code_expected) {
  if (ended_) return {};
  const bool ran_any = waiting_ < items_.size();
  const bool was_running = running_.has_value();

  if (running_) {
    RunningItemEnd running_end = running_item_end(end, executable_, skip_return_code_);
    finish_running(running_end.outcome, std::move(running_end.message), {}, running_end.signal);
  }
  ended_ = true;

  BatchEnd out;
  out.results = std::exchange(finished_, {});
  const bool any_failed = std::any_of(ended_as_.begin(), ended_as_.end(), is_failure) ||
                          std::any_of(deferred_.begin(), deferred_.end(),
                                      [](const Result& r) { return is_failure(r.outcome); });
  if (held_ && !was_running && waiting_ == 0 && !any_failed) {
    const bool expected = exit_code_expected || exited_with_skip_code(end, skip_return_code_);
    const std::string blame =
        blame_last_item(end, executable_, expected, "after its tests ended", *held_);
    if (!blame.empty()) {
      held_->message = with_last_lines(blame);
      held_->output += outside_output_.str();
    }
  }
  if (held_) out.results.push_back(std::move(*held_));
  held_.reset();
  for (Result& result : deferred_) out.results.push_back(std::move(result));
  deferred_.clear();

  const bool requeue = requeues_unstarted(end, ran_any, was_running, skip_return_code_);
  const UnstartedEnd unstarted =
      unstarted_end(end, executable_, ran_any, skip_return_code_,
                    [this](std::string message) { return with_last_lines(std::move(message)); });
  const std::string outside = outside_output_.str();
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (states_[i] != State::waiting) continue;
    states_[i] = State::done;
    if (requeue) {
      out.not_started.push_back(NotStarted{items_[i]});
      continue;
    }
    Result result;
    result.item_id = items_[i]->id;
    result.outcome = unstarted.outcome;
    result.message = unstarted.message;
    result.output = outside;
    out.results.push_back(std::move(result));
  }
  waiting_ = 0;
  return out;
}

int signal_number_in(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return 0;
  text.remove_prefix(begin);
  std::size_t end = 0;
  while (end < text.size() &&
         ((text[end] >= 'A' && text[end] <= 'Z') || (text[end] >= '0' && text[end] <= '9'))) {
    ++end;
  }
  const std::string_view name = text.substr(0, end);
  if (!name.starts_with("SIG")) return 0;
  for (int signal = 1; signal < 65; ++signal) {
    if (signal_name(signal) == name) return signal;
  }
  return 0;
}

std::string trim_space(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace fanout::collector
