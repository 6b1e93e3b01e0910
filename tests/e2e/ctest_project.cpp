#include "tests/e2e/ctest_project.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <fstream>
#include <iterator>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace fanout::e2e {
namespace {

namespace fs = std::filesystem;
namespace pt = boost::property_tree;

constexpr std::chrono::seconds kBuildTimeout{300};
constexpr std::chrono::seconds kRunTimeout{120};

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string unique_token() {
  std::random_device device;
  return std::to_string(::getpid()) + "-" + std::to_string(device()) + std::to_string(device());
}

/// The tests ctest's closing summary lists under "The following tests FAILED:" (this includes
/// tests ctest could not run, which its JUnit calls "notrun").
std::vector<std::string> failed_in_summary(const std::string& output) {
  std::vector<std::string> failed;
  const auto start = output.find("The following tests FAILED:");
  if (start == std::string::npos) return failed;
  static const std::regex entry(R"(^\s+\d+ - (.+) \([^()]*\)$)");
  std::istringstream lines(output.substr(start));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::smatch match;
    if (!std::regex_match(line, match, entry)) break;
    failed.push_back(match[1]);
  }
  return failed;
}

/// ctest's JUnit: one <testsuite> whose <testcase status="run|fail|notrun|disabled">.
Verdicts read_ctest_junit(const std::string& xml) {
  pt::ptree tree;
  std::istringstream stream(xml);
  pt::read_xml(stream, tree);
  Verdicts verdicts;
  for (const auto& [key, test] : tree.get_child("testsuite")) {
    if (key != "testcase") continue;
    const std::string name = test.get<std::string>("<xmlattr>.name");
    const std::string status = test.get<std::string>("<xmlattr>.status", "");
    verdicts[name] = status == "run"    ? Verdict::pass
                     : status == "fail" ? Verdict::fail
                                        : Verdict::skip;
  }
  return verdicts;
}

}  // namespace

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return "pass";
    case Verdict::fail:
      return "fail";
    case Verdict::skip:
      return "skip";
  }
  return "?";
}

boost::json::value json_in(const std::string& output) {
  for (std::size_t start = 0; start < output.size(); ++start) {
    if (output[start] != '{' || (start > 0 && output[start - 1] != '\n')) continue;
    boost::json::parser parser;
    boost::json::error_code ec;
    parser.write_some(output.data() + start, output.size() - start, ec);
    if (!ec) return parser.release();
  }
  throw std::runtime_error("no JSON object in the output:\n" + output);
}

std::string describe(const Verdicts& verdicts) {
  std::string text;
  for (const auto& [name, verdict] : verdicts) {
    text += (text.empty() ? "" : ", ") + name + "=" + to_string(verdict);
  }
  return text;
}

std::optional<Verdict> FanoutTreeRun::verdict(const std::string& test) const {
  if (!junit) return std::nullopt;
  const auto cases = junit->in_suite(test);
  if (cases.empty()) return std::nullopt;
  bool all_skipped = true;
  for (const JunitCase* c : cases) {
    if (c->status == "failure" || c->status == "error") return Verdict::fail;
    all_skipped = all_skipped && c->status == "skipped";
  }
  return all_skipped ? Verdict::skip : Verdict::pass;
}

std::vector<std::string> FanoutTreeRun::tests() const {
  std::vector<std::string> names;
  if (!junit) return names;
  for (const auto& suite : junit->suites) {
    if (!junit->in_suite(suite).empty()) names.push_back(suite);
  }
  return names;
}

std::string FanoutTreeRun::diagnostics() const {
  return "exit code " + std::to_string(command.exit_code) + ", signal " +
         std::to_string(command.signal) + ", " + std::to_string(command.seconds) +
         " s\n--- output ---\n" + command.output + "\n--- junit error ---\n" + junit_error + "\n";
}

CtestProject::CtestProject(const std::string& name, const std::vector<std::string>& cmake_args) {
  std::string pattern = (fs::temp_directory_path() / "fanout-ctest-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp " + pattern);
  root_ = pattern;
  build_ = root_ / "build";
  const fs::path source = fs::path(FANOUT_SOURCE_DIR) / "tests" / "e2e" / "projects" / name;
  std::vector<std::string> configure{
      FANOUT_CMAKE_COMMAND,  "-S",      source.string(), "-B", build_.string(), "-G", "Ninja",
      "-DCMAKE_BUILD_TYPE=", "-Wno-dev"};
  configure.insert(configure.end(), cmake_args.begin(), cmake_args.end());
  const CommandResult configured = run_command(configure, {}, kBuildTimeout);
  log_ = configured.output;
  if (configured.exit_code != 0) return;
  const CommandResult built =
      run_command({FANOUT_CMAKE_COMMAND, "--build", build_.string(), "-j", "2"}, {}, kBuildTimeout);
  log_ += built.output;
  ok_ = built.exit_code == 0;
}

CtestProject::~CtestProject() {
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

CtestRun CtestProject::run_ctest(const std::vector<std::string>& args,
                                 const std::vector<std::string>& environment) const {
  const fs::path report = root_ / "ctest.xml";
  std::error_code ignored;
  fs::remove(report, ignored);
  std::vector<std::string> argv{FANOUT_CTEST_COMMAND, "--test-dir", build_.string(),
                                "--output-junit", report.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  CtestRun run;
  run.command = run_command(argv, build_, kRunTimeout, environment);
  try {
    run.verdicts = read_ctest_junit(read_all(report));
  } catch (const std::exception& e) {
    run.junit_error = std::string("ctest's JUnit at ") + report.string() + ": " + e.what();
  }
  for (const auto& name : failed_in_summary(run.command.output)) run.verdicts[name] = Verdict::fail;
  return run;
}

FanoutTreeRun CtestProject::run_fanout(const std::vector<std::string>& args,
                                       const std::vector<std::string>& environment) const {
  const fs::path report = root_ / "fanout.xml";
  std::error_code ignored;
  fs::remove(report, ignored);
  std::vector<std::string> argv{FANOUT_BINARY, "--test-dir", build_.string(), "--junit",
                                report.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string token = "FANOUT_E2E_TOKEN=" + unique_token();
  std::vector<std::string> extra_env = environment;
  extra_env.push_back(token);
  FanoutTreeRun run;
  run.command = run_command(argv, build_, kRunTimeout, extra_env);
  run.leftovers = reap_leftovers(token);
  if (!fs::exists(report)) {
    run.junit_error = "no JUnit file at " + report.string();
    return run;
  }
  try {
    run.junit = parse_junit(read_all(report));
  } catch (const std::exception& e) {
    run.junit_error = e.what();
  }
  return run;
}

}  // namespace fanout::e2e
