#pragma once
// Follows the XML reporter output of one doctest batch process.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/batch_tracker.hpp"
#include "collector/framework.hpp"
#include "collector/xml_stream.hpp"

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
/// - The process's exit code is expected to be 0 when no item failed (see BatchTracker).
class DoctestBatchParser final : public BatchParser {
 public:
  DoctestBatchParser(const Target& target, std::vector<Item> batch, ParserLimits limits = {});

  void feed(std::string_view chunk) override;
  std::vector<Item> take_started() override { return tracker_.take_started(); }
  std::vector<Result> take_finished() override { return tracker_.take_finished(); }
  BatchEnd finish(const ProcessEnd& end) override;

 private:
  struct Open {
    std::string name;
    std::string file;
    std::string line;
    std::string type;  // Expression: the macro; Message: WARNING, ERROR, FATAL ERROR
    bool failed = false;
    bool crash = false;  // Exception crash="true"
    std::string text;
    std::string original;  // Expression parts, Message text
    std::string expanded;
    std::string extra;  // Info, Exception inside
  };

  void drain();
  void on_start(const XmlEvent& event);
  void on_end(const XmlEvent& event);
  void on_text(std::string_view text);
  void start_case(const XmlEvent& event);
  void end_case();
  void report(std::string line, bool failure);

  BatchTracker tracker_;
  XmlStream xml_;
  XmlTextLines text_;

  bool in_case_ = false;
  bool ours_ = false;
  std::vector<Open> open_;
  std::string first_failure_;
  int failures_ = 0;
  std::optional<std::string> crash_;
  std::optional<bool> success_;
  std::optional<double> seconds_;
  bool ended_ = false;
};

}  // namespace fanout::collector
