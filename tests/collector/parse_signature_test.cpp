// parse_signature: it changes with every Target field parsing may read, and with nothing else;
// and the parsers really read nothing else (the contract of Framework::parse_listing), which is
// what makes cached items safe to reuse.

#include "collector/parse_signature.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "collector/framework.hpp"
#include "framework_test_support.hpp"
#include "item_fields.hpp"
#include "test_data.hpp"
#include "transport/process.hpp"

namespace fanout::collector {
namespace {

using testing::expect_same_items;
using testing::fixture_target;
using testing::read_test_data;

// A target with every field set.
Target full_target() {
  Target target;
  target.name = "t";
  target.executable = "/build/t";
  target.framework = "gtest";
  target.extra_args = {"--flag"};
  target.working_directory = "/work";
  target.environment = {{"A", "1"}};
  target.labels = {"unit", "fast"};
  target.timeout_seconds = 5;
  target.group = "g";
  target.group_items = {"G.*"};
  target.isolate_items = {"I.*"};
  target.resource_locks = {"db"};
  target.run_serial = false;
  target.processors = 2;
  target.fixtures_required = {"server"};
  target.isolate = false;
  target.skip_return_code = 77;
  target.data = {"/data/a"};
  target.will_fail = false;
  target.disabled = false;
  target.pass_regex = {"ok"};
  target.fail_regex = {"bad"};
  target.skip_regex = {"skip"};
  target.fixtures_setup = {"s"};
  target.fixtures_cleanup = {"c"};
  target.from_ctest = false;
  target.source_file = "/src/CMakeLists.txt";
  target.source_line = 12;
  return target;
}

// `target` with every field parse_listing may not read changed.
Target with_other_unread_fields(Target target) {
  target.framework = target.framework == "auto" ? "gtest" : "auto";
  target.extra_args.push_back("--more");
  target.working_directory = "/elsewhere";
  target.environment.push_back({"B", "2"});
  target.timeout_seconds += 60;
  target.group += "-other";
  target.group_items.push_back("H.*");
  target.isolate_items.push_back("J.*");
  target.resource_locks.push_back("net");
  target.run_serial = !target.run_serial;
  target.processors += 3;
  target.fixtures_required.push_back("cache");
  target.isolate = !target.isolate;
  target.skip_return_code = target.skip_return_code ? std::nullopt : std::optional<int>(4);
  target.data.push_back("/data/b");
  target.will_fail = !target.will_fail;
  target.fixtures_setup.push_back("s2");
  target.fixtures_cleanup.push_back("c2");
  target.from_ctest = !target.from_ctest;
  return target;
}

TEST(ParseSignature, FieldsParsingNeverReadsLeaveItAlone) {
  const Target target = full_target();
  EXPECT_EQ(parse_signature(with_other_unread_fields(target), "gtest"),
            parse_signature(target, "gtest"));
}

TEST(ParseSignature, EveryFieldParsingMayReadChangesIt) {
  const std::vector<std::function<void(Target&)>> changes = {
      [](Target& t) { t.name = "u"; },
      [](Target& t) { t.name += '\0'; },
      [](Target& t) { t.executable = "/build/u"; },
      [](Target& t) { t.labels.push_back("slow"); },
      [](Target& t) { t.labels.pop_back(); },
      [](Target& t) { std::swap(t.labels[0], t.labels[1]); },
      [](Target& t) { t.labels = {"unitfast"}; },
      [](Target& t) {
        t.labels = {"unit", "fast", ""};
      },
      [](Target& t) { t.source_file = "/src/other.cmake"; },
      [](Target& t) { t.source_line = 13; },
      [](Target& t) { t.source_line = -12; },
      [](Target& t) { t.disabled = true; },
      [](Target& t) { t.pass_regex.clear(); },
      [](Target& t) {
        t.pass_regex = {"ok", "fine"};
      },
      [](Target& t) { t.fail_regex = {"worse"}; },
      [](Target& t) { t.skip_regex.push_back("later"); },
      [](Target& t) { std::swap(t.pass_regex, t.fail_regex); },
      [](Target& t) { std::swap(t.fail_regex, t.skip_regex); },
      [](Target& t) { t.fail_regex.clear(), t.pass_regex.push_back("bad"); },
  };
  std::vector<std::string> signatures{parse_signature(full_target(), "gtest")};
  for (const auto& change : changes) {
    Target target = full_target();
    change(target);
    signatures.push_back(parse_signature(target, "gtest"));
  }
  signatures.push_back(parse_signature(full_target(), "catch2"));
  signatures.push_back(parse_signature(full_target(), "gtes"));
  for (std::size_t i = 0; i < signatures.size(); ++i) {
    for (std::size_t j = i + 1; j < signatures.size(); ++j) {
      EXPECT_NE(signatures[i], signatures[j]) << "changes " << i << " and " << j;
    }
  }
}

// The listing output of the fixture binary `name`, listed for real.
std::string listing_of(const Target& target) {
  const Framework& framework = *find_framework(target.framework);
  const Command command = framework.list_command(target);
  return transport::run_captured(testing::to_spec(target, command, 60)).output;
}

// Parses `output` (and `file`) for `target` and for `target` with every field parsing may not
// read changed: the items must be equal, field by field.
void expect_parse_reads_only_the_signature(const Target& target, const std::string& output,
                                           std::optional<std::string> file = std::nullopt) {
  const Framework& framework = *find_framework(target.framework);
  const Target other = with_other_unread_fields(target);
  ASSERT_EQ(parse_signature(other, framework.name()), parse_signature(target, framework.name()));
  const std::vector<Item> items = framework.parse_listing_file(target, output, file);
  ASSERT_FALSE(items.empty()) << output;
  expect_same_items(framework.parse_listing_file(other, output, file), items);
}

TEST(ParseSignature, GoogleTestParsingReadsNothingElse) {
  Target target = full_target();
  expect_parse_reads_only_the_signature(target, read_test_data("gtest/list_custom_main.txt"),
                                        read_test_data("gtest/list_custom_main.json"));
  expect_parse_reads_only_the_signature(target, read_test_data("gtest/list_typed.txt"));
  expect_parse_reads_only_the_signature(target, read_test_data("gtest/list_disabled.txt"));
  // A field of the signature does change the items.
  Target relabelled = target;
  relabelled.labels = {"other"};
  const Framework& gtest = *find_framework("gtest");
  const std::string text = read_test_data("gtest/list_typed.txt");
  EXPECT_NE(gtest.parse_listing(relabelled, text)[0].labels,
            gtest.parse_listing(target, text)[0].labels);
}

TEST(ParseSignature, Catch2ParsingReadsNothingElse) {
  Target target = fixture_target("catch2_cases", "catch2");
  target.labels = {"unit"};
  expect_parse_reads_only_the_signature(target, listing_of(target));
  expect_parse_reads_only_the_signature(target, read_test_data("catch2/v3_list.xml"));
}

TEST(ParseSignature, DoctestParsingReadsNothingElse) {
  Target target = fixture_target("doctest_cases", "doctest");
  target.labels = {"unit"};
  expect_parse_reads_only_the_signature(target, listing_of(target));
}

TEST(ParseSignature, BoostTestParsingReadsNothingElse) {
  Target target = fixture_target("boost_test_cases", "boost_test");
  target.labels = {"unit"};
  expect_parse_reads_only_the_signature(target, listing_of(target));
}

TEST(ParseSignature, ExecutableParsingReadsNothingElse) {
  Target target = full_target();
  target.framework = "exe";
  expect_parse_reads_only_the_signature(target, "");
  // The fields of the signature that only this adapter reads do change its item.
  const Framework& exe = *find_framework("exe");
  Target disabled = target;
  disabled.disabled = true;
  EXPECT_TRUE(exe.parse_listing(disabled, "")[0].disabled);
  EXPECT_FALSE(exe.parse_listing(target, "")[0].disabled);
  Target moved = target;
  moved.source_line = 99;
  EXPECT_EQ(exe.parse_listing(moved, "")[0].line, 99);
  Target bad_regex = target;
  bad_regex.fail_regex = {"("};
  EXPECT_THROW(exe.parse_listing(bad_regex, ""), CollectError);
}

}  // namespace
}  // namespace fanout::collector
