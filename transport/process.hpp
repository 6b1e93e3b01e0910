#pragma once
// Local test processes: each in its own process group, started from argv, stdin from /dev/null,
// stdout and stderr merged into one captured stream, killed as a group on timeout, at exit of
// the main process (leftover grandchildren) and on cancel.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace fanout::transport {

/// What to run.
struct ProcessSpec {
  std::vector<std::string> argv;  ///< argv[0] is the executable (path, or name looked up in PATH)
  std::filesystem::path working_directory;                       ///< empty: inherit
  std::vector<std::pair<std::string, std::string>> environment;  ///< set on top of ours
  /// Names removed from ours before `environment` is set (which may set them again).
  std::vector<std::string> unset_environment;
  std::chrono::milliseconds timeout{0};  ///< 0: none
};

/// How a process ended.
struct ProcessExit {
  enum class Kind { exited, signaled, timed_out, start_failed, cancelled };
  Kind kind = Kind::exited;
  int exit_code = 0;
  int signal = 0;
  std::string error;  ///< why it could not start
  std::chrono::nanoseconds elapsed{0};
  double cpu_seconds = -1;  ///< user + system CPU time of the process and the descendants it
                            ///< waited for; negative: unknown (start_failed)
};

/// Identifies a running process within its ProcessSet.
using ProcessId = std::uint64_t;

/// All processes of one run, on one io_context. Callbacks are called from that io_context.
class ProcessSet {
 public:
  using OutputHandler = std::function<void(std::string_view chunk)>;
  using ExitHandler = std::function<void(const ProcessExit&)>;
  using EndHandler = std::function<void()>;

  explicit ProcessSet(boost::asio::io_context& io);
  ~ProcessSet();  ///< kills whatever still runs
  ProcessSet(const ProcessSet&) = delete;
  ProcessSet& operator=(const ProcessSet&) = delete;

  /// Starts a process. `on_output` receives every byte of stdout+stderr, in order, within a few
  /// milliseconds of its writing (the pipe is read on a timer, and at the exit);
  /// `on_exit` is called exactly once, after the last output, when the process has ended
  /// and its process group has been killed. A process that cannot start (missing binary)
  /// is reported through `on_exit` with Kind::start_failed, never by throwing. `on_ended`, when
  /// given, is called once as soon as a process that started has been reaped and its process
  /// group killed, before the rest of its output is read (never for one that could not start):
  /// whatever it held, a CPU above all, is free, though on_output and on_exit are still to come.
  ProcessId start(const ProcessSpec& spec, OutputHandler on_output, ExitHandler on_exit,
                  EndHandler on_ended = {});
  /// Kills the process group of `id`; its exit is reported as cancelled.
  void cancel(ProcessId id);
  /// Kills every process group (Ctrl-C).
  void cancel_all();
  /// Number of processes whose on_exit has not been called yet.
  std::size_t running() const;
  /// CPU time (user + system, all threads) that process `id` has used so far while it still
  /// runs; negative when unknown (never started, already ended, or not measurable). Its
  /// descendants are not included; ProcessExit::cpu_seconds covers those it waited for.
  double cpu_seconds(ProcessId id) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Runs one process to completion on a private io_context (usable from any thread).
/// Output is captured up to `max_output` bytes (the rest is dropped and counted).
struct CapturedRun {
  ProcessExit exit;
  std::string output;
  std::size_t dropped_bytes = 0;
};
CapturedRun run_captured(const ProcessSpec& spec, std::size_t max_output = 64 * 1024 * 1024);

/// Kills every process group started by any ProcessSet in this process (async-signal-unsafe;
/// for use at exit paths).
void kill_all_process_groups();

}  // namespace fanout::transport
