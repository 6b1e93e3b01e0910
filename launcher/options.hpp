#pragma once
// Everything a run can be told, with defaults as member initialisers.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "launcher/shard.hpp"

namespace fanout::launcher {

/// A parsed `--repeat until-fail:N|until-pass:N`.
struct RepeatRequest {
  bool until_fail = true;  ///< false: until-pass
  int count = 1;
};

/// The options of one `fanout` invocation.
struct RunOptions {
  std::filesystem::path test_dir = ".";
  int jobs = 0;                            ///< worker slots; 0: one per core
  double timeout_seconds = 0;              ///< per-item default when a target sets none; 0: none
  std::filesystem::path junit_file;        ///< empty: no JUnit report
  std::vector<std::string> include_regex;  ///< -R: run items whose id matches any
  std::vector<std::string> exclude_regex;  ///< -E: skip items whose id matches any
  std::vector<std::string> label_regex;    ///< -L: run items with a label matching any
  std::vector<std::string> label_exclude_regex;  ///< -LE: skip items with a label matching any
  bool list_only = false;
  std::string list_format = "tree";  ///< --format for --list: tree | json
  bool isolate = false;              ///< one item per process
  /// Items that history shows mostly waiting hold only the share of a core they use, so more
  /// than `jobs` processes may run at once (see load_share.hpp).
  bool load_aware = false;
  int retries = 0;
  std::optional<RepeatRequest> repeat;        ///< --repeat; unset: every item runs once
  std::optional<std::uint64_t> shuffle_seed;  ///< set: --shuffle (0 chosen at random, printed)
  bool shuffle = false;
  bool rerun_failed = false;
  std::optional<ShardSpec> shard;    ///< --shard I/N; unset: not sharding
  bool from_ctest = false;           ///< import from ctest even when a manifest exists
  double list_timeout_seconds = 30;  ///< bound on listing one binary
  std::optional<bool> color;         ///< unset: decide from the terminal and NO_COLOR
};

}  // namespace fanout::launcher
