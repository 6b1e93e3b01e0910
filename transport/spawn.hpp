#pragma once
// Private to transport/: starts a LaunchPlan with posix_spawn (clone with CLONE_VM|CLONE_VFORK:
// the parent's page tables are never copied, which matters when thousands of tests start).

#include <sys/types.h>

#include "transport/launch_plan.hpp"

namespace fanout::transport {

/// A process started by spawn(), or why it was not.
struct Spawned {
  pid_t pid = -1;  ///< > 0 when started; also the id of its process group
  int error = 0;   ///< errno value when not started
};

/// Starts `plan` in `plan.working_directory` (when set). The child leads a new process group,
/// has every signal at its default action and none blocked, reads stdin from /dev/null and writes
/// stdout and stderr to `output_fd`; no other descriptor of ours is open in it. When it cannot
/// start (setup, chdir or exec fails), returns the reason and leaves no process behind.
Spawned spawn(const LaunchPlan& plan, int output_fd);

}  // namespace fanout::transport
