#include "launcher/cli.hpp"

#include <CLI/CLI.hpp>
#include <regex>
#include <thread>

#include "launcher/errors.hpp"

namespace fanout::launcher {
namespace {

int parse_jobs(const std::string& value) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (value == "auto") return static_cast<int>(cores);
  if (value.starts_with("auto*")) {
    try {
      return static_cast<int>(cores) * std::stoi(value.substr(5));
    } catch (const std::exception&) {
    }
  }
  try {
    std::size_t used = 0;
    const int n = std::stoi(value, &used);
    if (used == value.size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  throw UsageError("-j/--jobs: expected a positive number, 'auto' or 'auto*N', got '" + value +
                   "'");
}

void check_regexes(const std::vector<std::string>& patterns, const char* option) {
  for (const auto& pattern : patterns) {
    try {
      std::regex check(pattern);
    } catch (const std::regex_error& e) {
      throw UsageError(std::string(option) + ": invalid regular expression '" + pattern +
                       "': " + e.what());
    }
  }
}

}  // namespace

std::variant<RunOptions, InfoRequest> parse_command_line(const std::vector<std::string>& args,
                                                         const std::string& version) {
  RunOptions options;
  CLI::App app{"fanout: runs the test cases of CMake projects in parallel, item by item.",
               "fanout"};
  app.set_version_flag("--version", "fanout " + version);
  app.get_formatter()->column_width(34);

  std::string jobs = "auto";
  std::string test_dir = options.test_dir.string();
  std::string junit;
  app.add_option("--test-dir", test_dir,
                 "Build tree to run (holds .fanout/manifest.json); default: current directory");
  app.add_option("-j,--jobs", jobs, "Parallel worker slots: N, 'auto' (one per core), 'auto*N'")
      ->default_str("auto");
  app.add_option("--timeout", options.timeout_seconds,
                 "Per-item time limit in seconds for targets that set none (0: none)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--junit", junit, "Write a JUnit XML report to FILE");
  app.add_option("-R,--tests-regex", options.include_regex,
                 "Run only items whose id (<target>/<name>) matches REGEX (repeatable)");
  app.add_option("-E,--exclude-regex", options.exclude_regex,
                 "Skip items whose id matches REGEX (repeatable)");
  app.add_flag("--list,-N,--show-only", options.list_only,
               "List the items that would run, and run nothing");
  app.add_option("--list-timeout", options.list_timeout_seconds,
                 "Seconds a binary may take to list its items (default 30)")
      ->check(CLI::PositiveNumber);
  app.add_flag_function(
      "--color{true},--no-color{false}", [&](std::int64_t n) { options.color = n > 0; },
      "Force colors on or off (default: on for a terminal, off with NO_COLOR)");

  // CLI11 wants argv in reverse order as a vector.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return InfoRequest{app.help()};
  } catch (const CLI::CallForVersion&) {
    return InfoRequest{"fanout " + version + "\n"};
  } catch (const CLI::ParseError& e) {
    throw UsageError(e.what());
  }
  options.jobs = parse_jobs(jobs);
  options.test_dir = test_dir;
  options.junit_file = junit;
  check_regexes(options.include_regex, "-R");
  check_regexes(options.exclude_regex, "-E");
  return options;
}

}  // namespace fanout::launcher
