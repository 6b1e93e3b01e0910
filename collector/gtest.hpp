#pragma once
// The GoogleTest adapter: lists `Suite.Case` items with --gtest_list_tests (as JSON when it can),
// runs a batch with an exact --gtest_filter, and reads each item's result from the `[ RUN ]` /
// `[ OK ]` lines.

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "collector/framework.hpp"

namespace fanout::collector {

/// Adapter for GoogleTest binaries, registered as "gtest".
///
/// Listing: `--gtest_list_tests --gtest_output=json:FILE` (after the target's own arguments).
/// GoogleTest 1.10 and later write the listing to FILE as JSON, which gives a clean list with
/// source file and line, whatever else the binary prints on stdout; without that file (an older
/// GoogleTest, a custom main), or when it is unreadable, the text listing on stdout is parsed
/// (see parse_gtest_text_listing). A listing that exits non-zero is still used when it is valid
/// (a custom main returning non-zero after listing): the run will tell.
///
/// Running: `--gtest_filter` with the batch's names, a suite the batch holds whole as `Suite.*`
/// when BatchContext::listing is known and no filter of the user's narrowed it (see
/// gtest_batch_filter; placed after the target's own arguments, so it wins, also over a
/// GTEST_FILTER in the environment), `--gtest_color=no`,
/// `--gtest_also_run_disabled_tests` when the batch holds a disabled item, and
/// TEST_PREMATURE_EXIT_FILE in the batch's scratch directory so an `exit()` in the middle of the
/// run is detected. The parser is a GTestBatchParser.
class GTestFramework final : public Framework {
 public:
  std::string_view name() const override { return "gtest"; }
  Command list_command(const Target& target) const override;
  /// The text listing alone.
  std::vector<Item> parse_listing(const Target& target, std::string_view output) const override;
  /// The JSON listing in `file` when it is one, else the text listing in `output`.
  std::vector<Item> parse_listing_file(const Target& target, std::string_view output,
                                       std::optional<std::string_view> file) const override;
  Command run_command(const Target& target, const std::vector<const Item*>& batch,
                      const BatchContext& context) const override;
  std::unique_ptr<BatchParser> parser(const Target& target, std::vector<const Item*> batch,
                                      const BatchContext& context) const override;
};

/// The instance find_framework("gtest") returns.
const GTestFramework& gtest_framework();

/// Name of the file GoogleTest creates when tests start and removes when RUN_ALL_TESTS returns;
/// it lives in BatchContext::scratch_dir.
inline constexpr std::string_view gtest_premature_exit_file = "premature_exit";

/// Command::output_file of the listing command (the JSON listing).
inline constexpr std::string_view gtest_listing_file = "listing.json";

}  // namespace fanout::collector
