#pragma once
// Follows the XML reporter output of one Catch2 batch process (v2 or v3).

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collector/batch_tracker.hpp"
#include "collector/framework.hpp"
#include "collector/xml_stream.hpp"

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
/// - Test cases not in the batch are ignored. The process's exit code is expected to be 0, or
///   4 in v3 when everything was skipped; otherwise see BatchTracker.
class Catch2BatchParser final : public BatchParser {
 public:
  Catch2BatchParser(const Target& target, std::vector<Item> batch, ParserLimits limits = {});

  void feed(std::string_view chunk) override;
  std::vector<Item> take_started() override { return tracker_.take_started(); }
  std::vector<Result> take_finished() override { return tracker_.take_finished(); }
  BatchEnd finish(const ProcessEnd& end) override;

 private:
  /// An element whose text is collected (Expression parts, Exception, Info, ...).
  struct Open {
    std::string name;
    std::string file;
    std::string line;
    std::string text;
    std::string type;     // Expression: the macro
    bool failed = false;  // Expression: success="false"
  };

  void drain();
  void on_start(const XmlEvent& event);
  void on_end(const XmlEvent& event);
  void on_text(std::string_view text);
  void start_case(const XmlEvent& event);
  void end_case();
  void report(std::string line, bool failure);
  std::optional<std::size_t> waiting_item(const std::string& name) const;

  BatchTracker tracker_;
  XmlStream xml_;
  XmlTextLines text_;
  std::unordered_multimap<std::string, std::size_t> by_trimmed_name_;
  bool v3_ = false;

  bool in_case_ = false;
  bool ours_ = false;  // the open test case is a batch item
  std::vector<Open> open_;
  std::string original_;  // of the open <Expression>
  std::string expanded_;
  std::string expression_extra_;  // its <Exception> and the like
  std::string first_failure_;
  int failures_ = 0;
  std::optional<std::string> fatal_;
  std::string skip_message_;
  std::optional<bool> success_;
  int skips_ = 0;
  std::optional<double> seconds_;
  bool ended_ = false;
};

}  // namespace fanout::collector
