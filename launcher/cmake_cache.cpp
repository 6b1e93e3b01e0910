#include "launcher/cmake_cache.hpp"

#include <fstream>

namespace fanout::launcher {

std::optional<std::string> cmake_cache_entry(const std::filesystem::path& build_dir,
                                             std::string_view key) {
  try {
    std::ifstream in(build_dir / "CMakeCache.txt");
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      // `KEY:TYPE=value`; comments start with '#' or "//", so they never match a key.
      if (line.size() <= key.size() || !line.starts_with(key) || line[key.size()] != ':') continue;
      const auto equals = line.find('=', key.size());
      if (equals == std::string::npos) continue;
      return line.substr(equals + 1);
    }
  } catch (const std::exception&) {
    // Unreadable is the same as absent for the callers.
  }
  return std::nullopt;
}

}  // namespace fanout::launcher
