#pragma once
// Follows the XML reporter output of one Catch2 batch process (v2 or v3).

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "collector/xml_reporter_parser.hpp"

namespace fanout::collector {

/// The BatchParser for `--reporter xml` output (Catch2 v2's `<Catch>` or v3's `<Catch2TestRun>`).
///
/// - `<TestCase name=..>` starts the batch item of that name (Catch2 trims names there);
///   `</TestCase>` finishes it: `<OverallResult success="true">` is passed, or skipped when
///   v3 counts `skips`; "false" is failed, with the first failed `<Expression>`, `<Exception>`
///   or `<Failure>` as the message; a `<FatalErrorCondition>` (Catch2 caught a signal) makes it
///   crashed, with the signal named there. `durationInSeconds` is the item's time.
/// - The item's output is its captured `<StdOut>`/`<StdErr>`, whatever the test printed
///   around the XML, and a readable line per assertion, exception, message and skip.
/// - Test cases not in the batch (a test spec may select more than its name, see
///   catch2_test_spec) are never reported, and a batch item's name is matched exactly. The
///   process's exit code is expected to be 0, or 4 in v3 when everything was skipped, or the
///   code of failures (v2 any non-zero code, v3 42) once such a test case outside the batch
///   failed; otherwise see BatchTracker.
class Catch2BatchParser final : public XmlReporterParser {
 public:
  /// `batch` points to the caller's items, which must outlive the parser.
  Catch2BatchParser(const Target& target, std::vector<const Item*> batch, ParserLimits limits = {});

 private:
  bool on_start(const XmlEvent& event) override;
  bool collects(std::string_view name) const override;
  void on_element(Element element, Element* parent) override;
  bool exit_code_expected(const ProcessEnd& end) const override;
  std::pair<Outcome, std::string> passed_outcome() const override;
  std::optional<std::size_t> waiting_item(const std::string& name) const;

  std::unordered_multimap<std::string, std::size_t> by_trimmed_name_;
  bool v3_ = false;
  std::string skip_message_;  // of the open test case
  int skips_ = 0;
  bool foreign_case_ = false;    // the open test case is not a batch item
  bool foreign_failed_ = false;  // a test case outside the batch failed
};

}  // namespace fanout::collector
