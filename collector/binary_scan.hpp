#pragma once
// Looking into a test binary without running it: marker strings and the shared libraries it
// needs.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout::collector {

/// For each of `markers` (non-empty), whether it occurs in the file at `path`. The file is read
/// in chunks, so its size does not matter; a marker split across two chunks is found. Nothing
/// when the file cannot be read.
std::optional<std::vector<bool>> find_markers(const std::filesystem::path& path,
                                              const std::vector<std::string_view>& markers);

/// The DT_NEEDED entries of an ELF executable or library ("libgtest.so.1.12.1", ...). Empty
/// when the file is not a (native-endian) ELF file, is static, or cannot be read.
std::vector<std::string> needed_libraries(const std::filesystem::path& path);

}  // namespace fanout::collector
