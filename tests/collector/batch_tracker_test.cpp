// BatchTracker: what each way a batch process can end does to the running, finished and
// unstarted items, and how output and the last item's result are handled.

#include "collector/batch_tracker.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "collector/line_splitter.hpp"
#include "framework_test_support.hpp"

namespace fanout::collector {
namespace {

using ::testing::ElementsAre;
using testing::exited;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::items_named;
using testing::pointers_to;

Target target() {
  Target t;
  t.name = "t";
  t.executable = "/build/t_tests";
  return t;
}

const Result& by_id(const BatchEnd& end, const std::string& name) {
  for (const Result& r : end.results) {
    if (r.item_id == "t/" + name) return r;
  }
  throw std::runtime_error("no result for " + name);
}

TEST(BatchTracker, OutputOutsideItemsGoesToTheNextItem) {
  const std::vector<Item> items = items_named({"a", "b"});
  BatchTracker tracker(target(), pointers_to(items));
  tracker.output("global set-up\n");
  tracker.start(0);
  tracker.output("in a\n");
  tracker.finish_running(Outcome::passed, "", 0.5);
  const std::vector<Result> finished = tracker.take_finished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].output, "global set-up\nin a\n");
  EXPECT_DOUBLE_EQ(finished[0].seconds, 0.5);
  EXPECT_THAT(tracker.take_started().size(), 1u);
}

TEST(BatchTracker, LastResultIsHeldAndBlamedForAnUnexpectedExit) {
  const std::vector<Item> items = items_named({"a"});
  BatchTracker tracker(target(), pointers_to(items));
  tracker.start(0);
  tracker.finish_running(Outcome::passed, "");
  EXPECT_THAT(tracker.take_finished(), IsEmpty());
  tracker.output("leak detected\n");
  const BatchEnd end = tracker.finish(exited(1), false);
  const Result& a = by_id(end, "a");
  EXPECT_EQ(a.outcome, Outcome::failed);
  EXPECT_THAT(a.message, HasSubstr("exited with code 1 after its tests ended"));
  EXPECT_THAT(a.message, HasSubstr("leak detected"));
  EXPECT_THAT(a.output, HasSubstr("leak detected"));
}

TEST(BatchTracker, ExpectedExitKeepsTheHeldResult) {
  const std::vector<Item> items = items_named({"a"});
  BatchTracker tracker(target(), pointers_to(items));
  tracker.start(0);
  tracker.finish_running(Outcome::skipped, "why");
  EXPECT_TRUE(tracker.all_ended_as(Outcome::skipped));
  const BatchEnd end = tracker.finish(exited(4), true);
  EXPECT_EQ(by_id(end, "a").outcome, Outcome::skipped);
  EXPECT_EQ(by_id(end, "a").message, "why");
}

TEST(BatchTracker, ExitWhileAnItemRunsFailsItAndRequeuesTheRest) {
  const std::vector<Item> items = items_named({"a", "b"});
  BatchTracker tracker(target(), pointers_to(items));
  tracker.start(0);
  const BatchEnd end = tracker.finish(exited(0), true);
  EXPECT_EQ(by_id(end, "a").outcome, Outcome::failed);
  EXPECT_EQ(by_id(end, "a").message, "exited with code 0 before the test finished");
  ASSERT_EQ(end.not_started.size(), 1u);
  EXPECT_EQ(end.not_started[0].item, &items[1]);
  EXPECT_FALSE(end.not_started[0].alone);
}

TEST(BatchTracker, DeathBeforeAnyItemMakesErrorsNotRequeues) {
  const std::vector<Item> items = items_named({"a", "b"});
  BatchTracker tracker(target(), pointers_to(items));
  tracker.output("bad alloc in a static constructor\n");
  const BatchEnd end = tracker.finish(testing::signaled(SIGABRT), true);
  EXPECT_THAT(end.not_started, IsEmpty());
  EXPECT_EQ(by_id(end, "b").outcome, Outcome::error);
  EXPECT_THAT(by_id(end, "b").message, HasSubstr("killed by SIGABRT before any test started"));
  EXPECT_THAT(by_id(end, "b").message, HasSubstr("bad alloc in a static constructor"));
}

TEST(BatchTracker, CancelRequeuesEverythingAndTheRunningItemIsNotRun) {
  const std::vector<Item> items = items_named({"a", "b"});
  BatchTracker tracker(target(), pointers_to(items));
  tracker.start(0);
  const BatchEnd end = tracker.finish(testing::of_kind(ProcessEnd::Kind::cancelled), true);
  EXPECT_EQ(by_id(end, "a").outcome, Outcome::not_run);
  ASSERT_EQ(end.not_started.size(), 1u);
}

TEST(BatchTracker, DeferredResultsCanBeAmendedUntilFinish) {
  const std::vector<Item> items = items_named({"a", "b"});
  BatchTracker tracker(target(), pointers_to(items));
  tracker.start(0);
  tracker.finish_running(Outcome::failed, "looked bad", {}, 0, true);
  EXPECT_THAT(tracker.take_finished(), IsEmpty());
  tracker.finish_unstarted(1, Outcome::skipped, "skipped");
  tracker.deferred()[0].outcome = Outcome::passed;
  const BatchEnd end = tracker.finish(exited(0), true);
  EXPECT_EQ(by_id(end, "a").outcome, Outcome::passed);
  EXPECT_EQ(by_id(end, "b").outcome, Outcome::skipped);
}

Target skipping_target() {
  Target t = target();
  t.skip_return_code = 77;
  return t;
}

TEST(BatchTracker, SkipCodeSkipsTheRunningItemAndTheUnstartedRunAgain) {
  const std::vector<Item> items = items_named({"a", "b", "c"});
  BatchTracker tracker(skipping_target(), pointers_to(items));
  tracker.start(0);
  tracker.finish_running(Outcome::passed, "");
  tracker.start(1);
  const BatchEnd end = tracker.finish(exited(77), false);
  EXPECT_EQ(by_id(end, "a").outcome, Outcome::passed);
  EXPECT_EQ(by_id(end, "b").outcome, Outcome::skipped);
  EXPECT_EQ(by_id(end, "b").message, "exited with code 77 (the skip return code)");
  ASSERT_EQ(end.not_started.size(), 1u);
  EXPECT_EQ(end.not_started[0].item, &items[2]);
}

TEST(BatchTracker, WithoutASkipCodeTheSameExitFailsTheRunningItem) {
  const std::vector<Item> items = items_named({"a"});
  BatchTracker tracker(target(), pointers_to(items));
  tracker.start(0);
  const BatchEnd end = tracker.finish(exited(77), false);
  EXPECT_EQ(by_id(end, "a").outcome, Outcome::failed);
  EXPECT_EQ(by_id(end, "a").message, "exited with code 77 before the test finished");
}

TEST(BatchTracker, SkipCodeBeforeAnyItemSkipsEveryItem) {
  const std::vector<Item> items = items_named({"a", "b"});
  BatchTracker tracker(skipping_target(), pointers_to(items));
  tracker.output("no GPU here\n");
  const BatchEnd end = tracker.finish(exited(77), false);
  EXPECT_THAT(end.not_started, IsEmpty());
  for (const std::string name : {"a", "b"}) {
    EXPECT_EQ(by_id(end, name).outcome, Outcome::skipped) << name;
    EXPECT_EQ(by_id(end, name).message,
              "/build/t_tests exited with code 77 (the skip return code) before any test started")
        << name;
    EXPECT_EQ(by_id(end, name).output, "no GPU here\n") << name;
  }
}

TEST(BatchTracker, SkipCodeBetweenItemsRunsTheUnstartedAgain) {
  const std::vector<Item> items = items_named({"a", "b"});
  BatchTracker tracker(skipping_target(), pointers_to(items));
  tracker.start(0);
  tracker.finish_running(Outcome::failed, "broke");
  const BatchEnd end = tracker.finish(exited(77), false);
  EXPECT_EQ(by_id(end, "a").outcome, Outcome::failed);
  EXPECT_EQ(by_id(end, "a").message, "broke");
  ASSERT_EQ(end.not_started.size(), 1u);
  EXPECT_EQ(end.not_started[0].item, &items[1]);
}

TEST(BatchTracker, SkipCodeAfterEveryItemFinishedIsNoFailure) {
  const std::vector<Item> items = items_named({"a", "b"});
  BatchTracker tracker(skipping_target(), pointers_to(items));
  tracker.start(0);
  tracker.finish_running(Outcome::passed, "");
  tracker.start(1);
  tracker.finish_running(Outcome::passed, "");
  const BatchEnd end = tracker.finish(exited(77), false);
  EXPECT_EQ(by_id(end, "b").outcome, Outcome::passed);
  EXPECT_EQ(by_id(end, "b").message, "");
  EXPECT_THAT(end.not_started, IsEmpty());
  // Another unexpected code still fails the last item.
  const std::vector<Item> one = items_named({"a"});
  BatchTracker other(skipping_target(), pointers_to(one));
  other.start(0);
  other.finish_running(Outcome::passed, "");
  EXPECT_EQ(by_id(other.finish(exited(78), false), "a").outcome, Outcome::failed);
}

TEST(BatchTracker, RepeatedNamesStartInOrder) {
  const std::vector<Item> items = items_named({"x", "x"});
  BatchTracker tracker(target(), pointers_to(items));
  EXPECT_EQ(tracker.waiting("x"), 0u);
  tracker.start(0);
  EXPECT_EQ(tracker.waiting("x"), 1u);
  EXPECT_EQ(tracker.waiting("y"), std::nullopt);
}

TEST(BatchTracker, FindsWaitingItemsOutOfBatchOrder) {
  const std::vector<Item> items = items_named({"a", "b", "c"});
  BatchTracker tracker(target(), pointers_to(items));
  EXPECT_EQ(tracker.waiting("c"), 2u);
  tracker.start(2);
  EXPECT_EQ(tracker.waiting("c"), std::nullopt) << "no longer waiting";
  EXPECT_EQ(tracker.waiting("a"), 0u);
  EXPECT_EQ(tracker.waiting("b"), 1u);
}

TEST(SignalNumberIn, ReadsTheLeadingSignalName) {
  EXPECT_EQ(signal_number_in("  SIGSEGV - Segmentation violation signal"), SIGSEGV);
  EXPECT_EQ(signal_number_in("SIGFPE"), SIGFPE);
  EXPECT_EQ(signal_number_in("segfault"), 0);
  EXPECT_EQ(signal_number_in("SIGNOPE - what"), 0);
}

TEST(LineSplitter, LongLinesComeInPiecesWhereverTheChunksEnd) {
  const std::string text = "short\n0123456789abcdef\nend";
  std::vector<std::string> whole;
  for (std::size_t offset = 0; offset <= text.size(); ++offset) {
    std::vector<std::string> lines;
    LineSplitter splitter(8);
    auto sink = [&](std::string_view line, bool newline, bool continued) {
      lines.push_back(std::string(continued ? "+" : "") + std::string(line) + (newline ? "$" : ""));
    };
    splitter.feed(std::string_view(text).substr(0, offset), sink);
    splitter.feed(std::string_view(text).substr(offset), sink);
    splitter.finish(sink);
    ASSERT_THAT(lines, ElementsAre("short$", "01234567", "+89abcdef", "+$", "end")) << offset;
  }
}

}  // namespace
}  // namespace fanout::collector
