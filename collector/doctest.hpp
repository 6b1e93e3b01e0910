#pragma once
// The doctest adapter: lists test cases with the XML reporter, runs a batch with an escaped
// --dt-test-case filter, and reads each item's result from the `<TestCase>` elements.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collector/framework.hpp"

namespace fanout::collector {

/// The --dt-test-case filter for the test case called `name`: ',' and '\' escaped with a
/// backslash (doctest 2.4.9 reads `\,` and `\\` as those characters; a backslash before any
/// other character stays a backslash). doctest has no escape for its wildcards, so each '*'
/// and '?' of the name becomes '?', which matches that character but also any other one: such
/// a filter may select other test cases of the same length too (see doctest_selects_exactly),
/// which the batch parser ignores.
std::string doctest_filter(std::string_view name);

/// Whether doctest_filter(name) selects only test cases called exactly `name` (no '*' or '?').
bool doctest_selects_exactly(std::string_view name);

/// Adapter for doctest binaries, registered as "doctest".
///
/// Listing: `--dt-list-test-cases --dt-reporters=xml --dt-no-skip=true` (the target's own
/// filters apply); test suites, files and lines come with the names, and test cases decorated
/// with doctest::skip() are listed as disabled. Names that repeat are listed once.
///
/// Running: the target's arguments, then `--dt-reporters=xml --dt-case-sensitive=true
/// --dt-duration=true`, `--dt-no-skip=true` when the batch holds a disabled item, and one
/// `--dt-test-case=` with the batch's filters (doctest takes the last occurrence of an option,
/// so ours win). A name with a wildcard character cannot be selected exactly: the filter may
/// also run other tests, whose results the parser ignores (it checks every name it reads).
/// The parser is a DoctestBatchParser.
class DoctestFramework final : public Framework {
 public:
  std::string_view name() const override { return "doctest"; }
  Command list_command(const Target& target) const override;
  std::vector<Item> parse_listing(const Target& target, std::string_view output) const override;
  Command run_command(const Target& target, const std::vector<const Item*>& batch,
                      const BatchContext& context) const override;
  std::unique_ptr<BatchParser> parser(const Target& target, std::vector<const Item*> batch,
                                      const BatchContext& context) const override;
};

/// The instance find_framework("doctest") returns.
const DoctestFramework& doctest_framework();

}  // namespace fanout::collector
