#pragma once
// Private to transport/: the process-wide registry of live process groups, so that
// kill_all_process_groups() (declared in transport/process.hpp) reaches every group started by
// any ProcessSet on any thread.

#include <sys/types.h>

namespace fanout::transport {

/// Records a live process group (its leader's pid).
void register_process_group(pid_t pgid);
/// Forgets a process group; call it once the group has been killed for good.
void unregister_process_group(pid_t pgid);
/// Sends SIGKILL to every member of the group; a group that is already gone is not an error.
void kill_process_group(pid_t pgid);

}  // namespace fanout::transport
