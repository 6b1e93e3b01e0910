#pragma once
// The Boost.Test adapter: lists the test tree with --list_content=DOT, runs a batch with
// --run_test=a/b:c, follows the HRF log as it streams and takes final verdicts from the XML
// report.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collector/framework.hpp"

namespace fanout::collector {

/// Parses `--list_content=DOT` output (Boost prints it on stderr): every test case becomes an
/// item named by its path below the master suite ("suite/sub/case"), with its file, line and
/// labels; a case that is disabled, or inside a disabled suite, is listed as disabled. Throws
/// CollectError naming the binary when there is no `digraph` in the output.
std::vector<Item> parse_boost_test_listing(const Target& target, std::string_view output);

/// Name of the XML report file a batch writes in BatchContext::scratch_dir.
inline constexpr std::string_view boost_test_report_file = "boost_test_report.xml";

/// Adapter for Boost.Test binaries, registered as "boost_test".
///
/// Listing: `--list_content=DOT` (the HRF form has no file and line).
///
/// Running: `--run_test=` with the batch's paths joined by ':' (Boost.Test sanitises names, so
/// a path never holds its filter syntax; naming a disabled case enables it), the HRF log at
/// level test_suite on stdout (Boost.Test flushes it per line, so it streams), no colour, the
/// XML report at level detailed into the scratch directory (it knows about expected
/// failures and Boost.Test's own timeouts), and `--catch_system_errors=no`, so that a SIGSEGV
/// really kills the process and the running item is reported crashed with the signal, as in
/// every other framework (unless the target's arguments set catch_system_errors themselves).
/// The target's arguments that would clash (run_test, log, report, colour, listing options)
/// are dropped; ours go before a "--" that starts the module's own arguments. The parser is a
/// BoostTestBatchParser.
class BoostTestFramework final : public Framework {
 public:
  std::string_view name() const override { return "boost_test"; }
  Command list_command(const Target& target) const override;
  std::vector<Item> parse_listing(const Target& target, std::string_view output) const override;
  Command run_command(const Target& target, const std::vector<const Item*>& batch,
                      const BatchContext& context) const override;
  std::unique_ptr<BatchParser> parser(const Target& target, std::vector<const Item*> batch,
                                      const BatchContext& context) const override;
};

/// The instance find_framework("boost_test") returns.
const BoostTestFramework& boost_test_framework();

}  // namespace fanout::collector
