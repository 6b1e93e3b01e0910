#include "launcher/dependency_gate.hpp"

#include <set>

namespace fanout::launcher {

DependencyGate::DependencyGate(const std::vector<collector::Target>& targets) {
  std::set<std::string, std::less<>> names;
  for (const auto& target : targets) names.insert(target.name);
  for (const auto& target : targets) {
    for (const auto& dependency : target.depends) {
      if (names.contains(dependency)) tracked_.try_emplace(dependency);
    }
  }
}

bool DependencyGate::finished(const Tracked& tracked) const {
  if (tracked.failed) return true;
  return tracked.collected ? tracked.unfinished == 0 : collection_done_;
}

bool DependencyGate::may_start(const collector::Target& target) const {
  for (const auto& dependency : target.depends) {
    const auto found = tracked_.find(dependency);
    if (found != tracked_.end() && !finished(found->second)) return false;
  }
  return true;
}

void DependencyGate::collection_done() {
  if (collection_done_) return;
  collection_done_ = true;
  changed();
}

void DependencyGate::changed() {
  if (on_change_) on_change_();
}

void DependencyGate::target_collected(const collector::Target& target,
                                      const std::vector<collector::Item>& items) {
  const auto found = tracked_.find(target.name);
  if (found == tracked_.end()) return;
  found->second.collected = true;
  found->second.unfinished += items.size();
  if (finished(found->second)) changed();
}

void DependencyGate::collection_failed(const report::CollectionError& error) {
  const auto found = tracked_.find(error.target);
  if (found == tracked_.end()) return;
  found->second.failed = true;
  changed();
}

void DependencyGate::item_finished(const collector::Item& item, const collector::Result&) {
  const auto found = tracked_.find(item.target);
  if (found == tracked_.end() || found->second.unfinished == 0) return;
  if (--found->second.unfinished == 0) changed();
}

}  // namespace fanout::launcher
