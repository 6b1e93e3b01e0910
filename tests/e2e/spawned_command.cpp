#include "tests/e2e/spawned_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace fanout::e2e {
namespace {

using Clock = std::chrono::steady_clock;

std::filesystem::path make_output_file() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "fanout-e2e-output-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "mkstemp");
  ::close(fd);
  return pattern;
}

}  // namespace

SpawnedCommand::SpawnedCommand(const std::vector<std::string>& argv,
                               const std::filesystem::path& cwd, bool keep_stdin_open)
    : output_path_(make_output_file()), start_(Clock::now()) {
  if (argv.empty()) throw std::invalid_argument("SpawnedCommand: empty argv");
  std::vector<std::string> args = argv;
  std::vector<char*> c_args;
  for (auto& arg : args) c_args.push_back(arg.data());
  c_args.push_back(nullptr);
  const std::string directory = cwd.string();
  const std::string output = output_path_.string();

  int stdin_pipe[2] = {-1, -1};
  if (keep_stdin_open && ::pipe2(stdin_pipe, O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  pid_ = ::fork();
  if (pid_ < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid_ == 0) {
    ::setpgid(0, 0);
    const int in = keep_stdin_open ? stdin_pipe[0] : ::open("/dev/null", O_RDONLY);
    const int out = ::open(output.c_str(), O_WRONLY | O_TRUNC);
    if (in < 0 || out < 0) ::_exit(127);
    ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(out, STDERR_FILENO);
    if (!directory.empty() && ::chdir(directory.c_str()) != 0) ::_exit(127);
    ::execv(c_args[0], c_args.data());
    ::_exit(127);
  }
  ::setpgid(pid_, pid_);
  if (keep_stdin_open) {
    ::close(stdin_pipe[0]);
    stdin_writer_ = stdin_pipe[1];
  }
}

SpawnedCommand::~SpawnedCommand() {
  if (!exited_) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
  }
  if (stdin_writer_ >= 0) ::close(stdin_writer_);
  std::error_code ignored;
  std::filesystem::remove(output_path_, ignored);
}

void SpawnedCommand::send(int signal) const {
  if (!exited_) ::kill(pid_, signal);
}

std::string SpawnedCommand::output() const {
  std::ifstream in(output_path_, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool SpawnedCommand::poll_exit() {
  if (!exited_ && ::waitpid(pid_, &status_, WNOHANG) == pid_) exited_ = true;
  return exited_;
}

bool SpawnedCommand::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (output().find(text) != std::string::npos) return true;
    if (poll_exit()) return output().find(text) != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

CommandResult SpawnedCommand::wait(std::chrono::milliseconds timeout) {
  CommandResult result;
  const auto deadline = Clock::now() + timeout;
  while (!poll_exit() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!exited_) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
    exited_ = true;
    result.timed_out = true;
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  ::kill(-pid_, SIGKILL);
  if (stdin_writer_ >= 0) {
    ::close(stdin_writer_);
    stdin_writer_ = -1;
  }
  if (WIFEXITED(status_)) {
    result.exit_code = WEXITSTATUS(status_);
  } else if (WIFSIGNALED(status_)) {
    result.signal = WTERMSIG(status_);
  }
  result.output = output();
  return result;
}

}  // namespace fanout::e2e
