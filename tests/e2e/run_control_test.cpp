// Run control: --retries (flaky), --repeat, --shuffle, --shard, --rerun-failed, -L/-LE, checked by
// what the test processes themselves logged.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "tests/e2e/probe_log.hpp"
#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

constexpr int kSomeFailed = 1;

/// How often each case began, by name.
std::map<std::string, int> run_counts(const ProbeLog& log) {
  std::map<std::string, int> counts;
  for (const auto& run : log.runs()) ++counts[run.name];
  return counts;
}

/// The names of the cases in the order they began.
std::vector<std::string> begin_order(const ProbeLog& log) {
  std::vector<std::string> names;
  for (const auto& run : log.runs()) names.push_back(run.name);
  return names;
}

std::set<std::string> junit_ids(const FanoutRun& run) {
  std::set<std::string> ids;
  if (run.junit) {
    for (const auto& [id, test_case] : run.junit->cases) ids.insert(id);
  }
  return ids;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : " ") + name;
  return text;
}

TEST(RunControl, RetriedItemThatPassesLaterIsFlakyAndAPersistentFailureRunsOncePlusRetries) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const FanoutRun run = run_clean(
      dir, {"-j", "1", "--retries", "2", "-R", R"(Flaky\.(FailsFirstTime|AlwaysFails)$)"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, kSomeFailed) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{0, 1, 0}))
      << "a flaky item is not counted as passed\n"
      << run.diagnostics();
  EXPECT_NE(run.command.output.find("; 1 flaky"), std::string::npos) << run.diagnostics();

  const auto counts = run_counts(log);
  EXPECT_EQ(counts.count("Flaky.FailsFirstTime") ? counts.at("Flaky.FailsFirstTime") : 0, 2)
      << log.text();
  EXPECT_EQ(counts.count("Flaky.AlwaysFails") ? counts.at("Flaky.AlwaysFails") : 0, 3)
      << log.text();

  const JunitCase* flaky = run.item("probe/Flaky.FailsFirstTime");
  ASSERT_NE(flaky, nullptr) << item_ids(run);
  EXPECT_EQ(flaky->status, "passed") << run.diagnostics();
  EXPECT_NE(flaky->system_out.find("flaky"), std::string::npos) << run.diagnostics();
  EXPECT_NE(run.junit_text.find(R"(<property name="flaky" value="true"/>)"), std::string::npos)
      << run.diagnostics();
  EXPECT_EQ(status_of(run, "probe/Flaky.AlwaysFails"), "failure") << run.diagnostics();
}

TEST(RunControl, RepeatUntilFailRunsAPassingItemNTimesAndStopsAtAFailure) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const FanoutRun run = run_clean(
      dir, {"-j", "2", "--repeat", "until-fail:5", "-R", R"(Flaky\.(Passes|FailsFirstTime)$)"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, kSomeFailed) << run.diagnostics();
  const auto counts = run_counts(log);
  EXPECT_EQ(counts, (std::map<std::string, int>{{"Flaky.FailsFirstTime", 1}, {"Flaky.Passes", 5}}))
      << log.text();
  EXPECT_EQ(status_of(run, "probe/Flaky.Passes"), "passed") << run.diagnostics();
  EXPECT_EQ(status_of(run, "probe/Flaky.FailsFirstTime"), "failure") << run.diagnostics();
}

TEST(RunControl, RepeatUntilPassRunsAFailingItemUpToNTimes) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const FanoutRun run = run_clean(dir, {"-j", "2", "--repeat", "until-pass:3", "-R",
                                        R"(Flaky\.(PassesOnThird|AlwaysFails|Passes)$)"});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, kSomeFailed) << run.diagnostics();
  const auto counts = run_counts(log);
  EXPECT_EQ(counts, (std::map<std::string, int>{
                        {"Flaky.AlwaysFails", 3}, {"Flaky.Passes", 1}, {"Flaky.PassesOnThird", 3}}))
      << log.text();
  EXPECT_EQ(status_of(run, "probe/Flaky.PassesOnThird"), "passed") << run.diagnostics();
  EXPECT_EQ(status_of(run, "probe/Flaky.Passes"), "passed") << run.diagnostics();
  EXPECT_EQ(status_of(run, "probe/Flaky.AlwaysFails"), "failure") << run.diagnostics();
}

// With one worker and one process per item, the order the items begin in is fanout's order.
const std::vector<std::string> kOrderArgs = {"-j", "1", "--isolate", "-R", R"(Verdict\.)"};

std::vector<std::string> shuffled_order(const ManifestDir& dir, const ProbeLog& log,
                                        const std::string& shuffle, std::string* output = nullptr) {
  log.clear();
  std::vector<std::string> args = kOrderArgs;
  args.push_back(shuffle);
  const FanoutRun run = run_clean(dir, args);
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  if (output) *output = run.command.output;
  return begin_order(log);
}

TEST(RunControl, ShufflePrintsASeedThatRepeatsTheOrder) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  std::string output;
  const auto first = shuffled_order(dir, log, "--shuffle", &output);
  std::smatch seed;
  ASSERT_TRUE(std::regex_search(output, seed, std::regex(R"(--shuffle=([0-9]+))")))
      << "no seed printed\n"
      << output;
  const auto again = shuffled_order(dir, log, "--shuffle=" + seed[1].str());
  EXPECT_EQ(joined(again), joined(first)) << "seed " << seed[1];

  auto sorted = first;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(joined(sorted),
            "Verdict.A Verdict.B Verdict.C Verdict.D Verdict.E Verdict.F "
            "Verdict.G Verdict.H");
}

TEST(RunControl, ShuffleWithSeedIsRepeatableAndSeedsDiffer) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const auto first = shuffled_order(dir, log, "--shuffle=1234");
  const auto second = shuffled_order(dir, log, "--shuffle=1234");
  const auto other = shuffled_order(dir, log, "--shuffle=98765");
  ASSERT_EQ(first.size(), 8u) << joined(first);
  EXPECT_EQ(joined(second), joined(first));
  EXPECT_NE(joined(other), joined(first)) << "two seeds gave the same order";
  const std::vector<std::string> declared{"Verdict.A", "Verdict.B", "Verdict.C", "Verdict.D",
                                          "Verdict.E", "Verdict.F", "Verdict.G", "Verdict.H"};
  EXPECT_TRUE(first != declared || other != declared) << "nothing was shuffled";
}

// Without --isolate the items share processes; the order they run in must still be the one
// the seed gives, whatever the batches (the second run has history, so its batches differ).
TEST(RunControl, ShuffleWithSeedRepeatsTheOrderWhenItemsShareProcesses) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const auto isolated = shuffled_order(dir, log, "--shuffle=1234");
  auto batched = [&] {
    log.clear();
    const FanoutRun run = run_clean(dir, {"-j", "1", "--shuffle=1234", "-R", R"(Verdict\.)"});
    EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
    return begin_order(log);
  };
  std::filesystem::remove(dir.path() / ".fanout" / "history.json");
  const auto first = batched();
  const auto second = batched();
  ASSERT_EQ(first.size(), 8u) << joined(first);
  EXPECT_EQ(joined(second), joined(first)) << "the same seed gave another order";
  EXPECT_EQ(joined(second), joined(isolated)) << "the order run is not the seed's order";
}

TEST(RunControl, ThreeShardsTogetherRunEveryItemExactlyOnce) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const std::string thirty_items = R"(Tiny\.Case/[12]?[0-9]$)";
  std::multiset<std::string> reported;
  for (int shard = 1; shard <= 3; ++shard) {
    // Every shard must plan over the same history (here: none), as every job of a CI matrix.
    std::filesystem::remove(dir.path() / ".fanout" / "history.json");
    const std::string spec = std::to_string(shard) + "/3";
    const FanoutRun run = run_clean(dir, {"-j", "2", "--shard", spec, "-R", thirty_items});
    EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
    EXPECT_NE(run.command.output.find("shard " + spec + ": "), std::string::npos)
        << run.diagnostics();
    const auto ids = junit_ids(run);
    EXPECT_FALSE(ids.empty()) << "shard " << spec << " ran nothing";
    reported.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(reported.size(), 30u);
  EXPECT_EQ(std::set<std::string>(reported.begin(), reported.end()).size(), 30u)
      << "an item was in two shards";
  const auto runs = log.runs();
  EXPECT_EQ(runs.size(), 30u) << describe(runs);
  const auto counts = run_counts(log);
  EXPECT_EQ(counts.size(), 30u) << describe(runs);
  for (const auto& [name, count] : counts) EXPECT_EQ(count, 1) << name;
}

/// The item ids `fanout --list --format json` printed.
std::set<std::string> listed_ids(const FanoutRun& run) {
  static const std::regex id_member(R"re("id":"([^"]*)")re");
  std::set<std::string> ids;
  const std::string& text = run.command.output;
  for (std::sregex_iterator it(text.begin(), text.end(), id_member), end; it != end; ++it) {
    ids.insert((*it)[1]);
  }
  return ids;
}

TEST(RunControl, ListingAShardListsWhatThatShardRuns) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const std::string ten_items = R"(Tiny\.Case/[0-9]$)";
  std::set<std::string> every_listed;
  for (const std::string spec : {"1/2", "2/2"}) {
    std::filesystem::remove(dir.path() / ".fanout" / "history.json");
    const FanoutRun listing =
        run_fanout(dir, {"--list", "--format", "json", "--shard", spec, "-R", ten_items});
    EXPECT_EQ(listing.command.exit_code, 0) << listing.diagnostics();
    const auto listed = listed_ids(listing);
    const FanoutRun run = run_clean(dir, {"-j", "2", "--shard", spec, "-R", ten_items});
    EXPECT_FALSE(listed.empty()) << listing.diagnostics();
    EXPECT_EQ(listed, junit_ids(run)) << "shard " << spec << "\n" << listing.diagnostics();
    every_listed.insert(listed.begin(), listed.end());
  }
  EXPECT_EQ(every_listed.size(), 10u);
}

TEST(RunControl, AGroupRunsWholeInOneShard) {
  const ProbeLog log;
  TargetSpec probe = probe_target("probe", log);
  probe.group = "db";
  probe.group_items = {R"(Tiny\.Case/[0-5]$)"};
  const ManifestDir dir({probe});
  std::map<std::string, int> shard_of_group_item;
  for (const std::string spec : {"1/3", "2/3", "3/3"}) {
    std::filesystem::remove(dir.path() / ".fanout" / "history.json");
    const FanoutRun run =
        run_clean(dir, {"-j", "2", "--shard", spec, "-R", R"(Tiny\.Case/1?[0-9]$)"});
    EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
    for (const auto& id : junit_ids(run)) {
      if (std::regex_search(id, std::regex(R"(Case/[0-5]$)"))) shard_of_group_item[id] = spec[0];
    }
  }
  ASSERT_EQ(shard_of_group_item.size(), 6u);
  std::set<int> shards;
  for (const auto& [id, shard] : shard_of_group_item) shards.insert(shard);
  EXPECT_EQ(shards.size(), 1u) << "the group db was split across shards";
}

TEST(RunControl, AShardWithNothingToRunStillSucceeds) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  // A CI matrix of more shards than items: the empty ones must not fail the build.
  const FanoutRun run = run_clean(dir, {"-j", "2", "--shard", "9/9", "-R", R"(Verdict\.A$)"});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_NE(run.command.output.find("shard 9/9: 0 of 1 items"), std::string::npos)
      << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{0, 0, 0})) << run.diagnostics();
  EXPECT_TRUE(log.runs().empty()) << log.text();
}

TEST(RunControl, RerunFailedAfterACleanRunRunsNothingAndSucceeds) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log)});
  const FanoutRun first = run_clean(dir, {"-j", "2", "-R", R"(Verdict\.[AB]$)"});
  ASSERT_EQ(first.command.exit_code, 0) << first.diagnostics();
  log.clear();
  const FanoutRun rerun = run_clean(dir, {"-j", "2", "--rerun-failed", "-R", R"(Verdict\.)"});
  EXPECT_EQ(rerun.command.exit_code, 0) << rerun.diagnostics();
  EXPECT_NE(rerun.command.output.find("--rerun-failed: none of the"), std::string::npos)
      << rerun.diagnostics();
  EXPECT_TRUE(log.runs().empty()) << log.text();
}

TEST(RunControl, RerunFailedRunsExactlyTheItemsThatFailed) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log, {R"(FANOUT_E2E_FAIL=Verdict\.(B|E)$)"})});
  const FanoutRun first = run_clean(dir, {"-j", "2", "-R", R"(Verdict\.)"});
  EXPECT_EQ(first.command.exit_code, kSomeFailed) << first.diagnostics();
  EXPECT_EQ(parse_summary_line(first.last_line), (SummaryLine{6, 2, 0})) << first.diagnostics();

  log.clear();
  // No -R: the selection comes from the history alone.
  const FanoutRun rerun = run_clean(dir, {"-j", "2", "--rerun-failed"});
  EXPECT_EQ(rerun.command.exit_code, kSomeFailed) << rerun.diagnostics();
  EXPECT_EQ(junit_ids(rerun), (std::set<std::string>{"probe/Verdict.B", "probe/Verdict.E"}))
      << rerun.diagnostics();
  EXPECT_EQ(run_counts(log), (std::map<std::string, int>{{"Verdict.B", 1}, {"Verdict.E", 1}}))
      << log.text();

  const FanoutRun listing = run_fanout(dir, {"--list", "--format", "json", "--rerun-failed"});
  EXPECT_EQ(listed_ids(listing), (std::set<std::string>{"probe/Verdict.B", "probe/Verdict.E"}))
      << listing.diagnostics();
}

TEST(RunControl, LabelsSelectAndExcludeTargets) {
  const ProbeLog log;
  TargetSpec fast = probe_target("fast_probe", log);
  fast.labels = {"fast"};
  TargetSpec slow = probe_target("slow_probe", log);
  slow.labels = {"slow", "nightly"};
  const ManifestDir dir({fast, slow});
  auto ids_for = [&](std::vector<std::string> args) {
    args.insert(args.end(), {"-R", R"(Verdict\.A$)"});
    const FanoutRun run = run_clean(dir, args);
    EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
    return junit_ids(run);
  };
  const std::set<std::string> only_fast{"fast_probe/Verdict.A"};
  const std::set<std::string> only_slow{"slow_probe/Verdict.A"};
  EXPECT_EQ(ids_for({"-L", "^fast$"}), only_fast);
  EXPECT_EQ(ids_for({"-L", "^nightly$"}), only_slow);
  EXPECT_EQ(ids_for({"-LE", "^slow$"}), only_fast);
  EXPECT_EQ(ids_for({"-L", "^(fast|slow)$", "-LE", "^nightly$"}), only_fast);
  EXPECT_EQ(ids_for({}), (std::set<std::string>{"fast_probe/Verdict.A", "slow_probe/Verdict.A"}));

  std::set<std::string> logged;
  for (const auto& run : log.runs()) logged.insert(run.target);
  EXPECT_EQ(logged, (std::set<std::string>{"fast_probe", "slow_probe"}));
  EXPECT_EQ(log.runs_of("slow_probe").size(), 2u) << log.text();  // -L nightly and no label
}

}  // namespace
}  // namespace fanout::e2e
