#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
TEST_SUITE("math") {
TEST_CASE("add works") { CHECK(1 + 1 == 2); }
}
TEST_CASE("skipped one" * doctest::skip()) { CHECK(false); }
