#pragma once
// Scripted runs that feed reporters the same events a real run would, for golden-file tests.

#include <string>
#include <vector>

#include "collector/item.hpp"
#include "collector/result.hpp"
#include "collector/target.hpp"
#include "launcher/report/reporter.hpp"

namespace fanout::launcher::report::testing {

using collector::Item;
using collector::Outcome;
using collector::Result;
using collector::Target;

inline Item make_item(const std::string& target, const std::string& suite,
                      const std::string& case_name) {
  Item item;
  item.name = suite.empty() ? case_name : suite + "." + case_name;
  item.id = collector::make_item_id(target, item.name);
  item.target = target;
  item.suite = suite;
  item.case_name = case_name;
  return item;
}

inline Target make_target(const std::string& name) {
  Target target;
  target.name = name;
  target.executable = "/build/tests/" + name;
  return target;
}

inline Result make_result(const Item& item, Outcome outcome, double seconds,
                          std::string message = {}, std::string output = {}) {
  Result result;
  result.item_id = item.id;
  result.outcome = outcome;
  result.seconds = seconds;
  result.message = std::move(message);
  result.output = std::move(output);
  return result;
}

/// Records results and builds the Summary a launcher would give for them.
class Script {
 public:
  explicit Script(Reporter& reporter) : reporter_(reporter) {}
  void finish(const Item& item, const Result& result) {
    reporter_.item_finished(item, result);
    ++summary_.counts[result.outcome];
  }
  void run(const Item& item, const Result& result) {
    reporter_.item_started(item);
    finish(item, result);
  }
  void end(double wall_seconds, bool interrupted = false) {
    summary_.wall_seconds = wall_seconds;
    summary_.interrupted = interrupted;
    reporter_.run_finished(summary_);
  }
  Summary& summary() { return summary_; }

 private:
  Reporter& reporter_;
  Summary summary_;
};

/// A run with every outcome, a flaky retry, a message, an unlistable target, and results that
/// arrive in a different order than the items were listed.
inline void play_every_outcome(Reporter& reporter) {
  Script script(reporter);
  reporter.run_started({.total_items = 8, .workers = 2, .test_dir = "/build"});

  Item add = make_item("unit_tests", "Math", "Add");
  add.file = "tests/math_test.cpp";
  add.line = 10;
  Item div = make_item("unit_tests", "Math", "Div");
  div.file = "tests/math_test.cpp";
  div.line = 20;
  const Item sqrt_item = make_item("unit_tests", "Math", "Sqrt");
  const Item connect = make_item("unit_tests", "Net", "Connect");
  const Item retry = make_item("unit_tests", "Net", "Retry");
  Item sign = make_item("unit_tests", "Param/Sign", "Check/0");
  sign.annotation = "GetParam() = -2";
  const Item crashy = make_item("crashy", "", "crashy");
  const Item start = make_item("other", "Other", "Start");

  // Reporters may keep the collected targets and items until the run ends (see Reporter).
  const Target unit_tests = make_target("unit_tests");
  const std::vector<Item> unit_items{add, div, sqrt_item, connect, retry, sign};
  const Target crashy_target = make_target("crashy");
  const std::vector<Item> crashy_items{crashy};
  const Target other = make_target("other");
  const std::vector<Item> other_items{start};
  reporter.target_collected(unit_tests, unit_items);
  reporter.target_collected(crashy_target, crashy_items);
  reporter.collection_failed({.target = "broken",
                              .executable = "/build/tests/broken",
                              .message = "--gtest_list_tests exited with code 127"});
  reporter.target_collected(other, other_items);
  reporter.message("global fixture database: started on port 5432");

  reporter.item_started(add);
  reporter.item_started(div);
  script.finish(add, make_result(add, Outcome::passed, 0.012));
  script.finish(div, make_result(div, Outcome::failed, 0.125,
                                 "tests/math_test.cpp:22: Expected equality of these values",
                                 "[ RUN      ] Math.Div\n"
                                 "tests/math_test.cpp:22: Failure\n"
                                 "Expected equality of these values:\n"
                                 "  divide(1, 0)\n    Which is: 2\n  1\n"
                                 "[  FAILED  ] Math.Div (125 ms)\n"));
  script.run(sign, make_result(sign, Outcome::passed, 0.001));
  script.run(sqrt_item, make_result(sqrt_item, Outcome::skipped, 0, "needs libm with long double",
                                    "[ RUN      ] Math.Sqrt\n[  SKIPPED ] Math.Sqrt (0 ms)\n"));
  Result crash = make_result(crashy, Outcome::crashed, 0.5, "", "about to dereference null\n");
  crash.signal = 11;
  script.run(crashy, crash);
  reporter.item_started(connect);
  reporter.item_started(retry);
  Result flaky = make_result(retry, Outcome::flaky, 1.25, "",
                             "[ RUN      ] Net.Retry\n[       OK ] Net.Retry (1250 ms)\n");
  flaky.attempts = 2;
  script.finish(retry, flaky);
  script.finish(connect, make_result(connect, Outcome::timeout, 30.004, "timed out after 30 s",
                                     "[ RUN      ] Net.Connect\nconnecting to 10.0.0.1...\n"));
  script.run(start, make_result(start, Outcome::error, 0,
                                "cannot execute /build/tests/other: Permission denied"));
  script.summary().collection_errors = 1;
  script.end(31.5);
}

/// One failing test whose output and message hold control characters, invalid UTF-8 and markup.
inline void play_bad_bytes(Reporter& reporter) {
  Script script(reporter);
  reporter.run_started({.total_items = 1});
  Item item = make_item("bytes", "Bytes", "Print<int>");
  item.file = "tests/bytes & \"quotes\".cpp";
  item.line = 7;
  const Target target = make_target("bytes");
  const std::vector<Item> items{item};
  reporter.target_collected(target, items);
  const std::string output = std::string(
                                 "color: \x1b[31mred\x1b[0m\n"
                                 "nul: [") +
                             std::string(1, '\0') +
                             "] bell: [\x07] del: [\x7f] c1: [\xC2\x85]\n"
                             "overlong: [\xC0\xAF] surrogate: [\xED\xA0\x80] cut: [\xE2\x82]\n"
                             "stray: [\x80\xBF] high: [\xF4\x90\x80\x80] nonchar: [\xEF\xBF\xBE]\n"
                             "markup: <tag attr='1'>&amp; ]]> \"q\"\r\n"
                             "fine: caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n"
                             "truncated at the end: \xF0\x9F\x98";
  script.run(item,
             make_result(item, Outcome::failed, 0.003,
                         "expected \"<ok>\" & got \x1b[1m\xFF\x1b[0m\tthen\nnewline", output));
  script.end(0.01);
}

/// An interrupted run: one item passed, one was stopped (not-run result), two never started
/// (one of them disabled).
inline void play_interrupted(Reporter& reporter) {
  Script script(reporter);
  reporter.run_started({.total_items = 4, .workers = 1});
  const Item one = make_item("slow", "Slow", "One");
  const Item two = make_item("slow", "Slow", "Two");
  const Item three = make_item("slow", "Slow", "Three");
  Item off = make_item("slow", "Slow", "DISABLED_Four");
  off.disabled = true;
  const Target target = make_target("slow");
  const std::vector<Item> items{one, two, three, off};
  reporter.target_collected(target, items);
  script.run(one, make_result(one, Outcome::passed, 2.0));
  reporter.item_started(two);
  script.finish(two, make_result(two, Outcome::not_run, 0.7, "interrupted by SIGINT"));
  script.end(2.75, true);
}

/// One target listed fine, one that could not be listed.
inline void play_collection_error(Reporter& reporter) {
  Script script(reporter);
  reporter.run_started({.total_items = 1});
  reporter.collection_failed({.target = "missing",
                              .executable = "/build/tests/missing",
                              .message = "cannot execute: No such file or directory"});
  const Item ok = make_item("fine", "Fine", "Works");
  const Target target = make_target("fine");
  const std::vector<Item> items{ok};
  reporter.target_collected(target, items);
  script.run(ok, make_result(ok, Outcome::passed, 0.02));
  script.summary().collection_errors = 1;
  script.end(0.05);
}

/// A run whose fixtures failed: a setup that timed out (printing markup), so
/// its item failed without running; a CTest cleanup test that exited non-zero; a cleanup stopped
/// by the interrupted run. One item that needs no fixture passed.
inline void play_fixture_failures(Reporter& reporter) {
  Script script(reporter);
  reporter.run_started({.total_items = 2, .workers = 2});
  const Item ok = make_item("free", "Free", "Works");
  const Item needs = make_item("needs_db", "Db", "Query");
  const Target free = make_target("free");
  const Target needs_db = make_target("needs_db");
  const std::vector<Item> free_items{ok};
  const std::vector<Item> needs_items{needs};
  reporter.target_collected(free, free_items);
  reporter.target_collected(needs_db, needs_items);
  script.run(ok, make_result(ok, Outcome::passed, 0.02));
  const std::string setup_output = "starting <db> & waiting\n";
  reporter.fixture_failed({.fixture = "db",
                           .phase = FixtureFailure::Phase::setup,
                           .outcome = Outcome::timeout,
                           .message = "timed out after 2 s",
                           .output = setup_output,
                           .seconds = 2.004});
  Result never_ran = make_result(needs, Outcome::failed, 0,
                                 "fixture 'db' setup failed: timed out after 2 s", setup_output);
  never_ran.ran = false;
  script.finish(needs, never_ran);
  reporter.fixture_failed({.fixture = "db",
                           .phase = FixtureFailure::Phase::cleanup,
                           .command = "stop_db",
                           .outcome = Outcome::failed,
                           .message = "exited with code 4",
                           .output = "cleanup failing\n",
                           .seconds = 0.1});
  reporter.fixture_failed({.fixture = "cache",
                           .phase = FixtureFailure::Phase::cleanup,
                           .outcome = Outcome::not_run,
                           .message = "interrupted",
                           .seconds = 0.5});
  script.summary().fixture_failures = 3;
  script.end(2.5, true);
}

}  // namespace fanout::launcher::report::testing
