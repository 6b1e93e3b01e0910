// The plain-executable adapter: one item per target, judged by exit code, skip return code,
// CTest's regular expressions and WILL_FAIL, on a real program.

#include "collector/executable.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <optional>
#include <utility>

#include "collector/collect.hpp"
#include "collector/executable_regex.hpp"
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
  target.pass_regex = {"nothing like this", "^all [0-9]+ checks OK\n$"};
  const Result passed = run(target);
  EXPECT_EQ(passed.outcome, Outcome::passed);
  EXPECT_EQ(passed.message, "");
  target.extra_args = {"0", "some checks failed"};
  const Result failed = run(target);
  EXPECT_EQ(failed.outcome, Outcome::failed);
  EXPECT_THAT(failed.message, HasSubstr("the output did not match PASS_REGULAR_EXPRESSION"));
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

// The outcome of a target with these expressions whose process printed `output` and exited
// with code 1, the output split into chunks at `split`.
Outcome judged(std::string_view output, std::vector<std::string> pass,
               std::vector<std::string> fail = {}, std::vector<std::string> skip = {},
               std::size_t split = 0) {
  Target target = plain({});
  target.pass_regex = std::move(pass);
  target.fail_regex = std::move(fail);
  target.skip_regex = std::move(skip);
  const std::vector<Item> items = executable_framework().parse_listing(target, "");
  ExecutableBatchParser parser(target, testing::pointers_to(items));
  split = std::min(split, output.size());
  const testing::Parsed parsed =
      testing::parse_chunks(parser, {output.substr(0, split), output.substr(split)}, exited(1));
  return parsed.result("t").outcome;
}

struct CtestCase {
  std::string_view output;
  std::string regex;
  bool matches;  // what ctest 3.25.1 said
};

// Every expected value below was taken from real ctest 3.25.1 runs: one add_test(COMMAND cat
// <file holding the output>) per row, with set_tests_properties(PASS_REGULAR_EXPRESSION
// <regex>); "Passed" is a match. (ctest searches the whole output once; `^` and `$` are its
// start and end, `.` crosses lines, each line ends with "\n", a '\r' before a '\n' is dropped,
// a NUL ends a line; `\n` in a pattern is the letter n.)
const CtestCase ctest_cases[] = {
    {"alpha\nbeta\n", "^alpha", true},
    {"alpha\nbeta\n", "^beta", false},
    {"alpha\nbeta\n", "alpha$", false},
    {"alpha\nbeta\n", "beta$", false},
    {"alpha\nbeta\n", "^alpha$", false},
    {"alpha\nbeta\n", "alpha.beta", true},
    {"alpha\nbeta\n", "a.*a", true},
    {"alpha\nbeta\n", "^alpha.*beta$", false},
    {"alpha\nbeta\n", "alpha\\nbeta", false},
    {"alpha\nbeta\n", "[^x]beta", true},
    {"alpha\nbeta\n", "beta\n$", true},
    {"alpha\nbeta\n", "a{1}", false},
    {"alpha\nbeta\n", "\\d", false},
    {"alpha\nbeta\n", "a|^beta", true},
    {"alpha\nbeta\n", "l+p", true},
    {"alpha\nbeta\n", "(al|be)ta$", false},
    {"alpha\nbeta", "beta$", false},
    {"alpha\nbeta", "beta\n$", true},
    {"alpha\nbeta", "alpha.beta", true},
    {"alpha\r\nbeta\r\n", "alpha.beta", true},
    {"alpha\r\nbeta\r\n", "beta\n$", true},
    {"alpha\r\nbeta\r\n", "^alpha$", false},
    {"a\rb\n", "a.b", true},
    {"a\rb\n", "b\n$", true},
    {"ab\r\r\n", "b\n$", true},
    {"ab\r\r\n", "b.\n$", false},
    {"ab\r", "b.\n$", true},
    {"ab\r", "b\n$", false},
    {std::string_view("x\0y\n", 4), "x.y", true},
    {std::string_view("x\0y\n", 4), "^x.y\n$", true},
    {std::string_view("x\0y\n", 4), "xy", false},
    {std::string_view("x\0y\n", 4), "x..y", false},
    {"", "^$", true},
    {"", "a.b", false},
    {"a\n\n", "a\n\n$", true},
    {"a\n\n", "a\n$", false},
    {"a\n\n", "^$", false},
    {"\nz\n", "^\nz", true},
    {"\nz\n", "^z", false},
};

TEST(ExecutableParser, PassRegexMatchesAsCtestDoes) {
  for (const CtestCase& c : ctest_cases) {
    for (std::size_t split = 0; split <= c.output.size(); ++split) {
      ASSERT_EQ(judged(c.output, {c.regex}, {}, {}, split),
                c.matches ? Outcome::passed : Outcome::failed)
          << ::testing::PrintToString(std::string(c.output)) << " with "
          << ::testing::PrintToString(c.regex) << ", split at " << split;
    }
  }
}

TEST(ExecutableParser, FailAndSkipRegexesMatchAsCtestDoes) {
  // Also from real ctest 3.25.1 runs, on the output "alpha\nbeta\n" with exit code 0 there
  // (here 1, with a pass expression that matches, so only the expression under test decides).
  const std::string_view output = "alpha\nbeta\n";
  EXPECT_EQ(judged(output, {"alpha"}, {"^beta"}), Outcome::passed);
  EXPECT_EQ(judged(output, {"alpha"}, {"^alpha"}), Outcome::failed);
  EXPECT_EQ(judged(output, {"alpha"}, {"beta\n$"}), Outcome::failed);
  EXPECT_EQ(judged(output, {"alpha"}, {}, {"^beta"}), Outcome::passed);
  EXPECT_EQ(judged(output, {"alpha"}, {}, {"alpha.beta"}), Outcome::skipped);
}

TEST(ExecutableRegex, RefusesWhatCmakeRefusesWithItsReason) {
  // ctest 3.25.1 printed "Nested *?+" and "*+ operand could be empty" for the first two.
  const std::pair<std::string, std::string> bad[] = {
      {"a**", "nested *?+"},         {"(a*)*", "*+ operand could be empty"},
      {"*a", "?+* follows nothing"}, {"(a", "unmatched ()"},
      {"a)", "unmatched ()"},        {"[a", "unmatched []"},
      {"[z-a]", "invalid [] range"}, {"a\\", "trailing \\"},
      {"a+?", "nested *?+"},
  };
  for (const auto& [pattern, reason] : bad) {
    try {
      CmakeRegex regex(pattern);
      ADD_FAILURE() << pattern << " compiled";
    } catch (const CmakeRegexError& error) {
      EXPECT_EQ(std::string(error.what()), reason) << pattern;
    }
  }
  for (const std::string good : {"", "a?", "(a|)", "[]x]", "[-a]", "[a-]", "x{2,3}", "a|"}) {
    EXPECT_NO_THROW(CmakeRegex{good}) << good;
  }
}

TEST(ExecutableRegex, SetsRangesAndLiteralEscapes) {
  EXPECT_TRUE(CmakeRegex("[]x]").search("]"));
  EXPECT_TRUE(CmakeRegex("[a-c]+z").search("xxbcaz"));
  EXPECT_FALSE(CmakeRegex("[^a-c]z").search("az\nbz"));
  EXPECT_TRUE(CmakeRegex("[^a-c]z").search("a\nz"));
  EXPECT_TRUE(CmakeRegex("[\\]").search("\\"));
  EXPECT_TRUE(CmakeRegex("\\.\\*").search("a.*"));
  EXPECT_FALSE(CmakeRegex("\\.\\*").search("ab*"));
  EXPECT_TRUE(CmakeRegex("x{2}").search("x{2}"));
  EXPECT_EQ(CmakeRegex("b+").search("abbbc"), std::optional<std::size_t>(2));  // earliest end
  EXPECT_EQ(CmakeRegex("(ab|a)c?d*$").search("xab"), std::optional<std::size_t>(3));
  EXPECT_FALSE(CmakeRegex("a^b").search("ab"));
}

TEST(ExecutableRegex, LongOutputNeitherOverflowsNorCrawls) {
  // A backtracking engine that recurses per byte (std::regex) dies on this.
  std::string text(4 << 20, 'a');
  text += "\nEND\n";
  const auto begun = std::chrono::steady_clock::now();
  EXPECT_EQ(CmakeRegex("^a.*END\n$").search(text), std::optional<std::size_t>(text.size()));
  EXPECT_FALSE(CmakeRegex("^b|FAILED").search(text));
  EXPECT_LT(std::chrono::steady_clock::now() - begun, std::chrono::seconds(60));
}

TEST(ExecutableParser, MatchMessageQuotesTheLineWhereTheMatchEnded) {
  Target target = plain({});
  target.fail_regex = {"^start.*ERROR"};
  const std::vector<Item> items = executable_framework().parse_listing(target, "");
  ExecutableBatchParser parser(target, testing::pointers_to(items));
  const testing::Parsed parsed =
      testing::parse_chunks(parser, {"start\nfine\nERROR: disk full\nmore\n"}, exited(0));
  EXPECT_EQ(parsed.result("t").outcome, Outcome::failed);
  EXPECT_EQ(parsed.result("t").message,
            "FAIL_REGULAR_EXPRESSION \"^start.*ERROR\" matched \"ERROR: disk full\"");
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
