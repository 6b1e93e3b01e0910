#include "collector/catch2_batch_parser.hpp"

#include <cstdlib>
#include <utility>

namespace fanout::collector {

Catch2BatchParser::Catch2BatchParser(const Target& target, std::vector<const Item*> batch,
                                     ParserLimits limits)
    : XmlReporterParser(target, std::move(batch), limits, "ended without an <OverallResult>") {
  const std::vector<const Item*>& items = tracker().items();
  by_trimmed_name_.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    by_trimmed_name_.emplace(trim_space(items[i]->name), i);
  }
}

bool Catch2BatchParser::collects(std::string_view name) const {
  static constexpr std::string_view names[] = {
      "Expression", "Original", "Expanded", "Exception", "FatalErrorCondition",
      "Failure",    "Info",     "Warning",  "Skip"};
  for (std::string_view collected : names) {
    if (name == collected) return true;
  }
  return false;
}

std::optional<std::size_t> Catch2BatchParser::waiting_item(const std::string& name) const {
  std::optional<std::size_t> first;
  const auto [begin, end] = by_trimmed_name_.equal_range(trim_space(name));
  for (auto it = begin; it != end; ++it) {
    const std::size_t index = it->second;
    if (tracker().done(index) || tracker().running() == index) continue;
    if (!first || index < *first) first = index;
  }
  return first;
}

bool Catch2BatchParser::on_start(const XmlEvent& event) {
  if (event.name == "Catch2TestRun") {
    v3_ = true;
    return true;
  }
  if (event.name == "TestCase" && !in_case()) {
    skip_message_.clear();
    skips_ = 0;
    const std::optional<std::size_t> index = waiting_item(event.attribute_or("name", ""));
    foreign_case_ = !index || tracker().running();
    start_case(index, true);
    return true;
  }
  if (event.name == "OverallResult" && in_case()) {
    if (foreign_case_ && event.attribute_or("success", "") != "true") foreign_failed_ = true;
    skips_ = std::atoi(event.attribute_or("skips", "0").c_str());
    set_verdict(event.attribute_or("success", "") == "true",
                seconds_in(event, "durationInSeconds"));
    return true;
  }
  return false;
}

void Catch2BatchParser::on_element(Element element, Element* parent) {
  const std::string text = trim_space(element.text);
  if (parent && parent->name == "Expression") {
    if (element.name == "Original") {
      parent->original = text;
    } else if (element.name == "Expanded") {
      parent->expanded = text;
    } else {
      append_extra(*parent, (element.name == "Exception" ? "exception: " : "") + text);
    }
    return;
  }
  const std::string at = where(element);
  if (element.name == "Expression") {
    if (element.failed) report(assertion_line(element), true);
  } else if (element.name == "Exception") {
    report(at + "unexpected exception: " + text, true);
  } else if (element.name == "FatalErrorCondition") {
    set_crash(text);
    report(at + "fatal error condition: " + text, true);
  } else if (element.name == "Failure") {
    report(at + (text.empty() ? std::string("explicit failure") : text), true);
  } else if (element.name == "Skip") {
    if (skip_message_.empty()) skip_message_ = text.empty() ? "skipped" : text;
    report(at + "skipped" + (text.empty() ? "" : ": " + text), false);
  } else if (element.name == "Info" || element.name == "Warning") {
    report(at + (element.name == "Info" ? "info: " : "warning: ") + text, false);
  }
}

std::pair<Outcome, std::string> Catch2BatchParser::passed_outcome() const {
  if (skips_ > 0) return {Outcome::skipped, skip_message_};
  return {Outcome::passed, ""};
}

bool Catch2BatchParser::exit_code_expected(const ProcessEnd& end) const {
  // A failed test case outside the batch (a spec can select more, see catch2_test_spec) makes
  // the exit code that of failures by itself: v2 the number of failed assertions (at most
  // 255), v3 42.
  if (foreign_failed_ && (v3_ ? end.exit_code == 42 : end.exit_code != 0)) return true;
  return end.exit_code == 0 ||
         (v3_ && end.exit_code == 4 && tracker().all_ended_as(Outcome::skipped));
}

}  // namespace fanout::collector
