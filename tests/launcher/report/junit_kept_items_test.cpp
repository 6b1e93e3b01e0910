// The JUnit reporter keeps the collected items by address (the Reporter contract keeps them
// alive until run_finished) and only what it prints of each result. These tests pin that the
// report is the one the reporter wrote when it copied every item and result: the golden file
// junit_kept_items.xml was written by that earlier implementation.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "golden.hpp"
#include "launcher/report/junit.hpp"
#include "scenario.hpp"
#include "ticking_clock.hpp"
#include "xml_check.hpp"

namespace fanout::launcher::report {
namespace {

using collector::Item;
using collector::Outcome;
using collector::Result;
using collector::Target;
using ::testing::HasSubstr;
using testing::make_item;
using testing::make_result;
using testing::make_target;
using ::testing::Not;
using testing::ticking_clock;

JUnitOptions options() {
  return {.path = "unused.xml", .hostname = "ci-runner-1", .clock = ticking_clock()};
}

/// Every outcome and every way an item can be named, with the bytes escaping must handle:
/// control characters, CR, invalid UTF-8, markup and `]]>`, in output, messages and
/// attributes. Targets and items live in this object, as a run keeps them.
struct KeptRun {
  std::vector<Target> targets;
  std::vector<std::vector<Item>> items;

  KeptRun() {
    targets = {make_target("mixed"), make_target("plain"), make_target("noname"),
               make_target("twice")};
    std::vector<Item>& mixed = items.emplace_back();
    mixed.push_back(make_item("mixed", "Mixed", "Passes"));
    mixed.back().file = "src/mixed_test.cpp";
    mixed.back().line = 12;
    mixed.push_back(make_item("mixed", "Mixed", "PassesLoudly"));
    mixed.push_back(make_item("mixed", "Param/Mixed", "Typed/0"));
    mixed.back().annotation = "TypeParam = std::pair<int, \"q\">";
    mixed.push_back(make_item("mixed", "Mixed", "Fails"));
    mixed.back().file = "src/we\"ird &\tname\n.cpp";
    mixed.back().line = 0;  // a file without a line
    mixed.push_back(make_item("mixed", "Mixed", "FailsQuietly"));
    mixed.push_back(make_item("mixed", "Mixed", "TimesOut"));
    mixed.push_back(make_item("mixed", "Mixed", "Crashes"));
    mixed.push_back(make_item("mixed", "Mixed", "CrashesAgain"));
    mixed.push_back(make_item("mixed", "Mixed", "CannotRun"));
    mixed.push_back(make_item("mixed", "Mixed", "Skips"));
    mixed.push_back(make_item("mixed", "Mixed", "SkipsSilently"));
    mixed.push_back(make_item("mixed", "Mixed", "Stopped"));
    mixed.push_back(make_item("mixed", "Mixed", "StoppedEarlier"));
    mixed.push_back(make_item("mixed", "Mixed", "Flaky"));
    mixed.push_back(make_item("mixed", "Mixed", "NeverStarted"));
    mixed.push_back(make_item("mixed", "Mixed", "DISABLED_Off"));
    mixed.back().disabled = true;
    std::vector<Item>& plain = items.emplace_back();
    plain.push_back(make_item("plain", "", "plain"));  // no suite: the target is the classname
    std::vector<Item>& noname = items.emplace_back();
    Item bare;  // neither target nor names: the target comes from the id, the name is the id
    bare.id = "noname/bare";
    noname.push_back(bare);
    std::vector<Item>& twice = items.emplace_back();  // an id listed twice is reported once
    twice.push_back(make_item("twice", "Twice", "Listed"));
    twice.push_back(make_item("twice", "Twice", "Once"));
    twice.push_back(make_item("twice", "Twice", "Listed"));
    twice.back().file = "src/not_reported.cpp";
  }

  const Item& item(std::size_t target, std::size_t index) const { return items[target][index]; }

  /// Plays the run into `reporter`. Items are started and finished as the scheduler passes
  /// them, the collected items themselves, or, `through_copies`, as a proxy holding results
  /// back passes them: copies whose ids only match the collected ones.
  void play(Reporter& reporter, bool through_copies) const {
    reporter.run_started({.total_items = 20,
                          .workers = 2,
                          .test_dir = "/build",
                          .targets = {"plain", "mixed", "broken", "noname", "twice"}});
    for (std::size_t t = 0; t < targets.size(); ++t)
      reporter.target_collected(targets[t], items[t]);
    reporter.collection_failed({.target = "broken",
                                .executable = "/build/tests/broken",
                                .message = "listing said <nothing> & \x1b[31mexited\x1b[0m 1"});
    const std::string nasty = std::string("out \x01\x1b[1mbold\x1b[0m ]]> <x a='1'> & \"q\"\r\n") +
                              std::string(1, '\0') +
                              "nul \xC0\xAF bad \xE2\x82\xAC euro \xED\xA0\x80";
    auto finish = [&](std::size_t t, std::size_t i, Result result) {
      if (!through_copies) {
        reporter.item_started(item(t, i));
        reporter.item_finished(item(t, i), result);
        return;
      }
      const auto copy = std::make_unique<Item>(item(t, i));
      reporter.item_started(*copy);
      reporter.item_finished(*copy, result);
    };
    finish(0, 0, make_result(item(0, 0), Outcome::passed, 0.0125));
    finish(0, 1, make_result(item(0, 1), Outcome::passed, 0.5, "", "printed while passing\n"));
    finish(0, 2, make_result(item(0, 2), Outcome::passed, 1e-4));
    finish(0, 3,
           make_result(item(0, 3), Outcome::failed, 0.25, "a ]]> b <c> \"d\"\tnext\nline", nasty));
    finish(0, 4, make_result(item(0, 4), Outcome::failed, 0.002));
    finish(0, 5,
           make_result(item(0, 5), Outcome::timeout, 30, "timed out after 30 s",
                       "[ RUN      ] Mixed.TimesOut\n"));
    Result crash = make_result(item(0, 6), Outcome::crashed, 0.75, "", "about to crash\n");
    crash.signal = 11;
    finish(0, 6, crash);
    Result again = make_result(item(0, 7), Outcome::crashed, 0.1, "abort() called");
    again.signal = 6;
    finish(0, 7, again);
    finish(0, 8, make_result(item(0, 8), Outcome::error, 0, "cannot execute: Permission denied"));
    finish(0, 9,
           make_result(item(0, 9), Outcome::skipped, 0, "needs <root> & \x07 bell",
                       "[  SKIPPED ] Mixed.Skips\n"));
    finish(0, 10, make_result(item(0, 10), Outcome::skipped, 0));
    finish(0, 11, make_result(item(0, 11), Outcome::not_run, 0.3, "interrupted by SIGINT"));
    finish(0, 12, make_result(item(0, 12), Outcome::not_run, 0, "not run: fixture db failed"));
    Result flaky = make_result(item(0, 13), Outcome::flaky, 2.5, "ignored", "second try \x1b ok\n");
    flaky.attempts = 3;
    finish(0, 13, flaky);
    finish(1, 0, make_result(item(1, 0), Outcome::passed, 0.001));
    finish(2, 0, make_result(item(2, 0), Outcome::failed, 0.004, "", "bare failed"));
    finish(3, 1, make_result(item(3, 1), Outcome::passed, 0.001));
    finish(3, 0, make_result(item(3, 0), Outcome::failed, 0.002, "first of two"));
    finish(3, 2, make_result(item(3, 2), Outcome::passed, 0.003));  // the last result counts
    // A result for an item no target_collected named: it is reported all the same, though the
    // caller's item is gone once the call returns.
    for (const Item& uncollected :
         {make_item("plain", "Extra", "Late"), make_item("stray", "Stray", "Found")}) {
      const auto copy = std::make_unique<Item>(uncollected);
      reporter.item_finished(*copy, make_result(*copy, Outcome::failed, 0.02, "not listed"));
    }
  }
};

std::string document_of(const KeptRun& run, bool interrupted, bool through_copies = true) {
  JUnitReporter reporter(options());
  run.play(reporter, through_copies);
  Summary summary;
  summary.wall_seconds = 36.125;
  summary.interrupted = interrupted;
  return reporter.document(summary);
}

TEST(JUnitKeptItems, ReportIsWhatCopyingEverythingGave) {
  const KeptRun run;
  const std::string xml = document_of(run, false);
  EXPECT_EQ(testing::xml_chars_problem(xml), "");
  testing::expect_golden(xml, "junit_kept_items.xml");
}

TEST(JUnitKeptItems, CollectedItemsAndTheirCopiesGiveOneReport) {
  const KeptRun run;
  for (const bool interrupted : {false, true}) {
    EXPECT_EQ(document_of(run, interrupted, false), document_of(run, interrupted, true));
  }
}

TEST(JUnitKeptItems, InterruptedRunNamesTheInterruption) {
  const KeptRun run;
  const std::string xml = document_of(run, true);
  EXPECT_THAT(xml, HasSubstr("name=\"NeverStarted\" time=\"0.000\">\n"
                             "      <skipped message=\"not run: the run was interrupted\"/>"));
  EXPECT_THAT(document_of(run, false), HasSubstr("<skipped message=\"not run: never started\"/>"));
}

TEST(JUnitKeptItems, ResultsFindTheirCollectedItemByIdNotByAddress) {
  const KeptRun run;
  const std::string xml = document_of(run, false);
  // The copy passed to item_finished is matched to the collected item: one testcase each,
  // with the collected item's file and line.
  EXPECT_THAT(xml, HasSubstr("<testcase classname=\"Mixed\" name=\"Passes\" time=\"0.013\" "
                             "file=\"src/mixed_test.cpp\" line=\"12\"/>"));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"twice\" tests=\"2\" failures=\"0\""));
  EXPECT_THAT(xml, HasSubstr("<testcase classname=\"Twice\" name=\"Listed\" time=\"0.003\"/>"));
  EXPECT_THAT(xml, Not(HasSubstr("not_reported")));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"mixed\" tests=\"16\" failures=\"2\" errors=\"4\" "
                             "skipped=\"6\""));
  // Results for uncollected items are kept as copies, in a suite of their own if need be.
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"plain\" tests=\"2\" failures=\"1\""));
  EXPECT_THAT(xml, HasSubstr("<testcase classname=\"Extra\" name=\"Late\""));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"stray\" tests=\"1\" failures=\"1\""));
}

TEST(JUnitKeptItems, ControlCharactersAndCdataEndAreEscaped) {
  const KeptRun run;
  const std::string xml = document_of(run, false);
  EXPECT_THAT(xml, Not(HasSubstr("]]>")));
  EXPECT_THAT(xml, HasSubstr("out \\x01\\x1b[1mbold\\x1b[0m ]]&gt; &lt;x a=&apos;1&apos;&gt; "
                             "&amp; &quot;q&quot;&#13;\n\\x00nul"));
  EXPECT_THAT(xml, HasSubstr("message=\"a ]]&gt; b &lt;c&gt; &quot;d&quot;&#9;next&#10;line\""));
  EXPECT_THAT(xml, HasSubstr("file=\"src/we&quot;ird &amp;&#9;name&#10;.cpp\""));
}

}  // namespace
}  // namespace fanout::launcher::report
