// The --gtest_filter of a batch: a suite a batch holds whole is named `Suite.*`, which must run
// exactly the items listed, no more (a filter of the user's own narrows the listing) and none
// twice (a crash sends the rest of a suite to a later batch); a batch of the whole listing is
// filtered by `*`.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "tests/e2e/probe_log.hpp"
#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

std::map<std::string, int> begins_per_item(const std::vector<ProbeRun>& runs) {
  std::map<std::string, int> begins;
  for (const auto& run : runs) ++begins[run.id()];
  return begins;
}

TEST(GTestFilters, AWholeBinaryRunBeginsEveryListedItemOnceAndNothingElse) {
  const ProbeLog log;
  const ManifestDir dir({probe_target("probe", log, {"FANOUT_E2E_SLEEP_MS=1"})});
  const FanoutRun run = run_clean(dir, {"-j", "2"});
  ASSERT_TRUE(run.junit) << run.junit_error << run.diagnostics();

  std::map<std::string, int> expected;
  for (const auto& [id, junit_case] : run.junit->cases) expected[id] = 1;
  ASSERT_GT(expected.size(), 200u) << run.diagnostics();
  EXPECT_EQ(begins_per_item(log.runs()), expected) << run.diagnostics() << describe(log.runs());
  const JunitCase* crashed = run.junit->find("probe/Crash.Segfaults");
  ASSERT_NE(crashed, nullptr);
  EXPECT_EQ(crashed->status, "error");
  const JunitCase* after = run.junit->find("probe/Crash.After3");
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->status, "passed");
}

TEST(GTestFilters, ASuiteTheUsersFilterNarrowedRunsOnlyItsListedItems) {
  const ProbeLog log;
  const ManifestDir dir(
      {probe_target("probe", log, {"GTEST_FILTER=Verdict.*:Durations.Short-Verdict.B"})});
  const FanoutRun run = run_clean(dir, {"-j", "2"});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(parse_summary_line(run.last_line), (SummaryLine{8, 0, 0})) << run.diagnostics();

  const std::map<std::string, int> expected = {
      {"probe/Durations.Short", 1}, {"probe/Verdict.A", 1}, {"probe/Verdict.C", 1},
      {"probe/Verdict.D", 1},       {"probe/Verdict.E", 1}, {"probe/Verdict.F", 1},
      {"probe/Verdict.G", 1},       {"probe/Verdict.H", 1}};
  EXPECT_EQ(begins_per_item(log.runs()), expected) << describe(log.runs());
}

/// The lines of `path`, empty when it does not exist.
std::vector<std::string> lines_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(GTestFilters, AWarmRunOfAWholeBinaryInOneBatchFiltersNothingOut) {
  // The target is a script, in a directory of its own, that logs its arguments and runs the
  // fixture binary with them.
  const ManifestDir scripts({});
  const std::filesystem::path log = scripts.path() / "argv.log";
  const std::filesystem::path binary =
      std::filesystem::path(FANOUT_FIXTURE_DIR) / "gtest_typed_param";
  scripts.write_file("logged.sh", "#!/bin/sh\necho \"$*\" >> '" + log.string() + "'\nexec '" +
                                      binary.string() + "' \"$@\"\n");
  TargetSpec spec = fixture_target("gtest_typed_param");
  spec.executable = scripts.path() / "logged.sh";
  std::filesystem::permissions(spec.executable, std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  const ManifestDir project({spec});

  const FanoutRun cold = run_fanout(project, {"-j", "1"});
  expect_clean(cold);
  ASSERT_TRUE(cold.junit) << cold.junit_error << cold.diagnostics();
  std::filesystem::remove(log);

  const FanoutRun warm = run_fanout(project, {"-j", "1"});
  expect_clean(warm);
  ASSERT_TRUE(warm.junit) << warm.junit_error << warm.diagnostics();
  EXPECT_EQ(warm.junit->cases.size(), cold.junit->cases.size());
  for (const auto& [id, junit_case] : warm.junit->cases)
    EXPECT_EQ(junit_case.status, "passed") << id;
  std::ostringstream runs;
  int run_count = 0;
  for (const std::string& line : lines_of(log)) {
    if (line.find("--gtest_list_tests") != std::string::npos) continue;
    ++run_count;
    runs << line << "\n";
  }
  EXPECT_EQ(run_count, 1) << runs.str();
  EXPECT_EQ(runs.str(), "--gtest_filter=* --gtest_color=no\n");
}

}  // namespace
}  // namespace fanout::e2e
