#pragma once
// `fanout --list`: the collection tree, binary → suite → item, with counts.

#include <ostream>
#include <vector>

#include "collector/item.hpp"
#include "collector/target.hpp"

namespace fanout::launcher {

/// Prints one target's subtree: a header with its item count, suites with theirs, then items
/// (disabled ones marked).
void print_target_tree(std::ostream& out, const collector::Target& target,
                       const std::vector<collector::Item>& items);

}  // namespace fanout::launcher
