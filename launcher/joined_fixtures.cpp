#include "launcher/joined_fixtures.hpp"

#include <set>

namespace fanout::launcher {
namespace {

/// Union-find over fixture names.
class Links {
 public:
  void add(const std::string& name) { parent_.try_emplace(name, name); }
  void link(const std::string& a, const std::string& b) { parent_[root(a)] = root(b); }
  std::string root(const std::string& name) {
    std::string& parent = parent_.at(name);
    if (parent != name) parent = root(parent);
    return parent;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> all;
    for (const auto& [name, parent] : parent_) all.push_back(name);
    return all;
  }

 private:
  std::map<std::string, std::string> parent_;
};

}  // namespace

std::map<std::string, std::string> joined_fixture_names(
    const std::vector<collector::Target>& tests) {
  Links links;
  for (const auto& test : tests) {
    std::vector<const std::string*> served;  // fixtures this test sets up or cleans up
    for (const auto& name : test.fixtures_setup) served.push_back(&name);
    for (const auto& name : test.fixtures_cleanup) served.push_back(&name);
    for (const std::string* name : served) links.add(*name);
    for (const auto& name : test.fixtures_required) links.add(name);
    for (std::size_t i = 1; i < served.size(); ++i) links.link(*served[i - 1], *served[i]);
  }
  std::map<std::string, std::set<std::string>> members;  // by root, sorted
  for (const auto& name : links.names()) members[links.root(name)].insert(name);
  std::map<std::string, std::string> joined;
  for (const auto& [root, names] : members) {
    std::string name;
    for (const auto& member : names) name += (name.empty() ? "" : "+") + member;
    for (const auto& member : names) joined[member] = name;
  }
  return joined;
}

}  // namespace fanout::launcher
