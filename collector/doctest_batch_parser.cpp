#include "collector/doctest_batch_parser.hpp"

#include <cctype>
#include <cstdlib>
#include <utility>

#include "collector/text.hpp"

namespace fanout::collector {
namespace {

constexpr std::size_t max_element_text = 16 * 1024;
constexpr std::size_t max_message = 600;
constexpr std::size_t max_open = 64;

bool is_collected(std::string_view name) {
  static constexpr std::string_view names[] = {
      "Expression", "Original",          "Expanded",
      "Exception",  "Message",           "Text",
      "Info",       "ExpectedException", "ExpectedExceptionString"};
  for (std::string_view collected : names) {
    if (name == collected) return true;
  }
  return false;
}

std::string location(const std::string& file, const std::string& line) {
  if (file.empty()) return "";
  return file + (line.empty() ? "" : ":" + line) + ": ";
}

std::optional<double> parse_seconds(const std::string* text) {
  if (!text || text->empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (end != text->c_str() + text->size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

DoctestBatchParser::DoctestBatchParser(const Target& target, std::vector<Item> batch,
                                       ParserLimits limits)
    : tracker_(target, std::move(batch), limits),
      xml_(limits.max_line),
      text_([this](std::string_view line) { tracker_.output(line); }, limits.max_line) {}

void DoctestBatchParser::feed(std::string_view chunk) {
  if (ended_ || chunk.empty()) return;
  xml_.feed(chunk);
  drain();
}

void DoctestBatchParser::drain() {
  while (std::optional<XmlEvent> event = xml_.next()) {
    switch (event->kind) {
      case XmlEvent::Kind::text:
        on_text(event->text);
        break;
      case XmlEvent::Kind::start:
        on_start(*event);
        if (event->self_closing) on_end(*event);
        break;
      case XmlEvent::Kind::end:
        on_end(*event);
        break;
    }
  }
}

void DoctestBatchParser::on_text(std::string_view text) {
  if (!open_.empty()) {
    std::string& collected = open_.back().text;
    if (collected.size() < max_element_text) {
      collected.append(text.substr(0, max_element_text - collected.size()));
    }
    return;
  }
  text_.add(text);
}

void DoctestBatchParser::on_start(const XmlEvent& event) {
  if (event.name == "TestCase" && !in_case_) {
    if (event.self_closing && event.attribute_or("skipped", "") == "true") {
      if (const auto index = tracker_.waiting(event.attribute_or("name", ""))) {
        text_.flush();
        tracker_.finish_unstarted(*index, Outcome::skipped, "skipped by doctest::skip()");
      }
      return;
    }
    start_case(event);
    return;
  }
  if (!in_case_) return;
  if (event.name == "OverallResultsAsserts") {
    const std::string* success = event.attribute("test_case_success");
    if (success) {
      success_ = *success == "true";
    } else {
      success_ = event.attribute_or("failures", "0") == "0";
    }
    seconds_ = parse_seconds(event.attribute("duration"));
    return;
  }
  if (!is_collected(event.name) || open_.size() >= max_open) return;
  text_.flush();
  Open open;
  open.name = event.name;
  open.file = event.attribute_or("filename", "");
  open.line = event.attribute_or("line", "");
  open.type = event.attribute_or("type", "");
  open.failed = event.attribute_or("success", "") == "false";
  open.crash = event.attribute_or("crash", "") == "true";
  open_.push_back(std::move(open));
}

void DoctestBatchParser::on_end(const XmlEvent& event) {
  if (event.name == "TestCase" && in_case_) {
    end_case();
    return;
  }
  if (open_.empty() || open_.back().name != event.name) return;
  Open open = std::move(open_.back());
  open_.pop_back();
  const std::string text = trim_space(open.text);
  Open* parent = open_.empty() ? nullptr : &open_.back();
  const std::string where = location(open.file, open.line);

  if (parent && (parent->name == "Expression" || parent->name == "Message")) {
    if (open.name == "Original" || open.name == "Text") {
      parent->original = text;
    } else if (open.name == "Expanded") {
      parent->expanded = text;
    } else if (parent->extra.size() < max_element_text) {
      parent->extra += "\n  " + (open.name == "Info" ? std::string() : open.name + ": ") + text;
    }
    return;
  }
  if (open.name == "Expression") {
    if (!open.failed) return;
    std::string line = where + open.type + "( " + open.original + " )";
    if (!open.expanded.empty() && open.expanded != open.original) {
      line += " with expansion: " + open.expanded;
    }
    report(line + open.extra, true);
  } else if (open.name == "Message") {
    const bool failure = open.type == "ERROR" || open.type == "FATAL ERROR";
    std::string kind = open.type.empty() ? "MESSAGE" : open.type;
    for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    report(where + kind + ": " + open.original + open.extra, failure);
  } else if (open.name == "Exception") {
    if (open.crash) {
      crash_ = text;
      report(where + "crashed: " + text, true);
    } else {
      report(where + "unexpected exception: " + text, true);
    }
  }
}

void DoctestBatchParser::report(std::string line, bool failure) {
  if (failure && ++failures_ == 1) first_failure_ = shorten(line, max_message);
  line += '\n';
  tracker_.output(line);
}

void DoctestBatchParser::start_case(const XmlEvent& event) {
  text_.flush();
  in_case_ = !event.self_closing;
  open_.clear();
  first_failure_.clear();
  failures_ = 0;
  crash_.reset();
  success_.reset();
  seconds_.reset();
  const std::optional<std::size_t> index = tracker_.waiting(event.attribute_or("name", ""));
  ours_ = index.has_value() && !tracker_.running() && in_case_;
  if (ours_) tracker_.start(*index);
}

void DoctestBatchParser::end_case() {
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
    tracker_.finish_running(Outcome::passed, "", seconds_);
    return;
  }
  std::string message = failures_ > 0 ? first_failure_ : std::string("failed");
  if (!success_) message = "ended without <OverallResultsAsserts>";
  if (failures_ > 1) {
    message +=
        "\n(and " + std::to_string(failures_ - 1) + " more failure" + (failures_ > 2 ? "s)" : ")");
  }
  tracker_.finish_running(Outcome::failed, std::move(message), seconds_);
}

BatchEnd DoctestBatchParser::finish(const ProcessEnd& end) {
  if (!ended_) {
    ended_ = true;
    xml_.close();
    drain();
    text_.flush();
  }
  return tracker_.finish(end, end.exit_code == 0);
}

}  // namespace fanout::collector
