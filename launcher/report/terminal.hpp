#pragma once
// What a person watching the run sees: progress, failures as they happen, and a summary.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "launcher/report/reporter.hpp"

namespace fanout::launcher::report {

struct TerminalOptions {
  /// TTY mode: one progress line redrawn in place ("\r\x1b[K"); otherwise one line per item.
  bool live = false;
  /// ANSI colours on the outcome labels (green/red/yellow); never on the last line.
  bool color = false;
  /// Columns of the terminal; the progress line is cut to `width - 1` characters.
  int width = 80;
  /// How many of the slowest items the summary lists; 0: none.
  int slowest = 5;
  /// Least time between two progress redraws; failures, messages and the end always redraw.
  /// Zero redraws on every event.
  std::chrono::milliseconds redraw_interval{100};
  /// Clock of the throttle; empty: std::chrono::steady_clock::now.
  std::function<std::chrono::steady_clock::time_point()> clock;
};

/// Streams the run to a terminal (or a log, when not live).
///
/// Not live: one line per finished item, `LABEL   target/Suite.Case (0.01 s)`, with `: reason`
/// for anything but a plain pass (see describe_result; reasons are put on one line with
/// control characters escaped, captured output is written as the test printed it); failures
/// (failed, timeout, crashed, error) are followed by their captured output. Not-run results print
/// nothing there (the summary counts them). Live: only failures, collection errors and messages are
/// printed, each above a progress line `[done/total] N passed, N failed, N skipped[, N flaky] |
/// running ids, ...`; the line is not rewritten when its text did not change. Lines are written to
/// `out` as they come and flushed on flush() (the run is idle) and at the end, not once per item.
///
/// A failed fixture setup or cleanup is printed when it ends, `LABEL   fixture <name>: reason`
/// (see fixture_command_name) followed by its output, and listed with the failures.
///
/// run_finished prints a summary: the failures again, collection errors, the `slowest` slowest
/// items (of those that ran: not those failed by their fixture's setup), a line with the wall time
/// and the flaky / not-run / collection-error / interrupted notes, and as the very last line
/// exactly `N passed, N failed, N skipped` from the Summary's counts (failed is failed + timeout +
/// crashed + error). Flaky items (passed on a retry) are not counted as passed: the wall-time line
/// counts them.
class TerminalReporter : public Reporter {
 public:
  TerminalReporter(std::ostream& out, TerminalOptions options);

  void run_started(const RunInfo& info) override;
  void target_collected(const collector::Target& target,
                        const std::vector<collector::Item>& items) override;
  void collection_failed(const CollectionError& error) override;
  void item_started(const collector::Item& item) override;
  void item_finished(const collector::Item& item, const collector::Result& result) override;
  void fixture_failed(const FixtureFailure& failure) override;
  void message(const std::string& text) override;
  void flush() override;
  void run_finished(const Summary& summary) override;

 private:
  struct Finished {
    std::string id;
    collector::Outcome outcome;
    double seconds;
    std::string reason;
  };

  /// One of the slowest items so far.
  struct Slow {
    std::string id;
    double seconds;
    /// Slower first; equal times by id.
    bool ranks_before(const Slow& other) const;
    bool ranks_before(double other_seconds, const std::string& other_id) const;
  };

  void keep_if_slowest(const std::string& id, double seconds);
  /// The padded (and coloured) label of `outcome`.
  const std::string& label(collector::Outcome outcome) const;
  std::string colored(std::string_view text, const char* color) const;
  std::string progress_line() const;
  void print_above_progress(const std::string& text);
  void redraw(bool force);
  void clear_progress();

  std::ostream& out_;
  TerminalOptions options_;
  std::size_t planned_ = 0;
  std::size_t collected_ = 0;
  std::size_t done_ = 0;
  std::size_t passed_ = 0;
  std::size_t failed_ = 0;
  std::size_t skipped_ = 0;
  std::size_t flaky_ = 0;
  // Running items (tracked when live only): ids by start order, and each id's place in it.
  std::map<std::uint64_t, std::string> running_;
  std::unordered_map<std::string, std::uint64_t> start_order_;
  std::uint64_t next_start_ = 0;
  std::vector<Finished> failures_;
  std::vector<Slow> slowest_;          // at most options_.slowest, unordered
  std::size_t slowest_last_ = 0;       // the one in slowest_ that ranks last, once it is full
  std::string line_buffer_;            // reused for each item's line
  std::array<std::string, 8> labels_;  // by Outcome (not_run is the last)
  std::vector<CollectionError> collection_errors_;
  std::optional<std::chrono::steady_clock::time_point> last_draw_;
  bool progress_shown_ = false;
  std::string shown_line_;  // the progress line on screen, when progress_shown_
};

/// True when output to `fd` should be coloured: `fd` is a terminal, NO_COLOR is unset or empty,
/// and TERM is not "dumb".
bool color_wanted(int fd);

/// Columns of the terminal on `fd`; when `fd` is not a terminal, $COLUMNS if it is a positive
/// number, else 80.
int terminal_width(int fd);

}  // namespace fanout::launcher::report
