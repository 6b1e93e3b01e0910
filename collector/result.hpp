#pragma once
// What running one item produced.

#include <string>
#include <string_view>

namespace fanout::collector {

/// How an item ended (see DESIGN.md, "Vocabulary").
enum class Outcome { passed, failed, skipped, timeout, crashed, error, flaky, not_run };

/// Lower-case name of an outcome ("passed", "crashed", ...).
std::string_view to_string(Outcome outcome);

/// True for outcomes that count as a failure of the run.
bool is_failure(Outcome outcome);

/// The result of one item.
struct Result {
  std::string item_id;
  Outcome outcome = Outcome::not_run;
  int signal = 0;       ///< for crashed: the signal number
  double seconds = 0;   ///< wall time of the item
  std::string message;  ///< one-line reason ("SIGSEGV", "timed out after 30 s", failure summary)
  std::string output;   ///< captured output of the item, bounded (see OutputBuffer)
  int attempts = 1;     ///< how many times it ran (retries)
  /// CPU time (user + system) the item used, where the runner measured it; negative: unknown.
  /// Within a batch it is the process's CPU time between result lines, shared by the items that
  /// ended in between in proportion to their wall time: an estimate, close for long items.
  double cpu_seconds = -1;
  /// False when the item never started, though its outcome says failed: a fixture it requires
  /// failed to set up. Its `seconds` then measure nothing about it.
  bool ran = true;
};

/// Name of a signal ("SIGSEGV"), or "signal N" for unknown numbers.
std::string signal_name(int signal);

}  // namespace fanout::collector
