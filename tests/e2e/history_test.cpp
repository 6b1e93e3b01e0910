// History: a run leaves .fanout/history.json with what it measured, and the next run starts the
// longest item first.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/e2e/probe_log.hpp"
#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

namespace json = boost::json;

std::vector<std::string> begin_order(const ProbeLog& log) {
  std::vector<std::string> names;
  for (const auto& run : log.runs()) names.push_back(run.name);
  return names;
}

TEST(History, RecordsEveryItemAndTheNextRunStartsTheLongestFirst) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const std::vector<std::string> args{"-j", "1", "-R", R"(Durations\.)"};
  const FanoutRun first = run_clean(dir, args);
  EXPECT_EQ(first.command.exit_code, 0) << first.diagnostics();

  const auto history_file = dir.path() / ".fanout" / "history.json";
  std::ifstream in(history_file);
  ASSERT_TRUE(in) << "no " << history_file;
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  json::error_code ec;
  const json::value history = json::parse(text, ec);
  ASSERT_FALSE(ec) << "not JSON: " << ec.message() << "\n" << text;
  ASSERT_TRUE(history.is_object()) << text;
  EXPECT_EQ(history.at("version"), 1) << text;
  const json::object& items = history.at("items").as_object();
  double previous_mean = 0;
  for (const char* id :
       {"probe/Durations.Short", "probe/Durations.Medium", "probe/Durations.Long"}) {
    ASSERT_TRUE(items.contains(id)) << id << "\n" << text;
    const json::object& item = items.at(id).as_object();
    EXPECT_EQ(item.at("last_outcome"), "passed") << id;
    EXPECT_EQ(item.at("runs"), 1) << id;
    const double mean = item.at("mean_seconds").to_number<double>();
    EXPECT_GT(mean, previous_mean) << id << " (declared shortest first)\n" << text;
    previous_mean = mean;
  }
  EXPECT_EQ(items.size(), 3u) << text;

  log.clear();
  const FanoutRun second = run_clean(dir, args);
  EXPECT_EQ(second.command.exit_code, 0) << second.diagnostics();
  EXPECT_EQ(begin_order(log),
            (std::vector<std::string>{"Durations.Long", "Durations.Medium", "Durations.Short"}))
      << log.text();
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(History, ARunThatCollectsNothingKeepsTheHistory) {
  const ProbeLog log;
  const ManifestDir scratch({});
  TargetSpec spec = probe_target("probe", log);
  const std::filesystem::path original = spec.executable;
  spec.executable = scratch.path() / "probe_copy";
  std::filesystem::copy_file(original, spec.executable);
  const ManifestDir dir({spec});
  const FanoutRun first = run_clean(dir, {"-j", "1", "-R", R"(Durations\.Short)"});
  EXPECT_EQ(first.command.exit_code, 0) << first.diagnostics();
  const auto history_file = dir.path() / ".fanout" / "history.json";
  const std::string before = read_text(history_file);
  ASSERT_NE(before.find("probe/Durations.Short"), std::string::npos) << before;

  // Nothing recorded: the file is left alone, not even rewritten (a new file has a new inode).
  const auto inode = [&] {
    struct stat status {};
    return ::stat(history_file.c_str(), &status) == 0 ? status.st_ino : 0;
  };
  const ino_t first_inode = inode();
  const FanoutRun none = run_fanout(dir, {"-j", "1", "-R", "matches-nothing"});
  EXPECT_EQ(inode(), first_inode) << none.diagnostics();

  std::filesystem::remove(spec.executable);
  const FanoutRun broken = run_fanout(dir, {"-j", "1"});
  EXPECT_NE(broken.command.exit_code, 0) << broken.diagnostics();
  EXPECT_EQ(read_text(history_file), before);
  EXPECT_EQ(inode(), first_inode);
}

TEST(History, AStableSuiteStopsRewritingTheHistoryButAFailureIsSaved) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log, {"FANOUT_E2E_FAIL=Verdict\\.B$"})});
  const auto history_file = dir.path() / ".fanout" / "history.json";
  // Which file is there: a rewritten one has a new inode (though an inode number may be reused)
  // and a new modification time.
  const auto inode = [&] {
    struct stat status {};
    if (::stat(history_file.c_str(), &status) != 0) return std::pair<ino_t, long long>{0, 0};
    return std::pair<ino_t, long long>{
        status.st_ino, status.st_mtim.tv_sec * 1000000000LL + status.st_mtim.tv_nsec};
  };
  // Verdict.A takes no measurable time: after its first 5 runs its average cannot move.
  const std::vector<std::string> args{"-j", "1", "-R", R"(Verdict\.A$)"};
  for (std::uint64_t run = 1; run <= 5; ++run) {
    const auto before = inode();
    const FanoutRun learning = run_clean(dir, args);
    ASSERT_EQ(learning.command.exit_code, 0) << learning.diagnostics();
    EXPECT_NE(inode(), before) << "run " << run << " of the first 5 was not saved";
  }
  const auto settled = inode();
  const std::string text = read_text(history_file);
  const FanoutRun stable = run_clean(dir, args);
  ASSERT_EQ(stable.command.exit_code, 0) << stable.diagnostics();
  EXPECT_EQ(inode(), settled) << "a run that taught nothing rewrote the history";
  EXPECT_EQ(read_text(history_file), text);

  const FanoutRun failing = run_clean(dir, {"-j", "1", "-R", R"(Verdict\.[AB]$)"});
  EXPECT_NE(failing.command.exit_code, 0) << failing.diagnostics();
  EXPECT_NE(inode(), settled) << "a new item and a failure were not saved";
  EXPECT_NE(read_text(history_file).find(R"("probe/Verdict.B": {"mean_seconds")"),
            std::string::npos)
      << read_text(history_file);
}

/// The history entry of `id` in `dir`'s history file (an empty object when there is none).
json::object history_entry(const ManifestDir& dir, const std::string& id) {
  const std::string text = read_text(dir.path() / ".fanout" / "history.json");
  json::error_code ec;
  const json::value history = json::parse(text, ec);
  if (ec || !history.is_object()) return {};
  const json::object& items = history.at("items").as_object();
  return items.contains(id) ? items.at(id).as_object() : json::object{};
}

TEST(History, AnItemFailedByItsFixturesSetupKeepsItsTimeButRecordsTheFailure) {
  const ProbeLog log;
  TargetSpec needs = probe_target("needs_db", log);
  needs.fixtures_required = {"db"};
  // The setup fails while the file "setup-fails" exists in the run's directory.
  const ManifestDir dir({needs},
                        {FixtureSpec{"db", {"/bin/sh", "-c", "test ! -e setup-fails"}, {}}});
  const std::vector<std::string> args{"-R", R"(Durations\.Medium$)"};
  const std::string id = "needs_db/Durations.Medium";
  const FanoutRun ran = run_clean(dir, args);
  EXPECT_EQ(ran.command.exit_code, 0) << ran.diagnostics();
  const json::object measured = history_entry(dir, id);
  ASSERT_EQ(measured.at("runs"), 1) << read_text(dir.path() / ".fanout" / "history.json");
  EXPECT_GE(measured.at("mean_seconds").to_number<double>(), 0.15);

  dir.write_file("setup-fails", "");
  const FanoutRun failed = run_clean(dir, args);
  EXPECT_EQ(failed.command.exit_code, 1) << failed.diagnostics();
  EXPECT_EQ(status_of(failed, id), "failure") << failed.diagnostics();
  const json::object after = history_entry(dir, id);
  EXPECT_EQ(after.at("last_outcome"), "failed") << "the failure is remembered";
  EXPECT_EQ(after.at("runs"), 1) << "the item never ran: no run to count";
  EXPECT_EQ(after.at("mean_seconds"), measured.at("mean_seconds"))
      << "a run that never started must not be averaged in as 0 s";

  // As the last outcome, the failure brings the item back with --rerun-failed.
  std::filesystem::remove(dir.path() / "setup-fails");
  log.clear();
  const FanoutRun rerun = run_clean(dir, {"--rerun-failed"});
  EXPECT_EQ(rerun.command.exit_code, 0) << rerun.diagnostics();
  EXPECT_EQ(begin_order(log), std::vector<std::string>{"Durations.Medium"}) << log.text();
  EXPECT_EQ(history_entry(dir, id).at("runs"), 2);
}

}  // namespace
}  // namespace fanout::e2e
