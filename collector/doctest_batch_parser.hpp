#pragma once
// Follows the XML reporter output of one doctest batch process.

#include <string>
#include <string_view>
#include <vector>

#include "collector/xml_reporter_parser.hpp"

namespace fanout::collector {

/// The BatchParser for doctest's `--dt-reporters=xml` output.
///
/// - `<TestCase name=..>` starts the batch item of exactly that name, `</TestCase>` finishes
///   it: `<OverallResultsAsserts test_case_success="true">` is passed, "false" is failed with
///   the first failed `<Expression>`, error `<Message>` or `<Exception>` as the message; an
///   `<Exception crash="true">` (doctest caught a signal) makes it crashed with the signal named
///   there. `<TestCase .. skipped="true"/>` of a batch item is skipped (doctest::skip()); the
///   other test cases doctest lists that way, and test cases not in the batch, are ignored.
/// - The item's output is what the test printed (doctest does not capture it) and a readable
///   line per failed assertion and message.
/// - Test cases not in the batch (doctest_filter's '?' may select more than its name) and
///   repeats of a name already run are never reported. The process's exit code is expected to
///   be 0 when no item failed, or any non-zero code once such a test case outside the batch
///   failed (see BatchTracker).
class DoctestBatchParser final : public XmlReporterParser {
 public:
  /// `batch` points to the caller's items, which must outlive the parser.
  DoctestBatchParser(const Target& target, std::vector<const Item*> batch,
                     ParserLimits limits = {});

 private:
  bool on_start(const XmlEvent& event) override;
  bool collects(std::string_view name) const override;
  void on_element(Element element, Element* parent) override;
  bool exit_code_expected(const ProcessEnd& end) const override;

  bool foreign_case_ = false;    // the open test case is not a batch item
  bool foreign_failed_ = false;  // a test case outside the batch failed
};

}  // namespace fanout::collector
