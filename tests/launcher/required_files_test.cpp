#include "launcher/required_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <fstream>
#include <optional>

#include "tests/launcher/fakes.hpp"
#include "transport/temporary_directory.hpp"

namespace fanout::launcher {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class RequiredFilesTest : public ::testing::Test {
 protected:
  RequiredFilesTest() {
    std::ofstream(dir.path() / "present.txt") << "here\n";
    fs::create_directory(dir.path() / "subdir");
    target.name = "t";
    target.executable = "/bin/true";
    target.working_directory = dir.path();
    items = {item("A.one"), item("A.two")};
  }
  collector::Item item(const std::string& name) {
    collector::Item made;
    made.target = target.name;
    made.name = name;
    made.id = collector::make_item_id(target.name, name);
    return made;
  }
  Batch batch() {
    Batch made;
    made.target = &target;
    made.framework = &framework;
    for (const auto& i : items) made.items.push_back(&i);
    return made;
  }
  /// Callbacks that record what they hear.
  BatchCallbacks recording() {
    BatchCallbacks callbacks;
    callbacks.item_started = [this](const collector::Item& i) { started.push_back(i.id); };
    callbacks.item_finished = [this](collector::Result r) { results.push_back(std::move(r)); };
    callbacks.batch_done = [this](std::vector<collector::NotStarted> not_started) {
      ++done;
      returned += not_started.size();
    };
    return callbacks;
  }

  transport::TemporaryDirectory dir{"fanout-required-"};
  boost::asio::io_context io;
  FakeRunner inner;
  RequiredFilesCheck check{io, inner};
  NullFramework framework;
  collector::Target target;
  std::vector<collector::Item> items;
  std::vector<std::string> started;
  std::vector<collector::Result> results;
  int done = 0;
  std::size_t returned = 0;
};

TEST(FirstMissingFile, NamesTheFirstMissingOneAsGiven) {
  const transport::TemporaryDirectory dir("fanout-required-");
  std::ofstream(dir.path() / "a") << "";
  EXPECT_EQ(first_missing_file({"a", dir.path() / "a"}, dir.path()), std::nullopt);
  EXPECT_EQ(first_missing_file({"a", "b", "c"}, dir.path()), fs::path("b"));
  EXPECT_EQ(first_missing_file({"a"}, "/"), fs::path("a")) << "relative to the directory given";
  EXPECT_EQ(first_missing_file({}, dir.path()), std::nullopt);
}

TEST_F(RequiredFilesTest, ABatchWhoseFilesExistRunsAsUsual) {
  target.required_files = {"present.txt", "subdir", dir.path() / "present.txt"};
  check.start(batch(), recording());
  ASSERT_EQ(inner.started.size(), 1u);
  EXPECT_EQ(inner.started[0].batch.items.size(), 2u);
  inner.finish(0, Outcome::passed);
  io.run();
  EXPECT_EQ(results.size(), 2u);
  EXPECT_EQ(done, 1);
}

TEST_F(RequiredFilesTest, AMissingFileFailsEveryItemWithoutRunningAnything) {
  target.required_files = {"present.txt", "missing.txt"};
  check.start(batch(), recording());
  EXPECT_TRUE(inner.started.empty());
  EXPECT_TRUE(results.empty()) << "never called back from inside start()";
  io.run();
  ASSERT_EQ(results.size(), 2u);
  for (const auto& result : results) {
    EXPECT_EQ(result.outcome, Outcome::error);
    EXPECT_THAT(result.message, HasSubstr("'missing.txt' does not exist"));
  }
  EXPECT_EQ(results[0].item_id, "t/A.one");
  EXPECT_TRUE(started.empty());
  EXPECT_EQ(done, 1);
  EXPECT_EQ(returned, 0u);
}

TEST_F(RequiredFilesTest, FilesAreCheckedWhenTheBatchStartsNotBefore) {
  target.required_files = {"later.txt"};
  check.start(batch(), recording());
  io.run();
  EXPECT_EQ(results.size(), 2u);
  std::ofstream(dir.path() / "later.txt") << "";
  check.start(batch(), recording());
  EXPECT_EQ(inner.started.size(), 1u) << "the file exists now";
}

TEST_F(RequiredFilesTest, RelativeFilesAreFoundFromTheExecutablesDirectoryWithoutWorkingDirectory) {
  target.working_directory.clear();
  target.executable = dir.path() / "prog";
  target.required_files = {"present.txt"};
  check.start(batch(), recording());
  EXPECT_EQ(inner.started.size(), 1u);
}

TEST_F(RequiredFilesTest, ARefusedBatchCancelledBeforeItIsReportedEndsWithoutResults) {
  target.required_files = {"missing.txt"};
  check.start(batch(), recording());
  check.cancel_all();
  EXPECT_EQ(inner.cancel_calls, 1);
  io.run();
  EXPECT_TRUE(results.empty());
  EXPECT_EQ(done, 1);
}

TEST_F(RequiredFilesTest, AFixtureCommandWithAMissingFileFailsWithoutRunning) {
  FixtureCommand command{"db", {"/bin/setup"}, dir.path()};
  command.required_files = {"missing.txt"};
  std::optional<FixtureCommandResult> result;
  check.run_fixture_command(command, [&](FixtureCommandResult r) { result = std::move(r); });
  EXPECT_FALSE(result);
  io.run();
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->succeeded());
  EXPECT_EQ(result->outcome, collector::Outcome::error) << "it could not start, as ctest's Not Run";
  EXPECT_THAT(result->message, HasSubstr("'missing.txt' does not exist"));
  EXPECT_TRUE(inner.fixture_commands.empty());

  command.required_files = {"present.txt"};
  check.run_fixture_command(command, [](FixtureCommandResult) {});
  EXPECT_EQ(inner.fixture_commands.size(), 1u);
}

}  // namespace
}  // namespace fanout::launcher
