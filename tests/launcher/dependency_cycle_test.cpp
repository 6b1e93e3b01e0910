#include "launcher/dependency_cycle.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fanout::launcher {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

collector::Target test(const std::string& name, std::vector<std::string> depends = {}) {
  collector::Target target;
  target.name = name;
  target.depends = std::move(depends);
  return target;
}

TEST(FindDependencyCycle, NoneInAChainOrADiamond) {
  EXPECT_THAT(find_dependency_cycle({test("a", {"b"}), test("b", {"c"}), test("c")}), IsEmpty());
  EXPECT_THAT(find_dependency_cycle({test("top", {"l", "r"}), test("l", {"base"}),
                                     test("r", {"base"}), test("base")}),
              IsEmpty());
  EXPECT_THAT(find_dependency_cycle({}), IsEmpty());
}

TEST(FindDependencyCycle, NamesTheTestsAlongTheCycle) {
  EXPECT_THAT(find_dependency_cycle(
                  {test("x", {"a"}), test("a", {"b"}), test("b", {"c"}), test("c", {"a"})}),
              ElementsAre("a", "b", "c", "a"));
}

TEST(FindDependencyCycle, ATestThatDependsOnItselfIsACycle) {
  EXPECT_THAT(find_dependency_cycle({test("a"), test("self", {"a", "self"})}),
              ElementsAre("self", "self"));
}

TEST(FindDependencyCycle, NamesOutsideTheRunBreakNoChainAndMakeNoCycle) {
  // c is not in the run (not selected): a -> c -> a is no cycle of this run.
  EXPECT_THAT(find_dependency_cycle({test("a", {"c", "unknown"}), test("b", {"a"})}), IsEmpty());
}

TEST(FindDependencyCycle, ALongChainDoesNotExhaustTheStack) {
  std::vector<collector::Target> chain;
  constexpr int kLength = 200000;
  for (int i = 0; i < kLength; ++i) {
    chain.push_back(test("t" + std::to_string(i), {"t" + std::to_string(i + 1)}));
  }
  EXPECT_THAT(find_dependency_cycle(chain), IsEmpty());
  chain.back().depends = {"t0"};
  EXPECT_EQ(find_dependency_cycle(chain).size(), static_cast<std::size_t>(kLength) + 1);
}

TEST(CheckNoDependencyCycle, ThrowsAUserErrorNamingTheCycle) {
  EXPECT_NO_THROW(check_no_dependency_cycle({test("a", {"b"}), test("b")}));
  try {
    check_no_dependency_cycle({test("a", {"b"}), test("b", {"a"})});
    FAIL() << "no error";
  } catch (const UsageError& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("DEPENDS"), HasSubstr("'a' -> 'b' -> 'a'")));
  }
}

}  // namespace
}  // namespace fanout::launcher
