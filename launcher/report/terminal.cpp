#include "launcher/report/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "launcher/report/result_text.hpp"
#include "launcher/report/xml_text.hpp"

namespace fanout::launcher::report {

namespace {

using collector::Outcome;

constexpr const char* green = "\x1b[32m";
constexpr const char* red = "\x1b[31m";
constexpr const char* yellow = "\x1b[33m";
constexpr const char* reset = "\x1b[0m";
constexpr std::size_t label_width = 7;
static_assert(static_cast<int>(Outcome::not_run) == 7, "labels_ holds one label per outcome");

std::string seconds_text(double seconds) {
  return fixed_seconds(seconds, 2) + " s";
}

const char* color_of(Outcome outcome) {
  switch (outcome) {
    case Outcome::passed:
      return green;
    case Outcome::skipped:
    case Outcome::flaky:
    case Outcome::not_run:
      return yellow;
    case Outcome::failed:
    case Outcome::timeout:
    case Outcome::crashed:
    case Outcome::error:
      return red;
  }
  return reset;
}

std::string label_text(Outcome outcome) {
  if (outcome == Outcome::not_run) return "NOT RUN";
  std::string name(to_string(outcome));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name;
}

/// `text` cut to at most `columns` characters (UTF-8 code points), ending in "..." when cut.
std::string cut_to_columns(const std::string& text, std::size_t columns) {
  std::vector<std::size_t> starts;  // byte offset of each code point
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  if (starts.size() <= columns) return text;
  if (columns <= 3) return text.substr(0, starts[columns]);
  return text.substr(0, starts[columns - 3]) + "...";
}

/// `text` on one line and free of control sequences: tab, newline and carriage return become
/// spaces, other control characters visible escapes (see sanitize_xml_chars).
std::string one_line(std::string_view text) {
  std::string out = sanitize_xml_chars(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

void ensure_newline(std::string& text) {
  if (!text.empty() && text.back() != '\n') text += '\n';
}

}  // namespace

TerminalReporter::TerminalReporter(std::ostream& out, TerminalOptions options)
    : out_(out), options_(std::move(options)) {
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    const auto outcome = static_cast<Outcome>(i);
    const std::string name = label_text(outcome);
    const std::string padding(label_width > name.size() ? label_width - name.size() : 0, ' ');
    labels_[i] = colored(name, color_of(outcome)) + padding;
  }
}

std::string TerminalReporter::colored(std::string_view text, const char* color) const {
  if (!options_.color) return std::string(text);
  return color + std::string(text) + reset;
}

const std::string& TerminalReporter::label(Outcome outcome) const {
  return labels_.at(static_cast<std::size_t>(outcome));
}

std::string TerminalReporter::progress_line() const {
  const std::size_t total = std::max({planned_, collected_, done_});
  std::string line = "[" + std::to_string(done_) + "/" + std::to_string(total) + "] " +
                     std::to_string(passed_) + " passed, " + std::to_string(failed_) + " failed, " +
                     std::to_string(skipped_) + " skipped";
  if (flaky_ > 0) line += ", " + std::to_string(flaky_) + " flaky";
  if (!running_.empty()) {
    line += " | ";
    const char* separator = "";
    for (const auto& [order, id] : running_) {
      line += separator;
      line += id;
      separator = ", ";
    }
  }
  const std::size_t columns = options_.width > 1 ? static_cast<std::size_t>(options_.width - 1) : 1;
  return cut_to_columns(one_line(line), columns);
}

void TerminalReporter::clear_progress() {
  if (progress_shown_) out_ << "\r\x1b[K";
  progress_shown_ = false;
}

void TerminalReporter::redraw(bool force) {
  if (!options_.live) return;
  const auto now = options_.clock ? options_.clock() : std::chrono::steady_clock::now();
  if (!force && last_draw_ && now - *last_draw_ < options_.redraw_interval) return;
  std::string line = progress_line();
  if (progress_shown_ && line == shown_line_) return;
  last_draw_ = now;
  out_ << "\r\x1b[K" << line << std::flush;
  shown_line_ = std::move(line);
  progress_shown_ = true;
}

void TerminalReporter::print_above_progress(const std::string& text) {
  clear_progress();
  out_ << text;
  redraw(true);
}

void TerminalReporter::flush() {
  out_.flush();
}

void TerminalReporter::run_started(const RunInfo& info) {
  planned_ = info.total_items;
  redraw(true);
}

void TerminalReporter::target_collected(const collector::Target&,
                                        const std::vector<collector::Item>& items) {
  collected_ += items.size();
  redraw(false);
}

void TerminalReporter::collection_failed(const CollectionError& error) {
  collection_errors_.push_back(error);
  std::string text =
      label(Outcome::error) + " " + error.target + " (collection): " + one_line(error.message);
  ensure_newline(text);
  print_above_progress(text);
}

void TerminalReporter::item_started(const collector::Item& item) {
  if (!options_.live) return;  // only the progress line shows running items
  const auto [at, added] = start_order_.try_emplace(item.id, next_start_);
  if (added) running_.emplace(next_start_++, item.id);
  redraw(false);
}

void TerminalReporter::item_finished(const collector::Item& item, const collector::Result& result) {
  if (const auto at = start_order_.find(item.id); at != start_order_.end()) {
    running_.erase(at->second);
    start_order_.erase(at);
  }
  const Outcome outcome = result.outcome;
  const bool failure = collector::is_failure(outcome);
  const std::string reason = one_line(describe_result(result));
  if (outcome != Outcome::not_run) {
    ++done_;
    if (result.ran) keep_if_slowest(item.id, result.seconds);
    if (failure) failures_.push_back({item.id, outcome, result.seconds, reason});
  }
  if (failure) ++failed_;
  if (outcome == Outcome::passed) ++passed_;
  if (outcome == Outcome::flaky) ++flaky_;
  if (outcome == Outcome::skipped) ++skipped_;

  if (outcome == Outcome::not_run || (options_.live && !failure)) {
    redraw(false);
    return;
  }
  std::string& text = line_buffer_;
  text.clear();
  text += label(outcome);
  text += ' ';
  text += item.id;
  text += " (";
  text += seconds_text(result.seconds);
  text += ')';
  if (!reason.empty()) {
    text += ": ";
    text += reason;
  }
  text += '\n';
  if (failure) {
    text += result.output;
    ensure_newline(text);
  }
  print_above_progress(text);
}

bool TerminalReporter::Slow::ranks_before(double other_seconds, const std::string& other_id) const {
  if (seconds != other_seconds) return seconds > other_seconds;
  return id < other_id;
}

bool TerminalReporter::Slow::ranks_before(const Slow& other) const {
  return ranks_before(other.seconds, other.id);
}

void TerminalReporter::keep_if_slowest(const std::string& id, double seconds) {
  const auto limit = static_cast<std::size_t>(std::max(0, options_.slowest));
  if (limit == 0) return;
  if (slowest_.size() < limit) {
    slowest_.push_back({id, seconds});
  } else if (!slowest_[slowest_last_].ranks_before(seconds, id)) {
    slowest_[slowest_last_] = Slow{id, seconds};
  } else {
    return;
  }
  if (slowest_.size() < limit) return;
  const auto last =
      std::min_element(slowest_.begin(), slowest_.end(),
                       [](const Slow& a, const Slow& b) { return b.ranks_before(a); });
  slowest_last_ = static_cast<std::size_t>(last - slowest_.begin());
}

void TerminalReporter::fixture_failed(const FixtureFailure& failure) {
  const std::string id = "fixture " + fixture_command_name(failure);
  const std::string reason = one_line(failure.message);
  failures_.push_back({id, failure.outcome, failure.seconds, reason});
  std::string text = label(failure.outcome) + " " + id + ": " + reason + "\n" + failure.output;
  ensure_newline(text);
  print_above_progress(text);
}

void TerminalReporter::message(const std::string& text) {
  std::string line = text;
  ensure_newline(line);
  print_above_progress(line);
}

void TerminalReporter::run_finished(const Summary& summary) {
  clear_progress();
  std::string text = "\n";

  bool header = false;
  for (const Finished& f : failures_) {
    if (!header) text += colored("failures:", red) + "\n";
    header = true;
    text += "  " + label(f.outcome) + " " + f.id + ": " + f.reason + "\n";
  }
  if (!collection_errors_.empty()) {
    text += colored("collection errors:", red) + "\n";
    for (const CollectionError& e : collection_errors_) {
      text += "  " + e.target;
      if (!e.executable.empty()) text += " (" + e.executable + ")";
      text += ": " + one_line(e.message) + "\n";
    }
  }

  std::vector<Slow> slowest = slowest_;
  std::sort(slowest.begin(), slowest.end(),
            [](const Slow& a, const Slow& b) { return a.ranks_before(b); });
  const std::size_t shown = slowest.size();
  if (shown > 0) {
    text += "slowest " + std::to_string(shown) + (shown == 1 ? " item:\n" : " items:\n");
    for (std::size_t i = 0; i < shown; ++i) {
      text += "  " + seconds_text(slowest[i].seconds) + "  " + slowest[i].id + "\n";
    }
  }

  text += "wall time " + seconds_text(summary.wall_seconds);
  if (const auto n = summary.count(Outcome::flaky)) text += "; " + std::to_string(n) + " flaky";
  if (const auto n = summary.count(Outcome::not_run)) text += "; " + std::to_string(n) + " not run";
  if (const auto n = std::max(summary.collection_errors, collection_errors_.size())) {
    text += "; " + std::to_string(n) + (n == 1 ? " collection error" : " collection errors");
  }
  if (const auto n = summary.fixture_failures) {
    text += "; " + std::to_string(n) + (n == 1 ? " fixture failure" : " fixture failures");
  }
  if (summary.interrupted) text += "; " + colored("interrupted", yellow);
  text += "\n";

  const std::size_t passed = summary.count(Outcome::passed);
  const std::size_t failed = summary.count(Outcome::failed) + summary.count(Outcome::timeout) +
                             summary.count(Outcome::crashed) + summary.count(Outcome::error);
  text += std::to_string(passed) + " passed, " + std::to_string(failed) + " failed, " +
          std::to_string(summary.count(Outcome::skipped)) + " skipped\n";
  out_ << text << std::flush;
}

bool color_wanted(int fd) {
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  if (const char* term = std::getenv("TERM"); term && std::strcmp(term, "dumb") == 0) return false;
  return ::isatty(fd) == 1;
}

int terminal_width(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long n = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && n > 0 && n < 10000) return static_cast<int>(n);
  }
  return 80;
}

}  // namespace fanout::launcher::report
