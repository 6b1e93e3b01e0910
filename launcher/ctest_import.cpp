#include "launcher/ctest_import.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <climits>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "launcher/cmake_cache.hpp"
#include "launcher/ctest_command.hpp"
#include "transport/process.hpp"

namespace fanout::launcher {

namespace fs = std::filesystem;
namespace json = boost::json;
using collector::Target;

namespace {

/// How much of ctest's output an error message quotes.
constexpr std::size_t kQuotedOutputLimit = 4000;
/// How many test names a grouped warning lists before "and N more".
constexpr std::size_t kNamesPerWarning = 5;
/// More output than this from a listing means something is wrong with it.
constexpr std::size_t kMaxListingBytes = 256 * 1024 * 1024;

/// CTest properties Fanout knows but does not honour, and what that means for the user.
const std::map<std::string_view, std::string_view> kUnsupported = {
    {"COST", "not used; Fanout orders tests by the durations it measured"},
    {"TIMEOUT_AFTER_MATCH", "not supported yet; TIMEOUT applies"},
    {"TIMEOUT_SIGNAL_NAME", "not supported yet; a timed-out test's process group is killed"},
    {"TIMEOUT_SIGNAL_GRACE_PERIOD",
     "not supported yet; a timed-out test's process group is killed"},
    {"ATTACHED_FILES", "CDash submission only; not reported"},
    {"ATTACHED_FILES_ON_FAIL", "CDash submission only; not reported"},
    {"MEASUREMENT", "CDash submission only; not reported"},
    {"RESOURCE_GROUPS", "resource allocation is not supported yet"},
    {"GENERATED_RESOURCE_SPEC_FILE", "resource allocation is not supported yet"},
    {"PROCESSOR_AFFINITY", "not supported yet"},
};

std::string describe(const json::value& value) {
  std::string shown = json::serialize(value);
  if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
  return shown;
}

/// `output`, indented, cut to kQuotedOutputLimit.
std::string quote(std::string_view output) {
  if (output.find_first_not_of(" \t\r\n") == std::string_view::npos) return " (no output)";
  std::string text(output.substr(0, kQuotedOutputLimit));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::string quoted = ":\n    ";
  for (const char c : text) {
    quoted += c;
    if (c == '\n') quoted += "    ";
  }
  if (output.size() > kQuotedOutputLimit) {
    quoted += "\n    [... " + std::to_string(output.size() - kQuotedOutputLimit) + " more bytes]";
  }
  return quoted;
}

/// Warnings about tests, one line per distinct message with the tests it concerns.
class Warnings {
 public:
  void about(const std::string& message, const std::string& test) {
    auto found = index_.find(message);
    if (found == index_.end()) {
      found = index_.emplace(message, grouped_.size()).first;
      grouped_.emplace_back(message, std::vector<std::string>{});
    }
    grouped_[found->second].second.push_back(test);
  }
  void add(std::string message) { general_.push_back(std::move(message)); }

  std::vector<std::string> lines() const {
    std::vector<std::string> lines = general_;
    for (const auto& [message, tests] : grouped_) {
      std::string line = message + (tests.size() == 1 ? "; test: " : "; tests: ");
      for (std::size_t i = 0; i < tests.size() && i < kNamesPerWarning; ++i) {
        line += (i == 0 ? "'" : ", '") + tests[i] + "'";
      }
      if (tests.size() > kNamesPerWarning) {
        line += " and " + std::to_string(tests.size() - kNamesPerWarning) + " more";
      }
      lines.push_back(std::move(line));
    }
    return lines;
  }

 private:
  std::vector<std::string> general_;
  std::vector<std::pair<std::string, std::vector<std::string>>> grouped_;
  std::map<std::string, std::size_t> index_;
};

/// CMake's truth for a string property value.
std::optional<bool> cmake_truth(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (text == "1" || text == "ON" || text == "YES" || text == "TRUE" || text == "Y") return true;
  if (text.empty() || text == "0" || text == "OFF" || text == "NO" || text == "FALSE" ||
      text == "N" || text == "IGNORE" || text == "NOTFOUND" || text.ends_with("-NOTFOUND")) {
    return false;
  }
  return std::nullopt;
}

/// Reads the values of one test's properties; a value of an unexpected type becomes a warning.
class PropertyReader {
 public:
  PropertyReader(const std::string& test, Warnings& warnings) : test_(test), warnings_(warnings) {}

  std::optional<std::string> string(std::string_view name, const json::value& value) {
    if (value.is_string()) return std::string(value.get_string());
    return refuse(name, value, "a string");
  }

  /// A list property: an array of strings (a single string is a one-element list).
  std::optional<std::vector<std::string>> strings(std::string_view name, const json::value& value) {
    if (value.is_string()) return std::vector<std::string>{std::string(value.get_string())};
    if (!value.is_array()) return refuse(name, value, "a list of strings");
    std::vector<std::string> result;
    for (const auto& element : value.get_array()) {
      if (!element.is_string()) return refuse(name, value, "a list of strings");
      result.emplace_back(element.get_string());
    }
    return result;
  }

  std::optional<bool> boolean(std::string_view name, const json::value& value) {
    if (value.is_bool()) return value.get_bool();
    if (value.is_number()) return value.to_number<double>() != 0;
    if (value.is_string()) {
      if (const auto truth = cmake_truth(std::string(value.get_string()))) return truth;
    }
    return refuse(name, value, "a boolean");
  }

  /// A finite number >= `min` (a numeric string is accepted too).
  std::optional<double> number(std::string_view name, const json::value& value, double min) {
    std::optional<double> number;
    if (value.is_number()) {
      number = value.to_number<double>();
    } else if (value.is_string()) {
      const std::string text(value.get_string());
      std::size_t used = 0;
      try {
        number = std::stod(text, &used);
      } catch (const std::exception&) {
      }
      if (used != text.size()) number.reset();
    }
    if (!number || !std::isfinite(*number) || *number < min) {
      return refuse(name, value, "a number >= " + std::to_string(static_cast<long long>(min)));
    }
    return number;
  }

  /// An integer in [min, max].
  std::optional<int> integer(std::string_view name, const json::value& value, int min, int max) {
    const auto number = this->number(name, value, min);
    if (!number) return std::nullopt;
    if (*number != std::floor(*number) || *number > max) {
      return refuse(name, value,
                    "an integer from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return static_cast<int>(*number);
  }

 private:
  std::nullopt_t refuse(std::string_view name, const json::value& value,
                        const std::string& expected) {
    warnings_.about(
        "ignored: " + std::string(name) + " = " + describe(value) + " (expected " + expected + ")",
        test_);
    return std::nullopt;
  }

  const std::string& test_;
  Warnings& warnings_;
};

/// A test as read, before the decisions that need all tests.
struct ParsedTest {
  Target target;
  bool has_command = false;
  std::vector<std::string> depends;
  std::vector<std::string> environment_modification;  ///< applied once ENVIRONMENT is known
};

bool intersects(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (x == y) return true;
    }
  }
  return false;
}

/// DEF_SOURCE_LINE: "file:line".
void apply_source_line(const std::string& text, Target& target) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    target.source_file = text;
    return;
  }
  target.source_file = text.substr(0, colon);
  try {
    target.source_line = std::stoi(text.substr(colon + 1));
  } catch (const std::exception&) {
    target.source_file = text;
  }
}

void apply_property(std::string_view name, const json::value& value, ParsedTest& test,
                    PropertyReader& read, Warnings& warnings) {
  Target& target = test.target;
  auto set_strings = [&](std::vector<std::string>& field) {
    if (auto list = read.strings(name, value)) field = std::move(*list);
  };
  auto set_bool = [&](bool& field) {
    if (const auto flag = read.boolean(name, value)) field = *flag;
  };
  if (name == "WORKING_DIRECTORY") {
    if (auto dir = read.string(name, value)) target.working_directory = std::move(*dir);
  } else if (name == "ENVIRONMENT") {
    std::vector<std::string> entries;
    set_strings(entries);
    for (const auto& entry : entries) {
      const auto equals = entry.find('=');
      if (equals == std::string::npos || equals == 0) {
        warnings.about("ignored: ENVIRONMENT entry '" + entry + "' (not NAME=VALUE)", target.name);
        continue;
      }
      target.environment.push_back({entry.substr(0, equals), entry.substr(equals + 1)});
    }
  } else if (name == "ENVIRONMENT_MODIFICATION") {
    set_strings(test.environment_modification);
  } else if (name == "TIMEOUT") {
    if (const auto seconds = read.number(name, value, 0)) target.timeout_seconds = *seconds;
  } else if (name == "LABELS") {
    set_strings(target.labels);
  } else if (name == "WILL_FAIL") {
    set_bool(target.will_fail);
  } else if (name == "DISABLED") {
    set_bool(target.disabled);
  } else if (name == "RUN_SERIAL") {
    set_bool(target.run_serial);
  } else if (name == "SKIP_RETURN_CODE") {
    if (const auto code = read.integer(name, value, 0, 255)) target.skip_return_code = *code;
  } else if (name == "PASS_REGULAR_EXPRESSION") {
    set_strings(target.pass_regex);
  } else if (name == "FAIL_REGULAR_EXPRESSION") {
    set_strings(target.fail_regex);
  } else if (name == "SKIP_REGULAR_EXPRESSION") {
    set_strings(target.skip_regex);
  } else if (name == "REQUIRED_FILES") {
    if (auto files = read.strings(name, value)) {
      target.required_files.assign(files->begin(), files->end());
    }
  } else if (name == "RESOURCE_LOCK") {
    set_strings(target.resource_locks);
  } else if (name == "PROCESSORS") {
    if (const auto count = read.integer(name, value, 1, INT_MAX)) target.processors = *count;
  } else if (name == "FIXTURES_SETUP") {
    set_strings(target.fixtures_setup);
  } else if (name == "FIXTURES_CLEANUP") {
    set_strings(target.fixtures_cleanup);
  } else if (name == "FIXTURES_REQUIRED") {
    set_strings(target.fixtures_required);
  } else if (name == "DEPENDS") {
    set_strings(test.depends);  // judged once all tests are known
  } else if (name == "DEF_SOURCE_LINE") {
    if (const auto text = read.string(name, value)) apply_source_line(*text, target);
  } else if (name == "_BACKTRACE_TRIPLES") {
    // CMake's own record of where add_test was called; json-v1 gives it as "backtrace".
  } else if (const auto unsupported = kUnsupported.find(name); unsupported != kUnsupported.end()) {
    warnings.about("ignored: " + std::string(name) + " (" + std::string(unsupported->second) + ")",
                   target.name);
  } else {
    warnings.about("ignored: " + std::string(name) + " (a CTest property Fanout does not know)",
                   target.name);
  }
}

/// Where a test was registered, from json-v1's backtrace graph.
class Backtraces {
 public:
  explicit Backtraces(const json::object& document) {
    const auto* graph = document.if_contains("backtraceGraph");
    if (graph == nullptr || !graph->is_object()) return;
    if (const auto* files = graph->get_object().if_contains("files"); files && files->is_array()) {
      files_ = &files->get_array();
    }
    if (const auto* nodes = graph->get_object().if_contains("nodes"); nodes && nodes->is_array()) {
      nodes_ = &nodes->get_array();
    }
  }

  void apply(const json::value& index, Target& target) const {
    if (files_ == nullptr || nodes_ == nullptr || !index.is_number()) return;
    json::error_code ec;
    const auto node_index = index.to_number<std::size_t>(ec);
    if (ec || node_index >= nodes_->size() || !(*nodes_)[node_index].is_object()) return;
    const auto& node = (*nodes_)[node_index].get_object();
    const auto* file = node.if_contains("file");
    if (file == nullptr || !file->is_number()) return;
    const auto file_index = file->to_number<std::size_t>(ec);
    if (ec || file_index >= files_->size() || !(*files_)[file_index].is_string()) return;
    target.source_file = std::string((*files_)[file_index].get_string());
    if (const auto* line = node.if_contains("line"); line && line->is_number()) {
      target.source_line = line->to_number<int>(ec);
      if (ec) target.source_line = 0;
    }
  }

 private:
  const json::array* files_ = nullptr;
  const json::array* nodes_ = nullptr;
};

/// Applies the test's ENVIRONMENT_MODIFICATION entries on top of ENVIRONMENT and `inherited`;
/// an entry that cannot be read is ignored with a warning naming it.
void apply_environment_modification(ParsedTest& test, const EnvironmentLookup& inherited,
                                    Warnings& warnings) {
  if (test.environment_modification.empty()) return;
  Target& target = test.target;
  std::vector<EnvironmentModification> modifications;
  for (const auto& entry : test.environment_modification) {
    std::string error;
    if (auto modification = parse_environment_modification(entry, error)) {
      modifications.push_back(std::move(*modification));
    } else {
      warnings.about("ignored: ENVIRONMENT_MODIFICATION entry '" + entry + "' (" + error +
                         "; expected NAME=OP:VALUE)",
                     target.name);
    }
  }
  EnvironmentChanges changes =
      apply_environment_modifications(target.environment, modifications, inherited);
  target.environment = std::move(changes.set);
  target.unset_environment = std::move(changes.unset);
}

/// Whether CTest's verdict on `target` is about its whole process, so it must not be split.
bool verdict_needs_whole_process(const Target& target) {
  return target.will_fail || target.disabled || target.skip_return_code.has_value() ||
         !target.pass_regex.empty() || !target.fail_regex.empty() || !target.skip_regex.empty() ||
         !target.fixtures_setup.empty() || !target.fixtures_cleanup.empty();
}

ParsedTest parse_test(const json::value& entry, std::size_t index, const Backtraces& backtraces,
                      std::string_view origin, const EnvironmentLookup& inherited,
                      Warnings& warnings) {
  const std::string where = std::string(origin) + ": test #" + std::to_string(index + 1);
  if (!entry.is_object()) {
    throw CtestImportError(where + " is " + describe(entry) + ", not an object");
  }
  const auto& object = entry.get_object();
  const auto* name = object.if_contains("name");
  if (name == nullptr || !name->is_string() || name->get_string().empty()) {
    throw CtestImportError(where + " has no name: " + describe(entry));
  }
  ParsedTest test;
  Target& target = test.target;
  target.name = std::string(name->get_string());
  target.from_ctest = true;
  target.framework = "exe";

  if (const auto* backtrace = object.if_contains("backtrace")) backtraces.apply(*backtrace, target);
  PropertyReader read(target.name, warnings);
  if (const auto* command = object.if_contains("command")) {
    if (const auto argv = read.strings("command", *command); argv && !argv->empty()) {
      target.executable = argv->front();
      target.extra_args.assign(argv->begin() + 1, argv->end());
      test.has_command = true;
    }
  }
  if (!test.has_command) {
    warnings.about(
        "ctest gives no command (executable not built, or not found); reported as an error",
        target.name);
  }
  if (const auto* properties = object.if_contains("properties")) {
    if (!properties->is_array()) {
      warnings.about("ignored: properties = " + describe(*properties) + " (expected a list)",
                     target.name);
    } else {
      for (const auto& property : properties->get_array()) {
        const auto* fields = property.if_object();
        const auto* key = fields ? fields->if_contains("name") : nullptr;
        const auto* value = fields ? fields->if_contains("value") : nullptr;
        if (key == nullptr || !key->is_string() || value == nullptr) {
          warnings.about("ignored: property " + describe(property) + " (no name and value)",
                         target.name);
          continue;
        }
        apply_property(key->get_string(), *value, test, read, warnings);
      }
    }
  }
  apply_environment_modification(test, inherited, warnings);
  if (test.has_command && !verdict_needs_whole_process(target) &&
      leaves_selection_to_binary(target.extra_args, target.environment)) {
    target.framework = "auto";
  }
  return test;
}

bool is_fixture_test(const Target& target) {
  return !target.fixtures_setup.empty() || !target.fixtures_cleanup.empty();
}

/// Keeps each test's explicit DEPENDS in Target::depends, apart from those CTest adds itself for
/// fixtures (a test that requires a fixture depends on its setup tests; a cleanup test depends on
/// the tests that require or set up its fixture), which Fanout's fixtures honour already; so is a
/// dependency of a setup (cleanup) test on one listed before it that sets up (cleans up) the same
/// fixture, since a fixture's setups (cleanups) run one after another in listing order. Fixture
/// setup and cleanup tests run as their fixtures' commands, not as tests the scheduler orders:
/// another dependency of one, or on one, is ignored with a warning. A name that is no test is
/// ignored, as ctest ignores it.
void judge_depends(std::vector<ParsedTest>& tests, Warnings& warnings) {
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < tests.size(); ++i) position.emplace(tests[i].target.name, i);
  for (std::size_t i = 0; i < tests.size(); ++i) {
    Target& target = tests[i].target;
    for (const auto& dependency : tests[i].depends) {
      const auto found = position.find(dependency);
      if (found == position.end()) continue;
      const Target& other = tests[found->second].target;
      const bool earlier = found->second < i;
      const bool implied = intersects(other.fixtures_setup, target.fixtures_required) ||
                           intersects(target.fixtures_cleanup, other.fixtures_required) ||
                           intersects(target.fixtures_cleanup, other.fixtures_setup) ||
                           (earlier && intersects(other.fixtures_setup, target.fixtures_setup)) ||
                           (earlier && intersects(other.fixtures_cleanup, target.fixtures_cleanup));
      if (implied) continue;
      if (is_fixture_test(target)) {
        warnings.about("ignored: DEPENDS on '" + dependency +
                           "' of a fixture setup or cleanup test (Fanout runs it when its "
                           "fixture is set up or cleaned up, not ordered by DEPENDS)",
                       target.name);
      } else if (is_fixture_test(other)) {
        warnings.about("ignored: DEPENDS on fixture setup or cleanup test '" + dependency +
                           "' (Fanout runs it as part of its fixture, not as a test of its own; "
                           "FIXTURES_REQUIRED orders a test after a fixture's setup)",
                       target.name);
      } else if (std::find(target.depends.begin(), target.depends.end(), dependency) ==
                 target.depends.end()) {
        target.depends.push_back(dependency);
      }
    }
  }
}

/// Test names must be unique target names; a repeated one gets "#2", "#3", ...
void rename_duplicates(std::vector<ParsedTest>& tests, Warnings& warnings) {
  std::set<std::string> seen;
  for (const auto& test : tests) seen.insert(test.target.name);
  std::map<std::string, int> count;
  for (auto& test : tests) {
    const int n = ++count[test.target.name];
    if (n == 1) continue;
    std::string renamed;
    for (int suffix = n;; ++suffix) {
      renamed = test.target.name + "#" + std::to_string(suffix);
      if (seen.insert(renamed).second) break;
    }
    warnings.about("a test of the same name came earlier; this one is named '" + renamed + "'",
                   test.target.name);
    test.target.name = renamed;
  }
}

/// The JSON object in `output` (the first line starting with '{' that begins a complete JSON
/// text), and everything around it.
std::pair<json::value, std::string> find_json(std::string_view output, std::string_view origin) {
  std::string first_error;
  for (std::size_t start = 0; start < output.size(); ++start) {
    if (output[start] != '{' || (start > 0 && output[start - 1] != '\n')) continue;
    json::parser parser;
    json::error_code ec;
    const std::size_t used = parser.write_some(output.data() + start, output.size() - start, ec);
    if (!ec) {
      std::string around(output.substr(0, start));
      around += output.substr(start + used);
      return {parser.release(), std::move(around)};
    }
    if (first_error.empty()) first_error = ec.message();
  }
  throw CtestImportError(
      std::string(origin) + ": expected CTest's json-v1 listing, got " +
      (first_error.empty() ? "no JSON object" : "invalid JSON (" + first_error + ")") +
      quote(output));
}

}  // namespace

CtestImport parse_ctest_json(std::string_view output, std::string_view origin,
                             const EnvironmentLookup& inherited) {
  auto [document, around] = find_json(output, origin);
  auto fail = [&](const std::string& problem) -> CtestImportError {
    return CtestImportError(std::string(origin) + ": " + problem + quote(output));
  };
  if (!document.is_object()) throw fail("the JSON is not an object");
  const auto& object = document.get_object();
  if (const auto* kind = object.if_contains("kind");
      kind && (!kind->is_string() || kind->get_string() != "ctestInfo")) {
    throw fail("the JSON is of kind " + describe(*kind) + ", not \"ctestInfo\"");
  }
  const auto* version = object.if_contains("version");
  const auto* major =
      version && version->is_object() ? version->get_object().if_contains("major") : nullptr;
  if (major == nullptr || !major->is_number() || major->to_number<double>() != 1) {
    throw fail("unsupported json-v1 version " + (version ? describe(*version) : "(none)") +
               "; Fanout reads major version 1");
  }
  const auto* tests = object.if_contains("tests");
  if (tests == nullptr || !tests->is_array()) throw fail("the JSON has no \"tests\" list");

  Warnings warnings;
  if (around.find_first_not_of(" \t\r\n") != std::string::npos) {
    std::string said = around.substr(around.find_first_not_of(" \t\r\n"));
    while (!said.empty() && std::isspace(static_cast<unsigned char>(said.back()))) said.pop_back();
    warnings.add("ctest printed: " + said);
  }
  const Backtraces backtraces(object);
  std::vector<ParsedTest> parsed;
  for (std::size_t i = 0; i < tests->get_array().size(); ++i) {
    parsed.push_back(parse_test(tests->get_array()[i], i, backtraces, origin, inherited, warnings));
  }
  judge_depends(parsed, warnings);
  rename_duplicates(parsed, warnings);

  CtestImport result;
  for (auto& test : parsed) result.targets.push_back(std::move(test.target));
  result.warnings = warnings.lines();
  return result;
}

CtestImport import_ctest(const fs::path& build_dir, const std::string& ctest_command,
                         const std::string& configuration) {
  std::error_code ec;
  if (!fs::is_directory(build_dir, ec)) {
    throw CtestImportError("'" + build_dir.string() + "' is not a directory");
  }
  if (!fs::exists(build_dir / "CTestTestfile.cmake", ec)) {
    throw CtestImportError("'" + build_dir.string() +
                           "' has no CTestTestfile.cmake: not a configured CMake build tree "
                           "with tests (enable_testing() and add_test())");
  }
  std::string ctest = ctest_command;
  if (ctest.empty()) {
    const auto cached = cmake_cache_entry(build_dir, "CMAKE_CTEST_COMMAND");
    ctest = cached && fs::exists(*cached, ec) ? *cached : "ctest";
  }
  transport::ProcessSpec spec;
  spec.argv = {ctest, "--show-only=json-v1"};
  if (!configuration.empty()) spec.argv.insert(spec.argv.end(), {"-C", configuration});
  spec.working_directory = build_dir;
  spec.timeout = kCtestListTimeout;

  std::string command;
  for (const auto& arg : spec.argv) command += (command.empty() ? "" : " ") + arg;
  const std::string origin = "'" + command + "' in '" + build_dir.string() + "'";

  const transport::CapturedRun run = transport::run_captured(spec, kMaxListingBytes);
  using Kind = transport::ProcessExit::Kind;
  switch (run.exit.kind) {
    case Kind::start_failed:
      throw CtestImportError("cannot run " + origin + ": " + run.exit.error +
                             " (is CMake's ctest installed and on PATH?)");
    case Kind::timed_out:
      throw CtestImportError(origin + " did not finish within " +
                             std::to_string(kCtestListTimeout.count()) + " s" + quote(run.output));
    case Kind::signaled:
    case Kind::cancelled:
      throw CtestImportError(origin + " was killed by signal " + std::to_string(run.exit.signal) +
                             quote(run.output));
    case Kind::exited:
      if (run.exit.exit_code != 0) {
        throw CtestImportError(origin + " failed with exit code " +
                               std::to_string(run.exit.exit_code) + quote(run.output));
      }
      break;
  }
  if (run.dropped_bytes > 0) {
    throw CtestImportError(origin + " printed more than " + std::to_string(kMaxListingBytes) +
                           " bytes");
  }
  CtestImport result = parse_ctest_json(run.output, origin);
  const auto configurations = cmake_cache_entry(build_dir, "CMAKE_CONFIGURATION_TYPES");
  if (configuration.empty() && configurations && !configurations->empty()) {
    result.warnings.push_back("'" + build_dir.string() +
                              "' is a multi-config build tree and no configuration was given: "
                              "ctest lists only tests that need none (configurations: " +
                              *configurations + ")");
  }
  return result;
}

}  // namespace fanout::launcher
