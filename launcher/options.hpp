#pragma once
// Everything a run can be told, with defaults as member initialisers.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fanout::launcher {

/// The options of one `fanout` invocation.
struct RunOptions {
  std::filesystem::path test_dir = ".";
  int jobs = 0;                  ///< worker slots; 0: one per core
  double timeout_seconds = 0;    ///< per-item default when a target sets none; 0: none
  std::filesystem::path junit_file;  ///< empty: no JUnit report
  std::vector<std::string> include_regex;  ///< -R: run items whose id matches any
  std::vector<std::string> exclude_regex;  ///< -E: skip items whose id matches any
  bool list_only = false;
  double list_timeout_seconds = 30;  ///< bound on listing one binary
  std::optional<bool> color;         ///< unset: decide from the terminal and NO_COLOR
};

}  // namespace fanout::launcher
