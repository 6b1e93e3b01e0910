#include "collector/detect.hpp"

#include <string>
#include <vector>

#include "collector/binary_scan.hpp"

namespace fanout::collector {
namespace {

struct Marker {
  std::string_view text;
  std::string_view framework;
};

// Library name prefixes, checked against DT_NEEDED entries.
constexpr Marker libraries[] = {
    {"libgtest", "gtest"},
    {"libgmock", "gtest"},
    {"libboost_unit_test_framework", "boost_test"},
    {"libboost_test_exec_monitor", "boost_test"},
    {"libCatch2", "catch2"},
    {"libdoctest", "doctest"},
};

// Strings compiled into a binary, in order of precedence.
constexpr Marker markers[] = {
    {"gtest_list_tests", "gtest"},
    {"--list-test-names-only", "catch2"},
    {"Catch2TestRun", "catch2"},
    {"dt-list-test-cases", "doctest"},
    {"BOOST_TEST_RUN_FILTERS", "boost_test"},
};

}  // namespace

std::string_view detect_framework_name(const std::filesystem::path& executable) {
  for (const std::string& library : needed_libraries(executable)) {
    for (const Marker& marker : libraries) {
      if (library.starts_with(marker.text)) return marker.framework;
    }
  }
  std::vector<std::string_view> texts;
  for (const Marker& marker : markers) texts.push_back(marker.text);
  if (const auto found = find_markers(executable, texts)) {
    for (std::size_t i = 0; i < texts.size(); ++i) {
      if ((*found)[i]) return markers[i].framework;
    }
  }
  return "exe";
}

const Framework* detect_framework(const std::filesystem::path& executable) {
  return find_framework(detect_framework_name(executable));
}

}  // namespace fanout::collector
