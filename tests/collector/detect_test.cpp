// FRAMEWORK auto: every fixture binary is recognised without running it, by the libraries it
// needs or the strings compiled in; files are read in chunks.

#include "collector/detect.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "collector/binary_scan.hpp"
#include "framework_test_support.hpp"

namespace fanout::collector {
namespace {

using ::testing::Contains;
using testing::fixture_path;
using ::testing::IsEmpty;
using ::testing::StartsWith;

TEST(Detect, EachFixtureIsItsFramework) {
  EXPECT_EQ(detect_framework_name(fixture_path("gtest_outcomes")), "gtest");
  EXPECT_EQ(detect_framework_name(fixture_path("catch2_cases")), "catch2");
  EXPECT_EQ(detect_framework_name(fixture_path("doctest_cases")), "doctest");
  EXPECT_EQ(detect_framework_name(fixture_path("boost_test_cases")), "boost_test");
  EXPECT_EQ(detect_framework_name(fixture_path("boost_test_static")), "boost_test");
  EXPECT_EQ(detect_framework_name(fixture_path("plain_exit")), "exe");
  EXPECT_EQ(detect_framework_name(fixture_path("no such binary")), "exe");
}

TEST(Detect, ReturnsTheRegisteredAdapter) {
  const Framework* framework = detect_framework(fixture_path("doctest_cases"));
  ASSERT_NE(framework, nullptr);
  EXPECT_EQ(framework->name(), "doctest");
  ASSERT_NE(detect_framework(fixture_path("plain_exit")), nullptr);
  EXPECT_EQ(detect_framework(fixture_path("plain_exit"))->name(), "exe");
  for (const char* name : {"gtest", "catch2", "doctest", "boost_test", "exe"}) {
    ASSERT_NE(find_framework(name), nullptr) << name;
    EXPECT_EQ(find_framework(name)->name(), name);
  }
}

TEST(BinaryScan, SharedBoostTestIsFoundInTheNeededLibraries) {
  EXPECT_THAT(needed_libraries(fixture_path("boost_test_cases")),
              Contains(StartsWith("libboost_unit_test_framework.so")));
  EXPECT_THAT(needed_libraries(fixture_path("plain_exit")), Contains(StartsWith("libc.so")));
  // The header-only module needs no Boost.Test library; only its strings tell.
  for (const std::string& library : needed_libraries(fixture_path("boost_test_static"))) {
    EXPECT_THAT(library, ::testing::Not(StartsWith("libboost")));
  }
}

TEST(BinaryScan, NotElfHasNoNeededLibraries) {
  testing::ScratchDir scratch;
  const auto script = scratch.path() / "script.sh";
  std::ofstream(script) << "#!/bin/sh\necho libgtest.so\n";
  EXPECT_THAT(needed_libraries(script), IsEmpty());
  EXPECT_THAT(needed_libraries(scratch.path() / "missing"), IsEmpty());
}

TEST(BinaryScan, MarkerAcrossAChunkBoundaryIsFound) {
  testing::ScratchDir scratch;
  const std::string marker = "Catch2TestRun";
  // The reader's chunks are 1 MiB: put the marker across the first boundary.
  for (const std::size_t before : {std::size_t{1} << 20, (std::size_t{1} << 20) - 5}) {
    const auto file = scratch.path() / ("blob" + std::to_string(before));
    {
      std::ofstream out(file, std::ios::binary);
      out << std::string(before - (before == (std::size_t{1} << 20) ? 3 : 0), 'x') << marker
          << std::string(100, 'y');
    }
    const auto found = find_markers(file, {"absent", marker, "xy"});
    ASSERT_TRUE(found.has_value());
    EXPECT_FALSE((*found)[0]);
    EXPECT_TRUE((*found)[1]) << before;
    EXPECT_FALSE((*found)[2]);
    EXPECT_EQ(detect_framework_name(file), "catch2");
  }
  EXPECT_FALSE(find_markers(scratch.path() / "missing", {"x"}).has_value());
}

}  // namespace
}  // namespace fanout::collector
