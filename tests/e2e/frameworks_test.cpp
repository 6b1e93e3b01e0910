// Every framework through the real fanout with FRAMEWORK auto: the Catch2, doctest and Boost.Test
// fixture binaries are recognised, split into one item per test case (names that need escaping
// included), and each item is reported once with its own outcome; a plain program is one item
// judged by its exit code.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "tests/e2e/ctest_project.hpp"
#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kFixtureSources = fs::path(FANOUT_SOURCE_DIR) / "tests" / "fixtures" / "frameworks";

TargetSpec auto_target(const std::string& binary) {
  TargetSpec spec = fixture_target(binary);
  spec.framework = "auto";
  return spec;
}

/// A target `name` running the plain_exit fixture with `args` (its exit code first).
TargetSpec plain_target(const std::string& name) {
  TargetSpec spec = auto_target("plain_exit");
  spec.name = name;
  return spec;
}

/// Sets the command-line arguments and the skip return code of target `name` in `dir`, which
/// TargetSpec does not carry.
void set_arguments(const ManifestDir& dir, const std::string& name,
                   const std::vector<std::string>& args, std::optional<int> skip_return_code = {}) {
  const fs::path relative = fs::path(".fanout") / "targets" / (name + ".json");
  std::ifstream in(dir.path() / relative);
  json::value target = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  json::array extra_args;
  for (const auto& arg : args) extra_args.emplace_back(arg);
  target.as_object()["extra_args"] = std::move(extra_args);
  if (skip_return_code) target.as_object()["skip_return_code"] = *skip_return_code;
  dir.write_file(relative, json::serialize(target));
}

/// 1-based number of the first line of fixture source `file` holding `needle`; 0 if none.
int source_line(const std::string& file, const std::string& needle) {
  std::ifstream in(kFixtureSources / file);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.find(needle) != std::string::npos) return number;
  }
  return 0;
}

/// The JUnit case of the item of `target` whose report names are `classname` (empty: the
/// target's name, used for items without a suite) and `name`.
const JunitCase* find_case(const FanoutRun& run, const std::string& target,
                           const std::string& classname, const std::string& name) {
  if (!run.junit) return nullptr;
  const std::string wanted = classname.empty() ? target : classname;
  for (const JunitCase* c : run.junit->in_suite(target)) {
    if (c->classname == wanted && c->name == name) return c;
  }
  return nullptr;
}

/// How many lines of the terminal report give the outcome of `item_id` ("PASSED  <id> (...").
int outcome_lines(const std::string& output, const std::string& item_id) {
  int count = 0;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] < 'A' || line[0] > 'Z') continue;
    const auto space = line.find(' ');
    const auto id = line.find_first_not_of(' ', space);
    if (space != std::string::npos && id != std::string::npos &&
        line.compare(id, item_id.size() + 2, item_id + " (") == 0) {
      ++count;
    }
  }
  return count;
}

/// What one item must look like in the report.
struct Expected {
  std::string name;       ///< the JUnit name (the case)
  std::string status;     ///< JUnit status: passed, failure, error, skipped; "failed" for either
                          ///< failure or error
  std::string type;       ///< of <failure>/<error>; empty: not checked
  std::string text;       ///< found in the message, details or output; empty: not checked
  std::string classname;  ///< empty: the target's name
  std::string item_name;  ///< the item's name in its id when it differs from `name`
};

/// Checks every expected item of `target`: its status and message in the JUnit, one outcome
/// line each in the terminal, and no other item in its <testsuite>.
void expect_items(const FanoutRun& run, const std::string& target,
                  const std::vector<Expected>& expected) {
  ASSERT_TRUE(run.junit) << run.diagnostics();
  for (const auto& e : expected) {
    SCOPED_TRACE(target + "/" + e.name);
    const JunitCase* c = find_case(run, target, e.classname, e.name);
    ASSERT_NE(c, nullptr) << "no JUnit case; cases: " << item_ids(run) << "\n" << run.diagnostics();
    if (e.status == "failed") {
      EXPECT_TRUE(c->status == "failure" || c->status == "error") << c->status;
    } else {
      EXPECT_EQ(c->status, e.status) << c->message << "\n" << run.diagnostics();
    }
    if (!e.type.empty()) {
      EXPECT_EQ(c->type, e.type) << c->message;
    }
    if (!e.text.empty()) {
      EXPECT_NE((c->message + c->details + c->system_out).find(e.text), std::string::npos)
          << "message: " << c->message << "\ndetails: " << c->details;
    }
    const std::string id = target + "/" + (e.item_name.empty() ? e.name : e.item_name);
    EXPECT_EQ(outcome_lines(run.command.output, id), 1) << run.command.output;
  }
  EXPECT_EQ(run.junit->in_suite(target).size(), expected.size()) << item_ids(run);
}

std::vector<Expected> passing(const std::vector<std::string>& names) {
  std::vector<Expected> result;
  for (const auto& name : names) result.push_back({name, "passed"});
  return result;
}

std::vector<Expected> operator+(std::vector<Expected> a, const std::vector<Expected>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(Frameworks, ListJsonNamesEachFrameworkAndWhereEachItemIsDefined) {
  const ManifestDir dir({auto_target("catch2_cases"), auto_target("doctest_cases"),
                         auto_target("boost_test_cases"), auto_target("boost_test_static"),
                         plain_target("plain")});
  set_arguments(dir, "plain", {"0"});
  const FanoutRun run = run_fanout(dir, {"--list", "--format", "json"});
  ASSERT_EQ(run.command.exit_code, 0) << run.diagnostics();
  const json::value listing = json_in(run.command.output);

  std::map<std::string, std::string> frameworks;
  for (const auto& t : listing.at("targets").as_array()) {
    EXPECT_TRUE(t.at("error").is_null()) << json::serialize(t);
    frameworks[std::string(t.at("name").as_string())] = t.at("framework").as_string();
  }
  EXPECT_EQ(frameworks, (std::map<std::string, std::string>{{"catch2_cases", "catch2"},
                                                            {"doctest_cases", "doctest"},
                                                            {"boost_test_cases", "boost_test"},
                                                            {"boost_test_static", "boost_test"},
                                                            {"plain", "exe"}}));

  std::map<std::string, json::object> items;
  for (const auto& i : listing.at("items").as_array()) {
    const std::string id(i.at("id").as_string());
    EXPECT_TRUE(items.emplace(id, i.as_object()).second) << "listed twice: " << id;
  }
  struct Where {
    std::string id, framework, suite, source, needle;
  };
  const std::vector<Where> expected = {
      {"catch2_cases/with, comma", "catch2", "", "catch2_cases.cpp", "TEST_CASE(\"with, comma\")"},
      {"catch2_cases/brackets [x]", "catch2", "", "catch2_cases.cpp", "\"brackets [x]\""},
      {"catch2_cases/star * name", "catch2", "", "catch2_cases.cpp", "\"star * name\""},
      {"catch2_cases/quote \" name", "catch2", "", "catch2_cases.cpp", "\"quote \\\" name\""},
      {"catch2_cases/back\\slash", "catch2", "", "catch2_cases.cpp", "\"back\\\\slash\""},
      {"catch2_cases/-leading dash", "catch2", "", "catch2_cases.cpp", "\"-leading dash\""},
      {"catch2_cases/xml <&> chars", "catch2", "", "catch2_cases.cpp", "\"xml <&> chars\""},
      {"doctest_cases/question ? mark", "doctest", "", "doctest_cases.cpp", "\"question ? mark\""},
      {"doctest_cases/Upper Case", "doctest", "", "doctest_cases.cpp", "\"Upper Case\""},
      {"doctest_cases/upper case", "doctest", "", "doctest_cases.cpp", "\"upper case\""},
      {"doctest_cases/in a suite", "doctest", "fixture suite", "doctest_cases.cpp",
       "\"in a suite\""},
      {"boost_test_cases/prefix_and_more", "boost_test", "", "boost_test_cases.cpp",
       "(prefix_and_more)"},
      {"boost_test_cases/outer/inner/nested", "boost_test", "outer/inner", "boost_test_cases.cpp",
       "(nested)"},
      {"boost_test_static/passes", "boost_test", "", "boost_test_static.cpp", "(passes)"},
  };
  for (const auto& w : expected) {
    SCOPED_TRACE(w.id);
    const auto found = items.find(w.id);
    ASSERT_NE(found, items.end()) << run.command.output;
    const json::object& item = found->second;
    EXPECT_EQ(item.at("framework"), w.framework.c_str());
    EXPECT_EQ(item.at("suite"), w.suite.c_str());
    ASSERT_TRUE(item.at("file").is_string()) << json::serialize(item);
    EXPECT_EQ(fs::path(std::string(item.at("file").as_string())), kFixtureSources / w.source);
    const int line = source_line(w.source, w.needle);
    ASSERT_GT(line, 0) << "fixture source changed: " << w.needle;
    EXPECT_EQ(item.at("line"), line);
  }
  // Boost.Test's typed cases share the line of their template.
  EXPECT_TRUE(items.contains("boost_test_cases/typed<unsigned int>")) << run.command.output;
  EXPECT_TRUE(items.contains("boost_test_cases/typed<long>")) << run.command.output;

  // A plain program is one item named after its target.
  std::vector<std::string> plain_items;
  for (const auto& [id, item] : items) {
    if (item.at("target") == "plain") plain_items.push_back(id);
  }
  EXPECT_EQ(plain_items, std::vector<std::string>{"plain/plain"});
  std::size_t catch2_count = 0;
  for (const auto& [id, item] : items) catch2_count += item.at("target") == "catch2_cases";
  EXPECT_EQ(catch2_count, 19u) << "every visible Catch2 test case, once";
}

TEST(Frameworks, Catch2CasesAreSplitAndEachKeepsItsOutcome) {
  const ManifestDir dir({auto_target("catch2_cases")});
  const FanoutRun run = run_clean(dir, {"-E", "catch2_cases/(hangs|fails at exit)$"});
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  expect_items(run, "catch2_cases",
               passing({"passes", "with, comma", "brackets [x]", "star * name", "star x name",
                        "quote \" name", "back\\slash", "tilde ~ name", "-leading dash",
                        "#hash name", "xml <&> chars", "prefix", "prefix and more"}) +
                   std::vector<Expected>{
                       {"fails", "failure", "failed", "41 == 42"},
                       {"throws", "failure", "", "fixture exception"},
                       {"crashes", "error", "crashed", "SIGSEGV"},
                       {"exits early", "failed"},
                   });
  if (const JunitCase* fails = find_case(run, "catch2_cases", "", "fails")) {
    EXPECT_NE((fails->details + fails->system_out).find("fixture output before the failure"),
              std::string::npos)
        << run.diagnostics();
  }
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{13, 4, 0})) << run.diagnostics();
}

TEST(Frameworks, DoctestCasesAreSplitAndEachKeepsItsOutcome) {
  const ManifestDir dir({auto_target("doctest_cases")});
  const FanoutRun run = run_clean(dir, {"-E", "doctest_cases/(hangs|fails at exit)$"});
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  expect_items(run, "doctest_cases",
               passing({"passes", "with, comma", "star * name", "star x name", "question ? mark",
                        "back\\slash", "brackets [x]", "quote \" name", "prefix", "prefix and more",
                        "Upper Case", "upper case"}) +
                   std::vector<Expected>{
                       {"in a suite", "passed", "", "", "fixture suite"},
                       {"skipped", "skipped"},
                       {"fails", "failure", "failed", "41 == 42"},
                       {"throws", "failure", "", "fixture exception"},
                       {"crashes", "error", "crashed", "SIGSEGV"},
                       {"exits early", "failed"},
                   });
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{13, 4, 1})) << run.diagnostics();
}

TEST(Frameworks, BoostTestCasesAreSplitAndEachKeepsItsOutcome) {
  // One slot, so the crashing case shares its process with cases that ran before it, whose
  // results must survive the crash.
  const ManifestDir dir({auto_target("boost_test_cases"), auto_target("boost_test_static")});
  const FanoutRun run = run_clean(
      dir, {"-j", "1", "-E", "boost_test_cases/outer/(hangs|exits_early|fails_at_exit)$"});
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  expect_items(run, "boost_test_cases",
               passing({"passes", "prefix", "prefix_and_more", "labelled", "typed<unsigned int>",
                        "typed<long>"}) +
                   std::vector<Expected>{
                       // Boost.Test itself passes a case whose failures were all expected.
                       {"expected_failure", "passed"},
                       {"nested", "passed", "", "", "outer/inner", "outer/inner/nested"},
                       {"fails", "failure", "failed", "check answer == 42 has failed [41 != 42]"},
                       {"throws", "failure", "", "fixture exception"},
                       {"crashes", "error", "crashed", "SIGSEGV", "outer", "outer/crashes"},
                       {"disabled_case", "skipped"},
                       {"precondition_fails", "skipped", "", "precondition"},
                       {"in_disabled_suite", "skipped", "", "", "off", "off/in_disabled_suite"},
                   });
  expect_items(run, "boost_test_static", passing({"passes"}));
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{9, 3, 3})) << run.diagnostics();
}

TEST(Frameworks, PlainProgramIsOneItemJudgedByItsExitCode) {
  const ManifestDir dir({plain_target("plain_passes"), plain_target("plain_fails"),
                         plain_target("plain_skips"), plain_target("plain_crashes")});
  set_arguments(dir, "plain_passes", {"0", "plain says hello"});
  set_arguments(dir, "plain_fails", {"1", "plain failure output"});
  set_arguments(dir, "plain_skips", {"77", "plain skip output"}, 77);
  set_arguments(dir, "plain_crashes", {"segv"});
  const FanoutRun run = run_clean(dir, {});
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  expect_items(run, "plain_passes", {{"plain_passes", "passed"}});
  expect_items(run, "plain_fails", {{"plain_fails", "failure", "failed", "plain failure output"}});
  expect_items(run, "plain_fails", {{"plain_fails", "failure", "failed", "code 1"}});
  expect_items(run, "plain_skips", {{"plain_skips", "skipped", "", "77"}});
  expect_items(run, "plain_crashes", {{"plain_crashes", "error", "crashed", "SIGSEGV"}});
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{1, 2, 1})) << run.diagnostics();
}

TEST(Frameworks, Catch2NamesThatLookLikeTestSpecsRunExactlyOnce) {
  // The cases called "other ..." and "MIXED case" fail, and are left out of the run: the specs
  // of "exclude:me", "*lead star", "*" and "Mixed Case" still make Catch2 run some of them
  // beside their own case, which must change no reported result and not the exit code. Once
  // batched, once with a process per item.
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--isolate"}}) {
    SCOPED_TRACE(extra.empty() ? "batched" : "isolated");
    const ManifestDir dir({auto_target("catch2_spec_names")});
    std::vector<std::string> args = {"-E", "catch2_spec_names/(other .*|MIXED case)$"};
    args.insert(args.end(), extra.begin(), extra.end());
    const FanoutRun run = run_clean(dir, args);
    EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
    expect_items(run, "catch2_spec_names",
                 passing({"exclude:me", "~tilde first", "*lead star", "trail star*",
                          "* spaced star", "*", "Mixed Case", "[not a tag],\"and\" a\\, comma",
                          "ends in backslash\\", "exclude:[x]"}));
    EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{10, 0, 0})) << run.diagnostics();
  }
}

TEST(Frameworks, DoctestWildcardNamesRunExactlyOnce) {
  // "aXb" and "whyX" fail and are left out; the filters of "a*b" and "why?" still run them.
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--isolate"}}) {
    SCOPED_TRACE(extra.empty() ? "batched" : "isolated");
    const ManifestDir dir({auto_target("doctest_wildcards")});
    std::vector<std::string> args = {"-E", "doctest_wildcards/(aXb|whyX)$"};
    args.insert(args.end(), extra.begin(), extra.end());
    const FanoutRun run = run_clean(dir, args);
    EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
    expect_items(run, "doctest_wildcards",
                 passing({"a*b", "why?", "*", "comma, then\\, backslash", "ends in backslash\\"}) +
                     std::vector<Expected>{{"skipped x?", "skipped"}, {"skipped xX", "skipped"}});
    EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{5, 0, 2})) << run.diagnostics();
  }
}

/// A CMake project (no language) of plain tests, written to a fresh temporary directory that
/// is removed on destruction.
class GeneratedProject {
 public:
  explicit GeneratedProject(const std::string& body) {
    std::string pattern = (fs::temp_directory_path() / "fanout-regex-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp " + pattern);
    dir_ = pattern;
    std::ofstream(dir_ / "CMakeLists.txt")
        << "cmake_minimum_required(VERSION 3.25)\nproject(regexes NONE)\nenable_testing()\n"
        << body;
  }
  ~GeneratedProject() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

/// `text` as a CMake quoted argument: backslash, quote and newline escaped.
std::string cmake_quoted(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '\\' || c == '"') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + "\"";
}

TEST(Frameworks, CtestRegexesJudgeLikeCtestOnTheSameOutputs) {
  struct Row {
    std::string printf_format;  // what /usr/bin/printf prints
    std::string property;       // PASS, FAIL or SKIP
    std::string regex;
    Verdict expected;  // what ctest 3.25.1 said when these rows were written
  };
  const Row rows[] = {
      {R"(alpha\nbeta\n)", "PASS", "^alpha", Verdict::pass},
      {R"(alpha\nbeta\n)", "PASS", "^beta", Verdict::fail},
      {R"(alpha\nbeta\n)", "PASS", "beta$", Verdict::fail},
      {R"(alpha\nbeta\n)", "PASS", "alpha.beta", Verdict::pass},
      {R"(alpha\nbeta\n)", "PASS", "beta\n$", Verdict::pass},
      {R"(alpha\nbeta\n)", "PASS", R"(alpha\nbeta)", Verdict::fail},
      {R"(alpha\r\nbeta)", "PASS", "^alpha.beta\n$", Verdict::pass},
      {R"(x\0y\n)", "PASS", "^x.y\n$", Verdict::pass},
      {R"(ab\r)", "PASS", "b.\n$", Verdict::pass},
      {R"(alpha\nbeta\n)", "FAIL", "^beta", Verdict::pass},
      {R"(alpha\nbeta\n)", "FAIL", "beta\n$", Verdict::fail},
      {R"(alpha\nbeta\n)", "SKIP", "alpha.beta", Verdict::skip},
      {R"(alpha\nbeta\n)", "SKIP", "^beta", Verdict::pass},
  };
  std::string body;
  for (std::size_t i = 0; i < std::size(rows); ++i) {
    const std::string name = "regex_" + std::to_string(i);
    body += "add_test(NAME " + name + " COMMAND /usr/bin/printf " +
            cmake_quoted(rows[i].printf_format) + ")\n";
    body += "set_tests_properties(" + name + " PROPERTIES " + rows[i].property +
            "_REGULAR_EXPRESSION " + cmake_quoted(rows[i].regex) + ")\n";
  }
  const GeneratedProject source(body);
  // CtestProject takes a project under tests/e2e/projects; an absolute path replaces that.
  const CtestProject project(source.dir().string());
  ASSERT_TRUE(project.ok()) << project.log();
  const CtestRun ctest = project.run_ctest({});
  const FanoutTreeRun fanout = project.run_fanout({});
  for (std::size_t i = 0; i < std::size(rows); ++i) {
    const std::string name = "regex_" + std::to_string(i);
    SCOPED_TRACE(name + ": " + rows[i].property + " " + rows[i].regex);
    ASSERT_TRUE(ctest.verdicts.contains(name)) << ctest.command.output;
    EXPECT_EQ(to_string(ctest.verdicts.at(name)), std::string(to_string(rows[i].expected)));
    const std::optional<Verdict> verdict = fanout.verdict(name);
    ASSERT_TRUE(verdict) << fanout.diagnostics();
    EXPECT_EQ(to_string(*verdict), std::string(to_string(ctest.verdicts.at(name))))
        << fanout.diagnostics();
  }
}

}  // namespace
}  // namespace fanout::e2e
