#include "launcher/dependency_cycle.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace fanout::launcher {

std::vector<std::string> find_dependency_cycle(const std::vector<collector::Target>& targets) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < targets.size(); ++i) index.emplace(targets[i].name, i);
  // The targets each one depends on, by index, in the order named.
  std::vector<std::vector<std::size_t>> edges(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    for (const auto& name : targets[i].depends) {
      if (const auto found = index.find(name); found != index.end()) {
        edges[i].push_back(found->second);
      }
    }
  }
  // Depth first, without recursion: a chain of thousands of tests must not exhaust the stack.
  enum class Mark { unseen, on_path, done };
  std::vector<Mark> marks(targets.size(), Mark::unseen);
  std::vector<std::pair<std::size_t, std::size_t>> path;  // target, next edge to follow
  for (std::size_t root = 0; root < targets.size(); ++root) {
    if (marks[root] != Mark::unseen) continue;
    marks[root] = Mark::on_path;
    path.emplace_back(root, 0);
    while (!path.empty()) {
      auto& [node, next] = path.back();
      if (next == edges[node].size()) {
        marks[node] = Mark::done;
        path.pop_back();
        continue;
      }
      const std::size_t to = edges[node][next++];
      if (marks[to] == Mark::unseen) {
        marks[to] = Mark::on_path;
        path.emplace_back(to, 0);
      } else if (marks[to] == Mark::on_path) {
        std::vector<std::string> cycle;
        const auto start = std::find_if(path.begin(), path.end(),
                                        [to](const auto& step) { return step.first == to; });
        for (auto it = start; it != path.end(); ++it) cycle.push_back(targets[it->first].name);
        cycle.push_back(targets[to].name);
        return cycle;
      }
    }
  }
  return {};
}

void check_no_dependency_cycle(const std::vector<collector::Target>& targets) {
  const std::vector<std::string> cycle = find_dependency_cycle(targets);
  if (cycle.empty()) return;
  std::string chain;
  for (const auto& name : cycle) chain += (chain.empty() ? "'" : " -> '") + name + "'";
  throw DependencyCycleError(
      "the DEPENDS of these tests form a cycle, so none of them could ever start: " + chain +
      " (ctest refuses to run them as well); break the cycle, or leave one of them out of the "
      "run (-E)");
}

}  // namespace fanout::launcher
