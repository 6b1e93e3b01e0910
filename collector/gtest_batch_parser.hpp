#pragma once
// Follows the output of one GoogleTest batch process and turns it into one Result per item.

#include <chrono>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collector/batch_tracker.hpp"
#include "collector/framework.hpp"
#include "collector/output_buffer.hpp"
#include "collector/waiting_items.hpp"

namespace fanout::collector {

/// What a GTestBatchParser keeps in memory, whatever the process prints.
using GTestParserLimits = ParserLimits;

/// The BatchParser for GoogleTest output (`--gtest_color=no`).
///
/// - `[ RUN      ] X` starts batch item X; `[       OK ] X`, `[  FAILED  ] X`, `[  SKIPPED ] X`
///   lines finish it only while X is the running item (the final summary repeats them) and only
///   when nothing but GoogleTest's own tail follows the name (" (N ms)", ", where ...", or
///   nothing), with the time from "(N ms)". Lines between are the item's output; a failed item's
///   message is its first `file:line: Failure` block.
/// - A marker may also come in the middle of a line, after output that did not end with a
///   newline (stdout or stderr, inside an item or outside). In a line that does not start with a
///   marker, the last `[` that starts a marker GoogleTest would print next, running to the end of
///   the line, is read as the start of that marker's line: the running item's result line; with
///   no item running, the `[ RUN      ]` line of a waiting item, or a `[----------]` section or
///   `[==========]` line. The text before it is output as a line of its own (a newline added).
///   A line that reaches `max_line` bytes is cut before a `[` in the last quarter of the piece,
///   so such a marker after long output stays whole; other pieces of such a line are output.
/// - Output outside any item (global set-up, gtest's own framing lines removed) goes to the next
///   item that starts, or to the results finish() makes.
/// - A finished item's result is passed on when the next item starts or its suite has ended
///   (`[----------] N tests from S (T ms total)`), unless a failure was printed outside any item
///   within its suite (SetUpTestSuite / TearDownTestSuite): then the results of that suite are
///   held until finish(). The result of the last item to finish is always held until finish().
/// - finish(), suite-level failures: for each `[  FAILED  ] S: SetUpTestSuite or
///   TearDownTestSuite` of the final summary, the last finished item of suite S fails (the last
///   finished item of the batch when none of S is held), its message quoting the suite's first
///   failure block. Then, when every item passed but the process exits non-zero (other than
///   with the target's skip return code), is killed, times out, or leaves the premature-exit
///   file behind (unless it exits with the skip return code), the last item fails (a failing
///   global tear-down or leak checker is never lost).
/// - finish(): the running item is crashed / timeout / skipped (the process exited with the
///   target's `skip_return_code`: "exited with code N (the skip return code)") / failed ("exited
///   with code N before the test finished") / not_run (cancelled). Items never started go to
///   `not_started`, to be queued again, when another item is to blame or the process skipped
///   only what it had reached: it was killed, timed out or exited with the skip return code after
///   an item started, exited while an item was running, or was cancelled. Otherwise, when it
///   exited with the skip return code (no item started), every such item is skipped; after a
///   clean exit (code 0, no premature-exit file), an item the final summary lists as skipped
///   (`[  SKIPPED ] X` with no `[ RUN ]`), or every item when none started and a global test
///   environment skipped (a `file:line: Skipped` block after "Global test environment set-up."
///   and before any test), is skipped with that reason. Any other never-started item (it could not
///   start, exited without running them, or died before any item started) gets an error result
///   quoting the exit status and the last lines of output.
class GTestBatchParser final : public BatchParser {
 public:
  /// `batch` points to the caller's items, which must outlive the parser.
  GTestBatchParser(const Target& target, std::vector<const Item*> batch,
                   const BatchContext& context, GTestParserLimits limits = {});

  void feed(std::string_view chunk) override;
  std::vector<const Item*> take_started() override;
  std::vector<Result> take_finished() override;
  BatchEnd finish(const ProcessEnd& end) override;

 private:
  enum class State { waiting, running, done };
  /// The first `file:line: Failure` (or `Skipped`) block of an item's output.
  struct Block {
    std::string text;
    int lines_left = 0;
    int count = 0;
  };

  struct Finished {
    std::size_t index;
    Result result;
  };

  void split_lines(bool at_end);
  void on_line(std::string_view line, bool newline, bool continued);
  /// A line (or the output before a marker inside it); `may_be_marker`: it may start with one.
  void pass_line(std::string_view line, bool newline, bool continued, bool may_be_marker);
  void on_fragment(std::string_view bytes, bool continued);
  bool on_marker(std::string_view line);
  /// The waiting item whose `[ RUN      ]` line `line` is.
  std::optional<std::size_t> run_line_item(std::string_view line);
  /// The outcome `line` gives the running item, when it is that item's result line.
  std::optional<Outcome> running_result_line(std::string_view line) const;
  /// Whether `line` is a marker line GoogleTest may print next.
  bool is_next_marker_line(std::string_view line);
  /// Where such a marker line starts in `line` (at or after `from`), or npos.
  std::size_t marker_inside(std::string_view line, std::size_t from);
  void on_item_line(std::string_view line);
  void on_outside_line(std::string_view line);
  void on_framing_line(std::string_view line);
  static void extend_block(Block& block, std::string_view line);
  static std::string block_message(const Block& block);
  void close_blocks();
  void release_results(bool keep_last);
  void blame_suite_failures();
  std::string_view suite_of(std::size_t index) const;
  std::string global_skip_reason() const;
  /// The first waiting item called `name`.
  std::optional<std::size_t> waiting_named(std::string_view name);
  void start_item(std::size_t index);
  void finish_item(Outcome outcome, std::optional<double> seconds, std::string message);
  void append_output(std::string_view text, bool framing);
  void remember_line(std::string_view line);
  /// The running item's result; `seconds` as GoogleTest printed it, else the wall time here.
  Result running_result(Outcome outcome, std::string message,
                        std::optional<double> seconds = std::nullopt);
  std::string with_last_lines(std::string message) const;
  bool premature_exit_file_exists() const;

  std::string executable_;
  std::optional<int> skip_return_code_;
  std::filesystem::path premature_exit_file_;
  GTestParserLimits limits_;
  std::vector<const Item*> items_;
  std::vector<State> states_;
  WaitingItems by_name_{items_};
  std::size_t waiting_;

  std::string pending_;  // bytes of an unfinished line
  std::size_t scanned_ = 0;
  bool continued_ = false;  // pending_ continues a line whose start was passed on already

  std::optional<std::size_t> running_;
  std::chrono::steady_clock::time_point running_since_;
  OutputBuffer running_output_;
  Block failure_;
  Block skip_;
  OutputBuffer outside_output_;
  std::deque<std::string> last_lines_;

  std::string current_suite_;  // from `[----------] N tests from S`, until its end line
  std::map<std::string, Block, std::less<>> suite_failures_;  // failures outside items, by suite
  std::string open_suite_failure_;          // the suite whose failure block takes the next lines
  bool in_global_set_up_ = false;           // after "Global test environment set-up."
  Block global_skip_;                       // a skip there, before any item started
  std::vector<std::string> failed_suites_;  // from the summary, in its order
  std::vector<bool> summary_skipped_;       // by item index

  std::vector<const Item*> started_;
  std::vector<Result> finished_;
  std::vector<Finished> unreleased_;
  bool any_failed_ = false;
  bool ended_ = false;
};

}  // namespace fanout::collector
