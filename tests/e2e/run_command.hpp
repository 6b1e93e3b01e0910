#pragma once
// Runs a command for an end-to-end test and captures what it printed and how it ended.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace fanout::e2e {

/// How a command ended. `exit_code` is the exit status when it exited normally, -1 when a
/// signal ended it (then `signal` is that signal's number, otherwise 0) or when it could not
/// start (then `output` says why). `output` is stdout and stderr merged in arrival order.
struct CommandResult {
  int exit_code = -1;
  int signal = 0;
  std::string output;
  double seconds = 0;      ///< wall time from start to exit
  bool timed_out = false;  ///< killed because it exceeded the timeout
};

/// Runs `argv` (argv[0]: a path, or a name looked up in PATH) in its own process group, with
/// stdin from /dev/null, in `cwd` (empty: the current directory), with `extra_env` entries
/// ("KEY=VALUE") set on top of this process's environment. When `timeout` passes, the whole
/// process group is killed with SIGKILL. Processes left in its group after it exits are killed
/// too, so none outlives the call. Never throws for a command that fails or cannot start.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::filesystem::path& cwd = {},
                          std::chrono::seconds timeout = std::chrono::seconds(120),
                          const std::vector<std::string>& extra_env = {});

}  // namespace fanout::e2e
