// parse_gtest_json_listing: GoogleTest's JSON listing read in one pass gives the items its
// Boost.JSON tree names, and says what is wrong with a document that is no listing, with the
// rules of reading it as a tree (the last of a repeated member counts; first problem wins).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "collector/gtest.hpp"
#include "collector/gtest_listing.hpp"
#include "test_data.hpp"

namespace fanout::collector {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::read_test_data;
using ::testing::StartsWith;

// Every item carries the target's labels.
const Target listing_target{.name = "unit",
                            .executable = "/opt/build/unit_tests",
                            .framework = "gtest",
                            .labels = {"fast", "core"}};

std::optional<std::vector<Item>> read_listing(std::string_view json, std::string& problem) {
  return parse_gtest_json_listing(listing_target, json, problem);
}

// The items of `json`, which must be a listing.
std::vector<Item> items_of(std::string_view json) {
  std::string problem;
  std::optional<std::vector<Item>> items = read_listing(json, problem);
  EXPECT_TRUE(items.has_value()) << json << "\n" << problem;
  return items.value_or(std::vector<Item>());
}

// Why `json` is not a listing.
std::string problem_of(std::string_view json) {
  std::string problem;
  EXPECT_FALSE(read_listing(json, problem).has_value()) << json;
  return problem;
}

std::vector<std::string> names(const std::vector<Item>& items) {
  std::vector<std::string> result;
  for (const Item& item : items) result.push_back(item.name);
  return result;
}

// Everything an item holds, to compare (and print) at once.
auto fields(const Item& item) {
  return std::tie(item.id, item.target, item.name, item.suite, item.case_name, item.file, item.line,
                  item.disabled, item.labels, item.annotation, item.group, item.isolate,
                  item.ordinal);
}

void expect_same_items(const std::vector<Item>& actual, const std::vector<Item>& expected,
                       std::string_view context) {
  ASSERT_EQ(actual.size(), expected.size()) << context;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(fields(actual[i]), fields(expected[i])) << context;
  }
}

boost::json::value tree_of(std::string_view json, boost::json::error_code& error) {
  boost::json::parse_options options;
  options.allow_invalid_utf8 = true;
  return boost::json::parse(json, error, {}, options);
}

// The items a well-formed listing names, taken from its Boost.JSON tree: what the one-pass
// reading must agree with.
std::vector<Item> items_of_tree(const boost::json::value& tree) {
  std::vector<Item> items;
  for (const boost::json::value& suite : tree.at("testsuites").as_array()) {
    const std::string suite_name(suite.at("name").as_string());
    for (const boost::json::value& test_value : suite.at("testsuite").as_array()) {
      const boost::json::object& test = test_value.as_object();
      std::string annotation;
      if (const auto* type = test.if_contains("type_param")) {
        annotation = "TypeParam = " + std::string(type->as_string());
      }
      if (const auto* value = test.if_contains("value_param")) {
        if (!annotation.empty()) annotation += ", ";
        annotation += "GetParam() = " + std::string(value->as_string());
      }
      Item& item = emplace_gtest_item(items, listing_target, suite_name,
                                      std::string(test.at("name").as_string()), annotation);
      if (const auto* file = test.if_contains("file")) item.file = file->as_string();
      if (const auto* line = test.if_contains("line")) {
        item.line = static_cast<int>(line->as_int64());
      }
    }
  }
  return items;
}

// `json` is read as a listing, with the items its tree names.
std::vector<Item> items_agreeing_with_tree(std::string_view json) {
  const std::vector<Item> items = items_of(json);
  boost::json::error_code error;
  const boost::json::value tree = tree_of(json, error);
  EXPECT_FALSE(error) << json;
  if (!error) expect_same_items(items, items_of_tree(tree), json);
  return items;
}

// A listing of `suites` x `cases` tests in the shape (and indentation) GoogleTest writes.
std::string generated_listing(int suites, int cases) {
  std::string json = "{\n  \"tests\": " + std::to_string(suites * cases) +
                     ",\n  \"name\": \"AllTests\",\n  \"testsuites\": [\n";
  for (int s = 0; s < suites; ++s) {
    json += "    {\n      \"name\": \"Suite" + std::to_string(s) +
            "\",\n      \"tests\": " + std::to_string(cases) + ",\n      \"testsuite\": [\n";
    for (int c = 0; c < cases; ++c) {
      json += "        {\n          \"name\": \"Case" + std::to_string(c) +
              "\",\n          \"file\": \"\\/src\\/suite" + std::to_string(s % 3) +
              ".cpp\",\n          \"line\": " + std::to_string(c + 3) + "\n        }";
      json += c + 1 < cases ? ",\n" : "\n";
    }
    json += s + 1 < suites ? "      ]\n    },\n" : "      ]\n    }\n";
  }
  return json + "  ]\n}\n";
}

TEST(GTestJsonReading, RealListingsGiveTheItemsOfTheirTree) {
  int listings = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(FANOUT_TEST_DATA_DIR) / "gtest")) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().string());
    items_agreeing_with_tree(read_test_data("gtest/" + entry.path().filename().string()));
    ++listings;
  }
  EXPECT_GE(listings, 2);

  const std::vector<Item> items =
      items_agreeing_with_tree(read_test_data("gtest/list_custom_main.json"));
  ASSERT_EQ(items.size(), 10u);
  EXPECT_EQ(items[0].id, "unit/Basic.Passes");
  EXPECT_EQ(items[0].suite, "Basic");
  EXPECT_EQ(items[0].case_name, "Passes");
  EXPECT_THAT(items[0].labels, ElementsAre("fast", "core"));
  EXPECT_EQ(items[3].id, "unit/Typed/0.Works");
  EXPECT_EQ(items[3].annotation, "TypeParam = int");
  EXPECT_EQ(items[9].file, "listing.cpp");
  EXPECT_EQ(items[9].line, 11);

  const std::vector<Item> many = items_agreeing_with_tree(generated_listing(7, 40));
  ASSERT_EQ(many.size(), 280u);
  EXPECT_EQ(many[279].name, "Suite6.Case39");
  EXPECT_EQ(many[279].file, "/src/suite0.cpp");
  EXPECT_EQ(many[41].file, "/src/suite1.cpp");
}

TEST(GTestJsonReading, AnEmptyListingHasNoItems) {
  EXPECT_TRUE(items_agreeing_with_tree(read_test_data("gtest/list_zero.json")).empty());
  EXPECT_TRUE(items_of(R"({"testsuites": []})").empty());
  EXPECT_TRUE(items_of(R"({"testsuites": [{"name": "A", "testsuite": []}]})").empty());
}

TEST(GTestJsonReading, TypedValueParameterisedAndDisabledTests) {
  const std::vector<Item> items = items_agreeing_with_tree(R"({"testsuites": [
    {"name": "Typed/0", "testsuite": [{"name": "Works", "type_param": "int"}]},
    {"name": "Values/Param", "testsuite": [{"name": "NonNegative/2", "value_param": "-2"}]},
    {"name": "Both/1", "testsuite": [{"name": "Case/0", "type_param": "char", "value_param": "7"},
                                     {"name": "Empty", "type_param": "", "value_param": ""}]},
    {"name": "DISABLED_Suite", "testsuite": [{"name": "Any"}]},
    {"name": "Inst/DISABLED_Param", "testsuite": [{"name": "Case/0", "value_param": "1"}]},
    {"name": "On", "testsuite": [{"name": "DISABLED_Off"}, {"name": "Inst/DISABLED_Off"},
                                 {"name": "NOT_DISABLED_"}]}]})");
  ASSERT_THAT(names(items),
              ElementsAre("Typed/0.Works", "Values/Param.NonNegative/2", "Both/1.Case/0",
                          "Both/1.Empty", "DISABLED_Suite.Any", "Inst/DISABLED_Param.Case/0",
                          "On.DISABLED_Off", "On.Inst/DISABLED_Off", "On.NOT_DISABLED_"));
  EXPECT_EQ(items[0].annotation, "TypeParam = int");
  EXPECT_EQ(items[1].annotation, "GetParam() = -2");
  EXPECT_EQ(items[2].annotation, "TypeParam = char, GetParam() = 7");
  EXPECT_EQ(items[3].annotation, "TypeParam = , GetParam() = ");
  std::vector<bool> disabled;
  for (const Item& item : items) disabled.push_back(item.disabled);
  EXPECT_THAT(disabled, ElementsAre(false, false, false, false, true, true, true, true, false));
}

TEST(GTestJsonReading, EscapedNamesAndPathsAreDecoded) {
  const std::vector<Item> items = items_agreeing_with_tree(R"({"testsuites": [
    {"name": "Quo\"te\\Back", "testsuite": [
      {"name": "caf\u00e9", "file": "C:\\src\\my \"dir\"\\caf\u00e9.cpp", "line": 0},
      {"name": "bell\u0007tab\tnl\n", "file": "\/src\/\ud83d\ude00\/\u20ac.cpp",
       "line": 2147483647},
      {"name": "surrogates\ud83d\ude00", "type_param": "std::pair<int, \"x\">",
       "value_param": "\"\\n\""}]},
    {"name": "Raw\u002fDISABLED_Suite", "testsuite": [{"name": "é€", "type_param": ""}]}]})");
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].suite, "Quo\"te\\Back");
  EXPECT_EQ(items[0].id, "unit/Quo\"te\\Back.caf\xc3\xa9");
  EXPECT_EQ(items[0].file, "C:\\src\\my \"dir\"\\caf\xc3\xa9.cpp");
  EXPECT_EQ(items[1].case_name, "bell\atab\tnl\n");
  EXPECT_EQ(items[1].file, "/src/\xf0\x9f\x98\x80/\xe2\x82\xac.cpp");
  EXPECT_EQ(items[1].line, 2147483647);
  EXPECT_EQ(items[2].case_name, "surrogates\xf0\x9f\x98\x80");
  EXPECT_EQ(items[2].annotation, "TypeParam = std::pair<int, \"x\">, GetParam() = \"\\n\"");
  EXPECT_EQ(items[3].suite, "Raw/DISABLED_Suite");
  EXPECT_TRUE(items[3].disabled);

  // Escaped keys are keys like any other.
  EXPECT_THAT(names(items_of(R"({"test\u0073uites": [{"n\u0061me": "A", "testsuite": [
                {"\u006eame": "b"}]}]})")),
              ElementsAre("A.b"));

  // Bytes that are not UTF-8 are kept as they are.
  const std::vector<Item> raw = items_agreeing_with_tree(
      "{\"testsuites\":[{\"name\":\"S\\u00ff\xff\",\"testsuite\":[{\"name\":"
      "\"c\xc3\",\"file\":\"\\/x\xfe\"}]}]}");
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0].name, "S\xc3\xbf\xff.c\xc3");
  EXPECT_EQ(raw[0].file, "/x\xfe");
}

TEST(GTestJsonReading, LongEscapedStringsThatComeInPartsAreWhole) {
  // The parser hands over a string with escapes in pieces once it outgrows its buffer.
  std::string long_name;
  std::string escaped;
  for (int i = 0; i < 3000; ++i) {
    long_name += "x\xc3\xa9\"";
    escaped += "x\\u00e9\\\"";
  }
  const std::vector<Item> items = items_agreeing_with_tree(
      R"({"testsuites": [{"name": ")" + escaped + R"(", "testsuite": [{"name": ")" + escaped +
      R"(", "file": ")" + escaped + R"("}]}]})");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].suite, long_name);
  EXPECT_EQ(items[0].case_name, long_name);
  EXPECT_EQ(items[0].file, long_name);
}

TEST(GTestJsonReading, MembersInAnyOrderAndUnknownMembersAreRead) {
  const std::vector<Item> items = items_agreeing_with_tree(R"({"name": "AllTests", "testsuites": [
    {"tests": 2, "name": "A", "extra": {"testsuite": [1, 2], "name": ["x"]},
     "testsuite": [{"line": 4, "file": "a.cpp", "name": "b", "status": "RUN",
                    "nested": [{"name": "not a test"}, null, true, -1.5e3]},
                   {"value_param": "1", "name": "c", "type_param": "T"}],
     "after": "tail"}],
    "timestamp": "2024", "more": {"testsuites": 3}})");
  ASSERT_THAT(names(items), ElementsAre("A.b", "A.c"));
  EXPECT_EQ(items[0].file, "a.cpp");
  EXPECT_EQ(items[0].line, 4);
  EXPECT_EQ(items[1].annotation, "TypeParam = T, GetParam() = 1");
}

TEST(GTestJsonReading, TheLastOfARepeatedMemberCounts) {
  // A suite's name after its tests, or given again after them.
  EXPECT_THAT(names(items_of(R"({"testsuites": [{"testsuite": [{"name": "b"}], "name": "A"}]})")),
              ElementsAre("A.b"));
  const std::vector<Item> renamed = items_agreeing_with_tree(
      R"({"testsuites": [{"name": "A", "testsuite": [{"name": "b", "file": "f", "line": 2,
          "type_param": "T"}], "name": "DISABLED_Z"},
          {"name": "C", "testsuite": [{"name": "d"}]}]})");
  ASSERT_THAT(names(renamed), ElementsAre("DISABLED_Z.b", "C.d"));
  EXPECT_EQ(renamed[0].id, "unit/DISABLED_Z.b");
  EXPECT_TRUE(renamed[0].disabled);
  EXPECT_EQ(renamed[0].file, "f");
  EXPECT_EQ(renamed[0].annotation, "TypeParam = T");
  EXPECT_THAT(names(items_of(
                  R"({"testsuites": [{"name": "A", "name": "Z", "testsuite": [{"name": "b"}]}]})")),
              ElementsAre("Z.b"));
  // A test's members; a suite's tests; the document's suites.
  const std::vector<Item> test = items_agreeing_with_tree(
      R"({"testsuites": [{"name": "A", "testsuite": [{"name": "b", "name": "c", "file": 3,
          "file": "f.cpp", "line": -1, "line": 8}]}]})");
  ASSERT_THAT(names(test), ElementsAre("A.c"));
  EXPECT_EQ(test[0].file, "f.cpp");
  EXPECT_EQ(test[0].line, 8);
  EXPECT_THAT(names(items_of(R"({"testsuites": [{"name": "A", "testsuite": [{"name": "b"}, {}],
                                 "testsuite": [{"name": "c"}]},
                                {"name": "D", "testsuite": [{"name": "e"}]}]})")),
              ElementsAre("A.c", "D.e"));
  EXPECT_THAT(names(items_of(R"({"testsuites": [{"name": "", "testsuite": 3}],
                                 "testsuites": [{"name": "A", "testsuite": [{"name": "b"}]}]})")),
              ElementsAre("A.b"));
  // Counts that are not plain integers are no business of the listing.
  EXPECT_THAT(names(items_of(R"({"tests": 1.0, "testsuites": [{"name": "A", "tests": "x",
                                 "testsuite": [{"name": "b"}]}]})")),
              ElementsAre("A.b"));
}

TEST(GTestJsonReading, AHugeTestCountReservesNoMoreThanTheTextCanHold) {
  EXPECT_THAT(names(items_of(R"({"tests": 18446744073709551615, "testsuites": [{"name": "A",
                                 "testsuite": [{"name": "b"}]}]})")),
              ElementsAre("A.b"));
  EXPECT_THAT(names(items_of(R"({"tests": 9223372036854775807, "testsuites": [{"name": "A",
                                 "testsuite": [{"name": "b"}]}]})")),
              ElementsAre("A.b"));
}

// A document that is no listing, and what must be said of it.
struct NoListing {
  std::string_view json;
  std::string_view problem;
};

void expect_problems(std::initializer_list<NoListing> cases) {
  for (const NoListing& c : cases) EXPECT_EQ(problem_of(c.json), c.problem) << c.json;
}

TEST(GTestJsonReading, DocumentsThatAreNoListingSayWhy) {
  expect_problems({
      {R"({"testsuites": [)", "not JSON (incomplete JSON)"},
      {R"({"testsuites": []} trailing)", "not JSON (extra data)"},
      {R"({"testsuites": [],})", "not JSON (syntax error)"},
      {R"([])", "no \"testsuites\" array"},
      {R"({"tests": 0})", "no \"testsuites\" array"},
      {R"({"testsuites": {}})", "no \"testsuites\" array"},
      {R"({"testsuites": [], "testsuites": null})", "no \"testsuites\" array"},
      {R"({"other": {"testsuites": []}})", "no \"testsuites\" array"},
      {R"({"testsuites": [[]]})", "a test suite without \"name\" or \"testsuite\" array"},
      {R"({"testsuites": [{"testsuite": []}]})",
       "a test suite without \"name\" or \"testsuite\" array"},
      {R"({"testsuites": [{"name": "", "testsuite": []}]})",
       "a test suite without \"name\" or \"testsuite\" array"},
      {R"({"testsuites": [{"name": 1, "testsuite": []}]})",
       "a test suite without \"name\" or \"testsuite\" array"},
      {R"({"testsuites": [{"name": "A"}]})",
       "a test suite without \"name\" or \"testsuite\" array"},
      {R"({"testsuites": [{"name": "A", "testsuite": {"name": "b"}}]})",
       "a test suite without \"name\" or \"testsuite\" array"},
      {R"({"testsuites": [{"name": "A", "testsuite": [{"file": "a.cpp"}]}]})",
       "a test of suite \"A\" without \"name\""},
      {R"({"testsuites": [{"name": "A", "testsuite": [{"name": ""}]}]})",
       "a test of suite \"A\" without \"name\""},
      {R"({"testsuites": [{"name": "A", "testsuite": [{"name": ["b"]}]}]})",
       "a test of suite \"A\" without \"name\""},
      {R"({"testsuites": [{"name": "A", "testsuite": ["b"]}]})",
       "a test of suite \"A\" without \"name\""},
  });
  // Test A.b with a member that is not what it should be.
  for (const auto& [member, problem] :
       std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {R"("line": -1)", "\"line\" is not a line number"},
           {R"("line": 3.0)", "\"line\" is not a line number"},
           {R"("line": 1e1)", "\"line\" is not a line number"},
           {R"("line": 2147483648)", "\"line\" is not a line number"},
           {R"("line": "3")", "\"line\" is not a line number"},
           {R"("file": 7)", "\"file\" is not a string"},
           {R"("type_param": [])", "\"type_param\" is not a string"},
           {R"("value_param": null)", "\"value_param\" is not a string"},
       }) {
    const std::string json = R"({"testsuites": [{"name": "A", "testsuite": [{"name": "b", )" +
                             std::string(member) + "}]}]}";
    EXPECT_EQ(problem_of(json), std::string(problem) + " (test \"A.b\")") << json;
  }
}

TEST(GTestJsonReading, TheFirstProblemInDocumentOrderIsTheOneNamed) {
  expect_problems({
      // A suite's own problem comes before its tests'; an earlier suite before a later one.
      {R"({"testsuites": [{"testsuite": [{"file": "x"}]}]})",
       "a test suite without \"name\" or \"testsuite\" array"},
      {R"({"testsuites": [{"name": "A", "testsuite": [{}]}, {"name": ""}]})",
       "a test of suite \"A\" without \"name\""},
      {R"({"testsuites": [{"name": ""}, {"name": "A", "testsuite": [{}]}]})",
       "a test suite without \"name\" or \"testsuite\" array"},
      {R"({"testsuites": [{"name": "A", "testsuite": [{"name": "b", "line": -1}, {}]}]})",
       "\"line\" is not a line number (test \"A.b\")"},
      // Within a test, the check the tree reading makes last: line, value_param, type_param, file.
      {R"({"testsuites": [{"name": "A", "testsuite": [{"line": -1, "file": 1, "name": "b"}]}]})",
       "\"line\" is not a line number (test \"A.b\")"},
      {R"({"testsuites": [{"name": "A", "testsuite": [{"value_param": 1, "type_param": 1,
          "file": 1, "name": "b"}]}]})",
       "\"value_param\" is not a string (test \"A.b\")"},
      {R"({"testsuites": [{"name": "A", "testsuite": [{"file": 1, "type_param": 1,
          "name": "b"}]}]})",
       "\"type_param\" is not a string (test \"A.b\")"},
      // The suite is named by its last name, even one that comes after the test.
      {R"({"testsuites": [{"name": "A", "testsuite": [{"name": "b", "file": 1}], "name": "Z"}]})",
       "\"file\" is not a string (test \"Z.b\")"},
      // A syntax error anywhere wins over everything.
      {R"({"testsuites": [{"name": ""}], "x": tru})", "not JSON (syntax error)"},
  });
}

TEST(GTestJsonReading, AMalformedListingIsAnErrorNamingTheBinary) {
  try {
    gtest_framework().parse_listing_file(listing_target, "Usage: tool [options]\n",
                                         std::string_view(R"({"testsuites": [{"name": "A",)"));
    ADD_FAILURE() << "no error";
  } catch (const CollectError& error) {
    EXPECT_THAT(error.what(), HasSubstr("/opt/build/unit_tests"));
    EXPECT_THAT(error.what(), HasSubstr("its JSON listing was no help either: not JSON ("));
  }
}

TEST(GTestJsonReading, EveryCutOfAListingIsNotJson) {
  const std::string listing = read_test_data("gtest/list_custom_main.json");
  const std::size_t end_of_document = listing.rfind('}') + 1;
  for (std::size_t size = 0; size < listing.size(); ++size) {
    // A heap block of exactly `size` bytes: a sanitizer build catches any read beyond it.
    const auto copy = std::make_unique<char[]>(size);
    std::copy_n(listing.data(), size, copy.get());
    std::string problem;
    const bool read = read_listing(std::string_view(copy.get(), size), problem).has_value();
    EXPECT_EQ(read, size >= end_of_document) << size;
    if (!read) {
      EXPECT_THAT(problem, StartsWith("not JSON (")) << size;
    }
  }
}

// Random mutations of a real listing: a mutant is read exactly when its tree is well-formed
// JSON, and then gives the items of its tree; otherwise the problem is the tree's own error.
TEST(GTestJsonReading, MutatedListingsAgreeWithTheirTree) {
  const std::string original = read_test_data("gtest/list_custom_main.json");
  const std::vector<Item> original_items = items_of(original);
  const std::string alphabet = "{}[]:,\"\\/u0123456789abcdefDISABLED_. -tn\n\x01\xc3";
  std::mt19937 random(7);
  int read = 0;
  int differs_from_original = 0;
  for (int round = 0; round < 3000 && !::testing::Test::HasFailure(); ++round) {
    std::string json = original;
    const int edits = 1 + static_cast<int>(random() % 2);
    for (int edit = 0; edit < edits; ++edit) {
      const std::size_t at = random() % json.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          json[at] = c;
          break;
        case 1:
          json.insert(json.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          json.erase(at, 1);
      }
    }
    std::string problem;
    const std::optional<std::vector<Item>> items = read_listing(json, problem);
    boost::json::error_code error;
    const boost::json::value tree = tree_of(json, error);
    if (error) {
      EXPECT_EQ(problem, "not JSON (" + error.message() + ")") << json;
      continue;
    }
    if (!items) {
      EXPECT_THAT(problem, Not(StartsWith("not JSON"))) << json;
      continue;
    }
    ++read;
    expect_same_items(*items, items_of_tree(tree), json);
    if (items->size() != original_items.size() ||
        !std::equal(items->begin(), items->end(), original_items.begin(),
                    [](const Item& a, const Item& b) {
                      return a.id == b.id && a.file == b.file && a.line == b.line &&
                             a.annotation == b.annotation;
                    })) {
      ++differs_from_original;
    }
  }
  // Mutations inside names and whitespace keep a listing: the comparison was not vacuous.
  EXPECT_GT(read, 300);
  EXPECT_GT(differs_from_original, 100);
}

}  // namespace
}  // namespace fanout::collector
