#pragma once
// The plain-executable adapter: the whole binary is one item, judged as CTest judges a test.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/batch_tracker.hpp"
#include "collector/executable_regex.hpp"
#include "collector/framework.hpp"

namespace fanout::collector {

/// Adapter for binaries without a known framework (and CTest-imported commands), registered as
/// "exe".
///
/// Listing runs nothing: list_command is `true` (a command that always succeeds, so collection
/// works the same for every framework) and parse_listing returns one item named after the
/// target, disabled when the target is. Every regular expression of the target is checked
/// there: a bad one is a CollectError naming the target.
///
/// Running: the executable with the target's arguments. The parser is an
/// ExecutableBatchParser.
class ExecutableFramework final : public Framework {
 public:
  std::string_view name() const override { return "exe"; }
  Command list_command(const Target& target) const override;
  std::vector<Item> parse_listing(const Target& target, std::string_view output) const override;
  Command run_command(const Target& target, const std::vector<const Item*>& batch,
                      const BatchContext& context) const override;
  std::unique_ptr<BatchParser> parser(const Target& target, std::vector<const Item*> batch,
                                      const BatchContext& context) const override;
};

/// The instance find_framework("exe") returns.
const ExecutableFramework& executable_framework();

/// Follows one run of a plain executable; the item starts with the process.
///
/// The outcome, with CTest's meaning of the target's properties:
/// - killed by a signal: crashed; timed out: timeout; could not start: error; cancelled:
///   not_run. WILL_FAIL changes none of these.
/// - exited: skipped when the exit code is `skip_return_code` or a `skip_regex` matches the
///   output. Otherwise it passes when a `pass_regex` matches (the exit code is then ignored) or,
///   without pass_regex, when the exit code is 0; a matching `fail_regex` makes it fail all the
///   same; `will_fail` then swaps passed and failed.
/// The expressions are CMake's (CmakeRegex), searched as ctest searches them: once, in the whole
/// output as CtestOutput gives it (stdout and stderr as merged, lines ended by "\n"), so `^` is
/// the start of the output, `$` its very end (after the last line's "\n"), and `.` crosses
/// lines. An expression that does not compile makes the item an error.
class ExecutableBatchParser final : public BatchParser {
 public:
  /// `batch` points to the caller's items, which must outlive the parser.
  ExecutableBatchParser(const Target& target, std::vector<const Item*> batch,
                        ParserLimits limits = {});

  void feed(std::string_view chunk) override;
  std::vector<const Item*> take_started() override;
  std::vector<Result> take_finished() override { return {}; }
  BatchEnd finish(const ProcessEnd& end) override;

 private:
  struct Patterns {
    std::vector<CmakeRegex> expressions;
    std::vector<std::string> sources;
    std::optional<std::string> matched;  // which expression matched, in which line
  };

  void search_output();

  BatchTracker tracker_;
  std::optional<int> skip_return_code_;
  bool will_fail_;
  Patterns pass_;
  Patterns fail_;
  Patterns skip_;
  std::string bad_regex_;  // why an expression does not compile
  bool searched_ = false;  // the target has expressions: keep the output for them
  CtestOutput output_;
  bool started_ = false;
  bool ended_ = false;
};

}  // namespace fanout::collector
