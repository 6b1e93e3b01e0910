#include "launcher/manifest.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "transport/temporary_directory.hpp"

namespace fanout::launcher {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

/// A throwaway build tree with a `.fanout` directory to write manifest files into.
class ManifestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / ".fanout" / "targets");
    fs::create_directories(dir_ / ".fanout" / "fixtures");
  }

  void write(const fs::path& relative, const std::string& text) {
    std::ofstream out(dir_ / ".fanout" / relative);
    out << text;
  }
  void write_index(const std::string& targets, const std::string& fixtures = "[]") {
    write("manifest.json",
          R"({"version": 1, "targets": )" + targets + R"(, "fixtures": )" + fixtures + "}");
  }
  /// A minimal valid target file for `name`, with `extra` (", \"key\": value") appended.
  void write_target(const std::string& name, const std::string& extra = "") {
    write("targets/" + name + ".json",
          R"({"name": ")" + name + R"(", "executable": "/bin/)" + name + "\"" + extra + "}");
  }
  /// The message of the ManifestError that read_manifest throws (fails the test if none).
  std::string error_message() {
    try {
      read_manifest(dir_);
    } catch (const ManifestError& error) {
      return error.what();
    }
    ADD_FAILURE() << "read_manifest did not throw ManifestError";
    return {};
  }
  std::string file(const std::string& relative) const {
    return (dir_ / ".fanout" / relative).string();
  }

  const transport::TemporaryDirectory scratch_{"fanout-manifest-"};
  const fs::path dir_ = scratch_.path();
};

TEST_F(ManifestTest, HasManifestOnlyWhenTheIndexExists) {
  EXPECT_FALSE(has_manifest(dir_));
  EXPECT_FALSE(has_manifest(dir_ / "does-not-exist"));
  write_index("[]");
  EXPECT_TRUE(has_manifest(dir_));
  EXPECT_EQ(manifest_path(dir_), dir_ / ".fanout" / "manifest.json");
}

TEST_F(ManifestTest, ReadsEveryFieldOfATargetAsCMakeWritesIt) {
  write_index(R"(["unit"])");
  write("targets/unit.json", R"({
    "name": "unit", "executable": "/abs/build/unit", "framework": "gtest", "timeout": 2.5,
    "labels": ["fast", "core"], "working_directory": "/abs/work",
    "environment": ["A=1", "EQ=x=y", "EMPTY="], "extra_args": ["--flag", "two words"],
    "group": "db", "resource_locks": ["port"], "run_serial": true, "processors": 3,
    "fixtures_required": ["server"], "isolate": true, "skip_return_code": 77,
    "data": ["/abs/data.txt", "/abs/dir"], "source_file": "/abs/CMakeLists.txt",
    "source_line": 12, "a_future_key": {"ignored": true}})");

  const Manifest manifest = read_manifest(dir_);

  ASSERT_EQ(manifest.targets.size(), 1u);
  EXPECT_TRUE(manifest.fixtures.empty());
  const collector::Target& t = manifest.targets[0];
  EXPECT_EQ(t.name, "unit");
  EXPECT_EQ(t.executable, "/abs/build/unit");
  EXPECT_EQ(t.framework, "gtest");
  EXPECT_DOUBLE_EQ(t.timeout_seconds, 2.5);
  EXPECT_THAT(t.labels, ElementsAre("fast", "core"));
  EXPECT_EQ(t.working_directory, "/abs/work");
  EXPECT_THAT(t.environment,
              ElementsAre(collector::EnvVar{"A", "1"}, collector::EnvVar{"EQ", "x=y"},
                          collector::EnvVar{"EMPTY", ""}));
  EXPECT_THAT(t.extra_args, ElementsAre("--flag", "two words"));
  EXPECT_EQ(t.group, "db");
  EXPECT_THAT(t.resource_locks, ElementsAre("port"));
  EXPECT_TRUE(t.run_serial);
  EXPECT_EQ(t.processors, 3);
  EXPECT_THAT(t.fixtures_required, ElementsAre("server"));
  EXPECT_TRUE(t.isolate);
  EXPECT_EQ(t.skip_return_code, 77);
  EXPECT_THAT(t.data, ElementsAre(fs::path("/abs/data.txt"), fs::path("/abs/dir")));
  EXPECT_EQ(t.source_file, "/abs/CMakeLists.txt");
  EXPECT_EQ(t.source_line, 12);
}

TEST_F(ManifestTest, MissingOptionalKeysTakeDefaultsAndRelativePathsAreUnderTheTestDir) {
  write_index(R"(["b", "a"])");
  write_target("b", R"(, "skip_return_code": null)");
  write("targets/a.json", R"({"name": "a", "executable": "bin/a", "data": ["in.txt"],
                              "working_directory": "sub/.."})");

  const Manifest manifest = read_manifest(dir_);

  ASSERT_EQ(manifest.targets.size(), 2u);
  const collector::Target& b = manifest.targets[0];  // the index's order is kept
  EXPECT_EQ(b.name, "b");
  EXPECT_EQ(b.framework, "auto");
  EXPECT_EQ(b.timeout_seconds, 0);
  EXPECT_EQ(b.processors, 1);
  EXPECT_FALSE(b.skip_return_code.has_value());
  EXPECT_FALSE(b.run_serial);
  EXPECT_TRUE(b.working_directory.empty());
  EXPECT_TRUE(b.labels.empty());
  const collector::Target& a = manifest.targets[1];
  EXPECT_EQ(a.executable, dir_ / "bin/a");
  EXPECT_THAT(a.data, ElementsAre(dir_ / "in.txt"));
  EXPECT_EQ(a.working_directory, (dir_ / "").lexically_normal());
}

TEST_F(ManifestTest, ReadsFixtures) {
  write_index("[]", R"(["db", "cache"])");
  write("fixtures/db.json", R"({"name": "db", "setup": ["/abs/start", "--port", "5"],
    "cleanup": ["/abs/stop"], "working_directory": "/abs/w", "timeout": 2.5,
    "source_file": "/abs/C.txt", "source_line": 3})");
  write("fixtures/cache.json", R"({"name": "cache", "setup": ["warm"], "cleanup": []})");

  const Manifest manifest = read_manifest(dir_);

  ASSERT_EQ(manifest.fixtures.size(), 2u);
  const Fixture& db = manifest.fixtures[0];
  EXPECT_EQ(db.name, "db");
  EXPECT_THAT(db.setup, ElementsAre("/abs/start", "--port", "5"));
  EXPECT_THAT(db.cleanup, ElementsAre("/abs/stop"));
  EXPECT_EQ(db.working_directory, "/abs/w");
  EXPECT_EQ(db.timeout_seconds, 2.5);
  EXPECT_EQ(db.source_file, "/abs/C.txt");
  EXPECT_EQ(db.source_line, 3);
  EXPECT_THAT(manifest.fixtures[1].setup, ElementsAre("warm"));
  EXPECT_TRUE(manifest.fixtures[1].cleanup.empty());
  EXPECT_EQ(manifest.fixtures[1].timeout_seconds, 0) << "no timeout: the run's default";
}

TEST_F(ManifestTest, FixtureWithANegativeTimeoutIsAnError) {
  write_index("[]", R"(["db"])");
  write("fixtures/db.json", R"({"name": "db", "setup": ["/x"], "timeout": -1})");
  EXPECT_THAT(error_message(),
              AllOf(HasSubstr(file("fixtures/db.json")), HasSubstr("\"timeout\"")));
}

TEST_F(ManifestTest, MissingIndexIsAnError) {
  EXPECT_THAT(error_message(), AllOf(HasSubstr(file("manifest.json")), HasSubstr("cmake")));
}

TEST_F(ManifestTest, InvalidJsonNamesTheFileAndLine) {
  write("manifest.json", "{\"version\": 1,\n \"targets\": [\"a\",]\n}");
  EXPECT_THAT(error_message(),
              AllOf(HasSubstr(file("manifest.json") + ":2:"), HasSubstr("not valid JSON")));
}

TEST_F(ManifestTest, TruncatedTargetFileIsInvalidJson) {
  write_index(R"(["a"])");
  write("targets/a.json", R"({"name": "a", "executable": "/x")");
  EXPECT_THAT(error_message(),
              AllOf(HasSubstr(file("targets/a.json")), HasSubstr("not valid JSON")));
}

TEST_F(ManifestTest, IndexThatIsNotAnObjectIsAnError) {
  write("manifest.json", "[1, 2]");
  EXPECT_THAT(error_message(),
              AllOf(HasSubstr(file("manifest.json")), HasSubstr("object"), HasSubstr("array")));
}

TEST_F(ManifestTest, UnknownVersionIsAnError) {
  write("manifest.json", R"({"version": 2, "targets": [], "fixtures": []})");
  EXPECT_THAT(error_message(), AllOf(HasSubstr(file("manifest.json")), HasSubstr("version 2"),
                                     HasSubstr("reads version 1")));
}

TEST_F(ManifestTest, VersionOfTheWrongTypeIsAnError) {
  write("manifest.json", R"({"version": "1", "targets": []})");
  EXPECT_THAT(error_message(), AllOf(HasSubstr("\"version\""), HasSubstr("a string")));
}

TEST_F(ManifestTest, MissingVersionIsAnError) {
  write("manifest.json", R"({"targets": []})");
  EXPECT_THAT(error_message(), AllOf(HasSubstr(file("manifest.json")),
                                     HasSubstr("missing required field \"version\"")));
}

TEST_F(ManifestTest, MissingTargetsListIsAnError) {
  write("manifest.json", R"({"version": 1})");
  EXPECT_THAT(error_message(), HasSubstr("missing required field \"targets\""));
}

TEST_F(ManifestTest, TargetNameOfTheWrongTypeInTheIndexIsAnError) {
  write_index(R"(["a", 7])");
  write_target("a");
  EXPECT_THAT(error_message(), AllOf(HasSubstr("\"targets\"[1]"), HasSubstr("a number")));
}

TEST_F(ManifestTest, DuplicateOrPathLikeNamesInTheIndexAreErrors) {
  write_index(R"(["a", "a"])");
  write_target("a");
  EXPECT_THAT(error_message(), AllOf(HasSubstr("\"targets\"[1]"), HasSubstr("twice")));
  write_index(R"(["../a"])");
  EXPECT_THAT(error_message(), AllOf(HasSubstr("\"targets\"[0]"), HasSubstr("../a")));
}

TEST_F(ManifestTest, ListedTargetWithoutItsFileSaysToRerunCMake) {
  write_index(R"(["present", "gone"])");
  write_target("present");
  EXPECT_THAT(error_message(), AllOf(HasSubstr(file("targets/gone.json")), HasSubstr("\"gone\""),
                                     HasSubstr("re-run cmake")));
}

TEST_F(ManifestTest, ListedFixtureWithoutItsFileSaysToRerunCMake) {
  write_index("[]", R"(["db"])");
  EXPECT_THAT(error_message(), AllOf(HasSubstr(file("fixtures/db.json")), HasSubstr("fixture"),
                                     HasSubstr("re-run cmake")));
}

TEST_F(ManifestTest, MissingExecutableIsAnError) {
  write_index(R"(["a"])");
  write("targets/a.json", R"({"name": "a", "framework": "gtest"})");
  EXPECT_THAT(error_message(), AllOf(HasSubstr(file("targets/a.json")),
                                     HasSubstr("missing required field \"executable\"")));
}

TEST_F(ManifestTest, NameThatDisagreesWithTheIndexIsAnError) {
  write_index(R"(["a"])");
  write("targets/a.json", R"({"name": "b", "executable": "/x"})");
  EXPECT_THAT(error_message(),
              AllOf(HasSubstr(file("targets/a.json")), HasSubstr("\"name\""), HasSubstr("\"b\"")));
}

TEST_F(ManifestTest, FieldsOfTheWrongTypeAreNamed) {
  struct Case {
    std::string extra;
    std::string field;
    std::string found;
  };
  const Case cases[] = {
      {R"(, "timeout": "30")", "\"timeout\"", "a string"},
      {R"(, "labels": "fast")", "\"labels\"", "a string"},
      {R"(, "labels": ["fast", 3])", "\"labels\"[1]", "a number"},
      {R"(, "run_serial": 1)", "\"run_serial\"", "a number"},
      {R"(, "isolate": "yes")", "\"isolate\"", "a string"},
      {R"(, "processors": 1.5)", "\"processors\"", "a number"},
      {R"(, "processors": 0)", "\"processors\"", "a number"},
      {R"(, "skip_return_code": 300)", "\"skip_return_code\"", "a number"},
      {R"(, "skip_return_code": "77")", "\"skip_return_code\"", "a string"},
      {R"(, "framework": null)", "\"framework\"", "null"},
      {R"(, "working_directory": [])", "\"working_directory\"", "an array"},
      {R"(, "data": [{}])", "\"data\"[0]", "an object"},
      {R"(, "source_line": -1)", "\"source_line\"", "a number"},
  };
  write_index(R"(["a"])");
  for (const Case& c : cases) {
    SCOPED_TRACE(c.extra);
    write_target("a", c.extra);
    EXPECT_THAT(error_message(),
                AllOf(HasSubstr(file("targets/a.json")), HasSubstr("field " + c.field + " must be"),
                      HasSubstr("found " + c.found)));
  }
}

TEST_F(ManifestTest, BadValuesOfTheRightTypeAreNamed) {
  write_index(R"(["a"])");
  write_target("a", R"(, "environment": ["A=1", "NOEQUALS"])");
  EXPECT_THAT(error_message(), AllOf(HasSubstr("\"environment\"[1]"), HasSubstr("NOEQUALS")));
  write_target("a", R"(, "timeout": -1)");
  EXPECT_THAT(error_message(), HasSubstr("\"timeout\""));
  write("targets/a.json", R"({"name": "a", "executable": ""})");
  EXPECT_THAT(error_message(), HasSubstr("\"executable\" is empty"));
}

TEST_F(ManifestTest, FixtureWithoutASetupCommandIsAnError) {
  write_index("[]", R"(["db"])");
  write("fixtures/db.json", R"({"name": "db", "cleanup": ["/x"]})");
  EXPECT_THAT(error_message(), AllOf(HasSubstr(file("fixtures/db.json")),
                                     HasSubstr("missing required field \"setup\"")));
  write("fixtures/db.json", R"({"name": "db", "setup": []})");
  EXPECT_THAT(error_message(), AllOf(HasSubstr("\"setup\""), HasSubstr("empty")));
}

}  // namespace
}  // namespace fanout::launcher
