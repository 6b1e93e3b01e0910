#pragma once
// A command started in the background, for the e2e tests that must act while it runs
// (send it SIGINT, keep its stdin open). run_command() covers everything else.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/e2e/run_command.hpp"

namespace fanout::e2e {

/// Starts `argv` in its own process group with stdout and stderr merged into a temporary file.
/// Stdin is /dev/null, or with `keep_stdin_open` a pipe whose write end stays open (nothing is
/// ever written) until the command ends. On destruction, a process group still running is killed.
class SpawnedCommand {
 public:
  SpawnedCommand(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                 bool keep_stdin_open = false);
  ~SpawnedCommand();
  SpawnedCommand(const SpawnedCommand&) = delete;
  SpawnedCommand& operator=(const SpawnedCommand&) = delete;

  pid_t pid() const { return pid_; }
  /// Sends `signal` to the command's own process only (not its group).
  void send(int signal) const;
  /// What it has printed so far.
  std::string output() const;
  /// Waits until the output contains `text`; false when `timeout` passed or it ended first.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);
  /// Waits for it to end. When `timeout` passes first, kills its process group with SIGKILL and
  /// reports timed_out. Afterwards whatever is left in its process group is killed.
  CommandResult wait(std::chrono::milliseconds timeout);

 private:
  bool poll_exit();

  pid_t pid_ = -1;
  int stdin_writer_ = -1;
  std::filesystem::path output_path_;
  std::chrono::steady_clock::time_point start_;
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace fanout::e2e
