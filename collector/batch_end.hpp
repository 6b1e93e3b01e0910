#pragma once
// The rules every batch parser's finish() follows for the end of the process: what the running
// item becomes, and what becomes of the items the process never started.

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "collector/framework.hpp"

namespace fanout::collector {

/// What the item that was running when the process ended becomes.
struct RunningItemEnd {
  Outcome outcome = Outcome::failed;
  std::string message;
  int signal = 0;
};

/// Whether the process exited with `skip_return_code` (the target's SKIP_RETURN_CODE): it says
/// that it skipped what it was running.
bool exited_with_skip_code(const ProcessEnd& end, std::optional<int> skip_return_code);

/// "exited with code 77 (the skip return code)", for the message of a skipped result.
std::string skip_code_message(const ProcessEnd& end);

/// crashed (with the signal), timeout, skipped (it exited with `skip_return_code`: "exited with
/// code N (the skip return code)"), failed ("exited with code N before the test finished"),
/// error (`executable` could not start) or not_run (cancelled).
RunningItemEnd running_item_end(const ProcessEnd& end, std::string_view executable,
                                std::optional<int> skip_return_code = std::nullopt);

/// "30 s": the time limit of a process that timed out (else how long it ran), for messages.
std::string end_limit(const ProcessEnd& end);

/// When every item of the batch ended well, what the end of the process makes of the last
/// result: killed by a signal (crashed), timed out (timeout) or an exit code that is not
/// `exit_code_expected` (failed) turns `last` into that outcome and returns the blame
/// ("<executable> was killed by SIGABRT <after>"); otherwise it returns "" and leaves `last` alone.
/// An exit with the skip return code is no failure of the last item (its caller passes it as
/// expected).
std::string blame_last_item(const ProcessEnd& end, std::string_view executable,
                            bool exit_code_expected, std::string_view after, Result& last);

/// Whether the items the process never started are to run again elsewhere because another item
/// is to blame, or because the process skipped only what it had reached: it was cancelled,
/// exited while an item ran (`was_running`), was killed or timed out after some item ran
/// (`ran_any`), or exited with `skip_return_code` after some item ran.
bool requeues_unstarted(const ProcessEnd& end, bool ran_any, bool was_running,
                        std::optional<int> skip_return_code = std::nullopt);

/// Keeps `line`, cut to `max_line` bytes, as the newest of at most `limit` lines in `lines` (the
/// last output lines a message may quote); once the window is full, the oldest line's string is
/// reused, so no line costs an allocation.
void remember_last_line(std::deque<std::string>& lines, std::string_view line, std::size_t limit,
                        std::size_t max_line);

/// `message` followed by `last_lines` of output ("; last output:\n  ..."), or by " (it printed
/// nothing)" when there are none.
std::string with_last_lines(std::string message, const std::deque<std::string>& last_lines);

/// Appends the last output lines of the process to a message.
using QuoteLastLines = std::function<std::string(std::string message)>;

/// What becomes of an item the process never started, when it is not run again.
struct UnstartedEnd {
  Outcome outcome = Outcome::error;
  std::string message;
};

/// The result of the items the process never started (when not requeued): skipped when it exited
/// with `skip_return_code` (before any item started: it skipped them all), else an error saying
/// that it could not start, or exited, was killed or timed out without running them, quoting
/// the last output lines with `quote`.
UnstartedEnd unstarted_end(const ProcessEnd& end, std::string_view executable, bool ran_any,
                           std::optional<int> skip_return_code, const QuoteLastLines& quote);

}  // namespace fanout::collector
