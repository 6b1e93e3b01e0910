#pragma once
// CTest fixtures that share a setup or cleanup test, joined into one Fanout fixture.

#include <map>
#include <string>
#include <vector>

#include "collector/target.hpp"

namespace fanout::launcher {

/// ctest runs a test that sets up (or cleans up) several fixtures once; Fanout runs each
/// fixture's commands for that fixture. So fixtures linked by such tests, directly or through
/// others, run as one fixture: its setups run before the first test that requires any of them,
/// its cleanups after the last. Returns the name each fixture named in `tests` (set up, cleaned
/// up or required) runs as: its own, or for linked fixtures their names, sorted, joined by '+'.
std::map<std::string, std::string> joined_fixture_names(
    const std::vector<collector::Target>& tests);

}  // namespace fanout::launcher
