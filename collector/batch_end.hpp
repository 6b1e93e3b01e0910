#pragma once
// The rules every batch parser's finish() follows for the end of the process: what the running
// item becomes, and what becomes of the items the process never started.

#include <deque>
#include <functional>
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

/// crashed (with the signal), timeout, failed ("exited with code N before the test finished"),
/// error (`executable` could not start) or not_run (cancelled).
RunningItemEnd running_item_end(const ProcessEnd& end, std::string_view executable);

/// "30 s": the time limit of a process that timed out (else how long it ran), for messages.
std::string end_limit(const ProcessEnd& end);

/// When every item of the batch ended well, what the end of the process makes of the last
/// result: killed by a signal (crashed), timed out (timeout) or an exit code that is not
/// `exit_code_expected` (failed) turns `last` into that outcome and returns the blame
/// ("<executable> was killed by SIGABRT <after>"); otherwise it returns "" and leaves `last` alone.
std::string blame_last_item(const ProcessEnd& end, std::string_view executable,
                            bool exit_code_expected, std::string_view after, Result& last);

/// Whether the items the process never started are to run again elsewhere because another item
/// is to blame: the process was cancelled, exited while an item ran (`was_running`), or was
/// killed or timed out after some item ran (`ran_any`).
bool requeues_unstarted(const ProcessEnd& end, bool ran_any, bool was_running);

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

/// The message of the error results of the items the process never started (when not requeued):
/// it could not start, or exited, was killed or timed out without running them, quoting the
/// last output lines with `quote`.
std::string unstarted_reason(const ProcessEnd& end, std::string_view executable, bool ran_any,
                             const QuoteLastLines& quote);

}  // namespace fanout::collector
