#include <array>
#include <string_view>

#include "collector/boost_test.hpp"
#include "collector/catch2.hpp"
#include "collector/doctest.hpp"
#include "collector/executable.hpp"
#include "collector/framework.hpp"
#include "collector/gtest.hpp"

namespace fanout::collector {
namespace {

struct Registration {
  std::string_view name;
  const Framework& (*instance)();
};

const Framework& gtest() {
  return gtest_framework();
}
const Framework& catch2() {
  return catch2_framework();
}
const Framework& doctest() {
  return doctest_framework();
}
const Framework& boost_test() {
  return boost_test_framework();
}
const Framework& exe() {
  return executable_framework();
}

// One line per adapter.
constexpr std::array registrations = {
    Registration{"gtest", &gtest},            // GoogleTest
    Registration{"catch2", &catch2},          // Catch2 v2 and v3
    Registration{"doctest", &doctest},        // doctest
    Registration{"boost_test", &boost_test},  // Boost.Test
    Registration{"exe", &exe},                // a plain executable: one item
};

}  // namespace

const Framework* find_framework(std::string_view name) {
  for (const Registration& registration : registrations) {
    if (registration.name == name) return &registration.instance();
  }
  return nullptr;
}

}  // namespace fanout::collector
