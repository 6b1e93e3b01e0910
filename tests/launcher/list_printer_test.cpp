#include "launcher/list_printer.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

namespace fanout::launcher {
namespace {

collector::Item item(const std::string& target, const std::string& suite, const std::string& name) {
  collector::Item i;
  i.target = target;
  i.suite = suite;
  i.case_name = name;
  i.name = suite + "." + name;
  i.id = collector::make_item_id(target, i.name);
  return i;
}

class ListPrinterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unit.name = "unit";
    unit.executable = "/b/unit";
    unit.labels = {"fast"};
    broken.name = "broken";
    broken.executable = "/b/broken";
    auto a = item("unit", "Math", "Adds");
    a.file = "math_test.cpp";
    a.line = 12;
    a.labels = {"fast"};
    auto b = item("unit", "Math", "DISABLED_Slow");
    b.disabled = true;
    auto c = item("unit", "Text", "Trims");
    targets = {CollectedTarget{&unit, "gtest", {a, b, c}, std::nullopt},
               CollectedTarget{&broken, "gtest", {}, std::string("/b/broken: no such file")}};
  }
  collector::Target unit, broken;
  std::vector<CollectedTarget> targets;
};

TEST_F(ListPrinterTest, TreeGroupsItemsBySuiteWithCounts) {
  std::ostringstream out;
  print_tree(out, targets);
  EXPECT_EQ(out.str(),
            "unit (gtest, 3 items)\n"
            "  Math (2)\n"
            "    Math.Adds\n"
            "    Math.DISABLED_Slow  [disabled]\n"
            "  Text (1)\n"
            "    Text.Trims\n"
            "broken (gtest, 0 items)\n"
            "  error: /b/broken: no such file\n"
            "3 items in 2 targets, 1 target could not be listed\n");
}

TEST_F(ListPrinterTest, JsonCarriesEveryItemWithIdFrameworkLabelsFileAndLine) {
  std::ostringstream out;
  print_json(out, targets);
  const boost::json::value doc = boost::json::parse(out.str());
  EXPECT_EQ(doc.at("version").as_int64(), 1);
  const auto& items = doc.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("id").as_string(), "unit/Math.Adds");
  EXPECT_EQ(items[0].at("framework").as_string(), "gtest");
  EXPECT_EQ(items[0].at("file").as_string(), "math_test.cpp");
  EXPECT_EQ(items[0].at("line").as_int64(), 12);
  EXPECT_EQ(items[0].at("labels").as_array().at(0).as_string(), "fast");
  EXPECT_TRUE(items[1].at("disabled").as_bool());
  EXPECT_TRUE(items[2].at("file").is_null());
  const auto& list = doc.at("targets").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_TRUE(list[0].at("error").is_null());
  EXPECT_EQ(list[1].at("error").as_string(), "/b/broken: no such file");
}

}  // namespace
}  // namespace fanout::launcher
