#pragma once
// The bookkeeping every batch parser shares: which item runs, its output, the results, and what
// the end of the process means for the items (the rules of BatchParser::finish).

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collector/framework.hpp"
#include "collector/output_buffer.hpp"
#include "collector/waiting_items.hpp"

namespace fanout::collector {

/// What a batch parser keeps in memory, whatever the process prints.
struct ParserLimits {
  std::size_t output_head = OutputBuffer::default_head;  ///< per item (see OutputBuffer)
  std::size_t output_tail = OutputBuffer::default_tail;
  std::size_t max_line = 64 * 1024;  ///< longer lines are cut, never read as markers
  std::size_t quoted_lines = 10;     ///< lines of output quoted in messages about the process
};

/// Follows the items of one batch through a framework's output; a framework parser tells it
/// what happened and it produces the Results.
///
/// - Output outside any item goes to the next item that starts, or to the results finish()
///   makes. The last non-blank output lines are kept for messages about the process.
/// - The result of the last item of the batch is held until finish(), which turns it into a
///   failure when no item failed and the process then exits with an unexpected code (neither
///   the expected one nor the target's skip return code), is killed, or times out (a failing
///   tear-down is never lost).
/// - finish(): the running item is crashed / timeout / skipped (the process exited with the
///   target's `skip_return_code`) / failed ("exited with code N before the test finished") /
///   error (could not start) / not_run (cancelled). Items never started go to `not_started`
///   when the process was cancelled, exited while an item ran, was killed or timed out after
///   some item ran, or exited with the skip return code after some item ran; otherwise each is
///   skipped when the process exited with the skip return code (nothing ran), or gets an error
///   result saying why, quoting the last output lines.
class BatchTracker {
 public:
  /// `batch` points to the caller's items, which must outlive the tracker.
  BatchTracker(const Target& target, std::vector<const Item*> batch, ParserLimits limits = {});

  const ParserLimits& limits() const { return limits_; }
  const std::vector<const Item*>& items() const { return items_; }
  /// The batch item called `name` that has not started yet (the first, if names repeat).
  std::optional<std::size_t> waiting(std::string_view name);
  /// The index of the item that runs now.
  std::optional<std::size_t> running() const { return running_; }
  /// Whether item `index` has a result already.
  bool done(std::size_t index) const;

  /// Item `index` (waiting) starts; output outside items so far becomes its output.
  void start(std::size_t index);
  /// Output of the running item, or outside any item.
  void output(std::string_view text);
  /// The running item ended. `seconds` as the framework measured it (else wall time here).
  /// `defer`: keep the result back until finish() (see deferred()).
  void finish_running(Outcome outcome, std::string message, std::optional<double> seconds = {},
                      int signal = 0, bool defer = false);
  /// Item `index` (waiting) ended without running (skipped by the framework).
  void finish_unstarted(std::size_t index, Outcome outcome, std::string message);

  std::vector<const Item*> take_started();
  std::vector<Result> take_finished();
  /// Results kept back with `defer`, for the parser to amend before finish().
  std::vector<Result>& deferred() { return deferred_; }
  /// Whether every item has a result (deferred or held included) and each is `outcome`.
  bool all_ended_as(Outcome outcome) const;

  /// The end of the process (see the class comment). `exit_code_expected`: whether
  /// `end.exit_code` is what the framework returns for the results seen (0, usually).
  BatchEnd finish(const ProcessEnd& end, bool exit_code_expected);

  /// `message` followed by the last output lines ("; last output:\n  ...").
  std::string with_last_lines(std::string message) const;
  /// The executable's path, for messages.
  const std::string& executable() const { return executable_; }

 private:
  enum class State { waiting, running, done };

  Result make_result(std::size_t index, Outcome outcome, std::string message);
  void emit(Result result, bool defer);
  void remember(std::string_view text);

  std::string executable_;
  std::optional<int> skip_return_code_;
  ParserLimits limits_;
  std::vector<const Item*> items_;
  std::vector<State> states_;
  WaitingItems by_name_{items_};
  std::size_t waiting_;

  std::optional<std::size_t> running_;
  std::chrono::steady_clock::time_point running_since_;
  OutputBuffer running_output_;
  OutputBuffer outside_output_;
  std::deque<std::string> last_lines_;
  std::string partial_line_;

  std::vector<const Item*> started_;
  std::vector<Result> finished_;
  std::vector<Result> deferred_;
  std::optional<Result> held_;
  std::vector<Outcome> ended_as_;  // outcomes of the results not deferred
  bool ended_ = false;
};

/// The number of the signal named at the start of `text` ("SIGSEGV - Segmentation violation
/// signal"), or 0.
int signal_number_in(std::string_view text);

/// `text` without leading and trailing white space.
std::string trim_space(std::string_view text);

}  // namespace fanout::collector
