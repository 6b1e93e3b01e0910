#include "launcher/item_filter.hpp"

#include <algorithm>
#include <string>

#include "launcher/errors.hpp"

namespace fanout::launcher {
namespace {

std::vector<std::regex> compile(const std::vector<std::string>& patterns, const char* option) {
  std::vector<std::regex> compiled;
  compiled.reserve(patterns.size());
  for (const auto& pattern : patterns) {
    try {
      compiled.emplace_back(pattern);
    } catch (const std::regex_error& e) {
      throw UsageError(std::string(option) + ": invalid regular expression '" + pattern +
                       "': " + e.what());
    }
  }
  return compiled;
}

bool any_label_matches(const std::vector<std::string>& labels, const std::regex& re) {
  return std::any_of(labels.begin(), labels.end(),
                     [&](const std::string& label) { return std::regex_search(label, re); });
}

}  // namespace

ItemFilter::ItemFilter(const Selection& selection)
    : include_(compile(selection.include, "-R")),
      exclude_(compile(selection.exclude, "-E")),
      labels_(compile(selection.labels, "-L")),
      exclude_labels_(compile(selection.exclude_labels, "-LE")) {}

bool ItemFilter::selects(const collector::Item& item) const {
  return selects(item.id, item.labels);
}

bool ItemFilter::selects_test(const collector::Target& test) const {
  return selects(test.name, test.labels);
}

bool ItemFilter::may_select(const collector::Target& target) const {
  return !excluded_by_labels(target.labels);
}

bool ItemFilter::excluded_by_labels(const std::vector<std::string>& labels) const {
  auto label_matches = [&](const std::regex& re) { return any_label_matches(labels, re); };
  return !exclude_labels_.empty() &&
         std::all_of(exclude_labels_.begin(), exclude_labels_.end(), label_matches);
}

bool ItemFilter::selects(const std::string& id, const std::vector<std::string>& labels) const {
  auto id_matches = [&](const std::regex& re) { return std::regex_search(id, re); };
  auto label_matches = [&](const std::regex& re) { return any_label_matches(labels, re); };
  if (!include_.empty() && std::none_of(include_.begin(), include_.end(), id_matches)) return false;
  if (std::any_of(exclude_.begin(), exclude_.end(), id_matches)) return false;
  if (!std::all_of(labels_.begin(), labels_.end(), label_matches)) return false;
  return !excluded_by_labels(labels);
}

}  // namespace fanout::launcher
