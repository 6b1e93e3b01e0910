#include "launcher/history.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

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

TEST(History, AFailureOfAnItemThatNeverStartedIsNotTimed) {
  History history;
  history.record("t/A.x", result(Outcome::passed, 3), 2);
  Result never_ran = result(Outcome::failed, 0);
  never_ran.ran = false;  // its fixture's setup failed
  history.record("t/A.x", never_ran, 0);
  const ItemHistory* item = history.find("t/A.x");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->last_outcome, Outcome::failed) << "still a failure, for --rerun-failed";
  EXPECT_DOUBLE_EQ(item->mean_seconds, 3);
  EXPECT_EQ(item->runs, 1u);
  EXPECT_DOUBLE_EQ(item->cpu_seconds, 2);
  EXPECT_EQ(item->cpu_runs, 1u);
  EXPECT_TRUE(history.changed());

  history.record("t/B.y", never_ran, 0);
  EXPECT_EQ(history.find("t/B.y")->runs, 0u) << "never timed";
  EXPECT_EQ(history.find("t/B.y")->last_outcome, Outcome::failed);
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

TEST(History, TargetMedianCoversOnlyTimedItemsOfThatTargetOnceThereAreAFew) {
  History history;
  EXPECT_LT(history.target_median_seconds("a"), 0);
  history.record("a/X.one", result(Outcome::passed, 1));
  history.record("a/X.two", result(Outcome::passed, 300));
  history.record("a/X.three", result(Outcome::error, 0));
  for (const char* other : {"ab/X.one", "ab/X.two", "ab/X.three", "a.b/X.one"}) {
    history.record(other, result(Outcome::passed, 100));
  }
  EXPECT_LT(history.target_median_seconds("a"), 0) << "two timed items are too few";
  history.record("a/X.four", result(Outcome::passed, 2));
  EXPECT_DOUBLE_EQ(history.target_median_seconds("a"), 2) << "the long one does not count more";
  history.record("a/X.five", result(Outcome::passed, 3));
  EXPECT_DOUBLE_EQ(history.target_median_seconds("a"), 3) << "the upper middle of four";
  EXPECT_DOUBLE_EQ(history.target_median_seconds("ab"), 100);
  EXPECT_LT(history.target_median_seconds("b"), 0);
}

TEST(History, CopiesAreIndependent) {
  History original;
  original.record("a/X.one", result(Outcome::passed, 2));
  ASSERT_NE(original.find("a/X.one"), nullptr);  // the original's index is built
  History copy = original;
  copy.record("a/X.one", result(Outcome::failed, 4));
  copy.record("a/X.two", result(Outcome::passed, 1));
  EXPECT_EQ(original.find("a/X.one")->runs, 1u);
  EXPECT_EQ(original.find("a/X.one")->last_outcome, Outcome::passed);
  EXPECT_EQ(original.find("a/X.two"), nullptr);
  EXPECT_EQ(copy.find("a/X.one")->runs, 2u);
  EXPECT_EQ(copy.find("a/X.one")->last_outcome, Outcome::failed);
  ASSERT_NE(copy.find("a/X.two"), nullptr);
  original = copy;
  EXPECT_EQ(original.find("a/X.one")->runs, 2u);
  EXPECT_NE(original.find("a/X.two"), nullptr);
}

TEST(History, LongestMeanFollowsEveryRecord) {
  History history;
  EXPECT_LT(history.longest_mean_seconds(), 0);
  history.record("a/X.never_timed", result(Outcome::error, 50));
  EXPECT_LT(history.longest_mean_seconds(), 0) << "an error says nothing about its duration";
  history.record("a/X.one", result(Outcome::passed, 2));
  history.record("b/Y.one", result(Outcome::passed, 5));
  EXPECT_DOUBLE_EQ(history.longest_mean_seconds(), 5);
  history.record("b/Y.one", result(Outcome::passed, 1));  // the mean of 5 and 1
  EXPECT_DOUBLE_EQ(history.longest_mean_seconds(), 3);
}

TEST_F(HistoryFileTest, LoadedEntriesAndNewOnesAreFoundSavedSortedAndAveragedPerTarget) {
  History first;
  for (const char* id : {"a/X.2", "b/Y.1", "a/X.1"}) first.record(id, result(Outcome::passed, 2));
  first.save(dir_ / "history.json");

  History history = History::load(dir_ / "history.json");
  ASSERT_TRUE(history.warnings().empty());
  EXPECT_LT(history.target_median_seconds("a"), 0) << "two timed items are too few";
  // New ids, out of order, beside the loaded ones; and a loaded one recorded again.
  history.record("c/Z.1", result(Outcome::failed, 8));
  history.record("a/X.0", result(Outcome::passed, 5));
  history.record("a/X.2", result(Outcome::passed, 4));
  ASSERT_EQ(history.items().size(), 5u);
  for (const char* id : {"a/X.0", "a/X.1", "a/X.2", "b/Y.1", "c/Z.1"}) {
    EXPECT_NE(history.find(id), nullptr) << id;
  }
  EXPECT_EQ(history.find("a/X.2")->runs, 2u);
  EXPECT_DOUBLE_EQ(history.find("a/X.2")->mean_seconds, 3);
  EXPECT_EQ(history.find("c/Z.1")->last_outcome, Outcome::failed);
  EXPECT_EQ(history.find("a/X"), nullptr);
  EXPECT_DOUBLE_EQ(history.target_median_seconds("a"), 3);
  EXPECT_LT(history.target_median_seconds("c"), 0);
  EXPECT_DOUBLE_EQ(history.longest_mean_seconds(), 8);

  // Saved sorted by id, whatever the order they came in.
  history.save(dir_ / "history.json");
  const std::string text = read_text(dir_ / "history.json");
  std::vector<std::size_t> positions;
  for (const char* id : {"a/X.0", "a/X.1", "a/X.2", "b/Y.1", "c/Z.1"}) {
    positions.push_back(text.find("\"" + std::string(id) + "\""));
    EXPECT_NE(positions.back(), std::string::npos) << id;
  }
  EXPECT_TRUE(std::is_sorted(positions.begin(), positions.end())) << text;
  const History again = History::load(dir_ / "history.json");
  EXPECT_EQ(again.items().size(), 5u);
  EXPECT_EQ(again.find("a/X.2")->runs, 2u);
}

/// A history whose "unit/Steady" has run `runs` times at `seconds` (and `cpu` CPU seconds).
History settled(std::uint64_t runs, double seconds, double cpu = -1) {
  History history;
  for (std::uint64_t i = 0; i < runs; ++i) {
    history.record("unit/Steady", result(Outcome::passed, seconds), cpu);
  }
  return history;
}

TEST_F(HistoryFileTest, ASettledItemChangesNothingWorthSavingUnlessItsAverageMovesNoticeably) {
  const fs::path file = dir_ / "history.json";
  settled(History::averaging_window, 2.0, 1.0).save(file);
  auto after = [&](double seconds, double cpu = 1.0, Outcome outcome = Outcome::passed) {
    History loaded = History::load(file);
    loaded.record("unit/Steady", result(outcome, seconds), cpu);
    return loaded.changed();
  };
  EXPECT_FALSE(after(2.0));
  EXPECT_FALSE(after(2.1)) << "the average moves by 1 %";
  EXPECT_TRUE(after(2.5)) << "the average moves by 5 %";
  EXPECT_TRUE(after(1.5));
  EXPECT_TRUE(after(2.0, 1.5)) << "CPU time moved";
  EXPECT_FALSE(after(2.0, -1)) << "CPU time not measured this time";
  EXPECT_TRUE(after(2.0, 1.0, Outcome::failed)) << "another outcome";
  EXPECT_TRUE(after(2.0, 1.0, Outcome::flaky)) << "a flaky run";
  EXPECT_TRUE(after(2.0, 1.0, Outcome::error)) << "another outcome, no time";

  History loaded = History::load(file);
  loaded.record("unit/New", result(Outcome::passed, 0.1));
  EXPECT_TRUE(loaded.changed()) << "a new item";
}

TEST_F(HistoryFileTest, ShortItemsChangeNothingWorthSavingForSubMillisecondJitter) {
  const fs::path file = dir_ / "history.json";
  settled(History::averaging_window, 0.0002).save(file);
  History jitter = History::load(file);
  jitter.record("unit/Steady", result(Outcome::passed, 0.001));  // GoogleTest's "(1 ms)"
  EXPECT_FALSE(jitter.changed()) << "moved by 0.16 ms";
  History slower = History::load(file);
  slower.record("unit/Steady", result(Outcome::passed, 0.004));
  EXPECT_TRUE(slower.changed()) << "moved by 0.76 ms";
}

TEST_F(HistoryFileTest, AnItemStillInItsFirstRunsAlwaysChangesTheHistory) {
  const fs::path file = dir_ / "history.json";
  settled(History::averaging_window - 1, 2.0).save(file);
  History loaded = History::load(file);
  loaded.record("unit/Steady", result(Outcome::passed, 2.0));
  EXPECT_TRUE(loaded.changed()) << "the runs count of a plain mean matters";
}

TEST_F(HistoryFileTest, MissingFileIsEmptyWithoutWarning) {
  const History history = History::load(dir_ / "nothing" / "history.json");
  EXPECT_TRUE(history.empty());
  EXPECT_TRUE(history.warnings().empty());
}

TEST_F(HistoryFileTest, ChangedOnlyByWhatIsRecorded) {
  History history;
  history.record("unit/Math.Add", result(Outcome::passed, 0.25));
  history.mark_unsplittable("legacy");
  history.save(dir_ / "history.json");

  History loaded = History::load(dir_ / "history.json");
  EXPECT_FALSE(loaded.changed());
  loaded.record("unit/Math.Add", result(Outcome::not_run, 0));
  loaded.mark_unsplittable("legacy");
  EXPECT_FALSE(loaded.changed()) << "nothing new";
  loaded.mark_unsplittable("other");
  EXPECT_TRUE(loaded.changed());

  History again = History::load(dir_ / "history.json");
  again.record("unit/Math.Add", result(Outcome::passed, 0.5));
  EXPECT_TRUE(again.changed());
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
  history.items().for_each([&](std::string_view id, const ItemHistory& expected) {
    const ItemHistory* item = loaded.find(std::string(id));
    ASSERT_NE(item, nullptr) << id;
    EXPECT_DOUBLE_EQ(item->mean_seconds, expected.mean_seconds) << id;
    EXPECT_EQ(item->runs, expected.runs) << id;
    EXPECT_EQ(item->last_outcome, expected.last_outcome) << id;
    EXPECT_EQ(item->flaky, expected.flaky) << id;
    EXPECT_DOUBLE_EQ(item->cpu_seconds, expected.cpu_seconds) << id;
    EXPECT_EQ(item->cpu_runs, expected.cpu_runs) << id;
  });
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

TEST_F(HistoryFileTest, AwkwardIdsSurviveSaveAndLoadExactly) {
  const std::vector<std::string> ids = {"t/quote\"d",
                                        "t/back\\slash",
                                        "t/ctrl\n\t\r\b\f\x01\x1f\x7f",
                                        "t/utf8 é 日本 \xF0\x9F\x98\x80",
                                        "t/slash/and space",
                                        ""};
  History history;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    history.record(ids[i], result(Outcome::passed, 0.5 * static_cast<double>(i)), 0.25);
  }
  const fs::path file = dir_ / "history.json";
  history.save(file);
  const std::string text = read_text(file);

  // Ids are escaped exactly as Boost.JSON escapes them.
  for (const std::string& id : ids) {
    EXPECT_NE(text.find("\n    " + boost::json::serialize(boost::json::value(id)) + ": {"),
              std::string::npos)
        << id;
  }
  const History loaded = History::load(file);
  EXPECT_TRUE(loaded.warnings().empty()) << (loaded.warnings().empty() ? "" : loaded.warnings()[0]);
  ASSERT_EQ(loaded.items().size(), history.items().size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const ItemHistory* item = loaded.find(ids[i]);
    ASSERT_NE(item, nullptr) << ids[i];
    EXPECT_EQ(item->mean_seconds, 0.5 * static_cast<double>(i)) << ids[i];
    EXPECT_EQ(item->cpu_seconds, 0.25) << ids[i];
  }
  loaded.save(dir_ / "again.json");
  EXPECT_EQ(read_text(dir_ / "again.json"), text);
}

TEST_F(HistoryFileTest, SecondsAreWrittenRoundedToATenthOfAMicrosecond) {
  struct Case {
    double seconds;
    std::string written;
    double read_back;
  };
  const std::vector<Case> cases = {
      {0, "0", 0},
      {1e-7, "0.0000001", 1e-7},
      {0.25, "0.25", 0.25},
      {30, "30", 30},
      {3.671e-5, "0.0000367", 3.67e-5},
      {3.675e-5 + 1e-12, "0.0000368", 3.68e-5},
      {123456.789, "123456.789", 123456.789},
      {123.456789049, "123.456789", 123.456789},
      {0.99999999, "1", 1},
      {4e-8, "0", 0},  // below half a step
      {2.9931553532536887e-9, "0", 0},
      {7.106584790062826e-72, "0", 0},  // an average decayed towards nothing
      {5e-324, "0", 0},
      {99999999.99999, "99999999.99999", 99999999.99999},
      {1e10, "1e+10", 1e10},  // past the stepped range: shortest exact form
      {1.7976931348623157e308, "1.7976931348623157e+308", 1.7976931348623157e308},
  };
  History history;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    history.record("t/" + std::to_string(100 + i), result(Outcome::passed, cases[i].seconds),
                   cases[i].seconds);
  }
  const fs::path file = dir_ / "history.json";
  history.save(file);
  const std::string text = read_text(file);
  const History loaded = History::load(file);
  ASSERT_TRUE(loaded.warnings().empty()) << loaded.warnings()[0];
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string id = "t/" + std::to_string(100 + i);
    const std::string written = cases[i].written;
    EXPECT_NE(text.find("\"" + id + "\": {\"mean_seconds\":" + written + ",\"runs\":1,"),
              std::string::npos)
        << id << " should be written " << written;
    EXPECT_NE(text.find("\"cpu_seconds\":" + written + ",\"cpu_runs\":1}"), std::string::npos)
        << written;
    ASSERT_NE(loaded.find(id), nullptr) << id;
    EXPECT_EQ(loaded.find(id)->mean_seconds, cases[i].read_back) << id;
    EXPECT_EQ(loaded.find(id)->cpu_seconds, cases[i].read_back) << id;
  }
  // What was read back is written the same way: saving again changes nothing.
  loaded.save(dir_ / "again.json");
  EXPECT_EQ(read_text(dir_ / "again.json"), text);
}

TEST_F(HistoryFileTest, FilesWithLongNumbersFromEarlierVersionsStillLoad) {
  // Earlier versions wrote every double in its shortest exact form, Boost.JSON's ("1.2E-3") or
  // std::to_chars' ("1e-07"); the numbers read back as the same doubles.
  write_text(dir_ / "history.json", R"({
  "version": 1,
  "items": {
    "tiny1/A.x": {"mean_seconds":7.106584790062826e-72,"runs":1506,"last_outcome":"passed","flaky":0,"cpu_seconds":0.00024843790085265317,"cpu_runs":1320},
    "tiny1/A.y": {"mean_seconds":1.2E-3,"runs":7,"last_outcome":"failed","flaky":2,"cpu_seconds":1e-07,"cpu_runs":3},
    "tiny1/A.z": {"mean_seconds":2.9931553532536887e-9,"runs":1,"last_outcome":"flaky","flaky":1},
    "tiny1/B.w": {"mean_seconds":12345678901234567890,"runs":2,"last_outcome":"timeout","flaky":0}
  },
  "targets": {}
}
)");
  const History history = History::load(dir_ / "history.json");
  ASSERT_TRUE(history.warnings().empty()) << history.warnings()[0];
  ASSERT_EQ(history.items().size(), 4u);
  const ItemHistory* x = history.find("tiny1/A.x");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->mean_seconds, 7.106584790062826e-72);
  EXPECT_EQ(x->runs, 1506u);
  EXPECT_EQ(x->cpu_seconds, 0.00024843790085265317);
  EXPECT_EQ(x->cpu_runs, 1320u);
  const ItemHistory* y = history.find("tiny1/A.y");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->mean_seconds, 1.2e-3);
  EXPECT_EQ(y->last_outcome, Outcome::failed);
  EXPECT_EQ(y->flaky, 2u);
  EXPECT_EQ(y->cpu_seconds, 1e-7);
  EXPECT_EQ(history.find("tiny1/A.z")->mean_seconds, 2.9931553532536887e-9);
  EXPECT_LT(history.find("tiny1/A.z")->cpu_seconds, 0);
  EXPECT_EQ(history.find("tiny1/B.w")->mean_seconds, 12345678901234567890.0);

  // Saved again, the numbers come out rounded.
  history.save(dir_ / "history.json");
  const std::string text = read_text(dir_ / "history.json");
  EXPECT_NE(
      text.find(
          R"("tiny1/A.x": {"mean_seconds":0,"runs":1506,"last_outcome":"passed","flaky":0,"cpu_seconds":0.0002484,"cpu_runs":1320})"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("tiny1/A.y": {"mean_seconds":0.0012,)"), std::string::npos) << text;
  EXPECT_EQ(History::load(dir_ / "history.json").find("tiny1/B.w")->mean_seconds,
            12345678901234567890.0);
}

TEST_F(HistoryFileTest, LargeCountsAndOverflowingNumbersSurviveSaveAndLoad) {
  write_text(dir_ / "history.json", R"({"version": 1, "items": {
      "t/A": {"mean_seconds": 1e400, "runs": 18446744073709551615, "last_outcome": "flaky",
              "flaky": 9223372036854775808, "cpu_seconds": 2.5E-3, "cpu_runs": 4294967296}}})");
  const History loaded = History::load(dir_ / "history.json");
  ASSERT_TRUE(loaded.warnings().empty()) << loaded.warnings()[0];
  const ItemHistory* item = loaded.find("t/A");
  ASSERT_NE(item, nullptr);
  EXPECT_TRUE(std::isinf(item->mean_seconds));
  EXPECT_EQ(item->runs, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(item->flaky, std::uint64_t{1} << 63);
  EXPECT_EQ(item->cpu_seconds, 2.5e-3);
  EXPECT_EQ(item->cpu_runs, std::uint64_t{1} << 32);

  loaded.save(dir_ / "again.json");
  boost::json::parse(read_text(dir_ / "again.json"));  // throws if it is not JSON
  const History again = History::load(dir_ / "again.json");
  ASSERT_TRUE(again.warnings().empty()) << again.warnings()[0];
  ASSERT_NE(again.find("t/A"), nullptr);
  EXPECT_TRUE(std::isinf(again.find("t/A")->mean_seconds));
  EXPECT_EQ(again.find("t/A")->runs, item->runs);
  EXPECT_EQ(again.find("t/A")->flaky, item->flaky);
  EXPECT_EQ(again.find("t/A")->cpu_seconds, item->cpu_seconds);
  EXPECT_EQ(again.find("t/A")->cpu_runs, item->cpu_runs);
}

TEST_F(HistoryFileTest, ItemsAreWrittenSortedOnePerLine) {
  History history;
  for (const char* id : {"b/Z.z", "a/Y.y", "b/A.a", "a/Y.x"}) {
    history.record(id, result(Outcome::passed, 0.5), 0.25);
  }
  history.record("c/Err.or", result(Outcome::error, 0));
  history.mark_unsplittable("b");
  history.mark_unsplittable("a");
  history.save(dir_ / "history.json");

  std::vector<std::string> lines;
  std::istringstream in(read_text(dir_ / "history.json"));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::vector<std::string> expected_lines = {
      "{",
      R"(  "version": 1,)",
      R"(  "items": {)",
      R"(    "a/Y.x": {"mean_seconds":0.5,"runs":1,"last_outcome":"passed","flaky":0,"cpu_seconds":0.25,"cpu_runs":1},)",
      R"(    "a/Y.y": {"mean_seconds":0.5,"runs":1,"last_outcome":"passed","flaky":0,"cpu_seconds":0.25,"cpu_runs":1},)",
      R"(    "b/A.a": {"mean_seconds":0.5,"runs":1,"last_outcome":"passed","flaky":0,"cpu_seconds":0.25,"cpu_runs":1},)",
      R"(    "b/Z.z": {"mean_seconds":0.5,"runs":1,"last_outcome":"passed","flaky":0,"cpu_seconds":0.25,"cpu_runs":1},)",
      R"(    "c/Err.or": {"mean_seconds":0,"runs":0,"last_outcome":"error","flaky":0})",
      R"(  },)",
      R"(  "targets": {)",
      R"(    "a": {"unsplittable":true},)",
      R"(    "b": {"unsplittable":true})",
      R"(  })",
      "}",
  };
  EXPECT_EQ(lines, expected_lines);

  // Every item line is a JSON member on its own, and the whole file is one JSON object.
  for (std::size_t i = 3; i < 8; ++i) {
    std::string member = lines[i];
    if (member.back() == ',') member.pop_back();
    EXPECT_NO_THROW(boost::json::parse("{" + member + "}")) << member;
  }
  const boost::json::value root = boost::json::parse(read_text(dir_ / "history.json"));
  EXPECT_EQ(root.at("items").as_object().size(), 5u);

  History empty;
  empty.save(dir_ / "empty.json");
  EXPECT_EQ(read_text(dir_ / "empty.json"),
            "{\n  \"version\": 1,\n  \"items\": {},\n  \"targets\": {}\n}\n");
}

TEST_F(HistoryFileTest, ErrorsNameTheEntryAndMember) {
  // A good entry first: the reason must be found wherever the bad one is.
  const std::string good = R"("t/A.w": {"mean_seconds": 1, "runs": 1, "last_outcome": "passed"}, )";
  const auto items = [&](const std::string& bad) {
    return R"({"version": 1, "items": {)" + good + bad + "}}";
  };
  expect_rejected(
      items(R"("t/A.x": {"mean_seconds": "slow", "runs": 1, "last_outcome": "passed"})"),
      R"(items["t/A.x"].mean_seconds: expected a number)");
  expect_rejected(items(R"("t/A.x": {"mean_seconds": -0.5, "runs": 1, "last_outcome": "passed"})"),
                  R"(items["t/A.x"].mean_seconds: expected a non-negative number)");
  expect_rejected(items(R"("t/A.x": {"mean_seconds": 1, "runs": -1, "last_outcome": "passed"})"),
                  R"(items["t/A.x"].runs: expected a non-negative integer)");
  expect_rejected(items(R"("t/A.x": {"mean_seconds": 1, "runs": 1, "last_outcome": 3})"),
                  R"(items["t/A.x"].last_outcome: expected a string)");
  expect_rejected(items(R"("t/A.x": {"mean_seconds": 1, "runs": 1, "last_outcome": "meh"})"),
                  R"(items["t/A.x"].last_outcome: unknown outcome "meh")");
  expect_rejected(
      items(R"("t/A.x": {"mean_seconds": 1, "runs": 1, "last_outcome": "passed", "flaky": null})"),
      R"(items["t/A.x"].flaky: expected a non-negative integer)");
  expect_rejected(items(R"("t/A.x": {"mean_seconds": 1, "runs": 1, "last_outcome": "passed",
                                     "cpu_seconds": 1, "cpu_runs": "two"})"),
                  R"(items["t/A.x"].cpu_runs: expected a non-negative integer)");
  expect_rejected(items(R"("t/A.x": {"mean_seconds": 1, "last_outcome": "passed"})"),
                  R"(items["t/A.x"]: needs mean_seconds, runs and last_outcome)");
  expect_rejected(items(R"("t/\"q\"": [1])"), R"(items["t/"q""]: expected an object)");
  expect_rejected(R"({"version": 1, "targets": {"legacy": {"unsplittable": "yes"}}})",
                  R"(targets["legacy"].unsplittable: expected a boolean)");
  expect_rejected(R"({"version": 1.0, "items": {}})", "unsupported version 1E0");
  expect_rejected(R"({"version": 1, "items": {}} trailing)", "not valid JSON");
  expect_rejected(R"({"items": {}, "version": 2})", "unsupported version 2");
}

TEST_F(HistoryFileTest, RepeatedIdsAndMembersKeepTheLastAndUnknownValuesAreSkipped) {
  write_text(dir_ / "history.json", R"({"version": 1,
      "future": {"items": {"t/Fake": {"mean_seconds": 1, "runs": 1, "last_outcome": "passed"}}},
      "items": {
        "t/A": {"mean_seconds": 1, "runs": 1, "last_outcome": "passed"},
        "t/B": {"mean_seconds": 2, "runs": 2, "last_outcome": "failed",
                "note": {"runs": "many", "list": [{"flaky": -1}, [null]]}, "cpu_runs": 3},
        "t/A": {"mean_seconds": 5, "runs": 6, "last_outcome": "timeout"}},
      "targets": {"x": {"unsplittable": true}, "x": {"unsplittable": false}}})");
  const History history = History::load(dir_ / "history.json");
  ASSERT_TRUE(history.warnings().empty()) << history.warnings()[0];
  EXPECT_EQ(history.items().size(), 2u);
  EXPECT_EQ(history.find("t/Fake"), nullptr);
  ASSERT_NE(history.find("t/A"), nullptr);
  EXPECT_EQ(history.find("t/A")->mean_seconds, 5);
  EXPECT_EQ(history.find("t/A")->last_outcome, Outcome::timeout);
  ASSERT_NE(history.find("t/B"), nullptr);
  EXPECT_EQ(history.find("t/B")->runs, 2u);
  EXPECT_EQ(history.find("t/B")->flaky, 0u);
  // cpu_runs without cpu_seconds means nothing.
  EXPECT_LT(history.find("t/B")->cpu_seconds, 0);
  EXPECT_EQ(history.find("t/B")->cpu_runs, 0u);
  EXPECT_FALSE(history.is_unsplittable("x"));

  // A member given twice inside an entry: the last one counts too.
  write_text(dir_ / "history.json", R"({"version": 1, "items": {
      "t/A": {"mean_seconds": 1, "runs": 1, "last_outcome": "passed", "runs": 4}}})");
  const History twice = History::load(dir_ / "history.json");
  ASSERT_TRUE(twice.warnings().empty()) << twice.warnings()[0];
  EXPECT_EQ(twice.find("t/A")->runs, 4u);
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
