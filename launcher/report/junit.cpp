#include "launcher/report/junit.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <ctime>
#include <utility>

#include "launcher/report/atomic_file.hpp"
#include "launcher/report/result_text.hpp"
#include "launcher/report/xml_text.hpp"

namespace fanout::launcher::report {

namespace {

using collector::Outcome;

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

std::string_view target_of(const collector::Item& item) {
  if (!item.target.empty()) return item.target;
  return std::string_view(item.id).substr(0, item.id.find('/'));
}

/// Appends `open` (` name="`), then `value` escaped, then the closing quote.
void attribute(std::string& out, std::string_view open, std::string_view value) {
  out += open;
  append_xml_attribute(out, value);
  out += '"';
}

/// As `attribute`, for a value that needs no escaping (digits and a point).
void plain_attribute(std::string& out, std::string_view open, std::string_view value) {
  out += open;
  out += value;
  out += '"';
}

void count_attribute(std::string& out, std::string_view open, std::size_t value) {
  char buffer[24];
  const auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
  plain_attribute(out, open,
                  std::string_view(buffer, static_cast<std::size_t>(written.ptr - buffer)));
}

/// Seconds with 3 decimals.
void seconds_attribute(std::string& out, std::string_view open, double seconds) {
  plain_attribute(out, open, fixed_seconds(seconds, 3));  // short enough to need no allocation
}

std::string not_run_message(const std::string& reason, bool interrupted) {
  if (reason.rfind("not run", 0) == 0) return reason;
  if (!reason.empty()) return "not run: " + reason;
  return interrupted ? "not run: the run was interrupted" : "not run: never started";
}

/// What testcases add up to in their suite's (and the run's) attributes.
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
  /// One testcase that ended with `outcome` in `seconds`.
  void add_case(Outcome outcome, double case_seconds) {
    ++tests;
    switch (outcome) {
      case Outcome::failed:
        ++failures;
        break;
      case Outcome::timeout:
      case Outcome::crashed:
      case Outcome::error:
        ++errors;
        break;
      case Outcome::skipped:
      case Outcome::not_run:
        ++skipped;
        break;
      case Outcome::passed:
      case Outcome::flaky:
        break;
    }
    seconds += case_seconds;
  }
  void append_attributes(std::string& out) const {
    count_attribute(out, " tests=\"", tests);
    count_attribute(out, " failures=\"", failures);
    count_attribute(out, " errors=\"", errors);
    count_attribute(out, " skipped=\"", skipped);
    seconds_attribute(out, " time=\"", seconds);
  }
};

/// A guess at the bytes one testcase takes, so the document is allocated once.
std::size_t size_hint(const collector::Item& item, std::size_t result_bytes) {
  return 160 + item.suite.size() + item.case_name.size() + item.file.size() +
         item.annotation.size() + result_bytes;
}

}  // namespace

JUnitReporter::JUnitReporter(JUnitOptions options) : options_(std::move(options)) {
  if (options_.hostname.empty()) options_.hostname = this_hostname();
}

std::chrono::system_clock::time_point JUnitReporter::now() const {
  return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

std::size_t JUnitReporter::suite(std::string_view target) {
  if (last_suite_ < suites_.size() && suites_[last_suite_].name == target) return last_suite_;
  if (const auto found = suite_index_.find(target); found != suite_index_.end()) {
    last_suite_ = found->second;
  } else {
    last_suite_ = suites_.size();
    suite_index_.emplace(std::string(target), last_suite_);
    suites_.push_back(Suite{.name = std::string(target)});
  }
  return last_suite_;
}

JUnitReporter::Case& JUnitReporter::case_for(const collector::Item& item) {
  Suite& s = suites_[suite(target_of(item))];
  if (const auto found = s.case_index.find(item.id); found != s.case_index.end()) {
    return s.cases[found->second];
  }
  // An item that finished without being collected: the caller's copy lives only for the call.
  const collector::Item& own = own_items_.emplace_back(item);
  s.case_index.emplace(own.id, s.cases.size());
  return s.cases.emplace_back(Case{&own, no_result});
}

void JUnitReporter::run_started(const RunInfo& info) {
  if (!run_started_) run_started_ = now();
  for (const auto& target : info.targets) target_rank_.try_emplace(target, target_rank_.size());
}

void JUnitReporter::target_collected(const collector::Target& target,
                                     const std::vector<collector::Item>& items) {
  suite(target.name);
  for (const auto& item : items) {
    Suite& s = suites_[suite(target_of(item))];
    if (s.cases.empty()) {
      s.cases.reserve(items.size());
      s.case_index.reserve(items.size());
    }
    // An id listed twice is reported once.
    if (s.case_index.emplace(item.id, s.cases.size()).second) {
      s.cases.push_back(Case{&item, no_result});
    }
  }
}

void JUnitReporter::collection_failed(const CollectionError& error) {
  suites_[suite(error.target)].collection_error = error;
}

void JUnitReporter::item_started(const collector::Item& item) {
  Suite& s = suites_[suite(target_of(item))];
  if (!s.started) s.started = now();
}

void JUnitReporter::item_finished(const collector::Item& item, const collector::Result& result) {
  Case& c = case_for(item);
  if (c.finished == no_result) {
    c.finished = finished_.size();
    finished_.emplace_back();
  }
  Finished& f = finished_[c.finished];
  f.outcome = result.outcome;
  f.attempts = result.attempts;
  f.seconds = result.seconds;
  f.output = result.output;
  switch (result.outcome) {
    case Outcome::failed:
    case Outcome::timeout:
    case Outcome::crashed:
    case Outcome::error:
      f.message = describe_result(result);
      break;
    case Outcome::skipped:
    case Outcome::not_run:
      f.message = result.message;
      break;
    case Outcome::passed:
    case Outcome::flaky:
      f.message.clear();
      break;
  }
}

void JUnitReporter::fixture_failed(const FixtureFailure& failure) {
  fixture_failures_.push_back(failure);
}

void JUnitReporter::run_finished(const Summary& summary) {
  write_file_atomically(options_.path, document(summary));
}

namespace {

/// Appends one testcase.
void render_case(std::string& out, const collector::Item& item, const Outcome outcome,
                 const double seconds, const std::string* message, const std::string* output,
                 int attempts, bool has_result, bool interrupted) {
  out += "    <testcase";
  attribute(out, " classname=\"", item.suite.empty() ? target_of(item) : item.suite);
  attribute(out, " name=\"",
            !item.case_name.empty() ? item.case_name
            : !item.name.empty()    ? item.name
                                    : item.id);
  seconds_attribute(out, " time=\"", seconds);
  if (!item.file.empty()) {
    attribute(out, " file=\"", item.file);
    if (item.line > 0) count_attribute(out, " line=\"", static_cast<std::size_t>(item.line));
  }

  const bool flaky = outcome == Outcome::flaky;
  const bool has_output = output && !output->empty();
  const bool has_body =
      flaky || !item.annotation.empty() || has_output || outcome != Outcome::passed;
  if (!has_body) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  if (flaky || !item.annotation.empty()) {
    out += "      <properties>\n";
    if (flaky) out += "        <property name=\"flaky\" value=\"true\"/>\n";
    if (!item.annotation.empty()) {
      out += "        <property name=\"annotation\"";
      attribute(out, " value=\"", item.annotation);
      out += "/>\n";
    }
    out += "      </properties>\n";
  }

  switch (outcome) {
    case Outcome::passed:
    case Outcome::flaky:
      break;
    case Outcome::failed:
    case Outcome::timeout:
    case Outcome::crashed:
    case Outcome::error: {
      const std::string_view element = outcome == Outcome::failed ? "failure" : "error";
      out += "      <";
      out += element;
      attribute(out, " message=\"", *message);
      attribute(out, " type=\"", to_string(outcome));
      if (!has_output) {
        out += "/>\n";
      } else {
        out += '>';
        append_xml_text(out, *output);
        out += "</";
        out += element;
        out += ">\n";
      }
      break;
    }
    case Outcome::skipped:
      out += "      <skipped";
      if (!message->empty()) attribute(out, " message=\"", *message);
      out += "/>\n";
      break;
    case Outcome::not_run:
      if (!has_result && item.disabled) {
        out += "      <skipped message=\"disabled\"/>\n";
      } else {
        out += "      <skipped";
        attribute(out, " message=\"",
                  not_run_message(has_result ? *message : std::string(), interrupted));
        out += "/>\n";
      }
      break;
  }
  if (flaky || has_output) {
    out += "      <system-out>";
    if (flaky) {
      out += "flaky: passed on attempt ";
      out += std::to_string(attempts);
      out += '\n';
    }
    if (has_output) append_xml_text(out, *output);
    out += "</system-out>\n";
  }
  out += "    </testcase>\n";
}

void render_collection_error(std::string& out, const CollectionError& error) {
  std::string message = error.message;
  if (!error.executable.empty() && message.find(error.executable) == std::string::npos) {
    message = error.executable + ": " + message;
  }
  out += "    <testcase";
  attribute(out, " classname=\"", error.target);
  attribute(out, " name=\"", "collection");
  seconds_attribute(out, " time=\"", 0);
  out += ">\n      <error";
  attribute(out, " message=\"", message);
  attribute(out, " type=\"", "collection");
  out += '>';
  append_xml_text(out, message);
  out += "</error>\n    </testcase>\n";
}

/// The testsuite and classname of failed fixture commands.
constexpr std::string_view fixtures_suite = "fixtures";

/// A failed fixture command as the testcase item render_case writes.
collector::Item fixture_case(const FixtureFailure& failure) {
  collector::Item item;
  item.suite = fixtures_suite;
  item.case_name = fixture_command_name(failure);
  item.name = item.case_name;
  item.id = std::string(fixtures_suite) + "/" + item.case_name;
  return item;
}

/// The message render_case gives a failed fixture command.
std::string fixture_message(const FixtureFailure& failure) {
  if (!failure.message.empty() || !collector::is_failure(failure.outcome)) return failure.message;
  return std::string(to_string(failure.outcome));
}

}  // namespace

std::string JUnitReporter::document(const Summary& summary) const {
  const auto run_time = run_started_ ? *run_started_ : now();
  std::vector<const Suite*> ordered;
  ordered.reserve(suites_.size());
  for (const Suite& s : suites_) ordered.push_back(&s);
  auto rank = [this](const Suite* s) {
    const auto found = target_rank_.find(s->name);
    return found == target_rank_.end() ? target_rank_.size() : found->second;
  };
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const Suite* a, const Suite* b) { return rank(a) < rank(b); });

  // Totals come before the testcases in the document: count first, then write once.
  std::vector<Counts> suite_counts(ordered.size());
  Counts total;
  std::size_t size = 256;
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    const Suite& s = *ordered[i];
    Counts& counts = suite_counts[i];
    size += 256 + 2 * s.name.size() + options_.hostname.size();
    if (s.collection_error) {
      Counts error;
      error.tests = 1;
      error.errors = 1;
      counts.add(error);
      size += 256 + 2 * s.collection_error->message.size() + s.collection_error->executable.size();
    }
    for (const Case& c : s.cases) {
      if (c.finished == no_result) {
        counts.add_case(Outcome::not_run, 0);
        size += size_hint(*c.item, 64);
      } else {
        const Finished& f = finished_[c.finished];
        counts.add_case(f.outcome, f.seconds);
        size += size_hint(*c.item, f.message.size() + 2 * f.output.size());
      }
    }
    total.add(counts);
  }
  Counts fixture_counts;
  for (const FixtureFailure& f : fixture_failures_) {
    fixture_counts.add_case(f.outcome, f.seconds);
    size += 512 + 2 * (f.fixture.size() + f.command.size() + f.message.size() + f.output.size());
  }
  total.add(fixture_counts);
  total.seconds = summary.wall_seconds;

  std::string out;
  out.reserve(size);
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites";
  attribute(out, " name=\"", "fanout");
  total.append_attributes(out);
  attribute(out, " timestamp=\"", timestamp_text(run_time));
  out += ">\n";
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    const Suite& s = *ordered[i];
    out += "  <testsuite";
    attribute(out, " name=\"", s.name);
    suite_counts[i].append_attributes(out);
    attribute(out, " timestamp=\"", timestamp_text(s.started ? *s.started : run_time));
    attribute(out, " hostname=\"", options_.hostname);
    if (!s.collection_error && s.cases.empty()) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (s.collection_error) render_collection_error(out, *s.collection_error);
    for (const Case& c : s.cases) {
      if (c.finished == no_result) {
        render_case(out, *c.item, Outcome::not_run, 0, nullptr, nullptr, 1, false,
                    summary.interrupted);
      } else {
        const Finished& f = finished_[c.finished];
        render_case(out, *c.item, f.outcome, f.seconds, &f.message, &f.output, f.attempts, true,
                    summary.interrupted);
      }
    }
    out += "  </testsuite>\n";
  }
  if (!fixture_failures_.empty()) {
    out += "  <testsuite";
    attribute(out, " name=\"", fixtures_suite);
    fixture_counts.append_attributes(out);
    attribute(out, " timestamp=\"", timestamp_text(run_time));
    attribute(out, " hostname=\"", options_.hostname);
    out += ">\n";
    for (const FixtureFailure& f : fixture_failures_) {
      const std::string message = fixture_message(f);
      render_case(out, fixture_case(f), f.outcome, f.seconds, &message, &f.output, 1, true,
                  summary.interrupted);
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace fanout::launcher::report
