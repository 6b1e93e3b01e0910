#pragma once
// The GoogleTest adapter: lists `Suite.Case` items with --gtest_list_tests, runs a batch with an
// exact --gtest_filter, and reads each item's result from the `[ RUN ]` / `[ OK ]` lines.

#include <memory>
#include <string_view>
#include <vector>

#include "collector/framework.hpp"

namespace fanout::collector {

/// Adapter for GoogleTest binaries, registered as "gtest".
///
/// Listing: noise before the listing (`Running main() from ...`) is skipped; suites and cases
/// become items named `Suite.Case`; `# TypeParam = ...` / `# GetParam() = ...` comments become
/// the annotation; `DISABLED_` suites and cases are listed with `disabled` set. Anything else
/// after the listing started (or output without any listing) is a CollectError.
///
/// Running: the batch's exact names in `--gtest_filter` (placed after the target's own
/// arguments, so it wins), `--gtest_color=no`, `--gtest_also_run_disabled_tests` when the batch
/// holds a disabled item, and TEST_PREMATURE_EXIT_FILE in the batch's scratch directory so an
/// `exit()` in the middle of the run is detected. The parser is a GTestBatchParser.
class GTestFramework final : public Framework {
 public:
  std::string_view name() const override { return "gtest"; }
  Command list_command(const Target& target) const override;
  std::vector<Item> parse_listing(const Target& target, std::string_view output) const override;
  Command run_command(const Target& target, const std::vector<Item>& batch,
                      const BatchContext& context) const override;
  std::unique_ptr<BatchParser> parser(const Target& target, std::vector<Item> batch,
                                      const BatchContext& context) const override;
};

/// The instance find_framework("gtest") returns.
const GTestFramework& gtest_framework();

/// Name of the file GoogleTest creates when tests start and removes when RUN_ALL_TESTS returns;
/// it lives in BatchContext::scratch_dir.
inline constexpr std::string_view gtest_premature_exit_file = "premature_exit";

}  // namespace fanout::collector
