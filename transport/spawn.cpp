#include "transport/spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <cstring>
#include <initializer_list>

namespace fanout::transport {
namespace {

/// Owns a posix_spawn attribute or file-action object between `Init` and `Destroy`.
template <typename T, int (*Init)(T*), int (*Destroy)(T*)>
class Owned {
 public:
  Owned() : init_error_(Init(&object_)) {}
  ~Owned() {
    if (init_error_ == 0) Destroy(&object_);
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;

  int init_error() const { return init_error_; }
  T* get() { return &object_; }

 private:
  T object_;
  int init_error_;
};

using Attributes = Owned<posix_spawnattr_t, posix_spawnattr_init, posix_spawnattr_destroy>;
using FileActions = Owned<posix_spawn_file_actions_t, posix_spawn_file_actions_init,
                          posix_spawn_file_actions_destroy>;

/// The first non-zero error number among `results` (a braced list evaluates in order), or 0.
int first_error(std::initializer_list<int> results) {
  for (const int result : results) {
    if (result != 0) return result;
  }
  return 0;
}

/// Every signal whose action a process may change, glibc's two internal ones (thread
/// cancellation, setxid) included: sigfillset leaves those out, and glibc's posix_spawn sets them
/// to SIG_IGN in the child (which exec keeps) unless they are in the sigdefault set.
sigset_t changeable_signals() {
  sigset_t signals;
  std::memset(&signals, 0xff, sizeof signals);
  ::sigdelset(&signals, SIGKILL);
  ::sigdelset(&signals, SIGSTOP);
  return signals;
}

/// The child leads a new process group and starts with default signal actions and an empty
/// mask: whatever the launcher ignores or blocks must not reach the test.
int set_child_attributes(posix_spawnattr_t& attributes) {
  const sigset_t all = changeable_signals();
  sigset_t none;
  ::sigemptyset(&none);
  const auto flags =
      static_cast<short>(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  return first_error({::posix_spawnattr_setflags(&attributes, flags),
                      ::posix_spawnattr_setpgroup(&attributes, 0),
                      ::posix_spawnattr_setsigdefault(&attributes, &all),
                      ::posix_spawnattr_setsigmask(&attributes, &none)});
}

/// stdin from /dev/null, stdout and stderr into `output_fd`, every other descriptor closed, then
/// the working directory; the child applies these in this order before exec.
int set_child_descriptors(posix_spawn_file_actions_t& actions, int output_fd,
                          const std::filesystem::path& working_directory) {
  const int error = first_error({
      ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0),
      ::posix_spawn_file_actions_adddup2(&actions, output_fd, STDOUT_FILENO),
      ::posix_spawn_file_actions_adddup2(&actions, output_fd, STDERR_FILENO),
      ::posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1),
  });
  if (error != 0 || working_directory.empty()) return error;
  return ::posix_spawn_file_actions_addchdir_np(&actions, working_directory.c_str());
}

}  // namespace

Spawned spawn(const LaunchPlan& plan, int output_fd) {
  Attributes attributes;
  FileActions actions;
  int error = first_error({attributes.init_error(), actions.init_error()});
  if (error == 0) error = set_child_attributes(*attributes.get());
  if (error == 0) error = set_child_descriptors(*actions.get(), output_fd, plan.working_directory);
  if (error != 0) return {-1, error};

  const auto argv = c_string_array(plan.argv);
  const auto environment = c_string_array(plan.environment);
  // posix_spawn takes char* const[] for C's sake; it does not write to the strings.
  pid_t pid = -1;
  error = ::posix_spawn(&pid, plan.executable.c_str(), actions.get(), attributes.get(),
                        const_cast<char* const*>(argv.data()),
                        const_cast<char* const*>(environment.data()));
  if (error != 0) return {-1, error};
  return {pid, 0};
}

}  // namespace fanout::transport
