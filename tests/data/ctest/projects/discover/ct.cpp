#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
TEST_CASE("adds, quickly [really]", "[fast]") { REQUIRE(1 + 1 == 2); }
TEST_CASE("hidden case", "[.]") { REQUIRE(false); }
TEST_CASE("second") { REQUIRE(true); }
