#pragma once
// What the batch parsers of XML reporter streams (Catch2's, doctest's) share: following the
// stream test case by test case, collecting the elements that become readable lines, and turning
// a test case's verdict, failures and crash into the item's Result.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collector/batch_tracker.hpp"
#include "collector/framework.hpp"
#include "collector/xml_stream.hpp"

namespace fanout::collector {

/// The base of a BatchParser for a `<TestCase>`-per-test XML reporter stream.
///
/// - The framework parser sees each start tag first (on_start); it opens a test case with
///   start_case() and records the verdict with set_verdict(). `</TestCase>` ends the open case.
/// - Inside a test case, elements it `collects()` are kept on a stack with their text (at most
///   16 KiB each), location and attributes, and handed to on_element() at their end tag; it
///   reports readable lines with report() and a caught signal with set_crash().
/// - Text outside collected elements is the item's output, blank lines dropped.
/// - The end of a batch item's case: crashed when set_crash() was called (with the signal named
///   at the start of its text); with a successful verdict, what passed_outcome() says (passed);
///   otherwise failed with the first failure as the message and a count of the others, or with
///   `missing_verdict` when the case had no verdict. The rest is BatchTracker's.
class XmlReporterParser : public BatchParser {
 public:
  void feed(std::string_view chunk) final;
  std::vector<const Item*> take_started() final { return tracker_.take_started(); }
  std::vector<Result> take_finished() final { return tracker_.take_finished(); }
  BatchEnd finish(const ProcessEnd& end) final;

 protected:
  /// A collected element.
  struct Element {
    std::string name;
    std::string file;      ///< `filename`
    std::string line;      ///< `line`
    std::string type;      ///< `type` (the assertion macro, the message kind)
    bool failed = false;   ///< success="false"
    bool crash = false;    ///< crash="true"
    std::string text;      ///< its own text, untrimmed
    std::string original;  ///< left to the framework parser: an assertion's parts
    std::string expanded;
    std::string extra;  ///< see append_extra()
  };

  /// `batch` points to the caller's items, which must outlive the parser.
  XmlReporterParser(const Target& target, std::vector<const Item*> batch, ParserLimits limits,
                    std::string missing_verdict);

  /// Handles a start tag of the framework's own; false lets the base collect it.
  virtual bool on_start(const XmlEvent& event) = 0;
  /// Whether elements called `name` are collected inside a test case.
  virtual bool collects(std::string_view name) const = 0;
  /// A collected element ended; `parent` is the collected element it was in, if any.
  virtual void on_element(Element element, Element* parent) = 0;
  /// Whether the exit code is what the framework returns for the results seen.
  virtual bool exit_code_expected(const ProcessEnd& end) const = 0;
  /// The outcome and message of a batch item whose verdict was success.
  virtual std::pair<Outcome, std::string> passed_outcome() const { return {Outcome::passed, ""}; }

  BatchTracker& tracker() { return tracker_; }
  const BatchTracker& tracker() const { return tracker_; }
  bool in_case() const { return in_case_; }

  /// A test case starts: batch item `index`, when it is one and nothing runs. A case that is
  /// not `open` (self-closing) never runs an item.
  void start_case(std::optional<std::size_t> index, bool open);
  /// Item `index` (waiting) ended without running.
  void finish_unstarted(std::size_t index, Outcome outcome, std::string message);
  void set_verdict(bool success, std::optional<double> seconds);
  /// The framework caught a signal; `text` names it ("SIGSEGV - ...").
  void set_crash(std::string text) { crash_ = std::move(text); }
  /// A readable line into the item's output; the first failure is the message.
  void report(std::string line, bool failure);

  /// "file:line: ", or "" without a file.
  static std::string where(const Element& element);
  /// "where type( original ) with expansion: expanded" and the extra lines.
  static std::string assertion_line(const Element& element);
  /// Adds `text` on an indented line of `element.extra` (up to 16 KiB).
  static void append_extra(Element& element, std::string_view text);
  /// Non-negative seconds in attribute `name`, if any.
  static std::optional<double> seconds_in(const XmlEvent& event, std::string_view name);

 private:
  void drain();
  void on_start_tag(const XmlEvent& event);
  void on_end_tag(const XmlEvent& event);
  void on_text(std::string_view text);
  void end_case();

  BatchTracker tracker_;
  XmlStream xml_;
  XmlTextLines text_;
  std::string missing_verdict_;

  bool in_case_ = false;
  bool ours_ = false;  // the open test case is a batch item
  std::vector<Element> open_;
  std::string first_failure_;
  int failures_ = 0;
  std::optional<std::string> crash_;
  std::optional<bool> success_;
  std::optional<double> seconds_;
  bool ended_ = false;
};

}  // namespace fanout::collector
