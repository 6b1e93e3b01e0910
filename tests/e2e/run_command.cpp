#include "tests/e2e/run_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

extern char** environ;

namespace fanout::e2e {
namespace {

using Clock = std::chrono::steady_clock;

/// argv[0] as given when it names a path, else the first executable match in PATH.
std::string resolve_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/bin:/bin";
  while (true) {
    const auto colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) return name;
    dirs.remove_prefix(colon + 1);
  }
}

/// This process's environment with `extra` entries replacing those of the same name.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  auto name_of = [](std::string_view entry) { return entry.substr(0, entry.find('=')); };
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view current(*entry);
    bool replaced = false;
    for (const auto& e : extra) replaced = replaced || name_of(e) == name_of(current);
    if (!replaced) env.emplace_back(current);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

/// Reports why the child could not start, as its output, and ends it.
[[noreturn]] void fail_in_child(const char* what) {
  const char* reason = ::strerror(errno);
  ::write(STDERR_FILENO, what, std::strlen(what));
  ::write(STDERR_FILENO, reason, std::strlen(reason));
  ::write(STDERR_FILENO, "\n", 1);
  ::_exit(127);
}

/// Child side after fork: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(int output_fd, const char* cwd, const char* executable,
                             char* const* argv, char* const* envp) {
  ::setpgid(0, 0);
  const int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
  ::dup2(output_fd, STDOUT_FILENO);
  ::dup2(output_fd, STDERR_FILENO);
  if (cwd != nullptr && ::chdir(cwd) != 0) fail_in_child("run_command: cannot chdir: ");
  ::signal(SIGPIPE, SIG_DFL);
  ::execve(executable, argv, envp);
  fail_in_child("run_command: cannot exec: ");
}

/// Appends whatever can be read from `fd` now; returns false at end of file.
bool drain(int fd, std::string& output) {
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      output.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0) {
      return false;
    } else {
      return errno == EAGAIN || errno == EINTR;
    }
  }
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                          std::chrono::seconds timeout, const std::vector<std::string>& extra_env) {
  CommandResult result;
  if (argv.empty()) {
    result.output = "run_command: empty argv";
    return result;
  }
  std::vector<std::string> args = argv;
  std::vector<std::string> env = merged_environment(extra_env);
  const std::string executable = resolve_executable(argv.front());
  const std::string directory = cwd.string();
  std::vector<char*> c_args = c_strings(args);
  std::vector<char*> c_env = c_strings(env);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    result.output = std::string("run_command: pipe: ") + std::strerror(errno);
    return result;
  }
  const auto start = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) {
    result.output = std::string("run_command: fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return result;
  }
  if (pid == 0) {
    exec_child(fds[1], directory.empty() ? nullptr : directory.c_str(), executable.c_str(),
               c_args.data(), c_env.data());
  }
  ::setpgid(pid, pid);  // also done by the child; whichever runs first wins the race
  ::close(fds[1]);
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);

  const auto deadline = start + timeout;
  int status = 0;
  bool exited = false;
  bool open = true;
  while (!exited) {
    if (Clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      result.timed_out = true;
      ::waitpid(pid, &status, 0);
      exited = true;
      break;
    }
    if (open) {
      pollfd pfd{fds[0], POLLIN, 0};
      ::poll(&pfd, 1, 20);
      open = drain(fds[0], result.output);
    } else {
      ::usleep(20 * 1000);
    }
    exited = ::waitpid(pid, &status, WNOHANG) == pid;
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // What the command wrote before exiting is in the pipe; leftovers of its group may hold the
  // write end open, so read what is there and then end them.
  if (open) drain(fds[0], result.output);
  ::kill(-pid, SIGKILL);
  ::close(fds[0]);

  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace fanout::e2e
