// `fanout --list`: the items a run would hold, as a tree (target, suite, item), without running
// them.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

/// What each line of an indented tree names: the first word of every unindented line opens a
/// target; the first word of each indented line below it (a suite or an item) maps to the rest
/// of that line, lower-cased.
using ListedTree = std::map<std::string, std::map<std::string, std::string>>;

ListedTree parse_tree(const std::string& output) {
  ListedTree tree;
  std::string target;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    std::istringstream words(line);
    std::string first;
    words >> first;
    std::string rest((std::istreambuf_iterator<char>(words)), std::istreambuf_iterator<char>());
    std::transform(rest.begin(), rest.end(), rest.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (!std::isspace(static_cast<unsigned char>(line.front()))) {
      target = first;
      tree[target];
    } else if (!target.empty()) {
      tree[target][first] = rest;
    }
  }
  return tree;
}

bool listed(const ListedTree& tree, const std::string& target, const std::string& name) {
  const auto it = tree.find(target);
  return it != tree.end() && it->second.contains(name);
}

TEST(List, PrintsEveryItemUnderItsTargetAndMarksDisabledOnes) {
  const ManifestDir dir({fixture_target("gtest_outcomes"), fixture_target("gtest_typed_param"),
                         fixture_target("gtest_disabled")});
  const FanoutRun run = run_fanout(dir, {"--list"});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_TRUE(run.leftovers.empty()) << describe(run.leftovers);
  const ListedTree tree = parse_tree(run.command.output);
  const std::vector<std::pair<std::string, std::string>> enabled = {
      {"gtest_outcomes", "Outcomes.Pass"},
      {"gtest_outcomes", "Outcomes.Fail"},
      {"gtest_outcomes", "Outcomes.Skip"},
      {"gtest_typed_param", "Typed/0.Works"},
      {"gtest_typed_param", "Typed/1.Works"},
      {"gtest_typed_param", "Negative/Param.IsNegative/0"},
      {"gtest_typed_param", "Negative/Param.IsNegative/2"},
      {"gtest_disabled", "Disabled.Enabled"},
  };
  for (const auto& [target, name] : enabled) {
    ASSERT_TRUE(listed(tree, target, name)) << target << " " << name << "\n" << run.command.output;
    EXPECT_EQ(tree.at(target).at(name).find("disabled"), std::string::npos) << name;
  }
  for (const char* name : {"Disabled.DISABLED_Case", "DISABLED_Suite.Case"}) {
    ASSERT_TRUE(listed(tree, "gtest_disabled", name)) << name << "\n" << run.command.output;
    EXPECT_NE(tree.at("gtest_disabled").at(name).find("disabled"), std::string::npos)
        << "not marked as disabled: " << name << "\n"
        << run.command.output;
  }
  EXPECT_FALSE(listed(tree, "gtest_outcomes", "Typed/0.Works")) << run.command.output;
}

TEST(List, RunsNoTest) {
  // Running gtest_outcomes fails (exit 1, failure output shown); listing it does neither.
  const ManifestDir dir({fixture_target("gtest_outcomes")});
  const FanoutRun run = run_fanout(dir, {"--list"});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(run.command.output.find("fixture failure marker"), std::string::npos)
      << run.command.output;
  EXPECT_FALSE(parse_summary_line(run.last_line)) << run.command.output;
}

TEST(List, HonoursSelection) {
  const ManifestDir dir({fixture_target("gtest_outcomes"), fixture_target("gtest_typed_param")});
  const FanoutRun run = run_fanout(dir, {"--list", "-R", "Typed/", "-E", "Typed/1"});
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  const ListedTree tree = parse_tree(run.command.output);
  EXPECT_TRUE(listed(tree, "gtest_typed_param", "Typed/0.Works")) << run.command.output;
  EXPECT_FALSE(listed(tree, "gtest_typed_param", "Typed/1.Works")) << run.command.output;
  EXPECT_FALSE(listed(tree, "gtest_typed_param", "Negative/Param.IsNegative/0"))
      << run.command.output;
  EXPECT_FALSE(listed(tree, "gtest_outcomes", "Outcomes.Pass")) << run.command.output;
}

}  // namespace
}  // namespace fanout::e2e
