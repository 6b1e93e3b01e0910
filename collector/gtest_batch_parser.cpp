#include "collector/gtest_batch_parser.hpp"

#include <algorithm>
#include <charconv>
#include <system_error>
#include <utility>

#include "collector/batch_end.hpp"
#include "collector/gtest.hpp"
#include "collector/text.hpp"

namespace fanout::collector {
namespace {

constexpr std::string_view run_prefix = "[ RUN      ] ";
constexpr std::string_view ok_prefix = "[       OK ] ";
constexpr std::string_view failed_prefix = "[  FAILED  ] ";
constexpr std::string_view skipped_prefix = "[  SKIPPED ] ";
constexpr std::string_view section_prefix = "[----------] ";
constexpr std::string_view run_banner_prefix = "[==========] ";
constexpr std::size_t marker_size = 13;  // every marker above: "[", ten bytes, "] "
constexpr std::string_view suite_failure_suffix = ": SetUpTestSuite or TearDownTestSuite";
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
  return line.ends_with(" FAILED TEST") || line.ends_with(" FAILED TESTS") ||
         line.ends_with(" FAILED TEST SUITE") || line.ends_with(" FAILED TEST SUITES");
}

// Whether `line` starts with one of GoogleTest's markers (or looks as if it did).
bool starts_with_marker(std::string_view line) {
  static constexpr std::string_view markers[] = {run_prefix,     ok_prefix,      failed_prefix,
                                                 skipped_prefix, section_prefix, run_banner_prefix,
                                                 "[  PASSED  ] "};
  if (line.size() < marker_size || line[0] != '[') return false;
  for (std::string_view marker : markers) {
    if (line.starts_with(marker)) return true;
  }
  return false;
}

// What GoogleTest prints after the name on a result line: nothing, " (12 ms)", or ", where "
// and the parameters (then maybe the time).
bool is_result_tail(std::string_view tail) {
  if (tail.empty() || tail.starts_with(", where ")) return true;
  if (!tail.starts_with(" (") || !tail.ends_with(" ms)")) return false;
  const std::string_view digits = tail.substr(2, tail.size() - 6);
  return !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
}

// Where to cut the first `window.size()` bytes of an overlong line: before the last '[' of their
// last quarter, so that a marker GoogleTest printed after the line's output stays whole.
std::size_t cut_point(std::string_view window) {
  const std::size_t quarter = window.size() - window.size() / 4;
  const std::size_t bracket = window.substr(quarter).rfind('[');
  if (bracket == std::string_view::npos || quarter + bracket == 0) return window.size();
  return quarter + bracket;
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

// The suite of a section line: "2 tests from Db", "1 test from Typed/0, where TypeParam = int",
// "2 tests from Db (3 ms total)" (then `ended` is set).
std::optional<std::string_view> section_suite(std::string_view rest, bool& ended) {
  const std::size_t digits = rest.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string_view::npos) return std::nullopt;
  rest.remove_prefix(digits);
  for (std::string_view from : {" test from ", " tests from "}) {
    if (!rest.starts_with(from)) continue;
    rest.remove_prefix(from.size());
    ended = rest.ends_with(" total)");
    const std::string_view suite = rest.substr(0, rest.find_first_of(" ,"));
    if (suite.empty()) return std::nullopt;
    return suite;
  }
  return std::nullopt;
}

}  // namespace

GTestBatchParser::GTestBatchParser(const Target& target, std::vector<const Item*> batch,
                                   const BatchContext& context, GTestParserLimits limits)
    : executable_(target.executable.string()),
      skip_return_code_(target.skip_return_code),
      limits_(limits),
      items_(std::move(batch)),
      states_(items_.size(), State::waiting),
      waiting_(items_.size()),
      running_output_(limits.output_head, limits.output_tail),
      outside_output_(limits.output_head, limits.output_tail),
      summary_skipped_(items_.size(), false) {
  if (!context.scratch_dir.empty()) {
    premature_exit_file_ = context.scratch_dir / gtest_premature_exit_file;
  }
  if (limits_.max_line == 0) limits_.max_line = 1;
}

void GTestBatchParser::feed(std::string_view chunk) {
  if (ended_ || chunk.empty()) return;
  pending_.append(chunk);
  split_lines(false);
}

std::vector<const Item*> GTestBatchParser::take_started() {
  return std::exchange(started_, {});
}

std::vector<Result> GTestBatchParser::take_finished() {
  return std::exchange(finished_, {});
}

// Cuts pending_ into lines. A line reaching max_line bytes is passed on in pieces of at most
// max_line bytes (see cut_point); the cut points depend only on the bytes, never on how they
// were split into chunks.
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
      const std::size_t piece = cut_point(line.substr(0, limits_.max_line));
      on_fragment(line.substr(0, piece), std::exchange(continued_, true));
      consumed += piece;
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
  // A marker after output that did not end its line: that output is a line of its own.
  if (continued || !starts_with_marker(line)) {
    const std::size_t at = marker_inside(strip_cr(line), continued ? 0 : 1);
    if (at != std::string_view::npos) {
      if (at > 0 || continued) pass_line(line.substr(0, at), true, continued, false);
      pass_line(line.substr(at), newline, false, true);
      return;
    }
  }
  pass_line(line, newline, continued, true);
}

void GTestBatchParser::pass_line(std::string_view line, bool newline, bool continued,
                                 bool may_be_marker) {
  const std::string_view text = strip_cr(line);
  if (continued) {
    close_blocks();
  } else {
    remember_line(text);
    if (may_be_marker && on_marker(text)) return;
    if (running_) {
      on_item_line(text);
    } else {
      on_outside_line(text);
    }
  }
  const bool framing = !continued && is_framing(text);
  append_output(line, framing);
  if (newline) append_output("\n", framing);
}

void GTestBatchParser::on_fragment(std::string_view bytes, bool continued) {
  if (!continued) remember_line(bytes);
  close_blocks();
  append_output(bytes, false);
}

// Handles `[ RUN ]` of a waiting item and the result line of the running one.
bool GTestBatchParser::on_marker(std::string_view line) {
  if (!running_) {
    const std::optional<std::size_t> index = run_line_item(line);
    if (!index) return false;
    start_item(*index);
    return true;
  }
  const std::optional<Outcome> outcome = running_result_line(line);
  if (!outcome) return false;
  std::string message;
  if (*outcome == Outcome::failed) {
    message = failure_.count == 0 ? std::string("failed") : block_message(failure_);
  } else if (*outcome == Outcome::skipped) {
    const std::size_t reason = skip_.text.find('\n');
    if (reason != std::string::npos) message = skip_.text.substr(reason + 1);
  }
  const std::string_view tail = line.substr(marker_size + items_[*running_]->name.size());
  finish_item(*outcome, parse_millis(tail), std::move(message));
  return true;
}

std::optional<std::size_t> GTestBatchParser::run_line_item(std::string_view line) {
  if (!line.starts_with(run_prefix)) return std::nullopt;
  std::string_view name = line.substr(run_prefix.size());
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  return waiting_named(name);
}

std::optional<Outcome> GTestBatchParser::running_result_line(std::string_view line) const {
  static constexpr std::pair<std::string_view, Outcome> results[] = {
      {ok_prefix, Outcome::passed},
      {failed_prefix, Outcome::failed},
      {skipped_prefix, Outcome::skipped}};
  if (!running_) return std::nullopt;
  const std::string& name = items_[*running_]->name;
  for (const auto& [prefix, outcome] : results) {
    if (!line.starts_with(prefix)) continue;
    const std::string_view rest = line.substr(prefix.size());
    if (!rest.starts_with(name) || !is_result_tail(rest.substr(name.size()))) return std::nullopt;
    return outcome;
  }
  return std::nullopt;
}

// Only the markers GoogleTest prints next: the running item's result line; else the `[ RUN ]`
// of a waiting item, or a section or run banner line.
bool GTestBatchParser::is_next_marker_line(std::string_view line) {
  if (running_) return running_result_line(line).has_value();
  if (run_line_item(line)) return true;
  const std::string_view rest = line.substr(std::min(line.size(), marker_size));
  if (line.starts_with(section_prefix)) {
    bool ended = false;
    return rest == "Global test environment set-up." ||
           rest == "Global test environment tear-down" || section_suite(rest, ended).has_value();
  }
  if (line.starts_with(run_banner_prefix)) {
    return rest.starts_with("Running ") || rest.find(" ran.") != std::string_view::npos;
  }
  return false;
}

std::size_t GTestBatchParser::marker_inside(std::string_view line, std::size_t from) {
  std::size_t found = std::string_view::npos;
  for (std::size_t at = line.find('[', from); at != std::string_view::npos;
       at = line.find('[', at + 1)) {
    if (line.size() - at < marker_size) break;
    if (line[at + marker_size - 2] != ']' || line[at + marker_size - 1] != ' ') continue;
    // The last one: GoogleTest's marker runs to the end of the line, after the test's output.
    if (is_next_marker_line(line.substr(at))) found = at;
  }
  return found;
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
  extend_block(failure_, line);
  extend_block(skip_, line);
}

// Failures outside any item belong to the suite whose section is open (SetUpTestSuite or
// TearDownTestSuite); a skip before any item started comes from a global test environment.
void GTestBatchParser::on_outside_line(std::string_view line) {
  if (line.starts_with('[')) {
    close_blocks();
    on_framing_line(line);
    return;
  }
  if (is_failure_location(line)) {
    close_blocks();
    if (current_suite_.empty()) return;
    Block& block = suite_failures_[current_suite_];
    if (++block.count == 1) {
      block.text = shorten(line, max_message);
      block.lines_left = block_lines;
      open_suite_failure_ = current_suite_;
    }
    return;
  }
  if (line.ends_with(": Skipped") && in_global_set_up_ && waiting_ == items_.size()) {
    close_blocks();
    if (++global_skip_.count == 1) {
      global_skip_.text = shorten(line, max_message);
      global_skip_.lines_left = block_lines;
    }
    return;
  }
  if (!open_suite_failure_.empty()) extend_block(suite_failures_[open_suite_failure_], line);
  extend_block(global_skip_, line);
}

// Section lines (which suite runs), and the final summary's suite failures and skipped items.
void GTestBatchParser::on_framing_line(std::string_view line) {
  if (line.starts_with(section_prefix)) {
    in_global_set_up_ = line.substr(section_prefix.size()) == "Global test environment set-up.";
    bool ended = false;
    const std::optional<std::string_view> suite =
        section_suite(line.substr(section_prefix.size()), ended);
    if (!suite || ended) current_suite_.clear();
    if (!suite) return;
    if (!ended) {
      current_suite_ = *suite;
      return;
    }
    // The suite's tear-down is over: its results are final unless it failed outside its items.
    release_results(waiting_ == 0);
    return;
  }
  if (line.starts_with(failed_prefix) && line.ends_with(suite_failure_suffix)) {
    const std::string_view suite = line.substr(
        failed_prefix.size(), line.size() - failed_prefix.size() - suite_failure_suffix.size());
    if (!suite.empty() &&
        std::find(failed_suites_.begin(), failed_suites_.end(), suite) == failed_suites_.end()) {
      failed_suites_.emplace_back(suite);
    }
    return;
  }
  if (line.starts_with(skipped_prefix)) {
    std::string_view name = line.substr(skipped_prefix.size());
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (const std::optional<std::size_t> index = waiting_named(name)) {
      summary_skipped_[*index] = true;
    }
  }
}

void GTestBatchParser::extend_block(Block& block, std::string_view line) {
  if (block.lines_left == 0) return;
  if (is_blank(line)) {
    block.lines_left = 0;
    return;
  }
  block.text += '\n';
  block.text += line;
  --block.lines_left;
  if (block.text.size() > max_message) {
    block.text = shorten(block.text, max_message);
    block.lines_left = 0;
  }
}

std::string GTestBatchParser::block_message(const Block& block) {
  std::string message = block.text;
  if (block.count > 1) {
    message += "\n(and " + std::to_string(block.count - 1) + " more failure" +
               (block.count > 2 ? "s)" : ")");
  }
  return message;
}

void GTestBatchParser::close_blocks() {
  failure_.lines_left = skip_.lines_left = global_skip_.lines_left = 0;
  if (!open_suite_failure_.empty()) suite_failures_[open_suite_failure_].lines_left = 0;
  open_suite_failure_.clear();
}

// Passes finished results on, except those of suites that failed outside their items (they may
// be blamed at the end) and, with `keep_last`, the last one.
void GTestBatchParser::release_results(bool keep_last) {
  const std::size_t releasable = unreleased_.size() - (keep_last && !unreleased_.empty() ? 1 : 0);
  if (suite_failures_.empty()) {  // the common case: no result is held for its suite
    for (std::size_t i = 0; i < releasable; ++i) {
      finished_.push_back(std::move(unreleased_[i].result));
    }
    unreleased_.erase(unreleased_.begin(),
                      unreleased_.begin() + static_cast<std::ptrdiff_t>(releasable));
    return;
  }
  std::vector<Finished> kept;
  for (std::size_t i = 0; i < unreleased_.size(); ++i) {
    if (i < releasable && !suite_failures_.contains(suite_of(unreleased_[i].index))) {
      finished_.push_back(std::move(unreleased_[i].result));
    } else {
      kept.push_back(std::move(unreleased_[i]));
    }
  }
  unreleased_ = std::move(kept);
}

std::string_view GTestBatchParser::suite_of(std::size_t index) const {
  const Item& item = *items_[index];
  if (!item.suite.empty()) return item.suite;
  return std::string_view(item.name).substr(0, item.name.find('.'));
}

// Each suite-level failure of the summary fails the last finished item of that suite (or the
// last finished item, when none of that suite is held).
void GTestBatchParser::blame_suite_failures() {
  for (const std::string& suite : failed_suites_) {
    Finished* blamed = nullptr;
    for (auto it = unreleased_.rbegin(); it != unreleased_.rend() && blamed == nullptr; ++it) {
      if (suite_of(it->index) == suite) blamed = &*it;
    }
    if (blamed == nullptr && !unreleased_.empty()) blamed = &unreleased_.back();
    if (blamed == nullptr) continue;
    std::string message = suite + ": SetUpTestSuite or TearDownTestSuite failed";
    const auto failure = suite_failures_.find(suite);
    if (failure != suite_failures_.end() && failure->second.count > 0) {
      message += "\n" + block_message(failure->second);
    }
    Result& result = blamed->result;
    if (is_failure(result.outcome)) {
      result.message += "\n" + message;
    } else {
      result.outcome = Outcome::failed;
      result.message = std::move(message);
    }
    any_failed_ = true;
  }
}

// The message of a global test environment's GTEST_SKIP(), which GoogleTest prints twice.
std::string GTestBatchParser::global_skip_reason() const {
  const std::string& text = global_skip_.text;
  const std::size_t newline = text.find('\n');
  if (newline == std::string::npos) return text;
  std::string reason = text.substr(newline + 1);
  const std::size_t half = reason.size() / 2;
  if (reason.size() % 2 == 1 && reason[half] == '\n' &&
      reason.compare(0, half, reason, half + 1, half) == 0) {
    reason.resize(half);
  }
  return reason;
}

std::optional<std::size_t> GTestBatchParser::waiting_named(std::string_view name) {
  return by_name_.first(name, [this](std::size_t i) { return states_[i] == State::waiting; });
}

void GTestBatchParser::start_item(std::size_t index) {
  close_blocks();
  in_global_set_up_ = false;
  release_results(false);
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
  const std::size_t index = *running_;
  Result result = running_result(outcome, std::move(message), seconds);
  // Held until the next item starts or the suite ends: a failure after it must still be reported.
  unreleased_.push_back({index, std::move(result)});
}

Result GTestBatchParser::running_result(Outcome outcome, std::string message,
                                        std::optional<double> seconds) {
  const std::size_t index = *running_;
  Result result;
  result.item_id = items_[index]->id;
  result.outcome = outcome;
  result.seconds =
      seconds ? *seconds
              : std::chrono::duration<double>(std::chrono::steady_clock::now() - running_since_)
                    .count();
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
  if (!is_blank(line)) remember_last_line(last_lines_, line, limits_.quoted_lines, max_quoted_line);
}

std::string GTestBatchParser::with_last_lines(std::string message) const {
  return collector::with_last_lines(std::move(message), last_lines_);
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

  BatchEnd out;
  out.results = std::exchange(finished_, {});
  std::optional<Result> running_end;
  if (running_) {
    RunningItemEnd item_end = running_item_end(end, executable_, skip_return_code_);
    running_end = running_result(item_end.outcome, std::move(item_end.message));
    running_end->signal = item_end.signal;
  }
  blame_suite_failures();
  if (!was_running && waiting_ == 0 && !any_failed_ && !unreleased_.empty()) {
    Result& last = unreleased_.back().result;
    const bool skip_exit = exited_with_skip_code(end, skip_return_code_);
    std::string blame = blame_last_item(end, executable_, end.exit_code == 0 || skip_exit,
                                        "after its tests passed", last);
    if (blame.empty() && end.kind == ProcessEnd::Kind::exited && !skip_exit &&
        premature_exit_file_exists()) {
      last.outcome = Outcome::failed;
      blame = executable_ +
              " exited with code 0 before GoogleTest finished (the premature-exit file is still "
              "there)";
    }
    if (!blame.empty()) {
      last.message = with_last_lines(blame);
      last.output += outside_output_.str();
    }
  }
  for (Finished& finished : unreleased_) out.results.push_back(std::move(finished.result));
  unreleased_.clear();
  if (running_end) out.results.push_back(std::move(*running_end));

  // Items the process never reached: run them again elsewhere when another item is to blame.
  const bool requeue = requeues_unstarted(end, ran_any, was_running, skip_return_code_);
  const UnstartedEnd unstarted =
      unstarted_end(end, executable_, ran_any, skip_return_code_,
                    [this](std::string message) { return with_last_lines(std::move(message)); });
  // After a clean exit, GoogleTest's word that it skipped an item that never started.
  const bool clean_exit =
      end.kind == ProcessEnd::Kind::exited && end.exit_code == 0 && !premature_exit_file_exists();
  const bool globally_skipped = clean_exit && !ran_any && global_skip_.count > 0;
  const std::string skip_reason = global_skip_.count > 0
                                      ? global_skip_reason()
                                      : "listed as skipped by GoogleTest, which did not run it";
  const std::string outside = outside_output_.str();
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (states_[i] != State::waiting) continue;
    states_[i] = State::done;
    if (requeue) {
      out.not_started.push_back(NotStarted{items_[i]});
      continue;
    }
    const bool skipped = globally_skipped || (clean_exit && summary_skipped_[i]);
    Result result;
    result.item_id = items_[i]->id;
    result.outcome = skipped ? Outcome::skipped : unstarted.outcome;
    result.message = skipped ? skip_reason : unstarted.message;
    result.output = outside;
    out.results.push_back(std::move(result));
  }
  waiting_ = 0;
  return out;
}

}  // namespace fanout::collector
