#pragma once
// Approved-output ("golden file") comparison for report tests. FANOUT_UPDATE_GOLDEN=1 rewrites
// the files under tests/data/report/ instead of comparing; review the diff before committing.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace fanout::launcher::report::testing {

inline std::string golden_path(const std::string& name) {
  return std::string(FANOUT_TEST_DATA_DIR) + "/report/" + name;
}

/// Compares `actual` with the approved file `name` byte for byte.
inline void expect_golden(const std::string& actual, const std::string& name) {
  const std::string path = golden_path(name);
  if (const char* update = std::getenv("FANOUT_UPDATE_GOLDEN");
      update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    std::cerr << "golden file updated: " << path << "\n";
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path
                  << " (run with FANOUT_UPDATE_GOLDEN=1 to create it)";
  std::ostringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str())
      << "differs from " << path << " (FANOUT_UPDATE_GOLDEN=1 rewrites it)";
}

/// Makes terminal control bytes readable in a golden file: ESC as `\e`, CR as `\r`, other
/// control characters but newline and tab as `\xNN`.
inline std::string visible_controls(const std::string& text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\x1b') {
      out += "\\e";
    } else if (c == '\r') {
      out += "\\r";
    } else if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7f) {
      const char* hex = "0123456789abcdef";
      out += std::string("\\x") + hex[byte >> 4] + hex[byte & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace fanout::launcher::report::testing
