#include "launcher/environment_modification.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace fanout::launcher {
namespace {

using collector::EnvVar;
using Op = EnvironmentModification::Op;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

/// An inherited environment made of `variables`.
EnvironmentLookup inheriting(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

/// Parses entries that must be valid.
std::vector<EnvironmentModification> parsed(const std::vector<std::string>& entries) {
  std::vector<EnvironmentModification> modifications;
  for (const auto& entry : entries) {
    std::string error;
    const auto modification = parse_environment_modification(entry, error);
    EXPECT_TRUE(modification) << entry << ": " << error;
    if (modification) modifications.push_back(*modification);
  }
  return modifications;
}

EnvironmentChanges apply(const std::vector<EnvVar>& environment,
                         const std::vector<std::string>& entries,
                         std::map<std::string, std::string> inherited = {}) {
  return apply_environment_modifications(environment, parsed(entries),
                                         inheriting(std::move(inherited)));
}

TEST(ParseEnvironmentModification, SplitsAtTheFirstEqualsAndTheFollowingColon) {
  std::string error;
  EXPECT_EQ(parse_environment_modification("PATH=path_list_prepend:/a:/b=c", error),
            (EnvironmentModification{"PATH", Op::path_list_prepend, "/a:/b=c"}));
  EXPECT_EQ(parse_environment_modification("X=unset:", error),
            (EnvironmentModification{"X", Op::unset, ""}));
  EXPECT_EQ(parse_environment_modification("X=cmake_list_append:a;b", error),
            (EnvironmentModification{"X", Op::cmake_list_append, "a;b"}));
}

TEST(ParseEnvironmentModification, EveryOperationOfCtestIsKnown) {
  for (const char* op :
       {"reset", "set", "unset", "string_append", "string_prepend", "path_list_append",
        "path_list_prepend", "cmake_list_append", "cmake_list_prepend"}) {
    std::string error;
    EXPECT_TRUE(parse_environment_modification(std::string("V=") + op + ":x", error))
        << op << ": " << error;
  }
}

TEST(ParseEnvironmentModification, MalformedEntriesSayWhatIsWrong) {
  const std::map<std::string, std::string> reasons = {
      {"NOEQUALS", "no '='"},
      {"=set:x", "no variable name"},
      {"X=set", "no ':'"},
      {"X=append:x", "unknown operation 'append'"},
      {"X=SET:x", "unknown operation 'SET'"},
  };
  for (const auto& [entry, reason] : reasons) {
    std::string error;
    EXPECT_EQ(parse_environment_modification(entry, error), std::nullopt) << entry;
    EXPECT_THAT(error, ::testing::HasSubstr(reason)) << entry;
  }
}

TEST(ApplyEnvironmentModifications, WithoutModificationsEnvironmentIsKeptAsItIs) {
  const std::vector<EnvVar> environment{{"A", "1"}, {"B", "2"}, {"A", "3"}};
  const auto changes = apply(environment, {});
  EXPECT_EQ(changes.set, environment);
  EXPECT_THAT(changes.unset, IsEmpty());
}

TEST(ApplyEnvironmentModifications, AppendsAndPrependsToTheInheritedValue) {
  const auto changes =
      apply({},
            {"PATH=path_list_prepend:/opt/bin", "PATH=path_list_append:/late", "S=string_append:!",
             "S=string_prepend:<", "L=cmake_list_append:z", "L=cmake_list_prepend:a"},
            {{"PATH", "/usr/bin:/bin"}, {"S", "mid"}, {"L", "m"}});
  EXPECT_THAT(changes.set, ElementsAre(EnvVar{"PATH", "/opt/bin:/usr/bin:/bin:/late"},
                                       EnvVar{"S", "<mid!"}, EnvVar{"L", "a;m;z"}));
  EXPECT_THAT(changes.unset, IsEmpty());
}

TEST(ApplyEnvironmentModifications, ListsGetNoSeparatorWhenEmptyOrUnset) {
  const auto changes =
      apply({{"EMPTY", ""}},
            {"EMPTY=path_list_append:/x", "NONE=path_list_prepend:/y", "C=cmake_list_prepend:a"});
  EXPECT_THAT(changes.set,
              ElementsAre(EnvVar{"EMPTY", "/x"}, EnvVar{"NONE", "/y"}, EnvVar{"C", "a"}));
}

TEST(ApplyEnvironmentModifications, ApplyOnTopOfEnvironmentWhichOverridesTheInheritedValue) {
  const auto changes =
      apply({{"A", "env"}, {"B", "keep"}}, {"A=string_append:+mod"}, {{"A", "inherited"}});
  EXPECT_THAT(changes.set, ElementsAre(EnvVar{"B", "keep"}, EnvVar{"A", "env+mod"}));
}

TEST(ApplyEnvironmentModifications, UnsetRemovesInheritedAndEnvironmentValues) {
  const auto changes =
      apply({{"A", "env"}, {"B", "2"}}, {"A=unset:", "HOME=unset:"}, {{"HOME", "/root"}});
  EXPECT_THAT(changes.set, ElementsAre(EnvVar{"B", "2"}));
  EXPECT_THAT(changes.unset, ElementsAre("A", "HOME"));
}

TEST(ApplyEnvironmentModifications, SetAfterUnsetSetsAgain) {
  const auto changes = apply({}, {"A=unset:", "A=set:back"}, {{"A", "inherited"}});
  EXPECT_THAT(changes.set, ElementsAre(EnvVar{"A", "back"}));
  EXPECT_THAT(changes.unset, IsEmpty());
}

TEST(ApplyEnvironmentModifications, AppendingToAnUnsetVariableStartsFromNothing) {
  const auto changes = apply({{"A", "env"}}, {"A=unset:", "A=string_append:x"});
  EXPECT_THAT(changes.set, ElementsAre(EnvVar{"A", "x"}));
}

TEST(ApplyEnvironmentModifications, ResetForgetsEarlierModificationsOfThatVariableOnly) {
  const auto changes =
      apply({{"A", "env"}},
            {"A=set:x", "B=set:y", "A=reset:", "A=string_append:+", "C=unset:", "C=reset:"},
            {{"C", "inherited"}});
  EXPECT_THAT(changes.set, ElementsAre(EnvVar{"A", "env+"}, EnvVar{"B", "y"}));
  EXPECT_THAT(changes.unset, IsEmpty()) << "C was reset to its inherited value";
}

TEST(ApplyEnvironmentModifications, ResetLastKeepsTheEnvironmentEntry) {
  const auto changes = apply({{"A", "env"}}, {"A=unset:", "A=reset:"});
  EXPECT_THAT(changes.set, ElementsAre(EnvVar{"A", "env"}));
  EXPECT_THAT(changes.unset, IsEmpty());
}

TEST(ProcessEnvironment, LooksUpThisProcess) {
  ASSERT_EQ(::setenv("FANOUT_ENV_MOD_TEST", "here", 1), 0);
  EXPECT_EQ(process_environment("FANOUT_ENV_MOD_TEST"), "here");
  ASSERT_EQ(::unsetenv("FANOUT_ENV_MOD_TEST"), 0);
  EXPECT_EQ(process_environment("FANOUT_ENV_MOD_TEST"), std::nullopt);
}

}  // namespace
}  // namespace fanout::launcher
