#pragma once
// Reads back the log the probe fixtures (gtest_probe, fixture_command) write, so an e2e test can
// assert what ran, in which process, in which order and at which time.

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/e2e/manifest_dir.hpp"

namespace fanout::e2e {

/// One line of the log (format: tests/fixtures/probe_record.hpp).
struct ProbeEvent {
  std::string event;   ///< "begin", "end", "setup", "setup-failed", "cleanup"
  std::string target;  ///< FANOUT_E2E_TARGET of the case, "-" for fixture commands
  std::string name;    ///< "Suite.Case", or the fixture's name
  pid_t pid = 0;
  long long ns = 0;      ///< CLOCK_MONOTONIC
  std::string value;     ///< "<FANOUT_E2E_FIXTURE_VALUE>,<FANOUT_E2E_SECOND>", "-" when unset
  std::size_t line = 0;  ///< 0-based position in the log: the order of the writes
};

/// One run of a case: its "begin" and the next "end" of the same case in the same process.
struct ProbeRun {
  std::string target;
  std::string name;
  pid_t pid = 0;
  long long begin_ns = 0;
  long long end_ns = -1;  ///< -1: it never ended (it crashed or was killed)
  std::size_t begin_line = 0;
  std::size_t end_line = 0;
  std::string value;  ///< as recorded at begin

  std::string id() const { return target + "/" + name; }
};

/// True when both runs ended and their [begin, end] intervals intersect.
bool overlap(const ProbeRun& a, const ProbeRun& b);

/// One line per run, for failure messages.
std::string describe(const std::vector<ProbeRun>& runs);

/// A log file in a fresh temporary directory (removed on destruction).
class ProbeLog {
 public:
  ProbeLog();
  ~ProbeLog();
  ProbeLog(const ProbeLog&) = delete;
  ProbeLog& operator=(const ProbeLog&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// Every line so far; throws std::runtime_error naming a malformed line.
  std::vector<ProbeEvent> events() const;
  /// The case runs so far, in the order they began.
  std::vector<ProbeRun> runs() const;
  /// The runs of `target` only.
  std::vector<ProbeRun> runs_of(const std::string& target) const;
  /// Forgets everything logged so far (between two fanout runs).
  void clear() const;
  /// The log as written, for failure messages.
  std::string text() const;

 private:
  std::filesystem::path directory_;
  std::filesystem::path path_;
};

/// A target named `name` for the gtest_probe fixture binary, logging into `log`, with
/// FANOUT_E2E_TARGET=<name> and the `extra_environment` entries.
TargetSpec probe_target(const std::string& name, const ProbeLog& log,
                        const std::vector<std::string>& extra_environment = {});

/// argv of the fixture_command fixture binary: `mode` ("setup", "fail-setup", "cleanup"),
/// logging into `log` under the fixture name `fixture`.
std::vector<std::string> fixture_command(const std::string& mode, const ProbeLog& log,
                                         const std::string& fixture);

}  // namespace fanout::e2e
