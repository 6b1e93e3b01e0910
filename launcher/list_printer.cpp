#include "launcher/list_printer.hpp"

#include <map>
#include <string>

namespace fanout::launcher {

void print_target_tree(std::ostream& out, const collector::Target& target,
                       const std::vector<collector::Item>& items) {
  out << target.name << " (" << target.framework << ", " << items.size()
      << (items.size() == 1 ? " item" : " items") << ")\n";
  // Suites in order of first appearance.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const collector::Item*>> suites;
  for (const auto& item : items) {
    if (!suites.count(item.suite)) order.push_back(item.suite);
    suites[item.suite].push_back(&item);
  }
  for (const auto& suite : order) {
    const auto& members = suites[suite];
    const std::string indent = suite.empty() ? "  " : "    ";
    if (!suite.empty()) out << "  " << suite << " (" << members.size() << ")\n";
    for (const auto* item : members) {
      out << indent << item->name;
      if (!item->annotation.empty()) out << "  # " << item->annotation;
      if (item->disabled) out << "  [disabled]";
      out << "\n";
    }
  }
}

}  // namespace fanout::launcher
