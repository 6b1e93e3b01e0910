// The CMake side: add_distributed_tests() / add_distributed_fixture() in throwaway projects
// configured by the real cmake, checked through the manifest files they write.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/run_command.hpp"

namespace fanout::e2e {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kModuleDir = std::string(FANOUT_SOURCE_DIR) + "/cmake/Modules";

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json::value read_json(const fs::path& path) {
  EXPECT_TRUE(fs::exists(path)) << path;
  return json::parse(read_file(path));
}

/// 1-based line of the first line of `text` that contains `needle`; 0 if none.
int line_of(const std::string& text, const std::string& needle) {
  std::istringstream lines(text);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (line.find(needle) != std::string::npos) return number;
  }
  return 0;
}

/// A throwaway CMake project: source tree `src/`, build tree `build/`.
class CMakeProject {
 public:
  CMakeProject() {
    std::string pattern = (fs::temp_directory_path() / "fanout-cmake-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
  }
  ~CMakeProject() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  CMakeProject(const CMakeProject&) = delete;
  CMakeProject& operator=(const CMakeProject&) = delete;

  fs::path source() const { return root_ / "src"; }
  fs::path build() const { return root_ / "build"; }
  fs::path fanout_dir() const { return build() / ".fanout"; }

  void write(const std::string& relative, const std::string& text) const {
    write_file(source() / relative, text);
  }
  CommandResult configure() const {
    return run_command({FANOUT_CMAKE_COMMAND, "-S", source().string(), "-B", build().string(), "-G",
                        "Ninja", "-Wno-dev"});
  }

 private:
  fs::path root_;
};

/// The head of a project that needs no compiler: the tested binaries are imported executables.
std::string no_compiler_project() {
  return "cmake_minimum_required(VERSION 3.20)\n"
         "project(probe NONE)\n"
         "list(APPEND CMAKE_MODULE_PATH \"" +
         kModuleDir +
         "\")\n"
         "include(FanoutTests)\n"
         "add_executable(probe IMPORTED)\n"
         "set_target_properties(probe PROPERTIES IMPORTED_LOCATION /bin/true)\n"
         "add_library(helper INTERFACE)\n";
}

std::string str(const json::value& value) {
  return std::string(value.as_string());
}

std::vector<std::string> strings(const json::value& array) {
  std::vector<std::string> result;
  for (const auto& value : array.as_array()) result.emplace_back(value.as_string());
  return result;
}

TEST(CMakeModule, WritesManifestThatDescribesTheBuiltTargets) {
  CMakeProject project;
  const std::string top =
      "cmake_minimum_required(VERSION 3.20)\n"
      "project(probe CXX)\n"
      "list(APPEND CMAKE_MODULE_PATH \"" +
      kModuleDir +
      "\")\n"
      "include(FanoutTests)\n"
      "enable_testing()\n"
      "add_executable(probe main.cpp)\n"
      "add_distributed_fixture(scratch\n"
      "  SETUP ${CMAKE_COMMAND} -E make_directory scratch\n"
      "  CLEANUP ${CMAKE_COMMAND} -E rm -rf scratch TIMEOUT 030.50)\n"
      "add_distributed_tests(probe FRAMEWORK exe TIMEOUT 2.50 LABELS smoke \"two words\"\n"
      "  WORKING_DIRECTORY work ENVIRONMENT \"GREETING=hello world\" EMPTY=\n"
      "  EXTRA_ARGS --name \"say \\\"hi\\\" c:\\\\dir\" GROUP g RESOURCE_LOCK port db\n"
      "  RUN_SERIAL PROCESSORS 2 FIXTURES_REQUIRED scratch ISOLATE SKIP_RETURN_CODE 77\n"
      "  DATA data/input.txt /abs/elsewhere)\n"
      "file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/work)\n"
      "add_subdirectory(sub)\n";
  project.write("CMakeLists.txt", top);
  project.write("main.cpp", "int main() { return 0; }\n");
  project.write("sub/CMakeLists.txt",
                "add_executable(plain ../main.cpp)\nadd_distributed_tests(plain)\n");

  const CommandResult configured = project.configure();
  ASSERT_EQ(configured.exit_code, 0) << configured.output;

  const json::value index = read_json(project.fanout_dir() / "manifest.json");
  EXPECT_EQ(index.at("version"), 1);
  EXPECT_THAT(strings(index.at("targets")), ::testing::ElementsAre("probe", "plain"));
  EXPECT_THAT(strings(index.at("fixtures")), ::testing::ElementsAre("scratch"));

  const json::value probe = read_json(project.fanout_dir() / "targets" / "probe.json");
  const fs::path build = project.build();
  EXPECT_EQ(str(probe.at("name")), "probe");
  EXPECT_EQ(str(probe.at("executable")), (build / "probe").string());
  EXPECT_EQ(str(probe.at("framework")), "exe");
  EXPECT_EQ(probe.at("timeout"), 2.5);
  EXPECT_THAT(strings(probe.at("labels")), ::testing::ElementsAre("smoke", "two words"));
  EXPECT_EQ(str(probe.at("working_directory")), (build / "work").string());
  EXPECT_THAT(strings(probe.at("environment")),
              ::testing::ElementsAre("GREETING=hello world", "EMPTY="));
  EXPECT_THAT(strings(probe.at("extra_args")),
              ::testing::ElementsAre("--name", "say \"hi\" c:\\dir"));
  EXPECT_EQ(str(probe.at("group")), "g");
  EXPECT_THAT(strings(probe.at("resource_locks")), ::testing::ElementsAre("port", "db"));
  EXPECT_EQ(probe.at("run_serial"), true);
  EXPECT_EQ(probe.at("processors"), 2);
  EXPECT_THAT(strings(probe.at("fixtures_required")), ::testing::ElementsAre("scratch"));
  EXPECT_EQ(probe.at("isolate"), true);
  EXPECT_EQ(probe.at("skip_return_code"), 77);
  EXPECT_THAT(
      strings(probe.at("data")),
      ::testing::ElementsAre((project.source() / "data/input.txt").string(), "/abs/elsewhere"));
  EXPECT_EQ(str(probe.at("source_file")), (project.source() / "CMakeLists.txt").string());
  EXPECT_EQ(probe.at("source_line"), line_of(top, "add_distributed_tests(probe"));

  const json::value plain = read_json(project.fanout_dir() / "targets" / "plain.json");
  EXPECT_EQ(str(plain.at("executable")), (build / "sub" / "plain").string());
  EXPECT_EQ(str(plain.at("framework")), "auto");
  EXPECT_EQ(plain.at("timeout"), 0);
  EXPECT_EQ(str(plain.at("working_directory")), (build / "sub").string());
  EXPECT_TRUE(plain.at("labels").as_array().empty());
  EXPECT_EQ(plain.at("run_serial"), false);
  EXPECT_EQ(plain.at("processors"), 1);
  EXPECT_TRUE(plain.at("skip_return_code").is_null());
  EXPECT_EQ(str(plain.at("group")), "");
  EXPECT_EQ(str(plain.at("source_file")), (project.source() / "sub" / "CMakeLists.txt").string());
  EXPECT_EQ(plain.at("source_line"), 2);

  const json::value scratch = read_json(project.fanout_dir() / "fixtures" / "scratch.json");
  EXPECT_EQ(str(scratch.at("name")), "scratch");
  EXPECT_THAT(strings(scratch.at("setup")),
              ::testing::ElementsAre(FANOUT_CMAKE_COMMAND, "-E", "make_directory", "scratch"));
  EXPECT_THAT(strings(scratch.at("cleanup")),
              ::testing::ElementsAre(FANOUT_CMAKE_COMMAND, "-E", "rm", "-rf", "scratch"));
  EXPECT_EQ(str(scratch.at("working_directory")), build.string());
  EXPECT_EQ(scratch.at("timeout"), 30.5);
  EXPECT_EQ(scratch.at("source_line"), line_of(top, "add_distributed_fixture(scratch"));

  // The manifest points at the binaries the build produces, and plain ctest runs them all.
  const CommandResult built = run_command({FANOUT_CMAKE_COMMAND, "--build", build.string()});
  ASSERT_EQ(built.exit_code, 0) << built.output;
  EXPECT_TRUE(fs::is_regular_file(str(probe.at("executable"))));
  EXPECT_TRUE(fs::is_regular_file(str(plain.at("executable"))));
  const CommandResult tested = run_command({FANOUT_CTEST_COMMAND, "--output-on-failure"}, build);
  EXPECT_EQ(tested.exit_code, 0) << tested.output;
  EXPECT_THAT(tested.output,
              AllOf(HasSubstr("scratch_setup"), HasSubstr("scratch_cleanup"), HasSubstr("probe"),
                    HasSubstr("plain"), HasSubstr("100% tests passed")));
}

TEST(CMakeModule, CTestTestCarriesTheRegisteredProperties) {
  CMakeProject project;
  project.write("CMakeLists.txt",
                no_compiler_project() +
                    "enable_testing()\n"
                    "add_distributed_tests(probe TIMEOUT 7 LABELS a b ENVIRONMENT X=1 "
                    "RESOURCE_LOCK lock RUN_SERIAL PROCESSORS 3 SKIP_RETURN_CODE 4 "
                    "EXTRA_ARGS --verbose)\n");
  const CommandResult configured = project.configure();
  ASSERT_EQ(configured.exit_code, 0) << configured.output;
  const CommandResult shown =
      run_command({FANOUT_CTEST_COMMAND, "--show-only=json-v1"}, project.build());
  ASSERT_EQ(shown.exit_code, 0) << shown.output;

  const json::value tests = json::parse(shown.output).at("tests");
  ASSERT_EQ(tests.as_array().size(), 1u);
  const json::value& test = tests.at(0);
  EXPECT_EQ(str(test.at("name")), "probe");
  EXPECT_THAT(strings(test.at("command")), ::testing::ElementsAre("/bin/true", "--verbose"));
  json::object properties;
  for (const auto& property : test.at("properties").as_array()) {
    properties[property.at("name").as_string()] = property.at("value");
  }
  EXPECT_EQ(properties["TIMEOUT"].to_number<double>(), 7);
  EXPECT_THAT(strings(properties["LABELS"]), ::testing::ElementsAre("a", "b"));
  EXPECT_THAT(strings(properties["ENVIRONMENT"]), ::testing::ElementsAre("X=1"));
  EXPECT_THAT(strings(properties["RESOURCE_LOCK"]), ::testing::ElementsAre("lock"));
  EXPECT_EQ(properties["RUN_SERIAL"], true);
  EXPECT_EQ(properties["PROCESSORS"], 3);
  EXPECT_EQ(properties["SKIP_RETURN_CODE"], 4);
}

TEST(CMakeModule, FixtureTimeoutBecomesTheTimeoutOfItsCTestTests) {
  CMakeProject project;
  project.write("CMakeLists.txt",
                no_compiler_project() +
                    "enable_testing()\n"
                    "add_distributed_fixture(db SETUP /bin/true CLEANUP /bin/true "
                    "TIMEOUT 12)\n"
                    "add_distributed_fixture(plain SETUP /bin/true)\n");
  const CommandResult configured = project.configure();
  ASSERT_EQ(configured.exit_code, 0) << configured.output;
  const CommandResult shown =
      run_command({FANOUT_CTEST_COMMAND, "--show-only=json-v1"}, project.build());
  ASSERT_EQ(shown.exit_code, 0) << shown.output;

  std::map<std::string, json::value> timeouts;  // test name -> its TIMEOUT property, if any
  const json::value shown_tests = json::parse(shown.output).at("tests");
  for (const auto& test : shown_tests.as_array()) {
    json::value timeout;
    for (const auto& property : test.at("properties").as_array()) {
      if (property.at("name") == "TIMEOUT") timeout = property.at("value");
    }
    timeouts[str(test.at("name"))] = timeout;
  }
  ASSERT_EQ(timeouts.size(), 3u) << shown.output;
  EXPECT_EQ(timeouts["db_setup"].to_number<double>(), 12) << shown.output;
  EXPECT_EQ(timeouts["db_cleanup"].to_number<double>(), 12) << shown.output;
  EXPECT_TRUE(timeouts["plain_setup"].is_null()) << "no TIMEOUT: ctest's default applies\n"
                                                 << shown.output;
  EXPECT_EQ(read_json(project.fanout_dir() / "fixtures" / "plain.json").at("timeout"), 0);
}

TEST(CMakeModule, IndexListsOnlyTheCurrentRegistrations) {
  CMakeProject project;
  const std::string both = no_compiler_project() +
                           "add_executable(second IMPORTED)\n"
                           "set_target_properties(second PROPERTIES IMPORTED_LOCATION /bin/false)\n"
                           "add_distributed_tests(probe)\n";
  project.write("CMakeLists.txt", both + "add_distributed_tests(second)\n");
  ASSERT_EQ(project.configure().exit_code, 0);
  EXPECT_THAT(strings(read_json(project.fanout_dir() / "manifest.json").at("targets")),
              ::testing::ElementsAre("probe", "second"));
  EXPECT_EQ(str(read_json(project.fanout_dir() / "targets" / "second.json").at("executable")),
            "/bin/false");

  project.write("CMakeLists.txt", both);
  const CommandResult reconfigured = project.configure();
  ASSERT_EQ(reconfigured.exit_code, 0) << reconfigured.output;
  EXPECT_THAT(strings(read_json(project.fanout_dir() / "manifest.json").at("targets")),
              ::testing::ElementsAre("probe"));
  EXPECT_FALSE(fs::exists(project.fanout_dir() / "targets" / "second.json"));
}

TEST(CMakeModule, WorksWhenIncludedOnlyBySubproject) {
  // As with FetchContent/add_subdirectory: the top level never includes the module itself.
  CMakeProject project;
  project.write("CMakeLists.txt",
                "cmake_minimum_required(VERSION 3.20)\n"
                "project(outer NONE)\n"
                "add_subdirectory(inner)\n"
                "add_subdirectory(sibling)\n");
  project.write("inner/CMakeLists.txt", no_compiler_project() + "add_distributed_tests(probe)\n");
  project.write("sibling/CMakeLists.txt",
                "add_executable(other IMPORTED)\n"
                "set_target_properties(other PROPERTIES IMPORTED_LOCATION /bin/true)\n"
                "add_distributed_tests(other FRAMEWORK doctest)\n");
  const CommandResult configured = project.configure();
  ASSERT_EQ(configured.exit_code, 0) << configured.output;
  EXPECT_THAT(strings(read_json(project.fanout_dir() / "manifest.json").at("targets")),
              ::testing::ElementsAre("probe", "other"));
  const json::value other = read_json(project.fanout_dir() / "targets" / "other.json");
  EXPECT_EQ(str(other.at("framework")), "doctest");
  EXPECT_EQ(str(other.at("working_directory")), (project.build() / "sibling").string());
}

struct BadCall {
  std::string call;      ///< the registration that configure must refuse
  std::string expected;  ///< what the error must mention
};

void PrintTo(const BadCall& bad, std::ostream* out) {
  *out << bad.call;
}

/// `text` with every run of whitespace made one space (CMake wraps long messages).
std::string collapse_whitespace(const std::string& text) {
  std::string result;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space) {
      result += c;
    } else if (result.empty() || result.back() != ' ') {
      result += ' ';
    }
  }
  return result;
}

class CMakeModuleRefuses : public ::testing::TestWithParam<BadCall> {};

TEST_P(CMakeModuleRefuses, WithAMessageNamingTheArgument) {
  CMakeProject project;
  project.write("CMakeLists.txt", no_compiler_project() + GetParam().call + "\n");
  const CommandResult configured = project.configure();
  EXPECT_NE(configured.exit_code, 0) << configured.output;
  EXPECT_THAT(collapse_whitespace(configured.output),
              AllOf(HasSubstr("CMake Error"), HasSubstr(GetParam().expected)));
  EXPECT_FALSE(fs::exists(project.fanout_dir() / "manifest.json"));
}

INSTANTIATE_TEST_SUITE_P(
    BadArguments, CMakeModuleRefuses,
    ::testing::Values(
        BadCall{"add_distributed_tests(probe TIMOUT 5)", "unknown arguments: TIMOUT 5"},
        BadCall{"add_distributed_tests(probe FRAMEWORK junit)", "unknown FRAMEWORK 'junit'"},
        BadCall{"add_distributed_tests(probe TIMEOUT soon)", "TIMEOUT must be"},
        BadCall{"add_distributed_tests(probe TIMEOUT -3)", "TIMEOUT must be"},
        BadCall{"add_distributed_tests(probe TIMEOUT)", "TIMEOUT needs a value"},
        BadCall{"add_distributed_tests(probe PROCESSORS two)", "PROCESSORS must be"},
        BadCall{"add_distributed_tests(probe PROCESSORS 0)", "PROCESSORS must be"},
        BadCall{"add_distributed_tests(probe SKIP_RETURN_CODE x)", "SKIP_RETURN_CODE must be"},
        BadCall{"add_distributed_tests(probe SKIP_RETURN_CODE 256)", "SKIP_RETURN_CODE must be"},
        BadCall{"add_distributed_tests(probe ENVIRONMENT A=1 NOVALUE)",
                "ENVIRONMENT entry 'NOVALUE'"},
        BadCall{"add_distributed_tests(missing)", "no target named 'missing'"},
        BadCall{"add_distributed_tests(helper)",
                "'helper' is a INTERFACE_LIBRARY, not an executable"},
        BadCall{"add_distributed_tests(probe)\nadd_distributed_tests(probe)", "already registered"},
        BadCall{"add_distributed_fixture(db CLEANUP stop)", "SETUP <command> is required"},
        BadCall{"add_distributed_fixture(db SETUP start WORKING_DIRECTORY)",
                "WORKING_DIRECTORY needs a value"},
        BadCall{"add_distributed_fixture(db SETUP start TIMEOUT)", "TIMEOUT needs a value"},
        BadCall{"add_distributed_fixture(db SETUP start TIMEOUT 1m)", "TIMEOUT must be"}));

TEST(CMakeModule, WarnsAboutARequiredFixtureNobodyDefines) {
  CMakeProject project;
  project.write("CMakeLists.txt",
                no_compiler_project() + "add_distributed_tests(probe FIXTURES_REQUIRED ghost)\n");
  const CommandResult configured =
      run_command({FANOUT_CMAKE_COMMAND, "-S", project.source().string(), "-B",
                   project.build().string(), "-G", "Ninja"});
  ASSERT_EQ(configured.exit_code, 0) << configured.output;
  EXPECT_THAT(collapse_whitespace(configured.output),
              AllOf(HasSubstr("names 'ghost', which no add_distributed_fixture() defines")));
  EXPECT_THAT(configured.output, Not(HasSubstr("CMake Error")));
}

}  // namespace
}  // namespace fanout::e2e
