// GTestFramework: parsing real --gtest_list_tests output, and the commands it builds.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "collector/gtest.hpp"
#include "test_data.hpp"

namespace fanout::collector {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::read_test_data;

Target make_target() {
  Target target;
  target.name = "unit";
  target.executable = "/opt/build/unit_tests";
  target.framework = "gtest";
  target.labels = {"fast", "core"};
  return target;
}

std::vector<std::string> names(const std::vector<Item>& items) {
  std::vector<std::string> result;
  for (const Item& item : items) result.push_back(item.name);
  return result;
}

std::vector<Item> parse_file(const std::string& file) {
  return gtest_framework().parse_listing(make_target(), read_test_data("gtest/" + file));
}

std::string listing_error(std::string_view output) {
  try {
    gtest_framework().parse_listing(make_target(), output);
  } catch (const CollectError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(GTestListing, SkipsNoiseAndSplitsNames) {
  const std::vector<Item> items = parse_file("list_noise.txt");
  ASSERT_THAT(names(items), ElementsAre("Basic.Passes", "Basic.Fails", "Other.Works"));
  const Item& item = items[1];
  EXPECT_EQ(item.id, "unit/Basic.Fails");
  EXPECT_EQ(item.target, "unit");
  EXPECT_EQ(item.suite, "Basic");
  EXPECT_EQ(item.case_name, "Fails");
  EXPECT_FALSE(item.disabled);
  EXPECT_EQ(item.annotation, "");
  EXPECT_THAT(item.labels, ElementsAre("fast", "core"));
}

TEST(GTestListing, TypedSuitesKeepTheirTypeParam) {
  const std::vector<Item> items = parse_file("list_typed.txt");
  ASSERT_THAT(names(items), ElementsAre("Typed/0.Works", "Typed/1.Works", "Prefix/TypedP/0.Fine",
                                        "Prefix/TypedP/1.Fine"));
  EXPECT_EQ(items[0].annotation, "TypeParam = int");
  EXPECT_EQ(items[1].annotation, "TypeParam = char");
  EXPECT_EQ(items[2].suite, "Prefix/TypedP/0");
  EXPECT_EQ(items[2].case_name, "Fine");
  EXPECT_EQ(items[3].id, "unit/Prefix/TypedP/1.Fine");
}

TEST(GTestListing, ValueParameterisedCasesKeepTheirParam) {
  const std::vector<Item> items = parse_file("list_value_param.txt");
  ASSERT_THAT(names(items), ElementsAre("Values/Param.NonNegative/0", "Values/Param.NonNegative/1",
                                        "Values/Param.NonNegative/2"));
  EXPECT_EQ(items[1].suite, "Values/Param");
  EXPECT_EQ(items[1].case_name, "NonNegative/1");
  EXPECT_EQ(items[1].annotation, "GetParam() = -2");
}

TEST(GTestListing, DisabledSuitesAndCasesAreListedAsDisabled) {
  const std::vector<Item> items = parse_file("list_disabled.txt");
  ASSERT_THAT(names(items), ElementsAre("Basic.Passes", "Basic.Fails", "Basic.Skips",
                                        "Basic.DISABLED_Off", "DISABLED_Whole.One"));
  std::vector<bool> disabled;
  for (const Item& item : items) disabled.push_back(item.disabled);
  EXPECT_THAT(disabled, ElementsAre(false, false, false, true, true));
}

TEST(GTestListing, DisabledAfterAPrefixCounts) {
  const std::vector<Item> items = gtest_framework().parse_listing(
      make_target(), "Inst/DISABLED_Param.\n  Case/0  # GetParam() = 1\nOk.\n  Fine\n");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_TRUE(items[0].disabled);
  EXPECT_FALSE(items[1].disabled);
}

TEST(GTestListing, ZeroTestsIsAValidListing) {
  EXPECT_TRUE(parse_file("list_zero.txt").empty());
  EXPECT_TRUE(gtest_framework().parse_listing(make_target(), "").empty());
}

TEST(GTestListing, WindowsLineEndingsAreAccepted) {
  const std::vector<Item> items = gtest_framework().parse_listing(
      make_target(), "Running main() from gtest_main.cc\r\nA.\r\n  b\r\n  c  # GetParam() = 1\r\n");
  EXPECT_THAT(names(items), ElementsAre("A.b", "A.c"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].annotation, "GetParam() = 1");
}

TEST(GTestListing, GarbageAfterTheListingNamesBinaryAndLine) {
  const std::string message = listing_error(read_test_data("gtest/list_garbage_after.txt"));
  EXPECT_THAT(message, HasSubstr("/opt/build/unit_tests"));
  EXPECT_THAT(message, HasSubstr("\"leak checker: 3 objects still alive\""));
}

TEST(GTestListing, OutputWithoutAnyListingIsAnError) {
  const std::string message = listing_error(read_test_data("gtest/list_garbage_only.txt"));
  EXPECT_THAT(message, HasSubstr("/opt/build/unit_tests"));
  EXPECT_THAT(message, HasSubstr("no GoogleTest listing"));
  EXPECT_THAT(message, HasSubstr("\"Usage: tool [options]\""));
}

TEST(GTestListing, SuiteWithoutTestsIsAnError) {
  EXPECT_THAT(listing_error(read_test_data("gtest/list_suite_without_tests.txt")),
              HasSubstr("\"Lonely.\""));
  EXPECT_THAT(listing_error("A.\n  b\nTrailing.\n"), HasSubstr("\"Trailing.\""));
}

TEST(GTestListing, CaseLinesMustBeIndentedNamesWithOptionalComment) {
  EXPECT_THAT(listing_error("A.\n  b\n    deeper\n"), HasSubstr("\"    deeper\""));
  EXPECT_THAT(listing_error("A.\n  b extra words\n"), HasSubstr("\"  b extra words\""));
  EXPECT_THAT(listing_error("A.\n  b\nnot a suite\n"), HasSubstr("\"not a suite\""));
}

TEST(GTestCommands, ListCommandAppendsTheFlagAfterExtraArgs) {
  Target target = make_target();
  target.extra_args = {"--config", "x.ini"};
  const Command command = gtest_framework().list_command(target);
  EXPECT_THAT(command.argv,
              ElementsAre("/opt/build/unit_tests", "--config", "x.ini", "--gtest_list_tests"));
  EXPECT_TRUE(command.environment.empty());
}

TEST(GTestCommands, RunCommandFiltersExactlyTheBatch) {
  Target target = make_target();
  target.extra_args = {"--gtest_filter=Ignored.*"};
  const std::vector<Item> items = parse_file("list_value_param.txt");
  const Command command =
      gtest_framework().run_command(target, {items[0], items[2]}, {"/tmp/scratch-1"});
  EXPECT_THAT(command.argv,
              ElementsAre("/opt/build/unit_tests", "--gtest_filter=Ignored.*",
                          "--gtest_filter=Values/Param.NonNegative/0:Values/Param.NonNegative/2",
                          "--gtest_color=no"));
  EXPECT_THAT(command.environment,
              ElementsAre(EnvVar{"TEST_PREMATURE_EXIT_FILE", "/tmp/scratch-1/premature_exit"}));
}

TEST(GTestCommands, RunCommandAsksForDisabledTestsOnlyWhenNeeded) {
  const std::vector<Item> items = parse_file("list_disabled.txt");
  const auto argv_for = [&](std::vector<Item> batch) {
    return gtest_framework().run_command(make_target(), batch, {"/s"}).argv;
  };
  const std::vector<std::string> enabled = argv_for({items[0]});
  EXPECT_EQ(std::count(enabled.begin(), enabled.end(), "--gtest_also_run_disabled_tests"), 0);
  const std::vector<std::string> with_disabled = argv_for({items[0], items[3]});
  EXPECT_EQ(with_disabled.back(), "--gtest_also_run_disabled_tests");
  EXPECT_EQ(with_disabled[1], "--gtest_filter=Basic.Passes:Basic.DISABLED_Off");
}

TEST(GTestCommands, EmptyBatchRunsNothing) {
  const Command command = gtest_framework().run_command(make_target(), {}, {"/s"});
  EXPECT_EQ(command.argv[1], "--gtest_filter=-*");
}

TEST(FrameworkRegistry, FindsGTestByName) {
  const Framework* framework = find_framework("gtest");
  ASSERT_NE(framework, nullptr);
  EXPECT_EQ(framework, &gtest_framework());
  EXPECT_EQ(framework->name(), "gtest");
  EXPECT_EQ(find_framework("nunit"), nullptr);
  EXPECT_EQ(find_framework(""), nullptr);
}

TEST(FrameworkRegistry, ParserFromTheFrameworkFollowsABatch) {
  const std::vector<Item> items = parse_file("list_noise.txt");
  auto parser = gtest_framework().parser(make_target(), {items[0]}, {});
  parser->feed("[ RUN      ] Basic.Passes\n[       OK ] Basic.Passes (3 ms)\n");
  ASSERT_EQ(parser->take_started().size(), 1u);
  const BatchEnd end = parser->finish({});
  ASSERT_EQ(end.results.size(), 1u);
  EXPECT_EQ(end.results[0].item_id, "unit/Basic.Passes");
  EXPECT_EQ(end.results[0].outcome, Outcome::passed);
  EXPECT_DOUBLE_EQ(end.results[0].seconds, 0.003);
}

}  // namespace
}  // namespace fanout::collector
