#pragma once
// What past runs measured per item id: durations, last outcome, flakiness; and notes per target.
//
// The history file (written by History::save, read by History::load; see docs/history.md):
//
//   {
//     "version": 1,
//     "items": {
//       "unit_tests/Math.Add": {"mean_seconds": 0.0012, "runs": 7, "last_outcome": "passed",
//                               "flaky": 0, "cpu_seconds": 0.0011, "cpu_runs": 7},
//       ...
//     },
//     "targets": {
//       "legacy_tests": {"unsplittable": true}
//     }
//   }
//
// - version: 1. A file with another version is ignored (with a warning) and rewritten.
// - items: item id -> entry. mean_seconds: averaged wall time (see History::record); runs: how many
//   runs that average covers (0: never timed, e.g. only errors so far); last_outcome: one of the
//   names of collector::to_string(Outcome); flaky: how many runs ended flaky (failed, then passed
//   on retry). Optional: cpu_seconds/cpu_runs, the same average for CPU time (user + system) when
//   the runner measured it; flaky defaults to 0. Unknown members are ignored. Seconds are written
//   rounded to 0.1 µs (format_history_file); any JSON number is read.
// - targets: target name -> notes. unsplittable: its items only pass when the binary runs whole.
// The file is replaced atomically (temporary file + rename), so a reader never sees half of it.
// Its text is parsed and written by launcher/history_file.hpp.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "collector/result.hpp"
#include "launcher/history_items.hpp"

namespace fanout::launcher {

/// Notes about one target.
struct TargetHistory {
  bool unsplittable = false;  ///< its items only pass when the binary runs whole
};

/// Durations, outcomes and flakiness per item id, loaded from and saved to one JSON file.
class History {
 public:
  /// The file format version save() writes and load() accepts.
  static constexpr int format_version = 1;
  /// Averages cover about this many recent runs: the first `averaging_window` runs are a plain
  /// mean, later ones an exponential moving average with weight 1/averaging_window for the new
  /// value (recent runs count most, one outlier moves the average by a fifth of its excess).
  static constexpr std::uint64_t averaging_window = 5;

  /// Reads `file`. A missing file gives an empty history. A file that cannot be read or parsed,
  /// or has another format version, gives an empty history and a warning in warnings(); load never
  /// throws for the file's contents.
  static History load(const std::filesystem::path& file);

  /// Writes the history to `file` atomically (temporary file + rename), creating missing parent
  /// directories. Items are written sorted by id, one per line. Throws std::runtime_error naming
  /// the file when it cannot be written.
  void save(const std::filesystem::path& file) const;

  /// The entry of `item_id`, or nullptr when it was never recorded. Valid until the next
  /// record().
  const ItemHistory* find(const std::string& item_id) const;

  /// An average moving by at most this many seconds, or by at most this fraction of itself, is
  /// not worth saving (see changed()): batch sizes and orders would not notice.
  static constexpr double noticeable_seconds = 0.0002;
  static constexpr double noticeable_fraction = 0.02;
  /// The same for CPU time, which only --load-aware uses, for items of 0.1 s or more; a short
  /// process's CPU time (start-up included) varies by milliseconds from run to run.
  static constexpr double noticeable_cpu_seconds = 0.001;

  /// Records one run of `item_id`. not_run results are ignored (nothing ran). error results, and
  /// results of items that never started (Result::ran false: their fixture's setup failed), only
  /// set last_outcome (their time says nothing about the item). Every other outcome also averages
  /// result.seconds into mean_seconds and counts a run; flaky also counts in `flaky`.
  /// `cpu_seconds` >= 0 is averaged into cpu_seconds the same way; negative means not measured.
  void record(const std::string& item_id, const collector::Result& result, double cpu_seconds = -1);

  /// Notes that `target`'s items only pass when the binary runs whole.
  void mark_unsplittable(const std::string& target);
  /// Whether record() or mark_unsplittable() taught the history something worth saving since it
  /// was loaded (or made): a new item or target note, another last outcome, a flaky run, an item
  /// still within its first averaging_window runs, or an average that moved noticeably (by more
  /// than noticeable_fraction, and by more than noticeable_seconds or, for CPU time,
  /// noticeable_cpu_seconds). A run of a stable suite changes nothing
  /// worth the ~1 ms a save costs at the end of every run; since each run then averages its times
  /// into the saved values again, what is saved stays within about 10 % (5 x 2 %) or 1 ms of what
  /// the tests take.
  bool changed() const { return changed_; }
  bool is_unsplittable(const std::string& target) const;

  /// Timed items a target needs before target_median_seconds() is given.
  static constexpr std::size_t min_timed_for_median = 3;

  /// The median mean_seconds of the timed items whose id starts with `target` + "/" (ids are
  /// `<target>/<name>`; the upper of the middle two for an even count), or a negative value when
  /// fewer than min_timed_for_median are timed: an estimate for the target's items that were
  /// never timed, since the items of one binary tend to be alike. A median, because a binary's
  /// few long tests must not make all its short ones look long: one timed 1.6 s test among 150
  /// untimed 5 ms ones used to send those to a process each.
  double target_median_seconds(const std::string& target) const;

  /// The longest mean_seconds of any timed item, or a negative value when none was timed.
  double longest_mean_seconds() const;

  const HistoryItems& items() const { return items_; }
  const std::map<std::string, TargetHistory>& targets() const { return targets_; }
  bool empty() const { return items_.empty() && targets_.empty(); }

  /// Problems met by load(), as messages for the user (empty when the file was fine or absent).
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  HistoryItems items_;
  std::map<std::string, TargetHistory> targets_;
  std::vector<std::string> warnings_;
  /// target_median_seconds() per target, valid until the next record(): batch sizing asks for
  /// it once per queued candidate.
  mutable std::unordered_map<std::string, double> target_medians_;
  /// longest_mean_seconds(), valid until the next record(); unset: not computed yet.
  mutable std::optional<double> longest_mean_;
  bool changed_ = false;
};

}  // namespace fanout::launcher
