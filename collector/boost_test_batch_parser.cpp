#include "collector/boost_test_batch_parser.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <utility>

#include "collector/text.hpp"
#include "collector/xml_stream.hpp"

namespace fanout::collector {
namespace {

constexpr std::size_t max_message = 600;
constexpr std::size_t max_report = 64 * 1024 * 1024;
constexpr std::size_t max_depth = 256;  // of nested suites

// The text between `marker` and the next '"', what follows that quote, and what came before
// `marker` on its line.
struct Quoted {
  std::string_view name;
  std::string_view rest;
  std::string_view before;
};
std::optional<Quoted> quoted_after(std::string_view line, std::string_view marker) {
  const std::size_t at = line.find(marker);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view after = line.substr(at + marker.size());
  const std::size_t quote = after.find('"');
  if (quote == std::string_view::npos) return std::nullopt;
  return Quoted{after.substr(0, quote), after.substr(quote + 1), line.substr(0, at)};
}

// What a test printed before Boost.Test's log entry on the same line, without a newline: the
// text before the entry's location "file(line): ". Empty when `before` does not end with that
// location, or the location is not known.
std::string_view output_before(std::string_view before, std::string_view location) {
  if (location.empty() || !before.ends_with(location)) return {};
  return before.substr(0, before.size() - location.size());
}

// The location Boost.Test logs for `item`'s test case: "file.cpp(12): ".
std::string location_of(const Item& item) {
  if (item.file.empty()) return "";
  return item.file + "(" + std::to_string(item.line) + "): ";
}

// "; testing time: 163us" or "; testing time: 12ms".
std::optional<double> parse_testing_time(std::string_view rest) {
  constexpr std::string_view prefix = "; testing time: ";
  if (!rest.starts_with(prefix)) return std::nullopt;
  rest.remove_prefix(prefix.size());
  double scale = 0;
  if (rest.ends_with("us")) scale = 1e-6;
  if (rest.ends_with("ms")) scale = 1e-3;
  if (scale == 0) return std::nullopt;
  rest.remove_suffix(2);
  unsigned long long value = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (error != std::errc() || end != rest.data() + rest.size()) return std::nullopt;
  return static_cast<double>(value) * scale;
}

bool is_error_line(std::string_view line) {
  return line.find(": error: in \"") != std::string_view::npos ||
         line.find(": fatal error: in \"") != std::string_view::npos;
}

}  // namespace

std::map<std::string, std::string> parse_boost_test_report(std::string_view xml_text) {
  XmlStream xml;
  xml.feed(xml_text);
  xml.close();
  std::map<std::string, std::string> results;
  std::vector<std::string> suites;  // suites[0] is the master suite
  while (std::optional<XmlEvent> event = xml.next()) {
    if (event->kind == XmlEvent::Kind::end && event->name == "TestSuite" && !suites.empty()) {
      suites.pop_back();
      continue;
    }
    if (event->kind != XmlEvent::Kind::start) continue;
    if (event->name == "TestSuite" && !event->self_closing) {
      suites.push_back(event->attribute_or("name", ""));
    } else if (event->name == "TestCase" && !suites.empty()) {
      std::string path;
      for (std::size_t i = 1; i < suites.size(); ++i) path += suites[i] + "/";
      path += event->attribute_or("name", "");
      results[path] = event->attribute_or("result", "");
    }
  }
  return results;
}

BoostTestBatchParser::BoostTestBatchParser(const Target& target, std::vector<const Item*> batch,
                                           std::filesystem::path report, ParserLimits limits)
    : tracker_(target, std::move(batch), limits),
      report_(std::move(report)),
      lines_(limits.max_line) {}

void BoostTestBatchParser::feed(std::string_view chunk) {
  if (ended_ || chunk.empty()) return;
  lines_.feed(chunk, [this](std::string_view line, bool newline, bool continued) {
    on_line(line, newline, continued);
  });
}

void BoostTestBatchParser::on_line(std::string_view line, bool newline, bool continued) {
  if (!continued) {
    const std::string_view text = strip_cr(line);
    if (on_marker(text)) return;
    if (is_error_line(text)) {
      if (ours_ && ++errors_ == 1) first_error_ = shorten(text, max_message);
      if (!ours_ && case_) foreign_error_ = true;
    }
  }
  tracker_.output(line);
  if (newline) tracker_.output("\n");
}

void BoostTestBatchParser::output_line(std::string_view text) {
  if (text.empty()) return;
  tracker_.output(text);
  tracker_.output("\n");
}

std::string BoostTestBatchParser::path_of(std::string_view name) const {
  std::string path;
  for (const std::string& suite : suites_) path += suite + "/";
  path += name;
  return path;
}

// Handles Boost.Test's own lines; true when `line` was one.
bool BoostTestBatchParser::on_marker(std::string_view line) {
  if (auto entering = quoted_after(line, "Entering test case \"");
      entering && entering->rest.empty() && !case_) {
    case_ = std::string(entering->name);
    const std::optional<std::size_t> index = tracker_.waiting(path_of(entering->name));
    ours_ = index.has_value() && !tracker_.running();
    if (ours_) {
      case_location_ = location_of(*tracker_.items()[*index]);
      output_line(output_before(entering->before, case_location_));
      tracker_.start(*index);
      errors_ = 0;
      first_error_.clear();
    }
    return true;
  }
  if (auto leaving = quoted_after(line, "Leaving test case \"");
      leaving && case_ && leaving->name == *case_) {
    case_.reset();
    if (!std::exchange(ours_, false)) return true;
    output_line(output_before(leaving->before, case_location_));
    const std::optional<double> seconds = parse_testing_time(leaving->rest);
    if (errors_ == 0) {
      tracker_.finish_running(Outcome::passed, "", seconds);
    } else {
      std::string message = first_error_;
      if (errors_ > 1) {
        message +=
            "\n(and " + std::to_string(errors_ - 1) + " more error" + (errors_ > 2 ? "s)" : ")");
      }
      tracker_.finish_running(Outcome::failed, std::move(message), seconds, 0, true);
    }
    return true;
  }
  if (case_) return false;
  if (auto suite = quoted_after(line, "Entering test suite \""); suite && suite->rest.empty()) {
    if (suites_.size() < max_depth) suites_.emplace_back(suite->name);
    return true;
  }
  if (auto suite = quoted_after(line, "Leaving test suite \"")) {
    if (!suites_.empty() && suites_.back() == suite->name) {
      suites_.pop_back();
      return true;
    }
  }
  constexpr std::string_view because = " is skipped because ";
  for (const bool suite : {false, true}) {
    const auto skipped = quoted_after(line, suite ? "Test suite \"" : "Test case \"");
    if (skipped && skipped->rest.starts_with(because)) {
      skip_items(skipped->name, suite, skipped->rest.substr(because.size()));
      return true;
    }
  }
  if (auto leaving = quoted_after(line, "Leaving test module \"")) {
    output_line(leaving->before);
    return true;
  }
  return quoted_after(line, "Entering test module \"").has_value() ||
         (line.starts_with("Running ") && line.find(" test case") != std::string_view::npos &&
          line.ends_with("..."));
}

void BoostTestBatchParser::skip_items(std::string_view path, bool suite, std::string_view reason) {
  const std::string message = "skipped because " + std::string(reason);
  const std::vector<const Item*>& items = tracker_.items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& name = items[i]->name;
    const bool inside =
        suite ? name.size() > path.size() && name.starts_with(path) && name[path.size()] == '/'
              : name == path;
    if (inside && !tracker_.done(i) && tracker_.running() != i) {
      tracker_.finish_unstarted(i, Outcome::skipped, message);
    }
  }
}

std::vector<std::string> BoostTestBatchParser::amend_from_report() {
  std::vector<std::string> unknown;
  if (tracker_.deferred().empty() || report_.empty()) return unknown;  // no report asked for
  std::string text;
  if (std::ifstream in(report_, std::ios::binary); in) {
    text.resize(max_report);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
  }
  const std::map<std::string, std::string> verdicts = parse_boost_test_report(text);

  for (Result& result : tracker_.deferred()) {
    for (const Item* item : tracker_.items()) {
      if (item->id != result.item_id) continue;
      const auto verdict = verdicts.find(item->name);
      if (verdict == verdicts.end()) {
        unknown.push_back(item->id);
      } else if (verdict->second == "passed") {
        result.outcome = Outcome::passed;
        result.message = "passed with expected failures: " + result.message;
      } else if (verdict->second == "timed-out") {
        result.outcome = Outcome::timeout;
        result.message = "timed out (Boost.Test timeout): " + result.message;
      }
      break;
    }
  }
  return unknown;
}

BatchEnd BoostTestBatchParser::finish(const ProcessEnd& end) {
  // Without the report's verdict a failure may still have been an expected one: such items
  // run again alone, where the report gets written.
  std::vector<std::string> uncertain;
  if (!ended_) {
    ended_ = true;
    lines_.finish([this](std::string_view line, bool newline, bool continued) {
      on_line(line, newline, continued);
    });
    uncertain = amend_from_report();
  }
  BatchEnd batch_end = tracker_.finish(end, end.exit_code == 0 || foreign_error_);
  if (uncertain.empty() || batch_end.results.size() <= uncertain.size()) return batch_end;
  for (auto it = batch_end.results.begin(); it != batch_end.results.end();) {
    if (std::find(uncertain.begin(), uncertain.end(), it->item_id) == uncertain.end()) {
      ++it;
      continue;
    }
    for (const Item* item : tracker_.items()) {
      if (item->id == it->item_id) batch_end.not_started.push_back(NotStarted{item, true});
    }
    it = batch_end.results.erase(it);
  }
  return batch_end;
}

}  // namespace fanout::collector
