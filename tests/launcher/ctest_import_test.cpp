#include "launcher/ctest_import.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "transport/temporary_directory.hpp"

namespace fanout::launcher {
namespace {

namespace fs = std::filesystem;
using collector::EnvVar;
using collector::Target;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// The golden files are real `ctest --show-only=json-v1` outputs of the projects described in
// tests/data/ctest/README.md (CMake 3.25).
std::string golden(const std::string& name) {
  std::ifstream in(fs::path(FANOUT_TEST_DATA_DIR) / "ctest" / name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const Target& target_named(const CtestImport& imported, const std::string& name) {
  const auto found = std::find_if(imported.targets.begin(), imported.targets.end(),
                                  [&](const Target& target) { return target.name == name; });
  if (found == imported.targets.end()) {
    ADD_FAILURE() << "no target " << name;
    static const Target none;
    return none;
  }
  return *found;
}

std::vector<std::string> names(const CtestImport& imported) {
  std::vector<std::string> result;
  for (const auto& target : imported.targets) result.push_back(target.name);
  return result;
}

/// The single warning line that mentions `needle`, or "" (a failure) when not exactly one does.
std::string warning_about(const CtestImport& imported, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& warning : imported.warnings) {
    if (warning.find(needle) != std::string::npos) found.push_back(warning);
  }
  EXPECT_EQ(found.size(), 1u) << needle << " in:\n" << ::testing::PrintToString(imported.warnings);
  return found.size() == 1 ? found.front() : std::string();
}

/// A json-v1 listing with the given test entries (JSON objects, comma-separated).
std::string listing(const std::string& tests) {
  return R"({"backtraceGraph": {"commands": [], "files": [], "nodes": []}, "kind": "ctestInfo",
             "tests": [)" +
         tests + R"(], "version": {"major": 1, "minor": 0}})";
}

/// One test entry running /bin/prog with the given properties (a JSON list).
std::string entry(const std::string& name, const std::string& properties = "[]",
                  const std::string& command = R"(["/bin/prog"])") {
  return R"({"name": ")" + name + R"(", "command": )" + command + R"(, "properties": )" +
         properties + "}";
}

constexpr const char* kPropsBuild = "/tmp/ctest-golden/props/build";

TEST(ParseCtestJson, ImportsEveryTestInCtestsOrder) {
  const auto imported = parse_ctest_json(golden("props.json"));
  EXPECT_THAT(names(imported), ElementsAre("plain", "with_flags", "with_positional", "all_props",
                                           "db_setup", "db_cleanup", "off", "unsupported",
                                           "not_built", "missing_path", "wrapped"));
  for (const auto& target : imported.targets) EXPECT_TRUE(target.from_ctest) << target.name;
}

TEST(ParseCtestJson, CommandBecomesExecutableAndArguments) {
  const auto imported = parse_ctest_json(golden("props.json"));
  const Target& plain = target_named(imported, "plain");
  EXPECT_EQ(plain.executable, fs::path(kPropsBuild) / "tool");
  EXPECT_THAT(plain.extra_args, IsEmpty());
  EXPECT_EQ(plain.working_directory, fs::path(kPropsBuild));
  const Target& wrapped = target_named(imported, "wrapped");
  EXPECT_EQ(wrapped.executable, "/usr/bin/cmake");
  EXPECT_THAT(wrapped.extra_args,
              ElementsAre("-E", "env", "FOO=1", std::string(kPropsBuild) + "/tool"));
}

TEST(ParseCtestJson, SourceLocationComesFromTheBacktrace) {
  const auto imported = parse_ctest_json(golden("props.json"));
  const Target& plain = target_named(imported, "plain");
  EXPECT_EQ(plain.source_file, "/tmp/ctest-golden/props/CMakeLists.txt");
  EXPECT_EQ(plain.source_line, 9);
  EXPECT_EQ(target_named(imported, "wrapped").source_line, 56);
}

TEST(ParseCtestJson, MapsEveryHonouredProperty) {
  const auto imported = parse_ctest_json(golden("props.json"));
  const Target& all = target_named(imported, "all_props");
  EXPECT_EQ(all.working_directory, "/tmp");
  EXPECT_THAT(all.extra_args, ElementsAre("--check"));
  EXPECT_THAT(all.environment,
              ElementsAre(EnvVar{"A", "1"}, EnvVar{"B", "two words"}, EnvVar{"C", ""}));
  EXPECT_DOUBLE_EQ(all.timeout_seconds, 12.5);
  EXPECT_THAT(all.labels, ElementsAre("fast", "unit"));
  EXPECT_TRUE(all.will_fail);
  EXPECT_EQ(all.skip_return_code, 77);
  EXPECT_THAT(all.pass_regex, ElementsAre("ok", "all good"));
  EXPECT_THAT(all.fail_regex, ElementsAre("FATAL"));
  EXPECT_THAT(all.skip_regex, ElementsAre("\\[ SKIP \\]"));
  EXPECT_TRUE(all.run_serial);
  EXPECT_THAT(all.resource_locks, ElementsAre("db", "net"));
  EXPECT_EQ(all.processors, 3);
  EXPECT_THAT(all.fixtures_required, ElementsAre("dbfix"));
  EXPECT_FALSE(all.disabled);

  EXPECT_THAT(target_named(imported, "db_setup").fixtures_setup, ElementsAre("dbfix"));
  EXPECT_THAT(target_named(imported, "db_cleanup").fixtures_cleanup, ElementsAre("dbfix"));
  EXPECT_TRUE(target_named(imported, "off").disabled);
}

TEST(ParseCtestJson, PropertiesNotSetKeepTheDefaults) {
  const auto imported = parse_ctest_json(golden("props.json"));
  const Target& plain = target_named(imported, "plain");
  EXPECT_EQ(plain.timeout_seconds, 0);
  EXPECT_FALSE(plain.will_fail);
  EXPECT_FALSE(plain.run_serial);
  EXPECT_EQ(plain.processors, 1);
  EXPECT_EQ(plain.skip_return_code, std::nullopt);
  EXPECT_THAT(plain.environment, IsEmpty());
  EXPECT_THAT(plain.labels, IsEmpty());
}

TEST(ParseCtestJson, WholeBinariesMaySplitOnlyWhenTheVerdictIsPerItem) {
  const auto imported = parse_ctest_json(golden("props.json"));
  EXPECT_EQ(target_named(imported, "plain").framework, "auto");
  EXPECT_EQ(target_named(imported, "unsupported").framework, "auto");
  // A positional argument, a wrapper, WILL_FAIL and regexes, fixture setup and cleanup,
  // DISABLED: CTest's verdict is about the whole process.
  for (const char* whole :
       {"with_positional", "wrapped", "all_props", "db_setup", "db_cleanup", "off"}) {
    EXPECT_EQ(target_named(imported, whole).framework, "exe") << whole;
  }
}

TEST(ParseCtestJson, EveryUnsupportedPropertyIsNamedWithItsTest) {
  const auto imported = parse_ctest_json(golden("props.json"));
  for (const char* property :
       {"COST", "TIMEOUT_AFTER_MATCH", "ATTACHED_FILES (", "ATTACHED_FILES_ON_FAIL", "MEASUREMENT",
        "RESOURCE_GROUPS", "PROCESSOR_AFFINITY"}) {
    EXPECT_THAT(warning_about(imported, property),
                AllOf(HasSubstr("ignored: "), HasSubstr("test: 'unsupported'")))
        << property;
  }
}

TEST(ParseCtestJson, ExplicitDependsAreKeptThoseCtestAddsForFixturesAreNot) {
  // CTest adds DEPENDS to all_props and db_cleanup for the fixture; the user added one to
  // `unsupported`.
  const auto imported = parse_ctest_json(golden("props.json"));
  EXPECT_THAT(target_named(imported, "unsupported").depends, ElementsAre("plain"));
  EXPECT_THAT(target_named(imported, "all_props").depends, IsEmpty());
  EXPECT_THAT(target_named(imported, "db_cleanup").depends, IsEmpty());
  EXPECT_THAT(imported.warnings, Not(Contains(HasSubstr("DEPENDS"))));
}

TEST(ParseCtestJson, DependsOnNoTestIsIgnoredAsCtestIgnoresIt) {
  const auto imported = parse_ctest_json(listing(
      entry("a") + "," +
      entry("b", R"([{"name": "DEPENDS", "value": ["nothing_of_that_name", "a", "a", "b"]}])")));
  EXPECT_THAT(target_named(imported, "b").depends, ElementsAre("a", "b"))
      << "kept once each; a test that depends on itself is a cycle the run refuses";
  EXPECT_THAT(imported.warnings, IsEmpty());
}

TEST(ParseCtestJson, DependsOfOrOnAFixtureTestIsIgnoredWithAWarning) {
  const auto imported = parse_ctest_json(
      listing(entry("plain") + "," + entry("setup", R"([{"name": "FIXTURES_SETUP", "value": ["db"]},
                         {"name": "DEPENDS", "value": ["plain"]}])") +
              "," + entry("user", R"([{"name": "DEPENDS", "value": ["setup", "plain"]}])")));
  EXPECT_THAT(warning_about(imported, "DEPENDS on 'plain'"),
              AllOf(HasSubstr("ignored: "), HasSubstr("fixture setup or cleanup test"),
                    HasSubstr("test: 'setup'")));
  EXPECT_THAT(warning_about(imported, "'setup' ("),
              AllOf(HasSubstr("ignored: DEPENDS on fixture setup or cleanup test"),
                    HasSubstr("FIXTURES_REQUIRED"), HasSubstr("test: 'user'")));
  EXPECT_THAT(target_named(imported, "user").depends, ElementsAre("plain"));
  EXPECT_THAT(target_named(imported, "setup").depends, IsEmpty());
}

TEST(ParseCtestJson, DependsBetweenSetupsOfOneFixtureInListingOrderIsHonoured) {
  // svc_setup_b DEPENDS on svc_setup_a, listed before it: Fanout runs a fixture's setups in
  // listing order, so nothing is ignored.
  const auto imported = parse_ctest_json(golden("fixtures.json"));
  EXPECT_THAT(imported.warnings, Not(Contains(HasSubstr("DEPENDS"))))
      << ::testing::PrintToString(imported.warnings);
  EXPECT_THAT(target_named(imported, "svc_setup_b").fixtures_setup, ElementsAre("svc"));
}

TEST(ParseCtestJson, TestsWithoutCommandStayAsErrorsWithAWarning) {
  const auto imported = parse_ctest_json(golden("props.json"));
  for (const char* name : {"not_built", "missing_path"}) {
    const Target& target = target_named(imported, name);
    EXPECT_TRUE(target.executable.empty()) << name;
    EXPECT_EQ(target.framework, "exe") << name;
    EXPECT_EQ(target.working_directory, fs::path(kPropsBuild)) << name;
  }
  EXPECT_THAT(warning_about(imported, "no command"),
              AllOf(HasSubstr("'not_built'"), HasSubstr("'missing_path'")));
}

TEST(ParseCtestJson, DiscoveredItemsRunAsTheyAreAndWholeBinariesMaySplit) {
  const auto imported = parse_ctest_json(golden("discover.json"));
  EXPECT_EQ(imported.targets.size(), 21u);
  const Target& add = target_named(imported, "Math.Add");
  EXPECT_EQ(add.framework, "exe");
  EXPECT_EQ(add.executable, "/tmp/ctest-golden/discover/build/gt");
  EXPECT_THAT(add.extra_args, ElementsAre("--gtest_filter=Math.Add",
                                          "--gtest_also_run_disabled_tests", "--gtest_color=no"));
  EXPECT_THAT(add.skip_regex, ElementsAre("\\[  SKIPPED \\]"));
  EXPECT_THAT(add.labels, ElementsAre("discovered"));
  EXPECT_TRUE(add.source_file.empty());  // discovered tests have no backtrace
  EXPECT_TRUE(target_named(imported, "Math.Later").disabled);

  for (const char* item : {"added.Math.Add", "added.*/Param.Positive/*", "catch.second",
                           "catch.adds, quickly [really]", "doctest.add works", "gt_filtered",
                           "gt_filter_split", "ct_tags", "dt_short_filter", "dt_suite"}) {
    EXPECT_EQ(target_named(imported, item).framework, "exe") << item;
  }
  for (const char* whole : {"gt_whole", "gt_whole_flags", "ct_whole", "dt_whole"}) {
    EXPECT_EQ(target_named(imported, whole).framework, "auto") << whole;
  }
  EXPECT_THAT(imported.warnings, IsEmpty());
}

TEST(ParseCtestJson, NotBuiltDiscoveryPlaceholdersAreKept) {
  const auto imported = parse_ctest_json(golden("notbuilt.json"));
  EXPECT_THAT(names(imported),
              ElementsAre("gt_NOT_BUILT", "gt_pre_NOT_BUILT", "ct_NOT_BUILT-b12d07c",
                          "dt_NOT_BUILT-b858cb2", "gt_whole"));
  for (const auto& target : imported.targets) EXPECT_TRUE(target.executable.empty());
  ASSERT_EQ(imported.warnings.size(), 1u);
  EXPECT_THAT(imported.warnings[0],
              AllOf(HasSubstr("no command"), HasSubstr("'gt_NOT_BUILT'"), HasSubstr("'gt_whole'")));
}

TEST(ParseCtestJson, ReadsMultiConfigAndEmptyListings) {
  const auto debug = parse_ctest_json(golden("multi_debug.json"));
  EXPECT_THAT(names(debug), ElementsAre("everywhere"));
  EXPECT_EQ(debug.targets[0].executable, "/tmp/ctest-golden/multi/build/Debug/tool");
  EXPECT_THAT(debug.warnings, IsEmpty());

  const auto empty = parse_ctest_json(golden("empty.json"));
  EXPECT_THAT(empty.targets, IsEmpty());
  EXPECT_THAT(empty.warnings, IsEmpty());
}

TEST(ParseCtestJson, TextPrintedBeforeTheJsonBecomesAWarning) {
  const auto imported = parse_ctest_json(golden("warning_then_json.txt"));
  EXPECT_THAT(names(imported), ElementsAre("x"));
  EXPECT_THAT(warning_about(imported, "ctest printed"),
              AllOf(HasSubstr("CMake Warning at CTestTestfile.cmake:1"), HasSubstr("careful")));
}

TEST(ParseCtestJson, TextAfterTheJsonBecomesAWarning) {
  const auto imported = parse_ctest_json(listing(entry("t")) + "\ntrailing words\n");
  EXPECT_THAT(names(imported), ElementsAre("t"));
  EXPECT_THAT(warning_about(imported, "ctest printed"), HasSubstr("trailing words"));
}

TEST(ParseCtestJson, OutputWithoutListingIsAUserErrorQuotingIt) {
  try {
    parse_ctest_json("CMake Error: something broke\n", "ctest in /b");
    FAIL() << "no exception";
  } catch (const CtestImportError& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("ctest in /b"), HasSubstr("no JSON object"),
                                    HasSubstr("something broke")));
  }
  EXPECT_THROW(parse_ctest_json(""), CtestImportError);
}

TEST(ParseCtestJson, TruncatedJsonIsAUserError) {
  const std::string whole = golden("props.json");
  try {
    parse_ctest_json(whole.substr(0, whole.size() / 2), "ctest in /b");
    FAIL() << "no exception";
  } catch (const CtestImportError& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("ctest in /b"), HasSubstr("invalid JSON")));
  }
}

TEST(ParseCtestJson, OtherKindsAndVersionsAreRefused) {
  EXPECT_THROW(parse_ctest_json(R"({"kind": "codemodel", "version": {"major": 1}, "tests": []})"),
               CtestImportError);
  try {
    parse_ctest_json(R"({"kind": "ctestInfo", "version": {"major": 2}, "tests": []})");
    FAIL() << "no exception";
  } catch (const CtestImportError& error) {
    EXPECT_THAT(error.what(), HasSubstr("version"));
  }
  EXPECT_THROW(parse_ctest_json(R"({"kind": "ctestInfo", "version": {"major": 1}})"),
               CtestImportError);
  EXPECT_THROW(parse_ctest_json("[1, 2]"), CtestImportError);
}

TEST(ParseCtestJson, ATestWithoutNameIsAUserError) {
  try {
    parse_ctest_json(listing(entry("a") + R"(, {"command": ["/bin/prog"]})"), "ctest in /b");
    FAIL() << "no exception";
  } catch (const CtestImportError& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("ctest in /b"), HasSubstr("test #2")));
  }
}

TEST(ParseCtestJson, ValuesOfTheWrongTypeAreWarningsNamingTestAndProperty) {
  const auto imported = parse_ctest_json(listing(entry("odd", R"([
      {"name": "TIMEOUT", "value": "soon"},
      {"name": "PROCESSORS", "value": 0},
      {"name": "SKIP_RETURN_CODE", "value": 300},
      {"name": "LABELS", "value": [1, 2]},
      {"name": "ENVIRONMENT", "value": ["GOOD=1", "BAD"]},
      {"name": "WILL_FAIL", "value": "ON"},
      {"name": "RUN_SERIAL", "value": "maybe"}])")));
  const Target& odd = imported.targets.at(0);
  EXPECT_EQ(odd.timeout_seconds, 0);
  EXPECT_EQ(odd.processors, 1);
  EXPECT_EQ(odd.skip_return_code, std::nullopt);
  EXPECT_THAT(odd.labels, IsEmpty());
  EXPECT_THAT(odd.environment, ElementsAre(EnvVar{"GOOD", "1"}));
  EXPECT_TRUE(odd.will_fail);  // CMake's "ON"
  EXPECT_FALSE(odd.run_serial);
  for (const char* property :
       {"TIMEOUT", "PROCESSORS", "SKIP_RETURN_CODE", "LABELS", "'BAD'", "RUN_SERIAL"}) {
    EXPECT_THAT(warning_about(imported, property),
                AllOf(HasSubstr("ignored: "), HasSubstr("'odd'")))
        << property;
  }
  EXPECT_EQ(imported.warnings.size(), 6u);
}

TEST(ParseCtestJson, UnknownPropertiesAreWarnedAboutKnownInternalsAreNot) {
  const auto imported = parse_ctest_json(listing(entry("t", R"([
      {"name": "MY_OWN_PROPERTY", "value": "x"},
      {"name": "_BACKTRACE_TRIPLES", "value": ["f", "1", "add_test"]},
      {"name": "DEF_SOURCE_LINE", "value": "/src/tests/CMakeLists.txt:42"}])")));
  EXPECT_THAT(imported.warnings, ElementsAre(AllOf(HasSubstr("ignored: MY_OWN_PROPERTY"),
                                                   HasSubstr("does not know"), HasSubstr("'t'"))));
  EXPECT_EQ(imported.targets.at(0).source_file, "/src/tests/CMakeLists.txt");
  EXPECT_EQ(imported.targets.at(0).source_line, 42);
}

TEST(ParseCtestJson, PropertiesCtest325DoesNotListAreNamedWhenANewerOneDoes) {
  const auto imported = parse_ctest_json(listing(entry("t", R"([
      {"name": "TIMEOUT_SIGNAL_NAME", "value": "SIGINT"},
      {"name": "TIMEOUT_SIGNAL_GRACE_PERIOD", "value": 2.0},
      {"name": "GENERATED_RESOURCE_SPEC_FILE", "value": "/tmp/spec.json"}])")));
  for (const char* property :
       {"TIMEOUT_SIGNAL_NAME", "TIMEOUT_SIGNAL_GRACE_PERIOD", "GENERATED_RESOURCE_SPEC_FILE"}) {
    EXPECT_THAT(warning_about(imported, property),
                AllOf(HasSubstr("ignored: "), HasSubstr("not supported"), HasSubstr("'t'")))
        << property;
  }
}

TEST(ParseCtestJson, OneWarningPerPropertyListsAFewTestsAndCountsTheRest) {
  std::string tests;
  for (int i = 1; i <= 7; ++i) {
    tests += (i > 1 ? "," : "") + entry("t" + std::to_string(i), R"([{"name": "COST",
                                                                       "value": 1.5}])");
  }
  const auto imported = parse_ctest_json(listing(tests));
  ASSERT_EQ(imported.warnings.size(), 1u);
  EXPECT_THAT(imported.warnings[0],
              AllOf(HasSubstr("ignored: COST"), HasSubstr("tests: 't1', 't2', 't3', 't4', 't5'"),
                    HasSubstr("and 2 more"), Not(HasSubstr("t6"))));
}

TEST(ParseCtestJson, SelectingEnvironmentKeepsTheCommandWhole) {
  const auto imported = parse_ctest_json(
      listing(entry("filtered", R"([{"name": "ENVIRONMENT", "value": ["GTEST_FILTER=A.*"]}])") +
              "," + entry("colored", R"([{"name": "ENVIRONMENT", "value": ["GTEST_COLOR=no"]}])")));
  EXPECT_EQ(target_named(imported, "filtered").framework, "exe");
  EXPECT_EQ(target_named(imported, "colored").framework, "auto");
}

TEST(ParseCtestJson, RequiredFilesAreKeptAsGiven) {
  const auto imported = parse_ctest_json(golden("props.json"));
  EXPECT_THAT(target_named(imported, "unsupported").required_files, ElementsAre("/etc/hostname"));
  EXPECT_THAT(imported.warnings, Not(Contains(HasSubstr("REQUIRED_FILES"))));
  const auto relative = parse_ctest_json(listing(entry("t", R"([
      {"name": "REQUIRED_FILES", "value": ["data/in.txt", "/abs"]}])")));
  EXPECT_THAT(relative.targets.at(0).required_files, ElementsAre("data/in.txt", "/abs"));
  EXPECT_THAT(target_named(imported, "plain").required_files, IsEmpty());
}

/// An inherited environment holding only `name`=`value`.
EnvironmentLookup only(std::string name, std::string value) {
  return [=](const std::string& wanted) -> std::optional<std::string> {
    if (wanted == name) return value;
    return std::nullopt;
  };
}

TEST(ParseCtestJson, EnvironmentModificationAppliesToTheInheritedEnvironment) {
  const auto imported = parse_ctest_json(golden("props.json"), "ctest", only("PATH", "/usr/bin"));
  EXPECT_THAT(target_named(imported, "unsupported").environment,
              ElementsAre(EnvVar{"PATH", "/opt/bin:/usr/bin"}));
  EXPECT_THAT(imported.warnings, Not(Contains(HasSubstr("ENVIRONMENT_MODIFICATION"))));
}

TEST(ParseCtestJson, EnvironmentModificationAppliesOnTopOfEnvironmentWhateverTheOrder) {
  // Properties in an order ctest does not use: the modifications still see ENVIRONMENT.
  const auto imported = parse_ctest_json(listing(entry("t", R"([
      {"name": "ENVIRONMENT_MODIFICATION",
       "value": ["A=string_append:+", "HOME=unset:", "B=set:new", "C=unset:"]},
      {"name": "ENVIRONMENT", "value": ["A=env", "C=gone", "D=kept"]}])")),
                                         "ctest", only("HOME", "/root"));
  const Target& t = imported.targets.at(0);
  EXPECT_THAT(t.environment,
              ElementsAre(EnvVar{"D", "kept"}, EnvVar{"A", "env+"}, EnvVar{"B", "new"}));
  EXPECT_THAT(t.unset_environment, ElementsAre("HOME", "C"));
  EXPECT_THAT(imported.warnings, IsEmpty());
}

TEST(ParseCtestJson, BadEnvironmentModificationEntriesAreIgnoredWithAWarningNamingThem) {
  const auto imported = parse_ctest_json(listing(entry("t", R"([
      {"name": "ENVIRONMENT_MODIFICATION",
       "value": ["GOOD=set:1", "F=bad", "G=bogus:1", "=set:x"]}])")),
                                         "ctest", only("X", "y"));
  EXPECT_THAT(imported.targets.at(0).environment, ElementsAre(EnvVar{"GOOD", "1"}));
  EXPECT_THAT(warning_about(imported, "'F=bad'"),
              AllOf(HasSubstr("ignored: ENVIRONMENT_MODIFICATION"), HasSubstr("no ':'"),
                    HasSubstr("test: 't'")));
  EXPECT_THAT(warning_about(imported, "'G=bogus:1'"), HasSubstr("unknown operation 'bogus'"));
  EXPECT_THAT(warning_about(imported, "'=set:x'"), HasSubstr("no variable name"));
  EXPECT_EQ(imported.warnings.size(), 3u);
}

TEST(ParseCtestJson, AFilterSetByEnvironmentModificationKeepsTheCommandWhole) {
  const auto imported = parse_ctest_json(listing(entry("filtered", R"([
      {"name": "ENVIRONMENT_MODIFICATION", "value": ["GTEST_FILTER=set:A.*"]}])")));
  EXPECT_EQ(target_named(imported, "filtered").framework, "exe");
}

TEST(ParseCtestJson, RepeatedNamesAreMadeUniqueWithAWarning) {
  const auto imported =
      parse_ctest_json(listing(entry("same") + "," + entry("same") + "," + entry("same#2")));
  EXPECT_THAT(names(imported), ElementsAre("same", "same#3", "same#2"));
  EXPECT_THAT(warning_about(imported, "same name"), HasSubstr("'same#3'"));
}

/// A throwaway build tree.
class ImportCtestTest : public ::testing::Test {
 protected:
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  /// A fake ctest that records its argv and working directory and prints `listing.json`.
  fs::path write_fake_ctest() {
    write("fake-ctest", "#!/bin/sh\necho \"$@\" > args.txt\ncat listing.json\n");
    fs::permissions(dir_ / "fake-ctest", fs::perms::owner_all);
    return dir_ / "fake-ctest";
  }
  std::string read(const std::string& name) {
    std::ifstream in(dir_ / name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  const transport::TemporaryDirectory scratch_{"fanout-ctest-import-"};
  const fs::path dir_ = scratch_.path();
};

TEST_F(ImportCtestTest, ListsTheTestsOfARealCtestTestfile) {
  write("CTestTestfile.cmake",
        "add_test([=[first]=] \"/bin/true\" \"--flag\")\n"
        "set_tests_properties([=[first]=] PROPERTIES LABELS \"a;b\" TIMEOUT \"5\" "
        "WORKING_DIRECTORY \"/tmp\")\n"
        "add_test([=[second]=] \"/bin/false\" \"input\")\n");
  const auto imported = import_ctest(dir_, "ctest");
  EXPECT_THAT(names(imported), ElementsAre("first", "second"));
  const Target& first = imported.targets.at(0);
  EXPECT_EQ(first.executable, "/bin/true");
  EXPECT_THAT(first.extra_args, ElementsAre("--flag"));
  EXPECT_THAT(first.labels, ElementsAre("a", "b"));
  EXPECT_EQ(first.timeout_seconds, 5);
  EXPECT_EQ(first.working_directory, "/tmp");
  EXPECT_EQ(first.framework, "auto");
  EXPECT_EQ(imported.targets.at(1).framework, "exe");
  EXPECT_THAT(imported.warnings, IsEmpty());
}

TEST_F(ImportCtestTest, UsesTheCtestOfTheBuildTreeInItsDirectory) {
  write("CTestTestfile.cmake", "");
  write("CMakeCache.txt", "CMAKE_CTEST_COMMAND:INTERNAL=" + write_fake_ctest().string() + "\n");
  write("listing.json", listing(entry("from_fake")));
  const auto imported = import_ctest(dir_);
  EXPECT_THAT(names(imported), ElementsAre("from_fake"));
  EXPECT_EQ(read("args.txt"), "--show-only=json-v1\n");
}

TEST_F(ImportCtestTest, PassesTheConfigurationAndWarnsWhenAMultiConfigTreeHasNone) {
  write("CTestTestfile.cmake", "");
  write("CMakeCache.txt", "CMAKE_CONFIGURATION_TYPES:STRING=Debug;Release\n");
  write("listing.json", listing(""));
  const fs::path ctest = write_fake_ctest();

  const auto without = import_ctest(dir_, ctest.string());
  EXPECT_THAT(warning_about(without, "multi-config"), HasSubstr("Debug;Release"));

  const auto with = import_ctest(dir_, ctest.string(), "Release");
  EXPECT_THAT(with.warnings, IsEmpty());
  EXPECT_EQ(read("args.txt"), "--show-only=json-v1 -C Release\n");
}

TEST_F(ImportCtestTest, AFailingCtestIsAUserErrorQuotingItsOutput) {
  write("CTestTestfile.cmake", "add_test(x\n");
  try {
    import_ctest(dir_, "ctest");
    FAIL() << "no exception";
  } catch (const CtestImportError& error) {
    EXPECT_THAT(error.what(),
                AllOf(HasSubstr("ctest --show-only=json-v1"), HasSubstr(dir_.string()),
                      HasSubstr("exit code"), HasSubstr("CTestTestfile.cmake")));
  }
}

TEST_F(ImportCtestTest, GarbageFromCtestIsAUserError) {
  write("CTestTestfile.cmake", "");
  write("listing.json", "this is not json\n");
  try {
    import_ctest(dir_, write_fake_ctest().string());
    FAIL() << "no exception";
  } catch (const CtestImportError& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr(dir_.string()), HasSubstr("this is not json")));
  }
}

TEST_F(ImportCtestTest, AMissingCtestIsAUserErrorNamingIt) {
  write("CTestTestfile.cmake", "");
  try {
    import_ctest(dir_, "/nonexistent/bin/ctest");
    FAIL() << "no exception";
  } catch (const CtestImportError& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("cannot run"), HasSubstr("/nonexistent/bin/ctest")));
  }
}

TEST_F(ImportCtestTest, ATreeWithoutTestsFileOrNoDirectoryIsAUserError) {
  EXPECT_THROW(import_ctest(dir_, "ctest"), CtestImportError);
  EXPECT_THROW(import_ctest(dir_ / "missing", "ctest"), CtestImportError);
  try {
    import_ctest(dir_, "ctest");
  } catch (const CtestImportError& error) {
    EXPECT_THAT(error.what(), HasSubstr("CTestTestfile.cmake"));
  }
}

}  // namespace
}  // namespace fanout::launcher
