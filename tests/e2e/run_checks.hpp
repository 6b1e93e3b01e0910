#pragma once
// Assertions every e2e run must pass, whatever it tests.

#include <chrono>
#include <string>
#include <vector>

#include "tests/e2e/fanout_run.hpp"

namespace fanout::e2e {

/// Adds a gtest failure (non-fatal) for each way `run` was not clean: fanout did not end on its
/// own (killed by a signal or the timeout), fixture processes outlived it, or its JUnit report is
/// missing, not well-formed, or holds characters XML 1.0 forbids.
void expect_clean(const FanoutRun& run);

/// The JUnit status of `item_id` in `run` ("passed", "failure", "error", "skipped"), or
/// "absent" when the report has no such case.
std::string status_of(const FanoutRun& run, const std::string& item_id);

/// Every item id in the report of `run`, comma-separated, for failure messages.
std::string item_ids(const FanoutRun& run);

/// run_fanout() followed by expect_clean().
FanoutRun run_clean(const ManifestDir& dir, const std::vector<std::string>& args,
                    std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace fanout::e2e
