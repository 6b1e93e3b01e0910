#pragma once
// One run of `fanout`: read the manifest, collect items, schedule them, report.

#include <cstddef>
#include <functional>
#include <ostream>

#include "launcher/options.hpp"
#include "launcher/report/reporter.hpp"

namespace fanout::launcher {

/// What the end of a session knows; main() turns it into an exit code.
struct SessionResult {
  report::Summary summary;
  /// Items listed and kept by -R/-E/-L/-LE, before --rerun-failed or --shard narrowed them: an
  /// empty shard, or nothing to rerun, still collected tests.
  std::size_t items_collected = 0;
};

/// Called once a session has reported everything, before its state (every item, the history) is
/// freed. A caller about to exit may end the process there: freeing a large run's state costs
/// more than the run's last milliseconds, and the operating system reclaims it anyway.
using SessionFinished = std::function<void(const SessionResult&)>;

/// Runs (or, with options.list_only, lists) the tests of options.test_dir, reporting to `out`,
/// then calls `finished` (when set) and returns the same result.
/// Throws UsageError / ManifestError for problems the user must fix before anything can run.
SessionResult run_session(const RunOptions& options, std::ostream& out,
                          const SessionFinished& finished = {});

/// pytest's convention: 0 all passed, 1 some failed, 2 interrupted, 5 no tests collected.
int exit_code_for(const SessionResult& result);

}  // namespace fanout::launcher
