#include "tests/e2e/run_checks.hpp"

#include <gtest/gtest.h>

#include "tests/e2e/xml_text.hpp"

namespace fanout::e2e {

void expect_clean(const FanoutRun& run) {
  EXPECT_FALSE(run.command.timed_out) << "fanout did not finish\n" << run.diagnostics();
  EXPECT_EQ(run.command.signal, 0) << "fanout died of a signal\n" << run.diagnostics();
  EXPECT_TRUE(run.leftovers.empty()) << "processes outlived the run:\n"
                                     << describe(run.leftovers) << run.diagnostics();
  EXPECT_TRUE(run.junit.has_value()) << run.junit_error << "\n" << run.diagnostics();
  EXPECT_EQ(xml_character_problem(run.junit_text), "") << run.diagnostics();
}

std::string status_of(const FanoutRun& run, const std::string& item_id) {
  const JunitCase* test_case = run.item(item_id);
  return test_case ? test_case->status : "absent";
}

std::string item_ids(const FanoutRun& run) {
  std::string ids;
  if (!run.junit) return ids;
  for (const auto& [id, test_case] : run.junit->cases) ids += (ids.empty() ? "" : ", ") + id;
  return ids;
}

FanoutRun run_clean(const ManifestDir& dir, const std::vector<std::string>& args,
                    std::chrono::seconds timeout) {
  FanoutRun run = run_fanout(dir, args, timeout);
  expect_clean(run);
  return run;
}

}  // namespace fanout::e2e
