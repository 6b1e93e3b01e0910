// GTestBatchParser: per-item results from real GoogleTest output, however it is chunked, and
// what each way a batch process can end does to its items.

#include "collector/gtest_batch_parser.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <map>

#include "collector/gtest.hpp"
#include "framework_test_support.hpp"
#include "test_data.hpp"

namespace fanout::collector {
namespace {

using ::testing::ElementsAre;
using testing::exited;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::items_named;
using ::testing::Not;
using testing::pointers_to;
using testing::read_test_data;
using testing::signaled;

Target make_target() {
  Target target;
  target.name = "t";
  target.executable = "/build/t_tests";
  target.framework = "gtest";
  return target;
}

ProcessEnd of_kind(ProcessEnd::Kind kind) {
  ProcessEnd end;
  end.kind = kind;
  return end;
}

// Everything a parser reported over one batch, in the order it reported it.
struct Parsed {
  std::vector<std::string> started;
  std::vector<Result> streamed;  // from take_finished() while feeding
  std::vector<Result> results;   // streamed, then finish()'s
  std::vector<std::string> not_started;

  const Result& result(const std::string& name) const {
    for (const Result& r : results) {
      if (r.item_id == make_item_id("t", name)) return r;
    }
    throw std::runtime_error("no result for " + name);
  }
};

Parsed parse_chunks(const std::vector<std::string_view>& chunks, const std::vector<Item>& batch,
                    const ProcessEnd& end, GTestParserLimits limits = {},
                    const BatchContext& context = {}, const Target& target = make_target()) {
  GTestBatchParser parser(target, pointers_to(batch), context, limits);
  Parsed parsed;
  const auto take = [&] {
    for (const Item* item : parser.take_started()) parsed.started.push_back(item->name);
    for (Result& result : parser.take_finished()) parsed.streamed.push_back(std::move(result));
  };
  for (std::string_view chunk : chunks) {
    parser.feed(chunk);
    take();
  }
  BatchEnd batch_end = parser.finish(end);
  take();
  parsed.results = parsed.streamed;
  parsed.results.insert(parsed.results.end(), batch_end.results.begin(), batch_end.results.end());
  for (const NotStarted& again : batch_end.not_started) {
    parsed.not_started.push_back(again.item->name);
  }
  return parsed;
}

Parsed parse(std::string_view output, const std::vector<Item>& batch, const ProcessEnd& end,
             GTestParserLimits limits = {}, const BatchContext& context = {}) {
  return parse_chunks({output}, batch, end, limits, context);
}

// All of a result except its wall time (measured by the clock for crashed items).
std::string describe(const Result& r) {
  return r.item_id + "|" + std::string(to_string(r.outcome)) + "|" + std::to_string(r.signal) +
         "|" + r.message + "|" + r.output;
}

std::string describe(const Parsed& parsed) {
  std::string text;
  for (const std::string& name : parsed.started) text += "started " + name + "\n";
  for (const Result& result : parsed.results) text += describe(result) + "\n";
  for (const std::string& name : parsed.not_started) text += "not started " + name + "\n";
  return text;
}

const std::vector<std::string> mixed_names = {"Basic.Passes",
                                              "Basic.Fails",
                                              "Basic.Skips",
                                              "Basic.DISABLED_Off",
                                              "DISABLED_Whole.One",
                                              "Typed/0.Works",
                                              "Typed/1.Works",
                                              "Values/Param.NonNegative/0",
                                              "Values/Param.NonNegative/1",
                                              "Values/Param.NonNegative/2"};

TEST(GTestBatchParser, ReadsEveryOutcomeOfARealRun) {
  const Parsed parsed =
      parse(read_test_data("gtest/run_mixed.txt"), items_named(mixed_names), exited(1));
  EXPECT_EQ(parsed.started, mixed_names);
  ASSERT_EQ(parsed.results.size(), mixed_names.size());
  EXPECT_THAT(parsed.not_started, IsEmpty());

  const Result& passes = parsed.result("Basic.Passes");
  EXPECT_EQ(passes.outcome, Outcome::passed);
  EXPECT_EQ(passes.output, "hello from passes\n");
  EXPECT_EQ(passes.message, "");

  const Result& fails = parsed.result("Basic.Fails");
  EXPECT_EQ(fails.outcome, Outcome::failed);
  EXPECT_EQ(fails.message,
            "s.cpp:4: Failure\nExpected equality of these values:\n  1\n  2\n"
            "(and 1 more failure)");
  EXPECT_THAT(fails.output, HasSubstr("before\ns.cpp:4: Failure\n"));
  EXPECT_THAT(fails.output, HasSubstr("Expected: true\n"));
  EXPECT_THAT(fails.output, Not(HasSubstr("[  FAILED  ]")));

  const Result& skips = parsed.result("Basic.Skips");
  EXPECT_EQ(skips.outcome, Outcome::skipped);
  EXPECT_EQ(skips.message, "not today");

  EXPECT_EQ(parsed.result("Basic.DISABLED_Off").outcome, Outcome::passed);
  EXPECT_EQ(parsed.result("DISABLED_Whole.One").outcome, Outcome::passed);
  EXPECT_EQ(parsed.result("Typed/0.Works").outcome, Outcome::passed);
  const Result& typed = parsed.result("Typed/1.Works");
  EXPECT_EQ(typed.outcome, Outcome::failed);
  EXPECT_THAT(typed.message, HasSubstr("s.cpp:11: Failure\nExpected equality"));
  const Result& param = parsed.result("Values/Param.NonNegative/1");
  EXPECT_EQ(param.outcome, Outcome::failed);
  EXPECT_EQ(param.message, "s.cpp:18: Failure\nExpected: (GetParam()) >= (0), actual: -2 vs 0");
  // The binary exited 1 because of the failures above: the last item keeps its own result.
  EXPECT_EQ(parsed.result("Values/Param.NonNegative/2").outcome, Outcome::passed);
}

TEST(GTestBatchParser, ReadsARunWhoseOrderIsNotTheBatchOrder) {
  std::vector<std::string> reversed(mixed_names.rbegin(), mixed_names.rend());
  const Parsed parsed =
      parse(read_test_data("gtest/run_mixed.txt"), items_named(reversed), exited(1));
  EXPECT_EQ(parsed.started, mixed_names);
  ASSERT_EQ(parsed.results.size(), mixed_names.size());
  EXPECT_THAT(parsed.not_started, IsEmpty());
  EXPECT_EQ(parsed.result("Basic.Fails").outcome, Outcome::failed);
  EXPECT_EQ(parsed.result("Values/Param.NonNegative/2").outcome, Outcome::passed);
}

TEST(GTestBatchParser, FinalSummaryLinesAreNotCountedAgain) {
  const Parsed parsed =
      parse(read_test_data("gtest/run_mixed.txt"), items_named(mixed_names), exited(1));
  std::map<std::string, int> count;
  int failed = 0;
  for (const Result& result : parsed.results) {
    ++count[result.item_id];
    failed += result.outcome == Outcome::failed;
  }
  for (const auto& [id, n] : count) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(count.size(), mixed_names.size());
  EXPECT_EQ(failed, 3);
}

TEST(GTestBatchParser, SummaryLineForAnotherItemDoesNotEndTheRunningOne) {
  const Parsed parsed = parse(
      "[ RUN      ] A.x\n[  FAILED  ] A.x (1 ms)\n[ RUN      ] A.y\n"
      "[  FAILED  ] A.x\n[  FAILED  ] A.x (2 ms)\n[ RUN      ] A.x\n[       OK ] A.y (4 ms)\n"
      "[  FAILED  ] A.y, where TypeParam = int\n",
      items_named({"A.x", "A.y"}), exited(1));
  ASSERT_EQ(parsed.results.size(), 2u);
  EXPECT_EQ(parsed.result("A.x").outcome, Outcome::failed);
  EXPECT_DOUBLE_EQ(parsed.result("A.x").seconds, 0.001);
  const Result& y = parsed.result("A.y");
  EXPECT_EQ(y.outcome, Outcome::passed);
  EXPECT_DOUBLE_EQ(y.seconds, 0.004);
  EXPECT_EQ(y.output, "[  FAILED  ] A.x\n[  FAILED  ] A.x (2 ms)\n[ RUN      ] A.x\n");
}

TEST(GTestBatchParser, ResultLineNeedsTheWholeName) {
  const Parsed parsed =
      parse("[ RUN      ] A.x\n[       OK ] A.xy (1 ms)\n[       OK ] A.x (2 ms)\n",
            items_named({"A.x", "A.xy"}), exited(0));
  EXPECT_EQ(parsed.result("A.x").outcome, Outcome::passed);
  EXPECT_EQ(parsed.result("A.x").output, "[       OK ] A.xy (1 ms)\n");
  EXPECT_EQ(parsed.result("A.xy").outcome, Outcome::error);
}

TEST(GTestBatchParser, TimesComeFromTheResultLines) {
  const Parsed parsed = parse(
      "[ RUN      ] A.slow\n[       OK ] A.slow (1234 ms)\n"
      "[ RUN      ] A.fail\n[  FAILED  ] A.fail, where GetParam() = 3 (56 ms)\n",
      items_named({"A.slow", "A.fail"}), exited(1));
  EXPECT_DOUBLE_EQ(parsed.result("A.slow").seconds, 1.234);
  EXPECT_DOUBLE_EQ(parsed.result("A.fail").seconds, 0.056);
  EXPECT_EQ(parsed.result("A.fail").message, "failed");
}

TEST(GTestBatchParser, WindowsLineEndingsAndAMissingLastNewline) {
  const Parsed parsed = parse(
      "[ RUN      ] A.x\r\nout\r\n[       OK ] A.x (5 ms)\r\n"
      "[ RUN      ] A.y\r\n[  SKIPPED ] A.y (0 ms)",
      items_named({"A.x", "A.y"}), exited(0));
  EXPECT_EQ(parsed.result("A.x").outcome, Outcome::passed);
  EXPECT_EQ(parsed.result("A.x").output, "out\r\n");
  EXPECT_EQ(parsed.result("A.y").outcome, Outcome::skipped);
}

TEST(GTestBatchParser, CrashBlamesTheRunningItemAndRequeuesTheRest) {
  const Parsed parsed =
      parse(read_test_data("gtest/run_crash.txt"),
            items_named({"Crash.First", "Crash.Segv", "Crash.Third"}), signaled(SIGSEGV));
  EXPECT_THAT(parsed.started, ElementsAre("Crash.First", "Crash.Segv"));
  ASSERT_EQ(parsed.results.size(), 2u);
  const Result& first = parsed.result("Crash.First");
  EXPECT_EQ(first.outcome, Outcome::passed);
  // Output of the global set-up goes to the item that runs next.
  EXPECT_EQ(first.output, "global setup says hi\nfirst runs\n");
  const Result& segv = parsed.result("Crash.Segv");
  EXPECT_EQ(segv.outcome, Outcome::crashed);
  EXPECT_EQ(segv.signal, SIGSEGV);
  EXPECT_EQ(segv.message, "crashed with SIGSEGV");
  EXPECT_EQ(segv.output, "about to crash\n");
  EXPECT_THAT(parsed.not_started, ElementsAre("Crash.Third"));
}

TEST(GTestBatchParser, TimeoutBlamesTheRunningItem) {
  ProcessEnd end = of_kind(ProcessEnd::Kind::timed_out);
  end.timeout_seconds = 30;
  const Parsed parsed = parse(read_test_data("gtest/run_crash.txt"),
                              items_named({"Crash.First", "Crash.Segv", "Crash.Third"}), end);
  const Result& hung = parsed.result("Crash.Segv");
  EXPECT_EQ(hung.outcome, Outcome::timeout);
  EXPECT_EQ(hung.message, "timed out after 30 s");
  EXPECT_EQ(parsed.result("Crash.First").outcome, Outcome::passed);
  EXPECT_THAT(parsed.not_started, ElementsAre("Crash.Third"));
}

TEST(GTestBatchParser, PrematureExitZeroFailsTheRunningItem) {
  const Parsed parsed = parse(read_test_data("gtest/run_premature_exit.txt"),
                              items_named({"Exit.Early", "Exit.After"}), exited(0));
  ASSERT_EQ(parsed.results.size(), 1u);
  const Result& early = parsed.result("Exit.Early");
  EXPECT_EQ(early.outcome, Outcome::failed);
  EXPECT_EQ(early.message, "exited with code 0 before the test finished");
  EXPECT_EQ(early.output, "global setup says hi\nleaving\n");
  EXPECT_THAT(parsed.not_started, ElementsAre("Exit.After"));
}

TEST(GTestBatchParser, CancelLeavesTheRunningItemNotRun) {
  const Parsed parsed = parse(read_test_data("gtest/run_crash.txt"),
                              items_named({"Crash.First", "Crash.Segv", "Crash.Third"}),
                              of_kind(ProcessEnd::Kind::cancelled));
  EXPECT_EQ(parsed.result("Crash.First").outcome, Outcome::passed);
  EXPECT_EQ(parsed.result("Crash.Segv").outcome, Outcome::not_run);
  EXPECT_FALSE(is_failure(parsed.result("Crash.Segv").outcome));
  EXPECT_THAT(parsed.not_started, ElementsAre("Crash.Third"));
}

TEST(GTestBatchParser, NonZeroExitAfterEveryTestPassedFailsTheLastItem) {
  const Parsed parsed = parse(read_test_data("gtest/run_nonzero_after_pass.txt"),
                              items_named({"Crash.First", "Crash.Third"}), exited(23));
  // The last item's result is held back until the process has ended.
  ASSERT_EQ(parsed.streamed.size(), 1u);
  EXPECT_EQ(parsed.streamed[0].item_id, "t/Crash.First");
  EXPECT_EQ(parsed.result("Crash.First").outcome, Outcome::passed);
  const Result& last = parsed.result("Crash.Third");
  EXPECT_EQ(last.outcome, Outcome::failed);
  EXPECT_THAT(last.message, HasSubstr("/build/t_tests exited with code 23 after its tests passed"));
  EXPECT_THAT(last.message, HasSubstr("LeakSanitizer: detected memory leaks"));
  EXPECT_THAT(last.output, HasSubstr("LeakSanitizer: detected memory leaks"));
  EXPECT_DOUBLE_EQ(last.seconds, 0.0);
}

TEST(GTestBatchParser, FailingGlobalTearDownFailsTheLastItem) {
  const Parsed parsed = parse(read_test_data("gtest/run_teardown_failure.txt"),
                              items_named({"Crash.First", "Crash.Third"}), exited(1));
  const Result& last = parsed.result("Crash.Third");
  EXPECT_EQ(last.outcome, Outcome::failed);
  EXPECT_THAT(last.message, HasSubstr("exited with code 1 after its tests passed"));
  EXPECT_THAT(last.output, HasSubstr("c.cpp:13: Failure\nFailed\nteardown broke\n"));
  EXPECT_EQ(parsed.result("Crash.First").outcome, Outcome::passed);
}

TEST(GTestBatchParser, SignalAfterEveryTestPassedCrashesTheLastItem) {
  const Parsed parsed = parse("[ RUN      ] A.x\n[       OK ] A.x (1 ms)\nbye\n",
                              items_named({"A.x"}), signaled(SIGABRT));
  const Result& x = parsed.result("A.x");
  EXPECT_EQ(x.outcome, Outcome::crashed);
  EXPECT_EQ(x.signal, SIGABRT);
  EXPECT_THAT(x.message, HasSubstr("killed by SIGABRT after its tests passed"));
}

TEST(GTestBatchParser, PrematureExitFileLeftBehindFailsTheLastItem) {
  const std::filesystem::path scratch =
      std::filesystem::path(::testing::TempDir()) / "fanout_premature_exit_test";
  std::filesystem::remove_all(scratch);
  std::filesystem::create_directories(scratch);
  const std::string output = "[ RUN      ] A.x\n[       OK ] A.x (1 ms)\n";

  const Parsed clean = parse(output, items_named({"A.x"}), exited(0), {}, {scratch});
  EXPECT_EQ(clean.result("A.x").outcome, Outcome::passed);

  std::ofstream(scratch / gtest_premature_exit_file) << "";
  const Parsed left = parse(output, items_named({"A.x"}), exited(0), {}, {scratch});
  EXPECT_EQ(left.result("A.x").outcome, Outcome::failed);
  EXPECT_THAT(left.result("A.x").message, HasSubstr("before GoogleTest finished"));
  std::filesystem::remove_all(scratch);
}

TEST(GTestBatchParser, CrashBeforeAnyItemIsAnErrorForEveryItem) {
  const Parsed parsed = parse(read_test_data("gtest/run_setup_crash.txt"),
                              items_named({"Crash.First", "Crash.Third"}), signaled(SIGSEGV));
  EXPECT_THAT(parsed.started, IsEmpty());
  EXPECT_THAT(parsed.not_started, IsEmpty());
  ASSERT_EQ(parsed.results.size(), 2u);
  for (const Result& result : parsed.results) {
    EXPECT_EQ(result.outcome, Outcome::error);
    EXPECT_THAT(result.message, HasSubstr("killed by SIGSEGV before any test started"));
    EXPECT_THAT(result.message, HasSubstr("global setup says hi"));
    EXPECT_EQ(result.output, "global setup says hi\n");
  }
}

TEST(GTestBatchParser, TimeoutBeforeAnyItemIsAnErrorForEveryItem) {
  ProcessEnd end = of_kind(ProcessEnd::Kind::timed_out);
  end.timeout_seconds = 2.5;
  const Parsed parsed = parse("", items_named({"A.x", "A.y"}), end);
  ASSERT_EQ(parsed.results.size(), 2u);
  EXPECT_EQ(parsed.results[1].outcome, Outcome::error);
  EXPECT_THAT(parsed.results[1].message,
              HasSubstr("timed out after 2.5 s before any test started"));
  EXPECT_THAT(parsed.results[1].message, HasSubstr("printed nothing"));
}

TEST(GTestBatchParser, FilterMismatchIsAnErrorNamingTheExit) {
  const Parsed parsed = parse(read_test_data("gtest/run_filter_mismatch.txt"),
                              items_named({"Crash.First", "Crash.Renamed"}), exited(0));
  EXPECT_EQ(parsed.result("Crash.First").outcome, Outcome::passed);
  const Result& renamed = parsed.result("Crash.Renamed");
  EXPECT_EQ(renamed.outcome, Outcome::error);
  EXPECT_THAT(renamed.message, HasSubstr("exited with code 0 without running it"));
  EXPECT_THAT(renamed.message, HasSubstr("[  PASSED  ] 1 test."));
  EXPECT_THAT(parsed.not_started, IsEmpty());
}

// --- Markers after output that did not end its line (captured from GoogleTest 1.12) ---

// Every line the test binary prints lacks its newline: a global environment, Unended's
// SetUpTestSuite and TearDownTestSuite, and each case (PassesOnStderr on stderr). MimicsMarkers
// prints text that looks like its own result lines, then fails.
const std::vector<std::string> unended_names = {"Unended.Passes",        "Unended.Fails",
                                                "Unended.Skips",         "Unended.PassesOnStderr",
                                                "Unended.MimicsMarkers", "After.Passes"};

TEST(GTestBatchParser, MarkersAfterUnendedOutputAreRead) {
  const Parsed parsed =
      parse(read_test_data("gtest/run_unended_lines.txt"), items_named(unended_names), exited(1));
  EXPECT_EQ(parsed.started, unended_names);
  ASSERT_EQ(parsed.results.size(), unended_names.size()) << describe(parsed);
  EXPECT_THAT(parsed.not_started, IsEmpty());

  const Result& passes = parsed.result("Unended.Passes");
  EXPECT_EQ(passes.outcome, Outcome::passed);
  EXPECT_EQ(passes.output, "environment set-up output\nsuite set-up output\npassing output\n");

  const Result& fails = parsed.result("Unended.Fails");
  EXPECT_EQ(fails.outcome, Outcome::failed);
  EXPECT_THAT(fails.message, HasSubstr("unended.cpp:37: Failure\nFailed\nfixture failure"));
  EXPECT_THAT(fails.output, HasSubstr("fixture failure\noutput after the failure\n"));
  EXPECT_THAT(fails.output, Not(HasSubstr("[  FAILED  ]")));

  const Result& skips = parsed.result("Unended.Skips");
  EXPECT_EQ(skips.outcome, Outcome::skipped);
  EXPECT_EQ(skips.message, "fixture skip");

  const Result& stderr_passes = parsed.result("Unended.PassesOnStderr");
  EXPECT_EQ(stderr_passes.outcome, Outcome::passed);
  EXPECT_EQ(stderr_passes.output, "stderr output\n");

  // Text that only looks like its result line is output, at a line's start or inside it.
  const Result& mimics = parsed.result("Unended.MimicsMarkers");
  EXPECT_EQ(mimics.outcome, Outcome::failed);
  EXPECT_THAT(mimics.message, HasSubstr("mimic failure"));
  EXPECT_THAT(mimics.output, HasSubstr("text [       OK ] Unended.MimicsMarkers (0 ms) in the "
                                       "middle\n[       OK ] Unended.MimicsMarkers (0 ms) at"));

  // The suite's tear-down output goes to the item that runs next.
  const Result& after = parsed.result("After.Passes");
  EXPECT_EQ(after.outcome, Outcome::passed);
  EXPECT_EQ(after.output, "suite tear-down output\n");
}

TEST(GTestBatchParser, SuiteEndAfterUnendedTearDownOutputPassesResultsOn) {
  const std::vector<Item> items = items_named({"A.x", "B.y"});
  GTestBatchParser parser(make_target(), pointers_to(items), {});
  parser.feed("[----------] 1 test from A\n[ RUN      ] A.x\n[       OK ] A.x (1 ms)\n");
  EXPECT_THAT(parser.take_finished(), IsEmpty());
  parser.feed("closing[----------] 1 test from A (1 ms total)\n");
  const std::vector<Result> finished = parser.take_finished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].item_id, "t/A.x");
  EXPECT_EQ(finished[0].output, "");
}

TEST(GTestBatchParser, SectionLineAfterUnendedEnvironmentOutputOpensTheSuite) {
  // Net's SetUpTestSuite failure is Net's only when its section line was read.
  const Parsed parsed = parse(
      "[----------] Global test environment set-up.\nenv says hi[----------] 1 test from Net\n"
      "net.cpp:12: Failure\nFailed\nno network\n[ RUN      ] Net.Ping\nnet.cpp:14: Skipped\n\n"
      "[  SKIPPED ] Net.Ping (0 ms)\n[----------] 1 test from Net (0 ms total)\n\n"
      "[  FAILED  ] Net: SetUpTestSuite or TearDownTestSuite\n",
      items_named({"Net.Ping"}), exited(1));
  const Result& ping = parsed.result("Net.Ping");
  EXPECT_EQ(ping.outcome, Outcome::failed);
  EXPECT_THAT(ping.message, HasSubstr("no network"));
  EXPECT_THAT(ping.output, HasSubstr("env says hi\n"));
  EXPECT_THAT(ping.output, Not(HasSubstr("[----------]")));
}

TEST(GTestBatchParser, GlobalTearDownOutputBeforeTheClosingBannerIsOutsideOutput) {
  const Parsed parsed = parse(
      "[ RUN      ] A.x\n[       OK ] A.x (1 ms)\n[----------] 1 test from A (1 ms total)\n\n"
      "[----------] Global test environment tear-down\n"
      "leak report[==========] 1 test from 1 test suite ran. (1 ms total)\n"
      "[  PASSED  ] 1 test.\n",
      items_named({"A.x"}), exited(3));
  const Result& x = parsed.result("A.x");
  EXPECT_EQ(x.outcome, Outcome::failed);
  EXPECT_THAT(x.message, HasSubstr("exited with code 3 after its tests passed"));
  EXPECT_THAT(x.output, HasSubstr("leak report\n"));
  EXPECT_THAT(x.output, Not(HasSubstr("[==========]")));
}

TEST(GTestBatchParser, RunLineAfterUnendedOutputStartsTheItem) {
  const Parsed parsed = parse(
      "[ RUN      ] A.x\n[       OK ] A.x (1 ms)\nbetween[ RUN      ] A.y\n"
      "[  FAILED  ] A.y (2 ms)\n",
      items_named({"A.x", "A.y"}), exited(1));
  EXPECT_THAT(parsed.started, ElementsAre("A.x", "A.y"));
  EXPECT_EQ(parsed.result("A.y").outcome, Outcome::failed);
  EXPECT_EQ(parsed.result("A.y").output, "between\n");
}

TEST(GTestBatchParser, BracketedTextInsideALineIsOutputUnlessItIsTheNextMarker) {
  const Parsed parsed = parse(
      "[ RUN      ] A.x\n"
      "a[ RUN      ] A.y\n"                                // A.x runs: no [ RUN ] comes next
      "b[       OK ] A.y (1 ms)\n"                         // not the running item
      "c[       OK ] A.x (1 ms) and more\n"                // not GoogleTest's tail
      "d[       OK ] A.x (1 ms)[  SKIPPED ] A.x (2 ms)\n"  // the last one is GoogleTest's
      "e[----------] 1 test from A (1 ms total)\n"
      "[ RUN      ] A.y\n[       OK ] A.y (5 ms)\n",
      items_named({"A.x", "A.y"}), exited(0));
  EXPECT_THAT(parsed.started, ElementsAre("A.x", "A.y"));
  const Result& x = parsed.result("A.x");
  EXPECT_EQ(x.outcome, Outcome::skipped);
  EXPECT_DOUBLE_EQ(x.seconds, 0.002);
  EXPECT_EQ(x.output,
            "a[ RUN      ] A.y\nb[       OK ] A.y (1 ms)\nc[       OK ] A.x (1 ms) and more\n"
            "d[       OK ] A.x (1 ms)\n");
  const Result& y = parsed.result("A.y");
  EXPECT_EQ(y.outcome, Outcome::passed);
  EXPECT_DOUBLE_EQ(y.seconds, 0.005);
  EXPECT_EQ(y.output, "e\n");
}

TEST(GTestBatchParser, ResultLineWithoutATimeAfterUnendedOutputIsRead) {
  // GoogleTest's form with --gtest_print_time=0.
  const Parsed parsed = parse("[ RUN      ] A.x\nout[  FAILED  ] A.x\n[ RUN      ] A.y\n",
                              items_named({"A.x", "A.y"}), exited(1));
  EXPECT_EQ(parsed.result("A.x").outcome, Outcome::failed);
  EXPECT_EQ(parsed.result("A.x").output, "out\n");
  EXPECT_EQ(parsed.result("A.y").outcome, Outcome::failed);
}

TEST(GTestBatchParser, ResultLineWithTextAfterItsTimeIsOutput) {
  const Parsed parsed =
      parse("[ RUN      ] A.x\n[       OK ] A.x (1 ms) and more\n[  FAILED  ] A.x (2 ms)\n",
            items_named({"A.x"}), exited(1));
  const Result& x = parsed.result("A.x");
  EXPECT_EQ(x.outcome, Outcome::failed);
  EXPECT_EQ(x.output, "[       OK ] A.x (1 ms) and more\n");
}

// --- The target's SKIP_RETURN_CODE ---

Parsed parse_skipping(std::string_view output, const std::vector<Item>& batch,
                      const ProcessEnd& end, const BatchContext& context = {}) {
  Target target = make_target();
  target.skip_return_code = 77;
  return parse_chunks({output}, batch, end, {}, context, target);
}

TEST(GTestBatchParser, SkipCodeBeforeAnyItemSkipsEveryItem) {
  // A main() of its own that returns the skip code before RUN_ALL_TESTS().
  const Parsed parsed =
      parse_skipping("no GPU: skipping\n", items_named({"K.a", "K.b"}), exited(77));
  EXPECT_THAT(parsed.not_started, IsEmpty());
  ASSERT_EQ(parsed.results.size(), 2u);
  for (const std::string name : {"K.a", "K.b"}) {
    const Result& result = parsed.result(name);
    EXPECT_EQ(result.outcome, Outcome::skipped) << name;
    EXPECT_EQ(result.message,
              "/build/t_tests exited with code 77 (the skip return code) before any test started");
    EXPECT_EQ(result.output, "no GPU: skipping\n");
  }
  // Without the target's skip code, the same exit is an error.
  EXPECT_EQ(parse("no GPU: skipping\n", items_named({"K.a"}), exited(77)).result("K.a").outcome,
            Outcome::error);
}

TEST(GTestBatchParser, SkipCodeInsideAnItemSkipsItAndRunsTheRestAgain) {
  const Parsed parsed =
      parse_skipping("[ RUN      ] K.a\n[       OK ] K.a (0 ms)\n[ RUN      ] K.exits\nno device\n",
                     items_named({"K.a", "K.exits", "K.c", "K.d"}), exited(77));
  EXPECT_EQ(parsed.result("K.a").outcome, Outcome::passed);
  const Result& exits = parsed.result("K.exits");
  EXPECT_EQ(exits.outcome, Outcome::skipped);
  EXPECT_EQ(exits.message, "exited with code 77 (the skip return code)");
  EXPECT_EQ(exits.output, "no device\n");
  EXPECT_THAT(parsed.not_started, ElementsAre("K.c", "K.d"));
}

TEST(GTestBatchParser, SkipCodeBetweenItemsRunsTheRestAgain) {
  const Parsed parsed = parse_skipping("[ RUN      ] K.a\n[  FAILED  ] K.a (0 ms)\n",
                                       items_named({"K.a", "K.b"}), exited(77));
  EXPECT_EQ(parsed.result("K.a").outcome, Outcome::failed);
  EXPECT_THAT(parsed.not_started, ElementsAre("K.b"));
}

TEST(GTestBatchParser, SkipCodeAfterEveryItemFinishedIsNoFailure) {
  const std::filesystem::path scratch =
      std::filesystem::path(::testing::TempDir()) / "fanout_skip_code_test";
  std::filesystem::remove_all(scratch);
  std::filesystem::create_directories(scratch);
  // exit(77) in a global tear-down leaves GoogleTest's premature-exit file behind.
  std::ofstream(scratch / gtest_premature_exit_file) << "";
  const std::string output =
      "[ RUN      ] K.a\n[       OK ] K.a (0 ms)\n[ RUN      ] K.b\n[       OK ] K.b (0 ms)\n";
  const Parsed parsed = parse_skipping(output, items_named({"K.a", "K.b"}), exited(77), {scratch});
  EXPECT_EQ(parsed.result("K.b").outcome, Outcome::passed);
  EXPECT_EQ(parsed.result("K.b").message, "");
  EXPECT_THAT(parsed.not_started, IsEmpty());
  // Any other code still fails the last item.
  const Parsed other = parse_skipping(output, items_named({"K.a", "K.b"}), exited(78));
  EXPECT_EQ(other.result("K.b").outcome, Outcome::failed);
  std::filesystem::remove_all(scratch);
}

// --- Skips GoogleTest reports without running the item (captured from GoogleTest 1.12) ---

const std::vector<std::string> device_names = {"Device.Opens", "Device.Reads", "Other.Works"};

TEST(GTestBatchParser, GlobalEnvironmentSkipSkipsEveryItem) {
  // GoogleTest 1.12 prints no [ RUN ] line, says "[  PASSED  ] 3 tests." and exits 0.
  const Parsed parsed =
      parse(read_test_data("gtest/run_global_skip.txt"), items_named(device_names), exited(0));
  EXPECT_THAT(parsed.started, IsEmpty());
  EXPECT_THAT(parsed.not_started, IsEmpty());
  ASSERT_EQ(parsed.results.size(), 3u);
  for (const std::string& name : device_names) {
    const Result& result = parsed.result(name);
    EXPECT_EQ(result.outcome, Outcome::skipped) << name;
    EXPECT_EQ(result.message, "no device attached") << name;
    EXPECT_THAT(result.output, HasSubstr("checking for the device\n")) << name;
  }
}

TEST(GTestBatchParser, GlobalSkipNeedsACleanExit) {
  // The same output, but the process failed: nothing says the items were only skipped.
  const Parsed failed =
      parse(read_test_data("gtest/run_global_skip.txt"), items_named(device_names), exited(1));
  for (const std::string& name : device_names) {
    EXPECT_EQ(failed.result(name).outcome, Outcome::error) << name;
    EXPECT_THAT(failed.result(name).message, HasSubstr("exited with code 1 without running it"));
  }
  // Without the skip, an exit 0 that ran nothing stays an error.
  const Parsed silent = parse(
      "[==========] Running 3 tests from 2 test suites.\n"
      "[----------] Global test environment set-up.\n"
      "[----------] Global test environment tear-down\n"
      "[==========] 3 tests from 2 test suites ran. (0 ms total)\n[  PASSED  ] 3 tests.\n",
      items_named(device_names), exited(0));
  EXPECT_EQ(silent.result("Device.Opens").outcome, Outcome::error);
  // A "Skipped" line the binary printed before GoogleTest's set-up says nothing either.
  const Parsed early = parse(
      "plugin.cpp:7: Skipped\noptional plugin\n"
      "[==========] Running 3 tests from 2 test suites.\n"
      "[----------] Global test environment set-up.\n"
      "[----------] Global test environment tear-down\n"
      "[==========] 3 tests from 2 test suites ran. (0 ms total)\n[  PASSED  ] 3 tests.\n",
      items_named(device_names), exited(0));
  EXPECT_EQ(early.result("Device.Opens").outcome, Outcome::error);
}

TEST(GTestBatchParser, GlobalSkipWithAPrematureExitFileIsNoSkip) {
  const std::filesystem::path scratch =
      std::filesystem::path(::testing::TempDir()) / "fanout_global_skip_test";
  std::filesystem::remove_all(scratch);
  std::filesystem::create_directories(scratch);
  std::ofstream(scratch / gtest_premature_exit_file) << "";
  const Parsed parsed = parse(read_test_data("gtest/run_global_skip.txt"),
                              items_named(device_names), exited(0), {}, {scratch});
  EXPECT_EQ(parsed.result("Other.Works").outcome, Outcome::error);
  std::filesystem::remove_all(scratch);
}

TEST(GTestBatchParser, ItemsTheSummaryListsAsSkippedWithoutRunningThemAreSkipped) {
  // The form the issue describes: no [ RUN ] lines, the tests named in the final summary.
  const Parsed parsed = parse(
      "[==========] Running 3 tests from 1 test suite.\n"
      "[----------] Global test environment set-up.\n"
      "[----------] Global test environment tear-down\n"
      "[==========] 3 tests from 1 test suite ran. (0 ms total)\n"
      "[  PASSED  ] 0 tests.\n"
      "[  SKIPPED ] 2 tests, listed below:\n"
      "[  SKIPPED ] A.x\n"
      "[  SKIPPED ] A.y\n",
      items_named({"A.x", "A.y", "A.z"}), exited(0));
  EXPECT_EQ(parsed.result("A.x").outcome, Outcome::skipped);
  EXPECT_EQ(parsed.result("A.y").outcome, Outcome::skipped);
  EXPECT_THAT(parsed.result("A.y").message, HasSubstr("listed as skipped"));
  // Not named: nothing says what happened to it.
  EXPECT_EQ(parsed.result("A.z").outcome, Outcome::error);
}

TEST(GTestBatchParser, FatalGlobalSetUpFailureIsNotLost) {
  // GoogleTest 1.12 runs each test as skipped, then exits 1.
  const Parsed parsed = parse(read_test_data("gtest/run_global_setup_failure.txt"),
                              items_named({"Device.Opens", "Other.Works"}), exited(1));
  ASSERT_EQ(parsed.results.size(), 2u);
  EXPECT_EQ(parsed.result("Device.Opens").outcome, Outcome::skipped);
  EXPECT_THAT(parsed.result("Device.Opens").output, HasSubstr("database unreachable"));
  const Result& last = parsed.result("Other.Works");
  EXPECT_EQ(last.outcome, Outcome::failed);
  EXPECT_THAT(last.message, HasSubstr("exited with code 1"));
}

// --- SetUpTestSuite / TearDownTestSuite failures (captured from GoogleTest 1.12) ---

// Db's TearDownTestSuite fails after Db.Insert and Db.Query passed; Net's SetUpTestSuite fails,
// so GoogleTest skips Net.Ping.
const std::vector<std::string> suite_failure_names = {"Db.Insert", "Db.Query", "Later.Runs",
                                                      "Net.Ping", "Last.Fine"};

TEST(GTestBatchParser, SuiteFailureBlamesTheLastItemOfThatSuite) {
  const Parsed parsed = parse(read_test_data("gtest/run_suite_failure.txt"),
                              items_named(suite_failure_names), exited(1));
  EXPECT_EQ(parsed.started, suite_failure_names);
  ASSERT_EQ(parsed.results.size(), 5u);
  EXPECT_EQ(parsed.result("Db.Insert").outcome, Outcome::passed);
  const Result& query = parsed.result("Db.Query");
  EXPECT_EQ(query.outcome, Outcome::failed);
  EXPECT_EQ(query.message,
            "Db: SetUpTestSuite or TearDownTestSuite failed\n"
            "suitefail.cpp:5: Failure\nFailed\nconnection leaked");
  EXPECT_EQ(parsed.result("Later.Runs").outcome, Outcome::passed);
  const Result& ping = parsed.result("Net.Ping");
  EXPECT_EQ(ping.outcome, Outcome::failed);
  EXPECT_EQ(ping.message,
            "Net: SetUpTestSuite or TearDownTestSuite failed\n"
            "suitefail.cpp:12: Failure\nFailed\nno network");
  // The last item is not blamed for the exit code: the suites were.
  const Result& last = parsed.result("Last.Fine");
  EXPECT_EQ(last.outcome, Outcome::passed);
  EXPECT_EQ(last.message, "");
}

TEST(GTestBatchParser, ResultsOfASuiteThatFailedOutsideItsItemsAreHeld) {
  const Parsed parsed = parse(read_test_data("gtest/run_suite_failure.txt"),
                              items_named(suite_failure_names), exited(1));
  std::vector<std::string> streamed;
  for (const Result& result : parsed.streamed) streamed.push_back(result.item_id);
  EXPECT_THAT(streamed, ElementsAre("t/Db.Insert", "t/Later.Runs"));
}

TEST(GTestBatchParser, SuiteFailureOfASingleItemBatch) {
  const Parsed parsed = parse(read_test_data("gtest/run_suite_failure_only_item.txt"),
                              items_named({"Db.Insert"}), exited(1));
  ASSERT_EQ(parsed.results.size(), 1u);
  const Result& insert = parsed.result("Db.Insert");
  EXPECT_EQ(insert.outcome, Outcome::failed);
  EXPECT_THAT(insert.message, HasSubstr("Db: SetUpTestSuite or TearDownTestSuite failed"));
  EXPECT_THAT(insert.message, HasSubstr("connection leaked"));
  EXPECT_THAT(insert.message, Not(HasSubstr("after its tests passed")));
}

TEST(GTestBatchParser, SuiteFailureWithoutAnItemOfThatSuiteBlamesTheLastItem) {
  // Db's tests are not in the batch (their lines are only output here).
  const Parsed parsed = parse(read_test_data("gtest/run_suite_failure.txt"),
                              items_named({"Later.Runs", "Net.Ping", "Last.Fine"}), exited(1));
  EXPECT_EQ(parsed.result("Later.Runs").outcome, Outcome::passed);
  EXPECT_THAT(parsed.result("Net.Ping").message, HasSubstr("no network"));
  const Result& last = parsed.result("Last.Fine");
  EXPECT_EQ(last.outcome, Outcome::failed);
  EXPECT_THAT(last.message, HasSubstr("Db: SetUpTestSuite or TearDownTestSuite failed"));
  EXPECT_THAT(last.message, HasSubstr("connection leaked"));
}

TEST(GTestBatchParser, SuiteFailureAddsToAnItemThatFailedOnItsOwn) {
  const Parsed parsed = parse(
      "[----------] 1 test from A\n[ RUN      ] A.x\na.cpp:3: Failure\nboom\n"
      "[  FAILED  ] A.x (1 ms)\na.cpp:9: Failure\nteardown\n"
      "[----------] 1 test from A (1 ms total)\n\n"
      "[  FAILED  ] A: SetUpTestSuite or TearDownTestSuite\n",
      items_named({"A.x"}), exited(1));
  const Result& x = parsed.result("A.x");
  EXPECT_EQ(x.outcome, Outcome::failed);
  EXPECT_EQ(x.message,
            "a.cpp:3: Failure\nboom\n"
            "A: SetUpTestSuite or TearDownTestSuite failed\na.cpp:9: Failure\nteardown");
}

TEST(GTestBatchParser, AResultIsPassedOnWhenItsSuiteHasEnded) {
  const std::vector<Item> items = items_named({"A.x", "B.y"});
  GTestBatchParser parser(make_target(), pointers_to(items), {});
  parser.feed("[----------] 1 test from A\n[ RUN      ] A.x\n[       OK ] A.x (1 ms)\n");
  EXPECT_THAT(parser.take_finished(), IsEmpty());  // A's tear-down may still fail
  parser.feed("[----------] 1 test from A (1 ms total)\n");
  const std::vector<Result> finished = parser.take_finished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].item_id, "t/A.x");
  parser.feed("[----------] 1 test from B\n[ RUN      ] B.y\n[       OK ] B.y (1 ms)\n");
  parser.feed("[----------] 1 test from B (1 ms total)\n");
  EXPECT_THAT(parser.take_finished(), IsEmpty());  // the last one waits for the exit status
  const BatchEnd end = parser.finish(exited(0));
  ASSERT_EQ(end.results.size(), 1u);
  EXPECT_EQ(end.results[0].outcome, Outcome::passed);
}

TEST(GTestBatchParser, NothingRunAndANonZeroExitQuotesTheOutput) {
  const Parsed parsed = parse("error: cannot open config\n", items_named({"A.x"}), exited(2));
  const Result& x = parsed.result("A.x");
  EXPECT_EQ(x.outcome, Outcome::error);
  EXPECT_THAT(x.message, HasSubstr("exited with code 2"));
  EXPECT_THAT(x.message, HasSubstr("error: cannot open config"));
}

TEST(GTestBatchParser, StartFailureIsAnErrorForEveryItem) {
  ProcessEnd end = of_kind(ProcessEnd::Kind::start_failed);
  end.error = "No such file or directory";
  const Parsed parsed = parse("", items_named({"A.x", "A.y"}), end);
  ASSERT_EQ(parsed.results.size(), 2u);
  for (const Result& result : parsed.results) {
    EXPECT_EQ(result.outcome, Outcome::error);
    EXPECT_EQ(result.message, "could not start /build/t_tests: No such file or directory");
  }
}

TEST(GTestBatchParser, OutputBetweenItemsGoesToTheNextOne) {
  const Parsed parsed = parse(
      "[ RUN      ] A.x\n[       OK ] A.x (1 ms)\n[----------] 2 tests from A (1 ms "
      "total)\n\nsuite setup\n[ RUN      ] A.y\ninside\n[       OK ] A.y (1 ms)\n",
      items_named({"A.x", "A.y"}), exited(0));
  EXPECT_EQ(parsed.result("A.x").output, "");
  EXPECT_EQ(parsed.result("A.y").output, "suite setup\ninside\n");
}

TEST(GTestBatchParser, RunLinesOfUnknownItemsAreOutput) {
  const Parsed parsed = parse(
      "[ RUN      ] Other.z\n[       OK ] Other.z (1 ms)\n[ RUN      ] A.x\n"
      "[       OK ] A.x (1 ms)\n",
      items_named({"A.x"}), exited(0));
  ASSERT_EQ(parsed.results.size(), 1u);
  EXPECT_EQ(parsed.result("A.x").output, "[ RUN      ] Other.z\n");
}

TEST(GTestBatchParser, ItemOutputIsBounded) {
  GTestParserLimits limits;
  limits.output_head = 64;
  limits.output_tail = 64;
  std::string output = "[ RUN      ] A.x\n";
  for (int i = 0; i < 1000; ++i) output += "line " + std::to_string(i) + "\n";
  output += "[       OK ] A.x (1 ms)\n";
  const Parsed parsed = parse(output, items_named({"A.x"}), exited(0), limits);
  const std::string& kept = parsed.result("A.x").output;
  EXPECT_LT(kept.size(), 200u);
  EXPECT_THAT(kept, HasSubstr("bytes of output cut"));
  EXPECT_TRUE(kept.starts_with("line 0\n"));
  EXPECT_TRUE(kept.ends_with("line 999\n"));
}

TEST(GTestBatchParser, OverlongLinesArePassedOnButNeverMarkers) {
  GTestParserLimits limits;
  limits.max_line = 32;
  const std::string long_line(100, 'x');
  // A marker at the start of an overlong line, and one followed by more text where such a line
  // is cut.
  const std::string fake_marker = "[       OK ] A.x (1 ms)" + std::string(20, ' ');
  const std::string disguised = std::string(32, 'y') + "[       OK ] A.x (2 ms) and more";
  const std::string output = "[ RUN      ] A.x\n" + long_line + "\n" + fake_marker + "\n" +
                             disguised + "\n[       OK ] A.x (3 ms)\n";
  const Parsed parsed = parse(output, items_named({"A.x"}), exited(0), limits);
  const Result& x = parsed.result("A.x");
  EXPECT_EQ(x.outcome, Outcome::passed);
  EXPECT_DOUBLE_EQ(x.seconds, 0.003);
  EXPECT_EQ(x.output, long_line + "\n" + fake_marker + "\n" + disguised + "\n");
}

// Splits `output` at every byte offset (and feeds it byte by byte): the parser must report the
// same thing as when it gets the output in one piece.
void expect_split_invariant(const std::string& output, const std::vector<Item>& batch,
                            const ProcessEnd& end, GTestParserLimits limits = {}) {
  const std::string whole = describe(parse(output, batch, end, limits));
  ASSERT_THAT(whole, HasSubstr("|"));
  for (std::size_t offset = 0; offset <= output.size(); ++offset) {
    const std::string_view text = output;
    const std::string split =
        describe(parse_chunks({text.substr(0, offset), text.substr(offset)}, batch, end, limits));
    ASSERT_EQ(split, whole) << "split at byte " << offset;
  }
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < output.size(); ++i)
    bytes.push_back(std::string_view(output).substr(i, 1));
  EXPECT_EQ(describe(parse_chunks(bytes, batch, end, limits)), whole);
}

TEST(GTestBatchParser, MarkerAfterOverlongUnendedOutputIsRead) {
  GTestParserLimits limits;
  limits.max_line = 32;
  // The marker after 40 bytes, and after 28 bytes (where it would be cut in two at byte 32).
  for (const std::size_t length : {40u, 28u}) {
    const std::string before(length, 'y');
    const std::string output =
        "[ RUN      ] A.x\n" + before + "[  FAILED  ] A.x (2 ms)\n[ RUN      ] A.y\n";
    const Parsed parsed = parse(output, items_named({"A.x", "A.y"}), exited(1), limits);
    const Result& x = parsed.result("A.x");
    EXPECT_EQ(x.outcome, Outcome::failed) << length;
    EXPECT_DOUBLE_EQ(x.seconds, 0.002) << length;
    EXPECT_EQ(x.output, before + "\n") << length;
    EXPECT_EQ(parsed.result("A.y").outcome, Outcome::failed) << length;
    expect_split_invariant(output, items_named({"A.x", "A.y"}), exited(1), limits);
  }
}

TEST(GTestBatchParser, ChunkBoundariesDoNotMatter) {
  expect_split_invariant(read_test_data("gtest/run_mixed.txt"), items_named(mixed_names),
                         exited(1));
  expect_split_invariant(read_test_data("gtest/run_crash.txt"),
                         items_named({"Crash.First", "Crash.Segv", "Crash.Third"}),
                         signaled(SIGSEGV));
  expect_split_invariant(read_test_data("gtest/run_nonzero_after_pass.txt"),
                         items_named({"Crash.First", "Crash.Third"}), exited(23));
  expect_split_invariant(read_test_data("gtest/run_filter_mismatch.txt"),
                         items_named({"Crash.First", "Crash.Renamed"}), exited(0));
  expect_split_invariant(read_test_data("gtest/run_global_skip.txt"), items_named(device_names),
                         exited(0));
  expect_split_invariant(read_test_data("gtest/run_suite_failure.txt"),
                         items_named(suite_failure_names), exited(1));
  expect_split_invariant(read_test_data("gtest/run_suite_failure.txt"),
                         items_named({"Later.Runs", "Net.Ping", "Last.Fine"}), exited(1));
  expect_split_invariant(read_test_data("gtest/run_global_setup_failure.txt"),
                         items_named({"Device.Opens", "Other.Works"}), exited(1));
  expect_split_invariant(read_test_data("gtest/run_unended_lines.txt"), items_named(unended_names),
                         exited(1));
}

TEST(GTestBatchParser, ChunkBoundariesDoNotMatterForOverlongLines) {
  GTestParserLimits limits;
  limits.max_line = 24;
  limits.output_head = 40;
  limits.output_tail = 40;
  expect_split_invariant(read_test_data("gtest/run_mixed.txt"), items_named(mixed_names), exited(1),
                         limits);
  limits.max_line = 13;  // exactly the length of "[ RUN      ] "
  expect_split_invariant(read_test_data("gtest/run_crash.txt"),
                         items_named({"Crash.First", "Crash.Segv", "Crash.Third"}),
                         signaled(SIGSEGV), limits);
}

TEST(GTestBatchParser, TimesAreTheSameWhateverTheChunks) {
  const std::string output =
      "[ RUN      ] A.x\n[       OK ] A.x (17 ms)\n[ RUN      ] A.y\n[  FAILED  ] A.y (250 ms)\n";
  for (std::size_t offset = 0; offset <= output.size(); ++offset) {
    const std::string_view text = output;
    const Parsed parsed = parse_chunks({text.substr(0, offset), text.substr(offset)},
                                       items_named({"A.x", "A.y"}), exited(1));
    ASSERT_EQ(parsed.results.size(), 2u);
    EXPECT_DOUBLE_EQ(parsed.result("A.x").seconds, 0.017) << offset;
    EXPECT_DOUBLE_EQ(parsed.result("A.y").seconds, 0.25) << offset;
  }
}

}  // namespace
}  // namespace fanout::collector
