#include "launcher/cli.hpp"

#include <gtest/gtest.h>

#include "launcher/errors.hpp"

namespace fanout::launcher {
namespace {

RunOptions parse(std::vector<std::string> args) {
  auto parsed = parse_command_line(args, "1.2.3");
  EXPECT_TRUE(std::holds_alternative<RunOptions>(parsed));
  return std::get<RunOptions>(parsed);
}

std::string usage_error(std::vector<std::string> args) {
  try {
    parse_command_line(args, "1.2.3");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CommandLine, ReadsTheEverydayOptions) {
  const RunOptions options = parse({"--test-dir", "build", "-j", "3", "--timeout", "2.5", "--junit",
                                    "out.xml", "-R", "Foo", "-E", "Bar", "-R", "Baz"});
  EXPECT_EQ(options.test_dir, "build");
  EXPECT_EQ(options.jobs, 3);
  EXPECT_DOUBLE_EQ(options.timeout_seconds, 2.5);
  EXPECT_EQ(options.junit_file, "out.xml");
  EXPECT_EQ(options.include_regex, (std::vector<std::string>{"Foo", "Baz"}));
  EXPECT_EQ(options.exclude_regex, std::vector<std::string>{"Bar"});
}

TEST(CommandLine, JobsAutoMeansOnePerCore) {
  EXPECT_GE(parse({"-j", "auto"}).jobs, 1);
  EXPECT_EQ(parse({"-j", "auto*2"}).jobs, 2 * parse({"-j", "auto"}).jobs);
  EXPECT_NE(usage_error({"-j", "0"}).find("-j"), std::string::npos);
  EXPECT_NE(usage_error({"-j", "many"}).find("many"), std::string::npos);
}

TEST(CommandLine, CtestSpellingsOfLabelsAndListing) {
  const RunOptions options = parse({"-L", "fast", "-LE", "slow", "-N", "--output-on-failure"});
  EXPECT_EQ(options.label_regex, std::vector<std::string>{"fast"});
  EXPECT_EQ(options.label_exclude_regex, std::vector<std::string>{"slow"});
  EXPECT_TRUE(options.list_only);
}

TEST(CommandLine, RunControl) {
  const RunOptions options = parse({"--repeat", "until-fail:5", "--shard", "2/4", "--rerun-failed",
                                    "--isolate", "--shuffle=42"});
  EXPECT_EQ(parse({"--retries", "2"}).retries, 2);
  ASSERT_TRUE(options.repeat.has_value());
  EXPECT_TRUE(options.repeat->until_fail);
  EXPECT_EQ(options.repeat->count, 5);
  ASSERT_TRUE(options.shard.has_value());
  EXPECT_EQ(options.shard->index, 2u);
  EXPECT_EQ(options.shard->count, 4u);
  EXPECT_TRUE(options.rerun_failed);
  EXPECT_TRUE(options.isolate);
  EXPECT_TRUE(options.shuffle);
  EXPECT_EQ(options.shuffle_seed, 42u);
  const RunOptions random = parse({"--shuffle"});
  EXPECT_TRUE(random.shuffle);
  EXPECT_FALSE(random.shuffle_seed.has_value());
}

TEST(CommandLine, BadValuesNameTheOption) {
  EXPECT_NE(usage_error({"--shard", "5/4"}).find("--shard"), std::string::npos);
  EXPECT_NE(usage_error({"--shard", "0/4"}).find("--shard"), std::string::npos);
  EXPECT_NE(usage_error({"--repeat", "forever"}).find("--repeat"), std::string::npos);
  EXPECT_NE(usage_error({"--repeat", "until-pass:0"}).find("--repeat"), std::string::npos);
  EXPECT_NE(usage_error({"--no-such-option"}).find("--no-such-option"), std::string::npos);
  EXPECT_NE(usage_error({"--format", "yaml"}).find("--format"), std::string::npos);
}

TEST(CommandLine, NumbersMustBeWholeFiniteAndInRange) {
  EXPECT_EQ(usage_error({"-j", "auto*0"}).rfind("-j/--jobs: expected a number from 1", 0), 0u);
  EXPECT_NE(usage_error({"-j", "auto*-1"}).find("'auto*-1'"), std::string::npos);
  EXPECT_NE(usage_error({"-j", "auto*2junk"}).find("'auto*2junk'"), std::string::npos);
  EXPECT_NE(usage_error({"-j", "3x"}).find("'3x'"), std::string::npos);
  EXPECT_EQ(usage_error({"--timeout", "nan"}),
            "--timeout: expected a number of seconds >= 0 and at most 1e9, got 'nan'");
  EXPECT_NE(usage_error({"--timeout", "1e10"}).find("'1e10'"), std::string::npos)
      << "no timer holds that";
  EXPECT_NE(usage_error({"--timeout", "-1"}).find("--timeout"), std::string::npos);
  EXPECT_NE(usage_error({"--timeout", "inf"}).find("--timeout"), std::string::npos);
  EXPECT_EQ(usage_error({"--list-timeout", "0"}),
            "--list-timeout: expected a number of seconds > 0 and at most 1e9, got '0'");
  EXPECT_EQ(usage_error({"--retries", "99999999999"}),
            "--retries: expected a whole number from 0 to 1000, got '99999999999'");
  EXPECT_NE(usage_error({"--retries", "-1"}).find("--retries"), std::string::npos);
  EXPECT_NE(usage_error({"--repeat", "until-fail:99999999999"}).find("--repeat"),
            std::string::npos);
  EXPECT_EQ(parse({"--timeout", "0"}).timeout_seconds, 0.0);
  EXPECT_EQ(parse({"--list-timeout", "0.5"}).list_timeout_seconds, 0.5);
}

TEST(CommandLine, RetriesAndRepeatDoNotCombine) {
  EXPECT_EQ(usage_error({"--retries", "1", "--repeat", "until-fail:2"})
                .rfind("--retries cannot be combined with --repeat", 0),
            0u);
  EXPECT_EQ(parse({"--retries", "0", "--repeat", "until-pass:2"}).retries, 0);
}

TEST(CommandLine, HelpAndVersionAreTextToPrint) {
  auto help = parse_command_line({"--help"}, "1.2.3");
  ASSERT_TRUE(std::holds_alternative<InfoRequest>(help));
  for (const char* option : {"--test-dir", "--jobs", "--timeout", "--junit", "--tests-regex",
                             "--exclude-regex", "--list", "--retries", "--shard"}) {
    EXPECT_NE(std::get<InfoRequest>(help).text.find(option), std::string::npos) << option;
  }
  auto version = parse_command_line({"--version"}, "1.2.3");
  ASSERT_TRUE(std::holds_alternative<InfoRequest>(version));
  EXPECT_EQ(std::get<InfoRequest>(version).text, "fanout 1.2.3\n");
}

}  // namespace
}  // namespace fanout::launcher
