#pragma once
// A registered test binary and the properties it was registered with.

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fanout::collector {

/// One `KEY=VALUE` pair for a test process's environment.
struct EnvVar {
  std::string name;
  std::string value;
  bool operator==(const EnvVar&) const = default;
};

/// A test binary as registered by `add_distributed_tests()` (or imported from ctest).
/// `framework` is a framework name ("gtest", "catch2", "doctest", "boost_test", "exe") or "auto".
struct Target {
  std::string name;
  std::filesystem::path executable;
  std::string framework = "auto";
  std::vector<std::string> extra_args;      ///< appended to every command line of this binary
  std::filesystem::path working_directory;  ///< empty: the executable's directory
  std::vector<EnvVar> environment;
  /// Removed from the environment the test inherits before `environment` is set (CTest's
  /// ENVIRONMENT_MODIFICATION `unset`).
  std::vector<std::string> unset_environment;
  std::vector<std::string> labels;
  double timeout_seconds = 0;              ///< per item; 0: the run's default
  std::string group;                       ///< items of one group run serially on one worker
  std::vector<std::string> group_items;    ///< regexes: only matching items are in `group`
  std::vector<std::string> isolate_items;  ///< regexes: matching items run in a fresh process
  std::vector<std::string> resource_locks;
  bool run_serial = false;
  int processors = 1;
  std::vector<std::string> fixtures_required;
  bool isolate = false;  ///< every item in a fresh process
  /// SKIP_RETURN_CODE: a process of this binary that exits with it skipped the item it was
  /// running (and, when it started none, every item of its batch), whatever the framework.
  std::optional<int> skip_return_code;
  std::vector<std::filesystem::path> data;  ///< files the tests read at run time (DATA)
  // CTest properties (imported from `ctest --show-only=json-v1`), with CTest's meaning.
  bool will_fail = false;                     ///< pass and fail swap
  bool disabled = false;                      ///< listed, never run
  std::vector<std::string> pass_regex;        ///< PASS_REGULAR_EXPRESSION
  std::vector<std::string> fail_regex;        ///< FAIL_REGULAR_EXPRESSION
  std::vector<std::string> skip_regex;        ///< SKIP_REGULAR_EXPRESSION
  std::vector<std::string> fixtures_setup;    ///< this test sets these fixtures up
  std::vector<std::string> fixtures_cleanup;  ///< this test cleans these fixtures up
  /// DEPENDS (those CTest adds for fixtures aside): the names of the tests that must have
  /// finished, whatever their outcome, before this one starts; a name not in the run is ignored.
  std::vector<std::string> depends;
  /// REQUIRED_FILES: the test does not run (it fails) when one is missing as it would start;
  /// relative: to its working directory.
  std::vector<std::filesystem::path> required_files;
  bool from_ctest = false;            ///< imported rather than registered
  std::filesystem::path source_file;  ///< where it was registered, for error messages
  int source_line = 0;

  /// Where its processes run: working_directory, else the executable's directory.
  std::filesystem::path run_directory() const {
    return working_directory.empty() ? executable.parent_path() : working_directory;
  }
};

}  // namespace fanout::collector
