#include "launcher/item_tags.hpp"

#include <algorithm>

#include "launcher/errors.hpp"

namespace fanout::launcher {
namespace {

std::vector<std::regex> compile(const collector::Target& target, const char* property,
                                const std::vector<std::string>& patterns) {
  std::vector<std::regex> compiled;
  for (const auto& pattern : patterns) {
    try {
      compiled.emplace_back(pattern);
    } catch (const std::regex_error& e) {
      throw UsageError(target.name + ": " + property + " '" + pattern +
                       "' is not a valid regular expression (" + e.what() + ")" +
                       (target.source_file.empty()
                            ? std::string()
                            : "; registered at " + target.source_file.string() + ":" +
                                  std::to_string(target.source_line)));
    }
  }
  return compiled;
}

bool matches_any(const std::vector<std::regex>& patterns, const std::string& name) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::regex& re) { return std::regex_search(name, re); });
}

}  // namespace

ItemTagger::ItemTagger(const collector::Target& target)
    : group_(target.group),
      group_items_(compile(target, "GROUP_ITEMS", target.group_items)),
      isolate_items_(compile(target, "ISOLATE_ITEMS", target.isolate_items)) {}

void ItemTagger::apply(std::vector<collector::Item>& items) const {
  for (auto& item : items) {
    if (!group_.empty() && (group_items_.empty() || matches_any(group_items_, item.name))) {
      item.group = group_;
    }
    if (matches_any(isolate_items_, item.name)) item.isolate = true;
  }
}

}  // namespace fanout::launcher
