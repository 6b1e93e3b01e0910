#pragma once
// Reads the golden files of tests/data/ for the collector's tests.

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace fanout::collector::testing {

/// The contents of tests/data/<relative>; throws when the file cannot be read.
inline std::string read_test_data(const std::string& relative) {
  const std::string path = std::string(FANOUT_TEST_DATA_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace fanout::collector::testing
