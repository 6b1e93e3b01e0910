#include "launcher/cli.hpp"

#include <CLI/CLI.hpp>
#include <optional>
#include <string_view>
#include <thread>

#include "launcher/errors.hpp"
#include "launcher/shard.hpp"
#include "launcher/shuffle.hpp"
#include "launcher/whole_number.hpp"

namespace fanout::launcher {
namespace {

/// `value` as a whole number from `min` to `max`; otherwise a UsageError naming `option`.
int parse_count(const char* option, const std::string& value, int min, int max) {
  const auto n = whole_number<long long>(value);
  if (n && *n >= min && *n <= max) return static_cast<int>(*n);
  throw UsageError(std::string(option) + ": expected a whole number from " + std::to_string(min) +
                   " to " + std::to_string(max) + ", got '" + value + "'");
}

/// Longer time limits than this (about 31 years) are refused: no timer holds them.
constexpr double max_seconds = 1e9;

/// `value` as a number of seconds, at least 0 (above 0 unless `zero_allowed`) and at most
/// max_seconds; otherwise a UsageError naming `option`.
double parse_seconds(const char* option, const std::string& value, bool zero_allowed) {
  const auto seconds = whole_number<double>(value);
  if (seconds && *seconds <= max_seconds && (*seconds > 0 || (zero_allowed && *seconds == 0))) {
    return *seconds;
  }
  throw UsageError(std::string(option) + ": expected a number of seconds " +
                   (zero_allowed ? ">= 0" : "> 0") + " and at most 1e9, got '" + value + "'");
}

constexpr int max_jobs = 100000;
constexpr int max_retries = 1000;

int parse_jobs(const std::string& value) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (value == "auto") return static_cast<int>(cores);
  const bool per_core = value.starts_with("auto*");
  const auto n = whole_number<long long>(per_core ? value.substr(5) : value);
  if (n && *n >= 1 && *n <= max_jobs) {
    const long long jobs = per_core ? *n * static_cast<long long>(cores) : *n;
    return static_cast<int>(std::min<long long>(jobs, max_jobs));
  }
  throw UsageError("-j/--jobs: expected a number from 1 to " + std::to_string(max_jobs) +
                   ", 'auto' or 'auto*N', got '" + value + "'");
}

}  // namespace

RepeatRequest parse_repeat(const std::string& value) {
  const std::size_t colon = value.find(':');
  const std::string mode = value.substr(0, colon);
  if (colon != std::string::npos && (mode == "until-fail" || mode == "until-pass")) {
    const auto count = whole_number<int>(std::string_view(value).substr(colon + 1));
    if (count && *count >= 1) return RepeatRequest{mode == "until-fail", *count};
  }
  throw UsageError("--repeat: expected until-fail:N or until-pass:N with N >= 1, got '" + value +
                   "'");
}

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
                 "Build tree to run (holds .fanout/manifest.json); default: current directory")
      ->type_name("DIR");
  app.add_option("-j,--jobs", jobs, "Parallel worker slots: N, 'auto' (one per core), 'auto*N'")
      ->type_name("N|auto")
      ->default_str("auto");
  std::string timeout;
  app.add_option("--timeout", timeout,
                 "Per-item time limit in seconds for targets that set none (0: none)")
      ->type_name("SECONDS");
  app.add_option("--junit", junit, "Write a JUnit XML report to FILE")->type_name("FILE");
  app.add_option("-R,--tests-regex", options.include_regex,
                 "Run only items whose id (<target>/<name>) matches REGEX (repeatable)")
      ->type_name("REGEX");
  app.add_option("-E,--exclude-regex", options.exclude_regex,
                 "Skip items whose id matches REGEX (repeatable)")
      ->type_name("REGEX");
  app.add_option("-L,--label-regex", options.label_regex,
                 "Run only items with a label matching REGEX (repeatable: every REGEX must match)")
      ->type_name("REGEX");
  app.add_option("--label-exclude", options.label_exclude_regex,
                 "(also -LE) Skip items with a label matching REGEX (repeatable: skip "
                 "those matching every REGEX)")
      ->type_name("REGEX");
  app.add_flag("--list,-N,--show-only", options.list_only,
               "List the items that would run (a tree: binary, suite, item), and run nothing");
  app.add_option("--format", options.list_format, "Format of --list: tree or json")
      ->type_name("tree|json")
      ->check(CLI::IsMember({"tree", "json"}), "");
  app.add_flag("--isolate", options.isolate, "Run every item in a process of its own");
  app.add_flag("--load-aware", options.load_aware,
               "Let items that history shows mostly waiting (little CPU for their wall time) share "
               "cores: up to 4 processes per job may run");
  std::string retries;
  app.add_option("--retries", retries,
                 "Run a failed item again up to N times; passing later is reported flaky")
      ->type_name("N");
  std::string repeat;
  app.add_option("--repeat", repeat,
                 "until-fail:N (run each item up to N times, stop at a failure) or "
                 "until-pass:N (up to N times until it passes)")
      ->type_name("MODE:N");
  std::string shuffle_seed;
  app.add_option("--shuffle", shuffle_seed,
                 "Run items in random order; the seed is printed; --shuffle=SEED repeats it")
      ->type_name("[SEED]")
      ->expected(0, 1)
      ->default_str("");
  app.add_flag("--rerun-failed", options.rerun_failed,
               "Run only the items that failed in the last run");
  std::string shard;
  app.add_option("--shard", shard,
                 "Run shard I of N (I/N, 1-based): a split balanced by history, for CI")
      ->type_name("I/N");
  app.add_flag("--from-ctest", options.from_ctest,
               "Import the tests from ctest even when the build tree has a Fanout manifest");
  bool output_on_failure = false;
  app.add_flag("--output-on-failure", output_on_failure,
               "Accepted for ctest compatibility; failure output is always shown");
  std::string list_timeout;
  app.add_option("--list-timeout", list_timeout,
                 "Seconds a binary may take to list its items (default 30)")
      ->type_name("SECONDS");
  app.add_flag_function(
      "--color{true},--no-color{false}", [&](std::int64_t n) { options.color = n > 0; },
      "Force colors on or off (default: on for a terminal, off with NO_COLOR)");

  // ctest spells the label exclusion -LE, which is no single-letter option.
  std::vector<std::string> reversed;
  for (auto it = args.rbegin(); it != args.rend(); ++it) {
    reversed.push_back(*it == "-LE" ? "--label-exclude" : *it);
  }
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
  if (!timeout.empty()) options.timeout_seconds = parse_seconds("--timeout", timeout, true);
  if (!list_timeout.empty()) {
    options.list_timeout_seconds = parse_seconds("--list-timeout", list_timeout, false);
  }
  if (!retries.empty()) options.retries = parse_count("--retries", retries, 0, max_retries);
  options.test_dir = test_dir;
  options.junit_file = junit;
  if (app.count("--shuffle") > 0) {
    options.shuffle = true;
    if (!shuffle_seed.empty()) options.shuffle_seed = parse_seed(shuffle_seed);
  }
  if (!repeat.empty()) options.repeat = parse_repeat(repeat);
  if (options.repeat && options.retries > 0) {
    throw UsageError(
        "--retries cannot be combined with --repeat (--repeat until-pass:N already "
        "runs a failed item again)");
  }
  if (!shard.empty()) options.shard = parse_shard(shard);
  return options;
}

}  // namespace fanout::launcher
