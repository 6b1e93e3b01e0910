#pragma once
// `fanout --list`: the collection tree (binary → suite → item, with counts, like
// `py.test --collectonly`), or every item as JSON for IDE test explorers and scripts.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "collector/item.hpp"
#include "collector/target.hpp"

namespace fanout::launcher {

/// One target as collected: its items, or why it could not be listed.
struct CollectedTarget {
  const collector::Target* target = nullptr;
  std::string framework;  ///< the adapter that listed it ("gtest", ...)
  std::vector<collector::Item> items;
  std::optional<std::string> error;
};

/// Prints the tree of every target, then a total line.
void print_tree(std::ostream& out, const std::vector<CollectedTarget>& targets);

/// Prints the JSON document described in the README ("--list --format json").
void print_json(std::ostream& out, const std::vector<CollectedTarget>& targets);

}  // namespace fanout::launcher
