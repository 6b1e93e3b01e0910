#include "collector/catch2_batch_parser.hpp"

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
      "Expression", "Original", "Expanded", "Exception", "FatalErrorCondition",
      "Failure",    "Info",     "Warning",  "Skip"};
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

Catch2BatchParser::Catch2BatchParser(const Target& target, std::vector<Item> batch,
                                     ParserLimits limits)
    : tracker_(target, std::move(batch), limits),
      xml_(limits.max_line),
      text_([this](std::string_view line) { tracker_.output(line); }, limits.max_line) {
  const std::vector<Item>& items = tracker_.items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    by_trimmed_name_.emplace(trim_space(items[i].name), i);
  }
}

void Catch2BatchParser::feed(std::string_view chunk) {
  if (ended_ || chunk.empty()) return;
  xml_.feed(chunk);
  drain();
}

void Catch2BatchParser::drain() {
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

std::optional<std::size_t> Catch2BatchParser::waiting_item(const std::string& name) const {
  std::optional<std::size_t> first;
  const auto [begin, end] = by_trimmed_name_.equal_range(trim_space(name));
  for (auto it = begin; it != end; ++it) {
    const std::size_t index = it->second;
    if (tracker_.done(index) || tracker_.running() == index) continue;
    if (!first || index < *first) first = index;
  }
  return first;
}

void Catch2BatchParser::on_text(std::string_view text) {
  if (!open_.empty()) {
    std::string& collected = open_.back().text;
    if (collected.size() < max_element_text) {
      collected.append(text.substr(0, max_element_text - collected.size()));
    }
    return;
  }
  text_.add(text);
}

void Catch2BatchParser::on_start(const XmlEvent& event) {
  if (event.name == "Catch2TestRun") {
    v3_ = true;
    return;
  }
  if (event.name == "TestCase" && !in_case_) {
    start_case(event);
    return;
  }
  if (!in_case_) return;
  if (event.name == "OverallResult") {
    success_ = event.attribute_or("success", "") == "true";
    skips_ = std::atoi(event.attribute_or("skips", "0").c_str());
    seconds_ = parse_seconds(event.attribute("durationInSeconds"));
    return;
  }
  if (!is_collected(event.name) || open_.size() >= max_open) return;
  text_.flush();
  Open open;
  open.name = event.name;
  open.file = event.attribute_or("filename", "");
  open.line = event.attribute_or("line", "");
  if (event.name == "Expression") {
    open.type = event.attribute_or("type", "");
    open.failed = event.attribute_or("success", "") == "false";
    original_.clear();
    expanded_.clear();
    expression_extra_.clear();
  }
  open_.push_back(std::move(open));
}

void Catch2BatchParser::on_end(const XmlEvent& event) {
  if (event.name == "TestCase" && in_case_) {
    end_case();
    return;
  }
  if (open_.empty() || open_.back().name != event.name) return;
  Open open = std::move(open_.back());
  open_.pop_back();
  const std::string text = trim_space(open.text);
  const bool in_expression = !open_.empty() && open_.back().name == "Expression";
  const std::string where = location(open.file, open.line);

  if (open.name == "Original") {
    original_ = text;
  } else if (open.name == "Expanded") {
    expanded_ = text;
  } else if (open.name == "Expression") {
    if (!open.failed) return;
    std::string line = where + open.type + "( " + original_ + " )";
    if (!expanded_.empty() && expanded_ != original_) line += " with expansion: " + expanded_;
    line += expression_extra_;
    report(std::move(line), true);
  } else if (in_expression) {
    if (expression_extra_.size() < max_element_text) {
      expression_extra_ +=
          std::string("\n  ") + (open.name == "Exception" ? "exception: " : "") + text;
    }
  } else if (open.name == "Exception") {
    report(where + "unexpected exception: " + text, true);
  } else if (open.name == "FatalErrorCondition") {
    fatal_ = text;
    report(where + "fatal error condition: " + text, true);
  } else if (open.name == "Failure") {
    report(where + (text.empty() ? std::string("explicit failure") : text), true);
  } else if (open.name == "Skip") {
    if (skip_message_.empty()) skip_message_ = text.empty() ? "skipped" : text;
    report(where + "skipped" + (text.empty() ? "" : ": " + text), false);
  } else if (open.name == "Info" || open.name == "Warning") {
    report(where + (open.name == "Info" ? "info: " : "warning: ") + text, false);
  }
}

// A readable line into the item's output; the first failure is the message.
void Catch2BatchParser::report(std::string line, bool failure) {
  if (failure && ++failures_ == 1) first_failure_ = shorten(line, max_message);
  line += '\n';
  tracker_.output(line);
}

void Catch2BatchParser::start_case(const XmlEvent& event) {
  text_.flush();
  in_case_ = true;
  open_.clear();
  first_failure_.clear();
  failures_ = 0;
  fatal_.reset();
  skip_message_.clear();
  success_.reset();
  skips_ = 0;
  seconds_.reset();
  const std::optional<std::size_t> index = waiting_item(event.attribute_or("name", ""));
  ours_ = index.has_value() && !tracker_.running();
  if (ours_) tracker_.start(*index);
}

void Catch2BatchParser::end_case() {
  text_.flush();
  in_case_ = false;
  open_.clear();
  if (!std::exchange(ours_, false)) return;
  if (fatal_) {
    const int signal = signal_number_in(*fatal_);
    std::string message = signal != 0 ? "crashed with " + signal_name(signal)
                                      : "crashed: " + shorten(*fatal_, max_message);
    tracker_.finish_running(Outcome::crashed, std::move(message), seconds_, signal);
    return;
  }
  if (success_.value_or(false)) {
    if (skips_ > 0) {
      tracker_.finish_running(Outcome::skipped, skip_message_, seconds_);
    } else {
      tracker_.finish_running(Outcome::passed, "", seconds_);
    }
    return;
  }
  std::string message = failures_ > 0 ? first_failure_ : std::string("failed");
  if (!success_) message = "ended without an <OverallResult>";
  if (failures_ > 1) {
    message +=
        "\n(and " + std::to_string(failures_ - 1) + " more failure" + (failures_ > 2 ? "s)" : ")");
  }
  tracker_.finish_running(Outcome::failed, std::move(message), seconds_);
}

BatchEnd Catch2BatchParser::finish(const ProcessEnd& end) {
  if (!ended_) {
    ended_ = true;
    xml_.close();
    drain();
    text_.flush();
  }
  const bool expected =
      end.exit_code == 0 || (v3_ && end.exit_code == 4 && tracker_.all_ended_as(Outcome::skipped));
  return tracker_.finish(end, expected);
}

}  // namespace fanout::collector
