#pragma once
// FRAMEWORK auto: which framework a test binary was built with, found without running it.

#include <filesystem>
#include <string_view>

#include "collector/framework.hpp"

namespace fanout::collector {

/// The name of the framework `executable` uses: "gtest", "catch2", "doctest", "boost_test", or
/// "exe" when none is recognised (or the file cannot be read).
///
/// First the shared libraries the binary needs (DT_NEEDED): libgtest*/libgmock* is gtest,
/// libboost_unit_test_framework*/libboost_test_exec_monitor* is boost_test, libCatch2* is
/// catch2, libdoctest* is doctest. Then marker strings the frameworks compile into a binary,
/// in this order: "gtest_list_tests" (gtest), "--list-test-names-only" or "Catch2TestRun"
/// (catch2 v2, v3), "dt-list-test-cases" (doctest), "BOOST_TEST_RUN_FILTERS" (boost_test).
/// The file is read in chunks, once.
std::string_view detect_framework_name(const std::filesystem::path& executable);

/// The adapter for detect_framework_name(executable).
const Framework* detect_framework(const std::filesystem::path& executable);

}  // namespace fanout::collector
