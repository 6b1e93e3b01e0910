#pragma once
// Finds the processes a test run left behind, by an entry of their environment.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace fanout::e2e {

/// A live process (not a zombie) whose environment holds a given entry.
struct LeftoverProcess {
  pid_t pid = 0;
  std::string command_line;  ///< argv joined with spaces
};

/// Live processes whose initial environment holds exactly `entry` ("KEY=VALUE"), read from
/// /proc/<pid>/environ (the block a process was started with, inherited across fork).
std::vector<LeftoverProcess> processes_with_environment(const std::string& entry);

/// Waits up to `grace` for every process holding `entry` to end (a killed process takes a moment
/// to go), then kills those still there with SIGKILL and returns them.
std::vector<LeftoverProcess> reap_leftovers(
    const std::string& entry, std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

/// One line per process, for failure messages.
std::string describe(const std::vector<LeftoverProcess>& processes);

}  // namespace fanout::e2e
