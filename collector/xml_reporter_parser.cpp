#include "collector/xml_reporter_parser.hpp"

#include <cstdlib>
#include <utility>

#include "collector/text.hpp"

namespace fanout::collector {
namespace {

constexpr std::size_t max_element_text = 16 * 1024;
constexpr std::size_t max_message = 600;
constexpr std::size_t max_open = 64;

}  // namespace

XmlReporterParser::XmlReporterParser(const Target& target, std::vector<const Item*> batch,
                                     ParserLimits limits, std::string missing_verdict)
    : tracker_(target, std::move(batch), limits),
      xml_(limits.max_line),
      text_([this](std::string_view line) { tracker_.output(line); }, limits.max_line),
      missing_verdict_(std::move(missing_verdict)) {}

void XmlReporterParser::feed(std::string_view chunk) {
  if (ended_ || chunk.empty()) return;
  xml_.feed(chunk);
  drain();
}

void XmlReporterParser::drain() {
  while (std::optional<XmlEvent> event = xml_.next()) {
    switch (event->kind) {
      case XmlEvent::Kind::text:
        on_text(event->text);
        break;
      case XmlEvent::Kind::start:
        on_start_tag(*event);
        if (event->self_closing) on_end_tag(*event);
        break;
      case XmlEvent::Kind::end:
        on_end_tag(*event);
        break;
    }
  }
}

void XmlReporterParser::on_text(std::string_view text) {
  if (!open_.empty()) {
    std::string& collected = open_.back().text;
    if (collected.size() < max_element_text) {
      collected.append(text.substr(0, max_element_text - collected.size()));
    }
    return;
  }
  text_.add(text);
}

void XmlReporterParser::on_start_tag(const XmlEvent& event) {
  if (on_start(event) || !in_case_) return;
  if (!collects(event.name) || open_.size() >= max_open) return;
  text_.flush();
  Element element;
  element.name = event.name;
  element.file = event.attribute_or("filename", "");
  element.line = event.attribute_or("line", "");
  element.type = event.attribute_or("type", "");
  element.failed = event.attribute_or("success", "") == "false";
  element.crash = event.attribute_or("crash", "") == "true";
  open_.push_back(std::move(element));
}

void XmlReporterParser::on_end_tag(const XmlEvent& event) {
  if (event.name == "TestCase" && in_case_) {
    end_case();
    return;
  }
  if (open_.empty() || open_.back().name != event.name) return;
  Element element = std::move(open_.back());
  open_.pop_back();
  on_element(std::move(element), open_.empty() ? nullptr : &open_.back());
}

void XmlReporterParser::start_case(std::optional<std::size_t> index, bool open) {
  text_.flush();
  in_case_ = open;
  open_.clear();
  first_failure_.clear();
  failures_ = 0;
  crash_.reset();
  success_.reset();
  seconds_.reset();
  ours_ = index.has_value() && !tracker_.running() && in_case_;
  if (ours_) tracker_.start(*index);
}

void XmlReporterParser::finish_unstarted(std::size_t index, Outcome outcome, std::string message) {
  text_.flush();
  tracker_.finish_unstarted(index, outcome, std::move(message));
}

void XmlReporterParser::set_verdict(bool success, std::optional<double> seconds) {
  success_ = success;
  seconds_ = seconds;
}

void XmlReporterParser::report(std::string line, bool failure) {
  if (failure && ++failures_ == 1) first_failure_ = shorten(line, max_message);
  line += '\n';
  tracker_.output(line);
}

void XmlReporterParser::end_case() {
  text_.flush();
  in_case_ = false;
  open_.clear();
  if (!std::exchange(ours_, false)) return;
  if (crash_) {
    const int signal = signal_number_in(*crash_);
    std::string message = signal != 0 ? "crashed with " + signal_name(signal)
                                      : "crashed: " + shorten(*crash_, max_message);
    tracker_.finish_running(Outcome::crashed, std::move(message), seconds_, signal);
    return;
  }
  if (success_.value_or(false)) {
    auto [outcome, message] = passed_outcome();
    tracker_.finish_running(outcome, std::move(message), seconds_);
    return;
  }
  std::string message = failures_ > 0 ? first_failure_ : std::string("failed");
  if (!success_) message = missing_verdict_;
  if (failures_ > 1) {
    message +=
        "\n(and " + std::to_string(failures_ - 1) + " more failure" + (failures_ > 2 ? "s)" : ")");
  }
  tracker_.finish_running(Outcome::failed, std::move(message), seconds_);
}

BatchEnd XmlReporterParser::finish(const ProcessEnd& end) {
  if (!ended_) {
    ended_ = true;
    xml_.close();
    drain();
    text_.flush();
  }
  return tracker_.finish(end, exit_code_expected(end));
}

std::string XmlReporterParser::where(const Element& element) {
  if (element.file.empty()) return "";
  return element.file + (element.line.empty() ? "" : ":" + element.line) + ": ";
}

std::string XmlReporterParser::assertion_line(const Element& element) {
  std::string line = where(element) + element.type + "( " + element.original + " )";
  if (!element.expanded.empty() && element.expanded != element.original) {
    line += " with expansion: " + element.expanded;
  }
  return line + element.extra;
}

void XmlReporterParser::append_extra(Element& element, std::string_view text) {
  if (element.extra.size() >= max_element_text) return;
  element.extra += "\n  ";
  element.extra += text;
}

std::optional<double> XmlReporterParser::seconds_in(const XmlEvent& event, std::string_view name) {
  const std::string* text = event.attribute(name);
  if (!text || text->empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (end != text->c_str() + text->size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace fanout::collector
