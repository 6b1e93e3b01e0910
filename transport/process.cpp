#include "transport/process.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <utility>

#include "transport/launch_plan.hpp"
#include "transport/process_groups.hpp"
#include "transport/spawn.hpp"

namespace fanout::transport {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::size_t read_chunk_size = 64 * 1024;
// The output pipe is read on a timer, not when data arrives: a test framework writes (and
// flushes) a line or two per test, and a reader woken for each write costs a 1,000-case
// GoogleTest binary ~12% more CPU than writing into a pipe nobody waits on. The pipe is made
// large enough for a pause to pass unblocked; one that filled up half of it is read again at
// once. A read that found output comes again after the shortest pause, so that little is left
// to parse when the process ends (the next batch waits for that); each read that found none
// doubles the pause, up to the longest, so a quiet process costs ~20 wake-ups a second.
constexpr std::chrono::milliseconds shortest_read_pause{1};
constexpr std::chrono::milliseconds longest_read_pause{50};
constexpr int wanted_pipe_size = 256 * 1024;
// Once the main process has ended, the pipe is read at this pace until the killed group has
// let go of it.
constexpr std::chrono::milliseconds drain_interval{1};
// How long output is still drained once the main process has ended and its group was killed.
// Only a process that left the group (setsid) can hold the pipe open that long.
constexpr std::chrono::milliseconds drain_grace{300};

std::string describe_start(const ProcessSpec& spec, const std::filesystem::path& executable) {
  std::string text = "cannot start '" + executable.string() + "'";
  if (!spec.working_directory.empty()) {
    text += " in working directory '" + spec.working_directory.string() + "'";
  }
  return text;
}

/// `time` in seconds.
double seconds(const timeval& time) {
  return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
}

/// User + system CPU time in a wait4 result (the process and the descendants it waited for).
double cpu_seconds_of(const rusage& usage) {
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

struct ProcessSet::Impl {
  /// One started (or failed) process; shared with its pending handlers, which return early
  /// once `owner` is null (set gone, or on_exit already called).
  struct Child {
    explicit Child(asio::io_context& io)
        : reader(io), timeout(io), grace(io), exit_poll(io), exit_watch(io) {}
    ~Child() { close_pipe(); }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    void close_pipe() {
      if (pipe != -1) ::close(pipe);
      pipe = -1;
    }

    Impl* owner = nullptr;
    ProcessId id = 0;
    pid_t pid = -1;             ///< also the process group id
    int pipe = -1;              ///< read end of the output pipe, non-blocking; -1: closed
    std::size_t pipe_size = 0;  ///< its capacity
    asio::steady_timer reader;  ///< when to read the pipe next
    std::chrono::milliseconds read_pause{0};  ///< the last wait for `reader`
    asio::steady_timer timeout;
    asio::steady_timer grace;
    asio::steady_timer exit_poll;               ///< where no pidfd can be had
    asio::posix::stream_descriptor exit_watch;  ///< a pidfd: readable once it has exited
    std::vector<char> buffer;
    OutputHandler on_output;
    ExitHandler on_exit;
    EndHandler on_ended;
    bool exited = false;                      ///< main process reaped (or never started)
    bool drained = false;                     ///< pipe at EOF (or given up)
    std::optional<ProcessExit::Kind> forced;  ///< timed_out or cancelled, if we killed it
    ProcessExit result;
    Clock::time_point started_at;
    Clock::time_point ended_at;
    std::optional<clockid_t> cpu_clock;  ///< the main process's CPU clock, while it runs
  };
  using ChildPtr = std::shared_ptr<Child>;

  explicit Impl(asio::io_context& context) : io(context) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  ~Impl() {
    for (auto& [id, child] : children) {
      child->owner = nullptr;
      if (!child->exited && child->pid > 0) {
        kill_process_group(child->pid);
        int status = 0;
        while (::waitpid(child->pid, &status, 0) == -1 && errno == EINTR) {
        }
        unregister_process_group(child->pid);
      }
      error_code ignored;
      child->timeout.cancel();
      child->grace.cancel();
      child->exit_poll.cancel();
      child->exit_watch.close(ignored);
      child->reader.cancel();
      child->close_pipe();
    }
  }

  ProcessId start(const ProcessSpec& spec, OutputHandler on_output, ExitHandler on_exit,
                  EndHandler on_ended) {
    auto child = std::make_shared<Child>(io);
    child->owner = this;
    child->id = next_id++;
    child->on_output = std::move(on_output);
    child->on_exit = std::move(on_exit);
    child->on_ended = std::move(on_ended);
    child->started_at = Clock::now();
    children.emplace(child->id, child);

    std::string error;
    if (!launch(*child, spec, error)) {
      child->exited = child->drained = true;
      child->ended_at = child->started_at;
      child->result.kind = ProcessExit::Kind::start_failed;
      child->result.error = std::move(error);
      asio::post(io, [child] {
        if (child->owner) child->owner->finish_if_done(child);
      });
      return child->id;
    }
    schedule_read(child, shortest_read_pause);
    wait_for_exit(child);
    if (spec.timeout.count() > 0) {
      child->timeout.expires_after(spec.timeout);
      child->timeout.async_wait([child](error_code ec) {
        if (!ec && child->owner) child->owner->stop(*child, ProcessExit::Kind::timed_out);
      });
    }
    return child->id;
  }

  /// Spawns the process with its output into a new pipe; on failure fills `error` and leaves
  /// nothing running.
  bool launch(Child& child, const ProcessSpec& spec, std::string& error) {
    const auto plan = plan_launch(spec, environ, error);
    if (!plan) return false;
    const int output_fd = open_output_pipe(child, error);
    if (output_fd == -1) {
      error = describe_start(spec, plan->executable) + ": " + error;
      return false;
    }
    const Spawned spawned = spawn(*plan, output_fd);
    ::close(output_fd);
    if (spawned.pid <= 0) {
      error = describe_start(spec, plan->executable) + ": " + std::strerror(spawned.error);
      child.close_pipe();
      return false;
    }
    child.pid = spawned.pid;
    if (clockid_t clock{}; ::clock_getcpuclockid(child.pid, &clock) == 0) child.cpu_clock = clock;
    child.buffer.resize(read_chunk_size);
    register_process_group(child.pid);
    return true;
  }

  /// Creates the output pipe (both ends close-on-exec, the read end non-blocking, as large as
  /// wanted_pipe_size where the system allows) and keeps its read end in `child`. Returns the
  /// write end, or -1 with `error` set to the reason.
  static int open_output_pipe(Child& child, std::string& error) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) == -1) {
      error = std::string("cannot create output pipe: ") + std::strerror(errno);
      return -1;
    }
    ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    ::fcntl(fds[0], F_SETPIPE_SZ, wanted_pipe_size);  // best effort: a small pipe still works
    const int size = ::fcntl(fds[0], F_GETPIPE_SZ);
    child.pipe = fds[0];
    child.pipe_size = size > 0 ? static_cast<std::size_t>(size) : read_chunk_size;
    return fds[1];
  }

  /// Reads the pipe in `after`, and so on until it is drained.
  static void schedule_read(const ChildPtr& child, std::chrono::milliseconds after) {
    child->read_pause = after;
    child->reader.expires_after(after);
    child->reader.async_wait([child](error_code ec) {
      if (ec || !child->owner) return;
      const std::size_t got = read_available(child);
      if (!child->owner) return;
      if (child->drained) {
        child->owner->finish_if_done(child);
        return;
      }
      schedule_read(child, next_read_pause(*child, got));
    });
  }

  /// How long to wait before reading again, after a read of `got` bytes.
  static std::chrono::milliseconds next_read_pause(const Child& child, std::size_t got) {
    if (got >= child.pipe_size / 2) return std::chrono::milliseconds(0);
    if (child.exited) return drain_interval;
    if (got > 0) return shortest_read_pause;
    return std::min(child.read_pause * 2, longest_read_pause);
  }

  /// Hands what the pipe holds now (at most about its capacity) to on_output; marks the child
  /// drained at end of file or on a read error. Returns the number of bytes read.
  static std::size_t read_available(const ChildPtr& child) {
    Child& c = *child;
    std::size_t total = 0;
    while (c.pipe != -1 && total < c.pipe_size) {
      const ssize_t size = ::read(c.pipe, c.buffer.data(), c.buffer.size());
      if (size > 0) {
        total += static_cast<std::size_t>(size);
        if (c.on_output) {
          c.on_output(std::string_view(c.buffer.data(), static_cast<std::size_t>(size)));
          if (!c.owner) return total;  // the callback ended the set
        }
        continue;
      }
      if (size == -1 && errno == EINTR) continue;
      if (size == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      c.close_pipe();  // end of file, or an error that will not go away
      c.drained = true;
    }
    return total;
  }

  /// Waits for the exit without ever blocking: a pidfd tells when to reap with WNOHANG.
  static void wait_for_exit(const ChildPtr& child) {
    Child& c = *child;
    if (!c.exit_watch.is_open()) {
      const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, c.pid, 0));
      if (pidfd >= 0) {
        ::fcntl(pidfd, F_SETFD, FD_CLOEXEC);
        c.exit_watch.assign(pidfd);
      }
    }
    if (c.exit_watch.is_open()) {
      c.exit_watch.async_wait(asio::posix::stream_descriptor::wait_read,
                              [child](error_code ec) { reap_or_wait(child, ec); });
    } else {
      c.exit_poll.expires_after(std::chrono::milliseconds(5));
      c.exit_poll.async_wait([child](error_code ec) { reap_or_wait(child, ec); });
    }
  }

  static void reap_or_wait(const ChildPtr& child, error_code ec) {
    if (!child->owner || ec == asio::error::operation_aborted) return;
    int status = 0;
    rusage usage{};
    pid_t reaped = 0;
    do {
      reaped = ::wait4(child->pid, &status, WNOHANG, &usage);
    } while (reaped == -1 && errno == EINTR);
    if (reaped == 0) {
      wait_for_exit(child);  // not yet (a spurious wake-up)
      return;
    }
    const error_code wait_error =
        reaped == -1 ? error_code(errno, boost::system::system_category()) : error_code();
    child->owner->process_ended(child, status, usage, wait_error);
  }

  void process_ended(const ChildPtr& child, int status, const rusage& usage, error_code ec) {
    Child& c = *child;
    c.exited = true;
    c.ended_at = Clock::now();
    error_code ignored;
    c.exit_watch.close(ignored);
    kill_process_group(c.pid);
    unregister_process_group(c.pid);
    c.timeout.cancel();

    ProcessExit& result = c.result;
    if (ec) {
      result.kind = ProcessExit::Kind::exited;
      result.exit_code = -1;
      result.error = "cannot wait for process " + std::to_string(c.pid) + ": " + ec.message();
    } else if (WIFSIGNALED(status)) {
      result.kind = ProcessExit::Kind::signaled;
      result.signal = WTERMSIG(status);
    } else {
      result.kind = ProcessExit::Kind::exited;
      result.exit_code = WEXITSTATUS(status);
    }
    if (!ec) result.cpu_seconds = cpu_seconds_of(usage);
    if (c.forced) result.kind = *c.forced;

    if (const EndHandler on_ended = std::exchange(c.on_ended, nullptr)) {
      on_ended();
      if (!c.owner) return;
    }
    if (!c.drained) {
      read_available(child);
      if (!c.owner) return;
    }
    if (!c.drained) {
      schedule_read(child, drain_interval);
      c.grace.expires_after(drain_grace);
      c.grace.async_wait([child](error_code timer_ec) {
        if (timer_ec || !child->owner) return;
        child->reader.cancel();
        child->close_pipe();
        child->drained = true;
        child->owner->finish_if_done(child);
      });
    }
    finish_if_done(child);
  }

  /// Kills the group of a process still running; its exit will be reported as `reason`.
  void stop(Child& c, ProcessExit::Kind reason) {
    if (c.exited || c.pid <= 0) return;
    if (!c.forced) c.forced = reason;
    kill_process_group(c.pid);
  }

  /// Reports the exit once the process is reaped and its output drained; nothing of this set
  /// is touched after on_exit, which may destroy it.
  void finish_if_done(const ChildPtr& child) {
    Child& c = *child;
    if (!c.exited || !c.drained || c.owner == nullptr) return;
    c.owner = nullptr;
    c.grace.cancel();
    c.reader.cancel();
    c.close_pipe();
    c.result.elapsed = c.ended_at - c.started_at;
    auto on_exit = std::move(c.on_exit);
    c.on_output = nullptr;
    children.erase(c.id);
    if (on_exit) on_exit(c.result);
  }

  asio::io_context& io;
  ProcessId next_id = 1;
  std::unordered_map<ProcessId, ChildPtr> children;
};

ProcessSet::ProcessSet(boost::asio::io_context& io) : impl_(std::make_unique<Impl>(io)) {}

ProcessSet::~ProcessSet() = default;

ProcessId ProcessSet::start(const ProcessSpec& spec, OutputHandler on_output, ExitHandler on_exit,
                            EndHandler on_ended) {
  return impl_->start(spec, std::move(on_output), std::move(on_exit), std::move(on_ended));
}

void ProcessSet::cancel(ProcessId id) {
  const auto found = impl_->children.find(id);
  if (found != impl_->children.end()) {
    impl_->stop(*found->second, ProcessExit::Kind::cancelled);
  }
}

void ProcessSet::cancel_all() {
  for (auto& [id, child] : impl_->children) impl_->stop(*child, ProcessExit::Kind::cancelled);
}

std::size_t ProcessSet::running() const {
  return impl_->children.size();
}

double ProcessSet::cpu_seconds(ProcessId id) const {
  const auto found = impl_->children.find(id);
  if (found == impl_->children.end()) return -1;
  const Impl::Child& child = *found->second;
  if (child.exited || !child.cpu_clock) return -1;
  timespec used{};
  if (::clock_gettime(*child.cpu_clock, &used) != 0) return -1;
  return static_cast<double>(used.tv_sec) + static_cast<double>(used.tv_nsec) / 1e9;
}

CapturedRun run_captured(const ProcessSpec& spec, std::size_t max_output) {
  boost::asio::io_context io;
  CapturedRun run;
  {
    ProcessSet processes(io);
    processes.start(
        spec,
        [&run, max_output](std::string_view chunk) {
          const std::size_t room = max_output - std::min(max_output, run.output.size());
          const std::size_t kept = std::min(room, chunk.size());
          run.output.append(chunk.substr(0, kept));
          run.dropped_bytes += chunk.size() - kept;
        },
        [&run](const ProcessExit& exit) { run.exit = exit; });
    io.run();
  }
  return run;
}

}  // namespace fanout::transport
