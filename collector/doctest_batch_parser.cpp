#include "collector/doctest_batch_parser.hpp"

#include <cctype>
#include <optional>
#include <utility>

namespace fanout::collector {

DoctestBatchParser::DoctestBatchParser(const Target& target, std::vector<const Item*> batch,
                                       ParserLimits limits)
    : XmlReporterParser(target, std::move(batch), limits, "ended without <OverallResultsAsserts>") {
}

bool DoctestBatchParser::collects(std::string_view name) const {
  static constexpr std::string_view names[] = {
      "Expression", "Original",          "Expanded",
      "Exception",  "Message",           "Text",
      "Info",       "ExpectedException", "ExpectedExceptionString"};
  for (std::string_view collected : names) {
    if (name == collected) return true;
  }
  return false;
}

bool DoctestBatchParser::on_start(const XmlEvent& event) {
  if (event.name == "TestCase" && !in_case()) {
    const std::string name = event.attribute_or("name", "");
    if (event.self_closing && event.attribute_or("skipped", "") == "true") {
      if (const auto index = tracker().waiting(name)) {
        finish_unstarted(*index, Outcome::skipped, "skipped by doctest::skip()");
      }
      return true;
    }
    const std::optional<std::size_t> index = tracker().waiting(name);
    foreign_case_ = !index || tracker().running();
    start_case(index, !event.self_closing);
    return true;
  }
  if (event.name == "OverallResultsAsserts" && in_case()) {
    const std::string* success = event.attribute("test_case_success");
    const bool passed = success ? *success == "true" : event.attribute_or("failures", "0") == "0";
    if (foreign_case_ && !passed) foreign_failed_ = true;
    set_verdict(passed, seconds_in(event, "duration"));
    return true;
  }
  return false;
}

void DoctestBatchParser::on_element(Element element, Element* parent) {
  const std::string text = trim_space(element.text);
  if (parent && (parent->name == "Expression" || parent->name == "Message")) {
    if (element.name == "Original" || element.name == "Text") {
      parent->original = text;
    } else if (element.name == "Expanded") {
      parent->expanded = text;
    } else {
      append_extra(*parent, (element.name == "Info" ? std::string() : element.name + ": ") + text);
    }
    return;
  }
  const std::string at = where(element);
  if (element.name == "Expression") {
    if (element.failed) report(assertion_line(element), true);
  } else if (element.name == "Message") {
    const bool failure = element.type == "ERROR" || element.type == "FATAL ERROR";
    std::string kind = element.type.empty() ? "MESSAGE" : element.type;
    for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    report(at + kind + ": " + element.original + element.extra, failure);
  } else if (element.name == "Exception") {
    if (element.crash) {
      set_crash(text);
      report(at + "crashed: " + text, true);
    } else {
      report(at + "unexpected exception: " + text, true);
    }
  }
}

bool DoctestBatchParser::exit_code_expected(const ProcessEnd& end) const {
  // A failed test case outside the batch (a wildcard of doctest_filter can select more) makes
  // the exit code non-zero by itself.
  return end.exit_code == 0 || (foreign_failed_ && end.exit_code != 0);
}

}  // namespace fanout::collector
