// The plain-executable adapter: one item per target, judged by exit code, skip return code,
// CTest's regular expressions and WILL_FAIL, on a real program.

#include "collector/executable.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "collector/collect.hpp"
#include "framework_test_support.hpp"

namespace fanout::collector {
namespace {

using ::testing::ElementsAre;
using testing::exited;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// plain_exit with `args` (the exit code first, then lines to print).
Target plain(std::vector<std::string> args) {
  Target target = testing::fixture_target("plain_exit", "exe");
  target.extra_args = std::move(args);
  return target;
}

Result run(const Target& target, double timeout_seconds = 60) {
  const std::vector<Item> items = executable_framework().parse_listing(target, "");
  const testing::RealRun real =
      testing::run_for_real(executable_framework(), target, items, timeout_seconds);
  EXPECT_THAT(real.parsed.started, ElementsAre("t"));
  EXPECT_THAT(real.parsed.not_started, IsEmpty());
  return real.parsed.result("t");
}

TEST(ExecutableListing, OneItemNamedAfterTheTargetWithoutRunningIt) {
  Target target = plain({"0"});
  target.labels = {"smoke"};
  target.source_file = "/src/CMakeLists.txt";
  target.source_line = 12;
  EXPECT_EQ(executable_framework().list_command(target).argv, std::vector<std::string>{"true"});
  const std::vector<Item> items = executable_framework().parse_listing(target, "");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].name, "t");
  EXPECT_EQ(items[0].id, "t/t");
  EXPECT_EQ(items[0].file, "/src/CMakeLists.txt");
  EXPECT_EQ(items[0].line, 12);
  EXPECT_THAT(items[0].labels, ElementsAre("smoke"));
  EXPECT_FALSE(items[0].disabled);
  target.disabled = true;
  EXPECT_TRUE(executable_framework().parse_listing(target, "")[0].disabled);
}

TEST(ExecutableListing, CollectGivesTheOneItemWithoutRunningTheBinary) {
  // "hang" would never return if collection ran the binary itself.
  const std::vector<Item> items = collect_items(plain({"hang"}), executable_framework());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].id, "t/t");
}

TEST(ExecutableListing, BadRegularExpressionIsACollectError) {
  Target target = plain({"0"});
  target.fail_regex = {"ok", "unclosed ("};
  try {
    executable_framework().parse_listing(target, "");
    FAIL() << "no CollectError";
  } catch (const CollectError& error) {
    EXPECT_THAT(error.what(), HasSubstr("FAIL_REGULAR_EXPRESSION \"unclosed (\""));
  }
}

TEST(ExecutableRun, CommandIsTheExecutableWithItsArguments) {
  const Target target = plain({"3", "a b"});
  EXPECT_THAT(executable_framework().run_command(target, {}, BatchContext{}).argv,
              ElementsAre(target.executable.string(), "3", "a b"));
}

TEST(ExecutableRun, ExitCodeDecides) {
  const Result passed = run(plain({"0", "hello from the test"}));
  EXPECT_EQ(passed.outcome, Outcome::passed);
  EXPECT_EQ(passed.output, "hello from the test\n");
  const Result failed = run(plain({"2"}));
  EXPECT_EQ(failed.outcome, Outcome::failed);
  EXPECT_EQ(failed.message, "exited with code 2");
}

TEST(ExecutableRun, SkipReturnCode) {
  Target target = plain({"77"});
  target.skip_return_code = 77;
  const Result skipped = run(target);
  EXPECT_EQ(skipped.outcome, Outcome::skipped);
  EXPECT_THAT(skipped.message, HasSubstr("skip return code"));
  target.skip_return_code = 78;
  EXPECT_EQ(run(target).outcome, Outcome::failed);
}

TEST(ExecutableRun, PassRegexIgnoresTheExitCode) {
  Target target = plain({"1", "all 3 checks OK"});
  target.pass_regex = {"nothing like this", "^all [0-9]+ checks OK$"};
  EXPECT_EQ(run(target).outcome, Outcome::passed);
  target.extra_args = {"0", "some checks failed"};
  const Result failed = run(target);
  EXPECT_EQ(failed.outcome, Outcome::failed);
  EXPECT_THAT(failed.message, HasSubstr("no output line matched PASS_REGULAR_EXPRESSION"));
}

TEST(ExecutableRun, FailRegexFailsEvenWithAPassRegexMatch) {
  Target target = plain({"0", "OK", "ERROR: disk full"});
  target.fail_regex = {"ERROR"};
  const Result failed = run(target);
  EXPECT_EQ(failed.outcome, Outcome::failed);
  EXPECT_THAT(failed.message, HasSubstr("ERROR: disk full"));
  target.pass_regex = {"OK"};
  EXPECT_EQ(run(target).outcome, Outcome::failed);
}

TEST(ExecutableRun, SkipRegexWinsOverEverything) {
  Target target = plain({"1", "SKIPPED: no GPU", "ERROR"});
  target.skip_regex = {"^SKIPPED"};
  target.fail_regex = {"ERROR"};
  target.will_fail = true;
  const Result skipped = run(target);
  EXPECT_EQ(skipped.outcome, Outcome::skipped);
  EXPECT_THAT(skipped.message, HasSubstr("SKIPPED: no GPU"));
}

TEST(ExecutableRun, WillFailSwapsPassAndFailButNotCrashesOrTimeouts) {
  Target target = plain({"1"});
  target.will_fail = true;
  const Result passed = run(target);
  EXPECT_EQ(passed.outcome, Outcome::passed);
  EXPECT_THAT(passed.message, HasSubstr("failed as expected"));
  target.extra_args = {"0"};
  const Result failed = run(target);
  EXPECT_EQ(failed.outcome, Outcome::failed);
  EXPECT_THAT(failed.message, HasSubstr("expected to fail (WILL_FAIL)"));
  target.extra_args = {"segv"};
  const Result crashed = run(target);
  EXPECT_EQ(crashed.outcome, Outcome::crashed);
  EXPECT_EQ(crashed.signal, SIGSEGV);
  target.extra_args = {"hang", "started"};
  const Result timeout = run(target, 0.5);
  EXPECT_EQ(timeout.outcome, Outcome::timeout);
  EXPECT_EQ(timeout.output, "started\n");
}

TEST(ExecutableParser, RegexMatchesALineSplitAcrossChunks) {
  Target target = plain({});
  target.pass_regex = {"^all good$"};
  const std::string text = "noise\nall good\nmore\n";
  const std::vector<Item> items = executable_framework().parse_listing(target, "");
  for (std::size_t offset = 0; offset <= text.size(); ++offset) {
    ExecutableBatchParser parser(target, testing::pointers_to(items));
    const testing::Parsed parsed = testing::parse_chunks(
        parser, {std::string_view(text).substr(0, offset), std::string_view(text).substr(offset)},
        exited(1));
    ASSERT_EQ(parsed.result("t").outcome, Outcome::passed) << "split at " << offset;
    ASSERT_EQ(parsed.result("t").output, text);
  }
}

TEST(ExecutableParser, MissingBinaryIsAnError) {
  Target target = plain({});
  const std::vector<Item> items = executable_framework().parse_listing(target, "");
  ExecutableBatchParser parser(target, testing::pointers_to(items));
  ProcessEnd end = testing::of_kind(ProcessEnd::Kind::start_failed);
  end.error = "No such file or directory";
  const testing::Parsed parsed = testing::parse_chunks(parser, {}, end);
  EXPECT_EQ(parsed.result("t").outcome, Outcome::error);
  EXPECT_THAT(parsed.result("t").message, HasSubstr("No such file or directory"));
}

}  // namespace
}  // namespace fanout::collector
