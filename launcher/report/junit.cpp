#include "launcher/report/junit.hpp"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <ctime>
#include <utility>

#include "launcher/report/atomic_file.hpp"
#include "launcher/report/result_text.hpp"
#include "launcher/report/xml_text.hpp"

namespace fanout::launcher::report {

namespace {

using collector::Outcome;

std::string seconds_text(double seconds) {
  return fixed_seconds(seconds, 3);
}

std::string timestamp_text(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  return buffer;
}

std::string this_hostname() {
  char buffer[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "localhost";
  return buffer;
}

std::string target_of(const collector::Item& item) {
  if (!item.target.empty()) return item.target;
  return item.id.substr(0, item.id.find('/'));
}

/// ` name="value"`, escaped.
std::string attribute(std::string_view name, std::string_view value) {
  std::string out = " ";
  out += name;
  out += "=\"";
  out += escape_xml_attribute(value);
  out += '"';
  return out;
}

std::string attribute(std::string_view name, std::size_t value) {
  return attribute(name, std::to_string(value));
}

std::string not_run_message(const std::string& reason, bool interrupted) {
  if (reason.rfind("not run", 0) == 0) return reason;
  if (!reason.empty()) return "not run: " + reason;
  return interrupted ? "not run: the run was interrupted" : "not run: never started";
}

/// What one testcase contributes to its suite's counts.
struct Counts {
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::size_t errors = 0;
  std::size_t skipped = 0;
  double seconds = 0;

  void add(const Counts& other) {
    tests += other.tests;
    failures += other.failures;
    errors += other.errors;
    skipped += other.skipped;
    seconds += other.seconds;
  }
  std::string attributes() const {
    return attribute("tests", tests) + attribute("failures", failures) +
           attribute("errors", errors) + attribute("skipped", skipped) +
           attribute("time", seconds_text(seconds));
  }
};

/// Renders one testcase; returns its counts.
Counts render_case(std::string& out, const collector::Item& item,
                   const std::optional<collector::Result>& result, bool interrupted) {
  Counts counts;
  counts.tests = 1;
  const std::string classname = item.suite.empty() ? target_of(item) : item.suite;
  const std::string name = !item.case_name.empty() ? item.case_name
                           : !item.name.empty()    ? item.name
                                                   : item.id;
  counts.seconds = result ? result->seconds : 0;

  std::string head = "    <testcase" + attribute("classname", classname) + attribute("name", name) +
                     attribute("time", seconds_text(counts.seconds));
  if (!item.file.empty()) head += attribute("file", item.file);
  if (!item.file.empty() && item.line > 0) head += attribute("line", std::to_string(item.line));

  std::string body;
  const Outcome outcome = result ? result->outcome : Outcome::not_run;
  const bool flaky = outcome == Outcome::flaky;
  if (flaky || !item.annotation.empty()) {
    body += "      <properties>\n";
    if (flaky) body += "        <property name=\"flaky\" value=\"true\"/>\n";
    if (!item.annotation.empty()) {
      body += "        <property" + attribute("name", "annotation") +
              attribute("value", item.annotation) + "/>\n";
    }
    body += "      </properties>\n";
  }

  std::string output = result ? result->output : std::string();
  switch (outcome) {
    case Outcome::passed:
      break;
    case Outcome::flaky:
      output = "flaky: passed on attempt " + std::to_string(result->attempts) + "\n" + output;
      break;
    case Outcome::failed:
    case Outcome::timeout:
    case Outcome::crashed:
    case Outcome::error: {
      const char* element = outcome == Outcome::failed ? "failure" : "error";
      (outcome == Outcome::failed ? counts.failures : counts.errors) = 1;
      body += std::string("      <") + element + attribute("message", describe_result(*result)) +
              attribute("type", to_string(outcome));
      body += result->output.empty()
                  ? "/>\n"
                  : ">" + escape_xml_text(result->output) + "</" + element + ">\n";
      break;
    }
    case Outcome::skipped:
      counts.skipped = 1;
      body += "      <skipped";
      if (!result->message.empty()) body += attribute("message", result->message);
      body += "/>\n";
      break;
    case Outcome::not_run:
      counts.skipped = 1;
      if (!result && item.disabled) {
        body += "      <skipped message=\"disabled\"/>\n";
      } else {
        body += "      <skipped" +
                attribute("message", not_run_message(result ? result->message : "", interrupted)) +
                "/>\n";
      }
      break;
  }
  if (!output.empty()) body += "      <system-out>" + escape_xml_text(output) + "</system-out>\n";

  if (body.empty()) {
    out += head + "/>\n";
  } else {
    out += head + ">\n" + body + "    </testcase>\n";
  }
  return counts;
}

Counts render_collection_error(std::string& out, const CollectionError& error) {
  std::string message = error.message;
  if (!error.executable.empty() && message.find(error.executable) == std::string::npos) {
    message = error.executable + ": " + message;
  }
  out += "    <testcase" + attribute("classname", error.target) + attribute("name", "collection") +
         attribute("time", seconds_text(0)) + ">\n";
  out += "      <error" + attribute("message", message) + attribute("type", "collection") + ">" +
         escape_xml_text(message) + "</error>\n";
  out += "    </testcase>\n";
  Counts counts;
  counts.tests = 1;
  counts.errors = 1;
  return counts;
}

}  // namespace

JUnitReporter::JUnitReporter(JUnitOptions options) : options_(std::move(options)) {
  if (options_.hostname.empty()) options_.hostname = this_hostname();
}

std::chrono::system_clock::time_point JUnitReporter::now() const {
  return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

JUnitReporter::Suite& JUnitReporter::suite(const std::string& target) {
  auto [it, inserted] = suite_index_.try_emplace(target, suites_.size());
  if (inserted) suites_.push_back(Suite{.name = target});
  return suites_[it->second];
}

JUnitReporter::Case& JUnitReporter::case_for(const collector::Item& item) {
  Suite& s = suite(target_of(item));
  auto [it, inserted] = s.case_index.try_emplace(item.id, s.cases.size());
  if (inserted) s.cases.push_back(Case{.item = item});
  return s.cases[it->second];
}

void JUnitReporter::run_started(const RunInfo& info) {
  if (!run_started_) run_started_ = now();
  for (const auto& target : info.targets) target_rank_.try_emplace(target, target_rank_.size());
}

void JUnitReporter::target_collected(const collector::Target& target,
                                     const std::vector<collector::Item>& items) {
  suite(target.name);
  for (const auto& item : items) case_for(item);
}

void JUnitReporter::collection_failed(const CollectionError& error) {
  suite(error.target).collection_error = error;
}

void JUnitReporter::item_started(const collector::Item& item) {
  Suite& s = suite(target_of(item));
  if (!s.started) s.started = now();
}

void JUnitReporter::item_finished(const collector::Item& item, const collector::Result& result) {
  case_for(item).result = result;
}

void JUnitReporter::run_finished(const Summary& summary) {
  write_file_atomically(options_.path, document(summary));
}

std::string JUnitReporter::document(const Summary& summary) const {
  const auto run_time = run_started_ ? *run_started_ : now();
  Counts total;
  std::string suites;
  std::vector<const Suite*> ordered;
  for (const Suite& s : suites_) ordered.push_back(&s);
  auto rank = [this](const Suite* s) {
    const auto found = target_rank_.find(s->name);
    return found == target_rank_.end() ? target_rank_.size() : found->second;
  };
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const Suite* a, const Suite* b) { return rank(a) < rank(b); });
  for (const Suite* suite : ordered) {
    const Suite& s = *suite;
    Counts counts;
    std::string cases;
    if (s.collection_error) counts.add(render_collection_error(cases, *s.collection_error));
    for (const Case& c : s.cases) {
      counts.add(render_case(cases, c.item, c.result, summary.interrupted));
    }
    suites += "  <testsuite" + attribute("name", s.name) + counts.attributes() +
              attribute("timestamp", timestamp_text(s.started ? *s.started : run_time)) +
              attribute("hostname", options_.hostname);
    suites += cases.empty() ? "/>\n" : ">\n" + cases + "  </testsuite>\n";
    total.add(counts);
  }
  total.seconds = summary.wall_seconds;

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attribute("name", "fanout") + total.attributes() +
         attribute("timestamp", timestamp_text(run_time)) + ">\n";
  out += suites;
  out += "</testsuites>\n";
  return out;
}

}  // namespace fanout::launcher::report
