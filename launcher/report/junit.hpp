#pragma once
// JUnit XML report: a cumulative reporter that writes one file when the run ends.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "launcher/report/reporter.hpp"

namespace fanout::launcher::report {

struct JUnitOptions {
  /// Where run_finished writes the report (atomically; parent directories are created).
  std::filesystem::path path;
  /// The `hostname` attribute of every testsuite; empty: this machine's name.
  std::string hostname;
  /// Source of the `timestamp` attributes; empty: std::chrono::system_clock::now.
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Collects the run's events and writes them as JUnit XML at run_finished, which the run calls on
/// every exit path, interrupted runs included.
///
/// Layout: `<testsuites name="fanout">` (time: the run's wall time) holds one `<testsuite>` per
/// target, in the order of RunInfo::targets (then any other in the order targets were first
/// seen: collected, failed to collect, or first result), so that the order does not depend on
/// which binary was listed first,
/// with `hostname` and a UTC `timestamp` (no zone, as the common JUnit schema wants) taken when
/// the target's first item started. A suite's time is the sum of its testcases' times. Testcases
/// keep the order of `target_collected`; `classname` is the item's suite (the target's name when
/// it has none), `name` its case name. Per outcome:
/// - failed: `<failure type="failed">`, timeout/crashed/error: `<error type="timeout|crashed|
///   error">`, each with the result's message (a crash's names its signal) and the captured
///   output as body; the output is also given in `<system-out>`, as some tools show only one;
/// - skipped: `<skipped message=..>`, disabled items that never ran: `<skipped
/// message="disabled">`;
/// - not-run results, and collected items with no result: `<skipped message="not run: ..">`;
/// - flaky: a passed testcase with property `flaky=true` and `<system-out>` starting with
///   "flaky: passed on attempt N".
/// A target that failed to collect becomes a testsuite with one testcase `collection` holding
/// `<error type="collection">` whose message names the executable. Fixture setups and cleanups that
/// failed (fixture_failed) come last, in the order they ended, as testcases of a testsuite
/// `fixtures`: classname `fixtures`, name fixture_command_name (`db setup`, `db cleanup`), its
/// time, and its outcome, message and output written as an item's would be, so that a run that
/// failed only in a fixture does not read as green. All text goes through
/// escape_xml_text / escape_xml_attribute, so any bytes a test prints give a well-formed file.
///
/// Items given to `target_collected` are kept by address, as the Reporter contract allows; a
/// result finds its testcase by item id. Of a result only what the report prints is kept.
class JUnitReporter : public Reporter {
 public:
  explicit JUnitReporter(JUnitOptions options);

  void run_started(const RunInfo& info) override;
  void target_collected(const collector::Target& target,
                        const std::vector<collector::Item>& items) override;
  void collection_failed(const CollectionError& error) override;
  void item_started(const collector::Item& item) override;
  void item_finished(const collector::Item& item, const collector::Result& result) override;
  void fixture_failed(const FixtureFailure& failure) override;
  /// Writes the report to `options.path`. Throws std::runtime_error naming the file if it cannot
  /// be written.
  void run_finished(const Summary& summary) override;

  /// The XML document for the events received so far, ended by `summary` (what run_finished
  /// writes).
  std::string document(const Summary& summary) const;

 private:
  /// What the report prints of an item's result.
  struct Finished {
    collector::Outcome outcome = collector::Outcome::not_run;
    int attempts = 1;
    double seconds = 0;
    std::string message;  ///< as printed: describe_result for failures, empty when not printed
    std::string output;
  };
  struct Case {
    const collector::Item* item;  ///< a collected item (see Reporter), or one in `own_items_`
    std::size_t finished;         ///< position in `finished_`, or `no_result`
  };
  static constexpr std::size_t no_result = static_cast<std::size_t>(-1);
  /// Hashes std::string and std::string_view alike, so lookups by view copy nothing.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const {
      return std::hash<std::string_view>{}(name);
    }
  };
  struct Suite {
    std::string name;
    std::vector<Case> cases;
    /// Item id -> position in `cases`; the ids are those of the cases' items.
    std::unordered_map<std::string_view, std::size_t> case_index;
    std::optional<CollectionError> collection_error;
    std::optional<std::chrono::system_clock::time_point> started;
  };

  std::chrono::system_clock::time_point now() const;
  std::size_t suite(std::string_view target);
  Case& case_for(const collector::Item& item);

  JUnitOptions options_;
  std::optional<std::chrono::system_clock::time_point> run_started_;
  std::vector<Suite> suites_;
  std::size_t last_suite_ = 0;  // where the previous lookup ended: items come target by target
  std::vector<Finished> finished_;
  std::vector<FixtureFailure> fixture_failures_;
  std::deque<collector::Item> own_items_;  // items that finished without being collected
  std::unordered_map<std::string, std::size_t> target_rank_;  // from RunInfo::targets
  std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>>
      suite_index_;  // target name -> in `suites_`
};

}  // namespace fanout::launcher::report
