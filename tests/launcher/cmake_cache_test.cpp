#include "launcher/cmake_cache.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "transport/temporary_directory.hpp"

namespace fanout::launcher {
namespace {

namespace fs = std::filesystem;

class CmakeCacheTest : public ::testing::Test {
 protected:
  void write_cache(const std::string& text) { std::ofstream(dir_ / "CMakeCache.txt") << text; }

  const transport::TemporaryDirectory scratch_{"fanout-cmake-cache-"};
  const fs::path dir_ = scratch_.path();
};

TEST_F(CmakeCacheTest, ReadsTheValueOfAnEntryOfAnyType) {
  write_cache(
      "# This is the CMakeCache file.\n"
      "//Path to ctest\n"
      "CMAKE_CTEST_COMMAND_EXTRA:STRING=wrong\n"
      "CMAKE_CTEST_COMMAND:INTERNAL=/opt/cmake/bin/ctest\n"
      "CMAKE_CONFIGURATION_TYPES:STRING=Debug;Release\r\n"
      "EMPTY:STRING=\n");
  EXPECT_EQ(cmake_cache_entry(dir_, "CMAKE_CTEST_COMMAND"), "/opt/cmake/bin/ctest");
  EXPECT_EQ(cmake_cache_entry(dir_, "CMAKE_CONFIGURATION_TYPES"), "Debug;Release");
  EXPECT_EQ(cmake_cache_entry(dir_, "EMPTY"), "");
}

TEST_F(CmakeCacheTest, AnAbsentEntryOrFileIsNullopt) {
  write_cache("CMAKE_COMMAND:INTERNAL=/usr/bin/cmake\n// CMAKE_CTEST_COMMAND:INTERNAL=/x\n");
  EXPECT_EQ(cmake_cache_entry(dir_, "CMAKE_CTEST_COMMAND"), std::nullopt);
  EXPECT_EQ(cmake_cache_entry(dir_, "CMAKE"), std::nullopt);
  EXPECT_EQ(cmake_cache_entry(dir_ / "missing", "CMAKE_COMMAND"), std::nullopt);
}

}  // namespace
}  // namespace fanout::launcher
