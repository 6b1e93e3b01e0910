#pragma once
// Follows the HRF log of one Boost.Test batch process, and reads its XML report at the end.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/batch_tracker.hpp"
#include "collector/framework.hpp"
#include "collector/line_splitter.hpp"

namespace fanout::collector {

/// The BatchParser for `--log_format=HRF --log_level=test_suite --color_output=no` output.
///
/// - `Entering test suite "s"` / `Leaving test suite "s"` track the current suite path;
///   `Entering test case "c"` starts the batch item `s/.../c`, `Leaving test case "c"; testing
///   time: N us` finishes it; `Test case "path" is skipped because R` (or a skipped suite
///   holding batch items) makes items skipped with that reason. Boost.Test's framing lines
///   are not output; every other line is the running item's output.
/// - Boost.Test's lines are found anywhere in a line, as they follow output that did not end
///   with a newline. The text before such a line's entry on the same line is output (as a line
///   of its own) when it can be told apart from the entry's location: before the `Entering` and
///   `Leaving test case` lines of a batch item (whose file and line are known) and before
///   `Leaving test module`. Before other entries it is dropped with them.
/// - An item that logged an `error: in "..."` or `fatal error: in "..."` line is failed, with
///   the first such line as the message; its result is kept until finish(), which reads the
///   XML report (`report`, when not empty): a case the report calls "passed" (its errors were
///   expected failures) becomes passed, "timed-out" (Boost.Test's timeout decorator) timeout.
///   Items without errors are passed at once.
/// - The exit code is expected to be 0, or anything when a test outside the batch (a
///   dependency Boost.Test added) logged an error; otherwise see BatchTracker.
class BoostTestBatchParser final : public BatchParser {
 public:
  /// `batch` points to the caller's items, which must outlive the parser.
  BoostTestBatchParser(const Target& target, std::vector<const Item*> batch,
                       std::filesystem::path report, ParserLimits limits = {});

  void feed(std::string_view chunk) override;
  std::vector<const Item*> take_started() override { return tracker_.take_started(); }
  std::vector<Result> take_finished() override { return tracker_.take_finished(); }
  BatchEnd finish(const ProcessEnd& end) override;

 private:
  void on_line(std::string_view line, bool newline, bool continued);
  bool on_marker(std::string_view line);
  /// Output that ended where Boost.Test's own line began: passed on as a line of its own.
  void output_line(std::string_view text);
  void skip_items(std::string_view path, bool suite, std::string_view reason);
  std::string path_of(std::string_view name) const;
  /// Reads Boost.Test's report, which alone knows expected failures and its own timeouts, into
  /// the deferred results. Returns the ids of deferred results the report has no verdict for
  /// (the process died before writing it).
  std::vector<std::string> amend_from_report();

  BatchTracker tracker_;
  std::filesystem::path report_;
  LineSplitter lines_;
  std::vector<std::string> suites_;
  std::optional<std::string> case_;  // name of the case Boost.Test is in, ours or not
  bool ours_ = false;
  std::string case_location_;  // "file(line): " of our case, as Boost.Test logs it
  int errors_ = 0;
  std::string first_error_;
  bool foreign_error_ = false;
  bool ended_ = false;
};

/// The results of test cases in a Boost.Test XML report (`--report_format=XML
/// --report_level=detailed`), by path below the master suite: "passed", "failed", "skipped",
/// "aborted", "timed-out".
std::map<std::string, std::string> parse_boost_test_report(std::string_view xml);

}  // namespace fanout::collector
