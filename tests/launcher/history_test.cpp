#include "launcher/history.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace fanout::launcher {
namespace {

namespace fs = std::filesystem;
using collector::Outcome;
using collector::Result;

Result result(Outcome outcome, double seconds) {
  return Result{.item_id = "ignored", .outcome = outcome, .seconds = seconds};
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// A fresh directory per test, removed afterwards.
class HistoryFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fanout-history-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Loads `text` as a history file; it must come back empty with exactly one warning.
  void expect_rejected(const std::string& text, const std::string& reason_part) {
    write_text(dir_ / "history.json", text);
    const History history = History::load(dir_ / "history.json");
    EXPECT_TRUE(history.empty()) << text;
    ASSERT_EQ(history.warnings().size(), 1u) << text;
    EXPECT_NE(history.warnings()[0].find((dir_ / "history.json").string()), std::string::npos);
    EXPECT_NE(history.warnings()[0].find(reason_part), std::string::npos) << history.warnings()[0];
  }

  fs::path dir_;
};

TEST(History, FirstRunsArePlainMeanThenMovingAverage) {
  History history;
  history.record("t/A.x", result(Outcome::passed, 1.0));
  history.record("t/A.x", result(Outcome::passed, 2.0));
  history.record("t/A.x", result(Outcome::failed, 6.0));
  const ItemHistory* item = history.find("t/A.x");
  ASSERT_NE(item, nullptr);
  EXPECT_DOUBLE_EQ(item->mean_seconds, 3.0);
  EXPECT_EQ(item->runs, 3u);

  History steady;
  for (int i = 0; i < 7; ++i) steady.record("t/B.y", result(Outcome::passed, 1.0));
  steady.record("t/B.y", result(Outcome::passed, 6.0));
  // Past the window, the new value has weight 1/5: 1 + (6 - 1) / 5.
  EXPECT_DOUBLE_EQ(steady.find("t/B.y")->mean_seconds, 2.0);
  EXPECT_EQ(steady.find("t/B.y")->runs, 8u);
}

TEST(History, KeepsLastOutcomeAndCountsFlaky) {
  History history;
  history.record("t/A.x", result(Outcome::failed, 1));
  EXPECT_EQ(history.find("t/A.x")->last_outcome, Outcome::failed);
  history.record("t/A.x", result(Outcome::flaky, 1));
  history.record("t/A.x", result(Outcome::passed, 1));
  history.record("t/A.x", result(Outcome::flaky, 1));
  const ItemHistory* item = history.find("t/A.x");
  EXPECT_EQ(item->last_outcome, Outcome::flaky);
  EXPECT_EQ(item->flaky, 2u);
  EXPECT_EQ(item->runs, 4u);
  EXPECT_EQ(history.find("t/other"), nullptr);
}

TEST(History, NotRunIsIgnoredAndErrorIsNotTimed) {
  History history;
  history.record("t/A.x", result(Outcome::not_run, 5));
  EXPECT_EQ(history.find("t/A.x"), nullptr);

  history.record("t/A.x", result(Outcome::error, 0));
  ASSERT_NE(history.find("t/A.x"), nullptr);
  EXPECT_EQ(history.find("t/A.x")->last_outcome, Outcome::error);
  EXPECT_EQ(history.find("t/A.x")->runs, 0u);

  history.record("t/A.x", result(Outcome::passed, 4));
  history.record("t/A.x", result(Outcome::error, 0));
  history.record("t/A.x", result(Outcome::not_run, 0));
  EXPECT_DOUBLE_EQ(history.find("t/A.x")->mean_seconds, 4);
  EXPECT_EQ(history.find("t/A.x")->runs, 1u);
  EXPECT_EQ(history.find("t/A.x")->last_outcome, Outcome::error);
}

TEST(History, CpuTimeIsOptionalAndAveragedOnItsOwn) {
  History history;
  history.record("t/A.x", result(Outcome::passed, 1));
  EXPECT_LT(history.find("t/A.x")->cpu_seconds, 0);
  history.record("t/A.x", result(Outcome::passed, 1), 0.5);
  history.record("t/A.x", result(Outcome::passed, 1));
  history.record("t/A.x", result(Outcome::passed, 1), 1.5);
  const ItemHistory* item = history.find("t/A.x");
  EXPECT_DOUBLE_EQ(item->cpu_seconds, 1.0);
  EXPECT_EQ(item->cpu_runs, 2u);
  EXPECT_EQ(item->runs, 4u);
}

TEST(History, UnsplittableTargets) {
  History history;
  EXPECT_FALSE(history.is_unsplittable("legacy"));
  history.mark_unsplittable("legacy");
  EXPECT_TRUE(history.is_unsplittable("legacy"));
  EXPECT_FALSE(history.is_unsplittable("other"));
  EXPECT_FALSE(history.empty());
}

TEST(History, TargetMeanCoversOnlyTimedItemsOfThatTarget) {
  History history;
  EXPECT_LT(history.target_mean_seconds("a"), 0);
  history.record("a/X.one", result(Outcome::passed, 1));
  history.record("a/X.two", result(Outcome::passed, 3));
  history.record("a/X.three", result(Outcome::error, 0));
  history.record("ab/X.one", result(Outcome::passed, 100));
  history.record("a.b/X.one", result(Outcome::passed, 100));
  EXPECT_DOUBLE_EQ(history.target_mean_seconds("a"), 2);
  EXPECT_DOUBLE_EQ(history.target_mean_seconds("ab"), 100);
  EXPECT_LT(history.target_mean_seconds("b"), 0);
}

TEST_F(HistoryFileTest, MissingFileIsEmptyWithoutWarning) {
  const History history = History::load(dir_ / "nothing" / "history.json");
  EXPECT_TRUE(history.empty());
  EXPECT_TRUE(history.warnings().empty());
}

TEST_F(HistoryFileTest, RoundTrip) {
  History history;
  history.record("unit/Math.Add", result(Outcome::passed, 0.25), 0.125);
  history.record("unit/Math.Add", result(Outcome::flaky, 0.75), 0.375);
  history.record("unit/Odd \"name\"/0 é", result(Outcome::crashed, 2));
  history.record("unit/Never.Timed", result(Outcome::error, 0));
  history.mark_unsplittable("legacy");
  const fs::path file = dir_ / "build" / ".fanout" / "history.json";
  history.save(file);

  const History loaded = History::load(file);
  EXPECT_TRUE(loaded.warnings().empty());
  ASSERT_EQ(loaded.items().size(), 3u);
  for (const auto& [id, expected] : history.items()) {
    const ItemHistory* item = loaded.find(id);
    ASSERT_NE(item, nullptr) << id;
    EXPECT_DOUBLE_EQ(item->mean_seconds, expected.mean_seconds) << id;
    EXPECT_EQ(item->runs, expected.runs) << id;
    EXPECT_EQ(item->last_outcome, expected.last_outcome) << id;
    EXPECT_EQ(item->flaky, expected.flaky) << id;
    EXPECT_DOUBLE_EQ(item->cpu_seconds, expected.cpu_seconds) << id;
    EXPECT_EQ(item->cpu_runs, expected.cpu_runs) << id;
  }
  EXPECT_EQ(loaded.find("unit/Math.Add")->flaky, 1u);
  EXPECT_DOUBLE_EQ(loaded.find("unit/Math.Add")->cpu_seconds, 0.25);
  EXPECT_LT(loaded.find("unit/Odd \"name\"/0 é")->cpu_seconds, 0);
  EXPECT_TRUE(loaded.is_unsplittable("legacy"));

  // Saving what was loaded gives the same bytes: the format is stable and sorted.
  loaded.save(dir_ / "again.json");
  EXPECT_EQ(read_text(file), read_text(dir_ / "again.json"));
}

TEST_F(HistoryFileTest, FileHasTheDocumentedLayout) {
  History history;
  history.record("unit/Math.Add", result(Outcome::timeout, 30), 29);
  history.record("unit/Math.Sub", result(Outcome::passed, 1));
  history.mark_unsplittable("legacy");
  history.save(dir_ / "history.json");

  const boost::json::value root = boost::json::parse(read_text(dir_ / "history.json"));
  EXPECT_EQ(root.at("version").as_int64(), 1);
  const boost::json::object& add = root.at("items").at("unit/Math.Add").as_object();
  EXPECT_DOUBLE_EQ(add.at("mean_seconds").to_number<double>(), 30);
  EXPECT_EQ(add.at("runs").to_number<int>(), 1);
  EXPECT_EQ(add.at("last_outcome").as_string(), "timeout");
  EXPECT_EQ(add.at("flaky").to_number<int>(), 0);
  EXPECT_DOUBLE_EQ(add.at("cpu_seconds").to_number<double>(), 29);
  EXPECT_FALSE(root.at("items").at("unit/Math.Sub").as_object().contains("cpu_seconds"));
  EXPECT_TRUE(root.at("targets").at("legacy").at("unsplittable").as_bool());
}

TEST_F(HistoryFileTest, SaveReplacesTheFileAtomically) {
  const fs::path file = dir_ / "history.json";
  History old_history;
  old_history.record("t/Old.one", result(Outcome::passed, 1));
  old_history.save(file);
  const std::string old_text = read_text(file);

  // A reader that opened the file before the save keeps seeing the whole old file: the new one is
  // renamed over it, never written into it.
  std::ifstream reader(file, std::ios::binary);
  History new_history;
  for (int i = 0; i < 200; ++i) {
    new_history.record("t/New." + std::to_string(i), result(Outcome::passed, i));
  }
  new_history.save(file);
  const std::string seen_by_reader{std::istreambuf_iterator<char>(reader),
                                   std::istreambuf_iterator<char>()};
  EXPECT_EQ(seen_by_reader, old_text);
  EXPECT_EQ(History::load(file).items().size(), 200u);
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(HistoryFileTest, SaveFailureThrowsNamingTheFile) {
  write_text(dir_ / "not-a-dir", "x");
  const fs::path file = dir_ / "not-a-dir" / "history.json";
  History history;
  history.record("t/A.x", result(Outcome::passed, 1));
  try {
    history.save(file);
    FAIL() << "save into a path below a regular file succeeded";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(file.string()), std::string::npos) << error.what();
  }
}

TEST_F(HistoryFileTest, CorruptFilesGiveEmptyHistoryAndWarning) {
  expect_rejected("", "not valid JSON");
  expect_rejected("{\"version\": 1, \"items\": {", "not valid JSON");
  expect_rejected("\x01\x02garbage", "not valid JSON");
  expect_rejected("[1, 2]", "expected an object");
  expect_rejected("{\"items\": {}}", "no version");
  expect_rejected("{\"version\": 2, \"items\": {}}", "unsupported version 2");
  expect_rejected("{\"version\": \"1\"}", "unsupported version");
  expect_rejected("{\"version\": 1, \"items\": []}", "items: expected an object");
  expect_rejected(
      R"({"version": 1, "items": {"t/A": {"mean_seconds": 1, "runs": 1, "last_outcome": "meh"}}})",
      "unknown outcome");
  expect_rejected(
      R"({"version": 1, "items": {"t/A": {"mean_seconds": -1, "runs": 1, "last_outcome": "passed"}}})",
      "mean_seconds");
  expect_rejected(
      R"({"version": 1, "items": {"t/A": {"mean_seconds": 1, "runs": 1.5, "last_outcome": "passed"}}})",
      "runs");
  expect_rejected(R"({"version": 1, "items": {"t/A": {"runs": 1, "last_outcome": "passed"}}})",
                  "needs mean_seconds");
  expect_rejected(R"({"version": 1, "items": {}, "targets": {"x": {"unsplittable": 1}}})",
                  "unsplittable");
}

TEST_F(HistoryFileTest, ValidEntriesBesideABadOneAreDroppedToo) {
  write_text(dir_ / "history.json",
             R"({"version": 1, "items": {
                 "t/Good": {"mean_seconds": 1, "runs": 1, "last_outcome": "passed"},
                 "t/Bad": {"mean_seconds": "slow", "runs": 1, "last_outcome": "passed"}}})");
  const History history = History::load(dir_ / "history.json");
  EXPECT_EQ(history.find("t/Good"), nullptr);
  EXPECT_EQ(history.warnings().size(), 1u);
}

TEST_F(HistoryFileTest, OptionalMembersHaveDefaultsAndUnknownOnesAreIgnored) {
  write_text(dir_ / "history.json",
             R"({"version": 1, "future": true, "items": {
                 "t/A": {"mean_seconds": 2, "runs": 3, "last_outcome": "not-run", "new": [1]}}})");
  const History history = History::load(dir_ / "history.json");
  EXPECT_TRUE(history.warnings().empty());
  ASSERT_NE(history.find("t/A"), nullptr);
  EXPECT_EQ(history.find("t/A")->runs, 3u);
  EXPECT_EQ(history.find("t/A")->flaky, 0u);
  EXPECT_EQ(history.find("t/A")->last_outcome, Outcome::not_run);
  EXPECT_LT(history.find("t/A")->cpu_seconds, 0);
}

TEST_F(HistoryFileTest, DirectoryInPlaceOfTheFileIsAWarning) {
  fs::create_directories(dir_ / "history.json");
  const History history = History::load(dir_ / "history.json");
  EXPECT_TRUE(history.empty());
  ASSERT_EQ(history.warnings().size(), 1u);
  EXPECT_NE(history.warnings()[0].find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace fanout::launcher
