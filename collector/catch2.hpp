#pragma once
// The Catch2 adapter (v2 and v3): lists test cases, runs a batch with exact test specs and the
// XML reporter, and reads each item's result from the `<TestCase>` elements as they stream.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collector/framework.hpp"

namespace fanout::collector {

/// The Catch2 major version a binary was built with.
enum class Catch2Version { v2, v3 };

/// Reads the binary, without running it: v2 when it holds v2's `--list-test-names-only`
/// option (v3 removed it), otherwise v3 (also when the file cannot be read).
Catch2Version catch2_version(const std::filesystem::path& executable);

/// The test spec that selects the test case called `name`: the name in double quotes, with a
/// backslash before each `\\ , " [ ]` in it. Catch2 matches it without regard to case and reads
/// a '*' at either end of it as a wildcard (escaped or not), so the spec may also select other
/// test cases (those differing only in case, or in what the wildcard stands for); a name
/// starting with "exclude:" (which Catch2 would read as a negation) is selected by
/// `"*xclude:rest""exclude*"` (ends with "xclude:rest" and begins with "exclude"). The batch
/// parser ignores every test case not in the batch, so a batch still reports exactly its items.
std::string catch2_test_spec(std::string_view name);

/// Parses v2's `--list-test-names-only --verbosity high` output: one `name\t@file:line` per
/// line (names starting with '#' in double quotes). Throws CollectError naming `executable`
/// on a line of another shape.
std::vector<Item> parse_catch2_v2_listing(const Target& target, std::string_view output);

/// Parses v3's `--list-tests --reporter xml` output (`<MatchingTests>` of `<TestCase>` with
/// Name, Tags, SourceInfo/File, SourceInfo/Line); tags become labels. Throws CollectError
/// naming the binary when there is no `<MatchingTests>` element.
std::vector<Item> parse_catch2_v3_listing(const Target& target, std::string_view output);

/// Adapter for Catch2 binaries, registered as "catch2".
///
/// Listing: the version is read from the binary (catch2_version). v2 lists with
/// `--list-test-names-only --verbosity high` (names, files and lines; v2 exits with the number
/// of tests, so the exit code is ignored); v3 with `--list-tests --reporter xml`.
///
/// Running: the target's options (its own test specs, reporters and output files dropped, so
/// the batch runs exactly its items), then `--reporter xml --durations yes --order decl` and
/// one argument holding the batch's escaped test specs separated by ','. The parser is a
/// Catch2BatchParser.
class Catch2Framework final : public Framework {
 public:
  std::string_view name() const override { return "catch2"; }
  Command list_command(const Target& target) const override;
  std::vector<Item> parse_listing(const Target& target, std::string_view output) const override;
  Command run_command(const Target& target, const std::vector<const Item*>& batch,
                      const BatchContext& context) const override;
  std::unique_ptr<BatchParser> parser(const Target& target, std::vector<const Item*> batch,
                                      const BatchContext& context) const override;
};

/// The instance find_framework("catch2") returns.
const Catch2Framework& catch2_framework();

}  // namespace fanout::collector
