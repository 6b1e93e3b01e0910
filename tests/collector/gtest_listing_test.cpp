// GTestFramework: parsing real --gtest_list_tests output (text and JSON), and the commands it
// builds.

#include "collector/gtest_listing.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <sstream>

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

// --- The JSON listing (captured from a GoogleTest 1.12 binary with a chatty custom main) ---

std::vector<Item> parse_with_file(std::string_view output, std::optional<std::string_view> file) {
  return gtest_framework().parse_listing_file(make_target(), output, file);
}

std::string file_listing_error(std::string_view output, std::optional<std::string_view> file) {
  try {
    parse_with_file(output, file);
  } catch (const CollectError& error) {
    return error.what();
  }
  return "(no error)";
}

// The stdout of the same binary with the custom main's own lines taken out.
std::string custom_main_text_listing() {
  std::string text;
  std::istringstream in(read_test_data("gtest/list_custom_main.txt"));
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("custom main") && !line.starts_with("stray text")) text += line + "\n";
  }
  return text;
}

TEST(GTestJsonListing, StrayTextOnStdoutDoesNotMatter) {
  const std::string stdout_text = read_test_data("gtest/list_custom_main.txt");
  // The text alone cannot be trusted: the custom main talks after the listing.
  EXPECT_THAT(listing_error(stdout_text), HasSubstr("\"custom main still talking\""));

  const std::vector<Item> items =
      parse_with_file(stdout_text, read_test_data("gtest/list_custom_main.json"));
  EXPECT_THAT(names(items),
              ElementsAre("Basic.Passes", "Basic.DISABLED_Off", "DISABLED_Whole.One",
                          "Typed/0.Works", "Typed/1.Works", "Prefix/TypedP/0.Fine",
                          "Prefix/TypedP/1.Fine", "Values/Param.NonNegative/0",
                          "Values/Param.NonNegative/1", "Values/Param.NonNegative/2"));
}

TEST(GTestJsonListing, ItemsCarryFileAndLine) {
  const std::vector<Item> items =
      parse_with_file("", read_test_data("gtest/list_custom_main.json"));
  ASSERT_EQ(items.size(), 10u);
  EXPECT_EQ(items[0].file, "listing.cpp");
  EXPECT_EQ(items[0].line, 3);
  EXPECT_EQ(items[2].line, 5);
  EXPECT_EQ(items[9].file, "listing.cpp");
  EXPECT_EQ(items[9].line, 11);
}

TEST(GTestJsonListing, AgreesWithTheTextListingOfTheSameBinary) {
  const std::vector<Item> from_json =
      parse_with_file("", read_test_data("gtest/list_custom_main.json"));
  const std::vector<Item> from_text =
      gtest_framework().parse_listing(make_target(), custom_main_text_listing());
  ASSERT_EQ(from_json.size(), from_text.size());
  for (std::size_t i = 0; i < from_json.size(); ++i) {
    const Item& json = from_json[i];
    const Item& text = from_text[i];
    EXPECT_EQ(json.id, text.id);
    EXPECT_EQ(json.name, text.name);
    EXPECT_EQ(json.suite, text.suite);
    EXPECT_EQ(json.case_name, text.case_name);
    EXPECT_EQ(json.annotation, text.annotation) << json.name;
    EXPECT_EQ(json.disabled, text.disabled) << json.name;
    EXPECT_EQ(json.labels, text.labels);
    EXPECT_TRUE(text.file.empty());
    EXPECT_FALSE(json.file.empty());
  }
}

TEST(GTestJsonListing, KeepsAnnotationsAndDisabled) {
  const std::vector<Item> items =
      parse_with_file("", read_test_data("gtest/list_custom_main.json"));
  ASSERT_EQ(items.size(), 10u);
  EXPECT_FALSE(items[0].disabled);
  EXPECT_TRUE(items[1].disabled);  // Basic.DISABLED_Off
  EXPECT_TRUE(items[2].disabled);  // DISABLED_Whole.One
  EXPECT_EQ(items[4].annotation, "TypeParam = char");
  EXPECT_EQ(items[4].suite, "Typed/1");
  EXPECT_EQ(items[5].annotation, "TypeParam = int");
  EXPECT_EQ(items[8].annotation, "GetParam() = -2");
  EXPECT_EQ(items[8].case_name, "NonNegative/1");
}

TEST(GTestJsonListing, BothParamsAreJoinedAsInTheTextListing) {
  const std::vector<Item> items =
      parse_with_file("", R"({"testsuites":[{"name":"P/T/0","testsuite":[
             {"name":"Case/1","type_param":"int","value_param":"7","file":"a.cpp","line":9}]}]})");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].name, "P/T/0.Case/1");
  EXPECT_EQ(items[0].annotation, "TypeParam = int, GetParam() = 7");
}

TEST(GTestJsonListing, AFilterMatchingNothingListsNoItems) {
  // GoogleTest still lists the suites, each with an empty "testsuite" array.
  EXPECT_TRUE(parse_with_file("", read_test_data("gtest/list_zero.json")).empty());
}

TEST(GTestJsonListing, WithoutAFileTheTextListingIsUsed) {
  const std::vector<Item> items = parse_with_file(read_test_data("gtest/list_typed.txt"), {});
  EXPECT_THAT(names(items), ElementsAre("Typed/0.Works", "Typed/1.Works", "Prefix/TypedP/0.Fine",
                                        "Prefix/TypedP/1.Fine"));
  EXPECT_EQ(items[0].annotation, "TypeParam = int");
  EXPECT_EQ(items[0].file, "");
  EXPECT_THAT(file_listing_error(read_test_data("gtest/list_garbage_after.txt"), {}),
              HasSubstr("\"leak checker: 3 objects still alive\""));
}

TEST(GTestJsonListing, AnUnreadableFileFallsBackToTheText) {
  const std::string text = read_test_data("gtest/list_noise.txt");
  for (std::string_view file :
       {std::string_view(""), std::string_view("{\"testsuites\": [{\"name\": \"A\""),
        std::string_view("[1, 2]"), std::string_view("{\"tests\": 3}"),
        std::string_view(R"({"testsuites":[{"name":"A","testsuite":[{"name":7}]}]})")}) {
    EXPECT_THAT(names(parse_with_file(text, file)),
                ElementsAre("Basic.Passes", "Basic.Fails", "Other.Works"))
        << file;
  }
}

TEST(GTestJsonListing, WhenNeitherIsAListingBothProblemsAreNamed) {
  const std::string message =
      file_listing_error("Usage: tool [options]\n", R"({"testsuites": {"A": 1}})");
  EXPECT_THAT(message, HasSubstr("/opt/build/unit_tests"));
  EXPECT_THAT(message, HasSubstr("\"Usage: tool [options]\""));
  EXPECT_THAT(message, HasSubstr("no \"testsuites\" array"));
}

TEST(GTestJsonListing, MalformedDocumentsSayWhy) {
  const auto problem_of = [](std::string_view json) {
    std::string problem;
    const auto items = parse_gtest_json_listing(make_target(), json, problem);
    EXPECT_FALSE(items.has_value()) << json;
    return problem;
  };
  EXPECT_THAT(problem_of("{"), HasSubstr("not JSON"));
  EXPECT_THAT(problem_of(R"({"testsuites":[{"testsuite":[]}]})"), HasSubstr("test suite without"));
  EXPECT_THAT(problem_of(R"({"testsuites":[{"name":"A","testsuite":[{"file":"a.cpp"}]}]})"),
              HasSubstr("a test of suite \"A\" without \"name\""));
  EXPECT_THAT(problem_of(R"({"testsuites":[{"name":"A","testsuite":[{"name":"b","line":-1}]}]})"),
              HasSubstr("\"line\" is not a line number (test \"A.b\")"));
  EXPECT_THAT(problem_of(R"({"testsuites":[{"name":"A","testsuite":[{"name":"b","file":3}]}]})"),
              HasSubstr("\"file\" is not a string"));
  std::string problem;
  EXPECT_TRUE(parse_gtest_json_listing(make_target(), R"({"testsuites":[]})", problem));
  EXPECT_EQ(problem, "");
}

TEST(GTestCommands, ListCommandAppendsTheFlagsAfterExtraArgs) {
  Target target = make_target();
  target.extra_args = {"--config", "x.ini"};
  const Command command = gtest_framework().list_command(target);
  EXPECT_THAT(command.argv, ElementsAre("/opt/build/unit_tests", "--config", "x.ini",
                                        "--gtest_list_tests", "--gtest_output=json:{output_file}"));
  EXPECT_EQ(command.output_file, "listing.json");
  EXPECT_TRUE(command.listing_kept_despite_exit_code);
  EXPECT_FALSE(command.listing_exit_code_ignored);
  EXPECT_TRUE(command.environment.empty());
}

TEST(GTestCommands, RunCommandFiltersExactlyTheBatch) {
  Target target = make_target();
  target.extra_args = {"--gtest_filter=Ignored.*"};
  const std::vector<Item> items = parse_file("list_value_param.txt");
  const Command command =
      gtest_framework().run_command(target, {&items[0], &items[2]}, {"/tmp/scratch-1"});
  EXPECT_THAT(command.argv,
              ElementsAre("/opt/build/unit_tests", "--gtest_filter=Ignored.*",
                          "--gtest_filter=Values/Param.NonNegative/0:Values/Param.NonNegative/2",
                          "--gtest_color=no"));
  EXPECT_THAT(command.environment,
              ElementsAre(EnvVar{"TEST_PREMATURE_EXIT_FILE", "/tmp/scratch-1/premature_exit"}));
}

TEST(GTestCommands, RunCommandAsksForDisabledTestsOnlyWhenNeeded) {
  const std::vector<Item> items = parse_file("list_disabled.txt");
  const auto argv_for = [&](const std::vector<const Item*>& batch) {
    return gtest_framework().run_command(make_target(), batch, {"/s"}).argv;
  };
  const std::vector<std::string> enabled = argv_for({&items[0]});
  EXPECT_EQ(std::count(enabled.begin(), enabled.end(), "--gtest_also_run_disabled_tests"), 0);
  const std::vector<std::string> with_disabled = argv_for({&items[0], &items[3]});
  EXPECT_EQ(with_disabled.back(), "--gtest_also_run_disabled_tests");
  EXPECT_EQ(with_disabled[1], "--gtest_filter=Basic.Passes:Basic.DISABLED_Off");
}

TEST(GTestCommands, RunCommandNamesAWholeSuiteByPatternWhenTheListingIsKnown) {
  const std::vector<Item> items = parse_file("list_noise.txt");
  std::vector<const Item*> batch;
  for (const Item& item : items) {
    if (item.name.starts_with("Basic.")) batch.push_back(&item);
  }
  ASSERT_GE(batch.size(), 2u);
  ASSERT_LT(batch.size(), items.size());
  const BatchContext context{"/s", items};
  EXPECT_EQ(gtest_framework().run_command(make_target(), batch, context).argv[1],
            "--gtest_filter=Basic.*");
}

TEST(GTestCommands, RunCommandOfTheWholeListingFiltersNothingOut) {
  const std::vector<Item> items = parse_file("list_value_param.txt");
  std::vector<const Item*> batch;
  for (const Item& item : items) batch.push_back(&item);
  const BatchContext context{"/s", items};
  EXPECT_THAT(gtest_framework().run_command(make_target(), batch, context).argv,
              ElementsAre("/opt/build/unit_tests", "--gtest_filter=*", "--gtest_color=no"));

  // Without the listing, or with one item left out, the batch is named item by item.
  EXPECT_EQ(gtest_framework().run_command(make_target(), batch, {"/s"}).argv[1],
            "--gtest_filter=Values/Param.NonNegative/0:Values/Param.NonNegative/1:"
            "Values/Param.NonNegative/2");
  batch.pop_back();
  EXPECT_EQ(gtest_framework().run_command(make_target(), batch, context).argv[1],
            "--gtest_filter=Values/Param.NonNegative/0:Values/Param.NonNegative/1");
}

TEST(GTestCommands, RunCommandNamesEveryItemWhenTheUsersFilterNarrowedTheListing) {
  const std::vector<Item> items = parse_file("list_value_param.txt");
  const std::vector<const Item*> batch = {&items[0], &items[1], &items[2]};
  const BatchContext context{"/s", items};
  std::string exact = "--gtest_filter=";
  for (const Item* item : batch) exact += (item == batch.front() ? "" : ":") + item->name;

  Target by_argument = make_target();
  by_argument.extra_args = {"--gtest_filter=-Values/Param.NonNegative/3"};
  EXPECT_EQ(gtest_framework().run_command(by_argument, batch, context).argv[2], exact);

  Target by_environment = make_target();
  by_environment.environment = {{"GTEST_FILTER", "-Values/Param.NonNegative/3"}};
  EXPECT_EQ(gtest_framework().run_command(by_environment, batch, context).argv[1], exact);
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
  auto parser = gtest_framework().parser(make_target(), {&items[0]}, {});
  parser->feed("[ RUN      ] Basic.Passes\n[       OK ] Basic.Passes (3 ms)\n");
  const std::vector<const Item*> started = parser->take_started();
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0], &items[0]) << "the caller's own item";
  const BatchEnd end = parser->finish({});
  ASSERT_EQ(end.results.size(), 1u);
  EXPECT_EQ(end.results[0].item_id, "unit/Basic.Passes");
  EXPECT_EQ(end.results[0].outcome, Outcome::passed);
  EXPECT_DOUBLE_EQ(end.results[0].seconds, 0.003);
}

}  // namespace
}  // namespace fanout::collector
