#pragma once
// Reading single entries of a build tree's CMakeCache.txt.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace fanout::launcher {

/// The value of cache entry `key` (`KEY:TYPE=value`) in `build_dir/CMakeCache.txt`, or nullopt
/// when the file cannot be read or has no such entry. Never throws.
std::optional<std::string> cmake_cache_entry(const std::filesystem::path& build_dir,
                                             std::string_view key);

}  // namespace fanout::launcher
