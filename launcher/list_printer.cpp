#include "launcher/list_printer.hpp"

#include <boost/json.hpp>
#include <map>

namespace fanout::launcher {
namespace {

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

void print_target_tree(std::ostream& out, const CollectedTarget& collected) {
  const auto& items = collected.items;
  out << collected.target->name << " (" << collected.framework << ", "
      << plural(items.size(), "item") << ")\n";
  if (collected.error) {
    out << "  error: " << *collected.error << "\n";
    return;
  }
  std::vector<std::string> order;  // suites in order of first appearance
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

}  // namespace

void print_tree(std::ostream& out, const std::vector<CollectedTarget>& targets) {
  std::size_t total = 0, errors = 0;
  for (const auto& collected : targets) {
    print_target_tree(out, collected);
    total += collected.items.size();
    errors += collected.error ? 1 : 0;
  }
  out << plural(total, "item") << " in " << plural(targets.size(), "target");
  if (errors > 0) out << ", " << plural(errors, "target") << " could not be listed";
  out << "\n";
}

void print_json(std::ostream& out, const std::vector<CollectedTarget>& targets) {
  boost::json::array target_array;
  boost::json::array item_array;
  for (const auto& collected : targets) {
    const collector::Target& target = *collected.target;
    boost::json::object t;
    t["name"] = target.name;
    t["executable"] = target.executable.string();
    t["framework"] = collected.framework;
    t["items"] = collected.items.size();
    t["error"] = collected.error ? boost::json::value(*collected.error) : nullptr;
    target_array.push_back(std::move(t));
    for (const auto& item : collected.items) {
      boost::json::object i;
      i["id"] = item.id;
      i["target"] = item.target;
      i["name"] = item.name;
      i["suite"] = item.suite;
      i["case"] = item.case_name;
      i["framework"] = collected.framework;
      boost::json::array labels;
      for (const auto& label : item.labels) labels.push_back(boost::json::string(label));
      i["labels"] = std::move(labels);
      i["file"] = item.file.empty() ? boost::json::value(nullptr) : boost::json::value(item.file);
      i["line"] = item.line > 0 ? boost::json::value(item.line) : boost::json::value(nullptr);
      i["disabled"] = item.disabled;
      if (!item.annotation.empty()) i["annotation"] = item.annotation;
      item_array.push_back(std::move(i));
    }
  }
  boost::json::object document;
  document["version"] = 1;
  document["targets"] = std::move(target_array);
  document["items"] = std::move(item_array);
  out << boost::json::serialize(document) << "\n";
}

}  // namespace fanout::launcher
