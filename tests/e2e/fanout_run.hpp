#pragma once
// Runs the real `fanout` on a ManifestDir and gathers everything an e2e test asserts on.

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tests/e2e/junit_report.hpp"
#include "tests/e2e/leftovers.hpp"
#include "tests/e2e/manifest_dir.hpp"
#include "tests/e2e/run_command.hpp"

namespace fanout::e2e {

/// The counts of fanout's closing line "N passed, N failed, N skipped".
struct SummaryLine {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  bool operator==(const SummaryLine&) const = default;
};

std::ostream& operator<<(std::ostream& out, const SummaryLine& line);

/// Parses `line` when it is exactly a summary line.
std::optional<SummaryLine> parse_summary_line(const std::string& line);

/// One finished run of fanout.
struct FanoutRun {
  CommandResult command;
  std::string junit_text;                  ///< the JUnit file as written; empty when there is none
  std::optional<JunitReport> junit;        ///< nullopt when the file is missing or not well-formed
  std::string junit_error;                 ///< why `junit` is nullopt
  std::string last_line;                   ///< last non-empty line of the output
  std::vector<LeftoverProcess> leftovers;  ///< fixture processes that outlived the run (killed)

  /// The JUnit case of `item_id`, or nullptr (also when there is no report).
  const JunitCase* item(const std::string& item_id) const;
  /// Output and JUnit text, for failure messages.
  std::string diagnostics() const;
};

/// `fanout --test-dir <dir> --junit <dir>/junit.xml <args...>`.
std::vector<std::string> fanout_argv(const ManifestDir& dir, const std::vector<std::string>& args);

/// Reads the JUnit report, the last output line and the leftovers of `dir` after `command`.
FanoutRun collect_run(const ManifestDir& dir, CommandResult command);

/// Runs fanout with fanout_argv(dir, args) to completion and collects the run.
FanoutRun run_fanout(const ManifestDir& dir, const std::vector<std::string>& args,
                     std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace fanout::e2e
