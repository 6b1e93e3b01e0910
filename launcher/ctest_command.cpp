#include "launcher/ctest_command.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

namespace fanout::launcher {

namespace {

// Options that choose which items run (or none), run them more than once, stop after a
// failure, or send the framework's report elsewhere. Compared without a `=value` part.
constexpr std::string_view kWholeCommandOptions[] = {
    // Any framework: help and version print and exit.
    "-h", "-?", "--help", "--version", "-v", "--usage",
    // GoogleTest.
    "--gtest_filter", "--gtest_also_run_disabled_tests", "--gtest_list_tests", "--gtest_output",
    "--gtest_repeat", "--gtest_fail_fast",
    // Catch2 (v2 and v3).
    "-l", "--list-tests", "-t", "--list-tags", "--list-test-names-only", "--list-reporters",
    "--list-listeners", "-r", "--reporter", "-o", "--out", "-c", "--section", "-#",
    "--filenames-as-tags", "-f", "--input-file", "-a", "--abort", "-x", "--abortx", "--shard-count",
    "--shard-index",
    // doctest (also spelled with a `dt-` prefix, see is_whole_command_option()).
    "-tc", "--test-case", "-tce", "--test-case-exclude", "-sf", "--source-file", "-sfe",
    "--source-file-exclude", "-ts", "--test-suite", "-tse", "--test-suite-exclude", "-sc",
    "--subcase", "-sce", "--subcase-exclude", "-ltc", "--list-test-cases", "-lts",
    "--list-test-suites", "-lr", "--list-reporters", "-rs", "--reporters", "--count", "--first",
    "--last", "-aa", "--abort-after", "-nr", "--no-run", "-e", "--exit",
    // Boost.Test.
    "--run_test", "--list_content", "--list_labels", "--log_sink", "-k", "--report_sink",
    "--log_format", "--report_format", "-m", "--output_format"};

// Environment variables with the same effect as those options.
constexpr std::string_view kWholeCommandVariables[] = {
    "GTEST_FILTER",        "GTEST_ALSO_RUN_DISABLED_TESTS",
    "GTEST_OUTPUT",        "GTEST_REPEAT",
    "GTEST_FAIL_FAST",     "GTEST_TOTAL_SHARDS",
    "GTEST_SHARD_INDEX",   "BOOST_TEST_RUN_FILTERS",
    "BOOST_TEST_LOG_SINK", "BOOST_TEST_REPORT_SINK"};

bool is_whole_command_option(std::string_view arg) {
  std::string name(arg.substr(0, arg.find('=')));
  if (name.starts_with("--dt-")) {
    name = "--" + name.substr(5);
  } else if (name.starts_with("-dt-")) {
    name = "-" + name.substr(4);
  }
  return std::ranges::find(kWholeCommandOptions, name) != std::end(kWholeCommandOptions);
}

}  // namespace

bool leaves_selection_to_binary(const std::vector<std::string>& args,
                                const std::vector<collector::EnvVar>& environment) {
  for (const auto& arg : args) {
    if (arg.size() < 2 || arg[0] != '-') return false;  // positional, empty or a lone "-"
    if (is_whole_command_option(arg)) return false;
  }
  for (const auto& variable : environment) {
    if (std::ranges::find(kWholeCommandVariables, variable.name) !=
        std::end(kWholeCommandVariables)) {
      return false;
    }
  }
  return true;
}

}  // namespace fanout::launcher
