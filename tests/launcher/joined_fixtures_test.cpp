// joined_fixture_names: CTest fixtures linked by a shared setup or cleanup test run as one.

#include "launcher/joined_fixtures.hpp"

#include <gtest/gtest.h>

namespace fanout::launcher {
namespace {

using Names = std::map<std::string, std::string>;

collector::Target test(std::vector<std::string> setup, std::vector<std::string> cleanup = {},
                       std::vector<std::string> required = {}) {
  collector::Target target;
  target.from_ctest = true;
  target.fixtures_setup = std::move(setup);
  target.fixtures_cleanup = std::move(cleanup);
  target.fixtures_required = std::move(required);
  return target;
}

TEST(JoinedFixtureNames, FixturesWithTestsOfTheirOwnKeepTheirNames) {
  EXPECT_EQ(joined_fixture_names(
                {test({"db"}), test({}, {"db"}), test({"tmp"}), test({}, {}, {"db", "net"})}),
            (Names{{"db", "db"}, {"net", "net"}, {"tmp", "tmp"}}));
}

TEST(JoinedFixtureNames, ASetupTestOfTwoFixturesJoinsThem) {
  EXPECT_EQ(joined_fixture_names({test({"db", "cache"}), test({"tmp"})}),
            (Names{{"cache", "cache+db"}, {"db", "cache+db"}, {"tmp", "tmp"}}));
}

TEST(JoinedFixtureNames, ACleanupTestOrASetupAndCleanupTestJoinsThemToo) {
  EXPECT_EQ(joined_fixture_names({test({}, {"a", "b"})}), (Names{{"a", "a+b"}, {"b", "a+b"}}));
  EXPECT_EQ(joined_fixture_names({test({"a"}, {"b"})}), (Names{{"a", "a+b"}, {"b", "a+b"}}));
}

TEST(JoinedFixtureNames, LinksCarryOverThroughSharedFixtures) {
  EXPECT_EQ(joined_fixture_names({test({"c", "d"}), test({"a", "b"}), test({}, {"b", "c"})}),
            (Names{{"a", "a+b+c+d"}, {"b", "a+b+c+d"}, {"c", "a+b+c+d"}, {"d", "a+b+c+d"}}));
}

TEST(JoinedFixtureNames, RequiringTwoFixturesDoesNotJoinThem) {
  EXPECT_EQ(joined_fixture_names({test({}, {}, {"a", "b"}), test({"a"}), test({"b"})}),
            (Names{{"a", "a"}, {"b", "b"}}));
}

}  // namespace
}  // namespace fanout::launcher
