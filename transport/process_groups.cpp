#include "transport/process_groups.hpp"

#include <signal.h>

#include <mutex>
#include <unordered_set>

#include "transport/process.hpp"

namespace fanout::transport {
namespace {

struct Registry {
  std::mutex mutex;
  std::unordered_set<pid_t> groups;
};

// Never destroyed: kill_all_process_groups() may run from exit paths after static destruction.
Registry& registry() {
  static auto* instance = new Registry;
  return *instance;
}

}  // namespace

void register_process_group(pid_t pgid) {
  auto& r = registry();
  const std::lock_guard lock(r.mutex);
  r.groups.insert(pgid);
}

void unregister_process_group(pid_t pgid) {
  auto& r = registry();
  const std::lock_guard lock(r.mutex);
  r.groups.erase(pgid);
}

void kill_process_group(pid_t pgid) {
  if (pgid > 0) ::kill(-pgid, SIGKILL);
}

void kill_all_process_groups() {
  auto& r = registry();
  const std::lock_guard lock(r.mutex);
  for (const pid_t pgid : r.groups) kill_process_group(pgid);
}

}  // namespace fanout::transport
