#pragma once
// One runnable test inside a target.

#include <cstddef>
#include <string>
#include <vector>

namespace fanout::collector {

/// A single test case of a target. `name` is the framework's own full name
/// (`Suite.Case` for GoogleTest); `id` is `<target>/<name>`, stable across runs.
struct Item {
  std::string id;
  std::string target;
  std::string name;
  std::string suite;      ///< for reports (JUnit classname); may be empty
  std::string case_name;  ///< for reports (JUnit name)
  std::string file;       ///< source file, where the framework tells it
  int line = 0;
  bool disabled = false;  ///< listed but not run (GoogleTest's DISABLED_)
  std::vector<std::string> labels;
  std::string annotation;   ///< e.g. "TypeParam = int" or "GetParam() = -2"
  std::string group;        ///< items of one group never run concurrently (empty: none)
  bool isolate = false;     ///< runs in a process of its own
  std::size_t ordinal = 0;  ///< position in its target's listing (the order a binary runs items)
};

/// Builds an item id from a target name and the framework's item name.
inline std::string make_item_id(const std::string& target, const std::string& name) {
  return target + "/" + name;
}

}  // namespace fanout::collector
