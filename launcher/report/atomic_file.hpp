#pragma once
// Replacing a file so that readers see either the old contents or the new, never a partial one.

#include <filesystem>
#include <string_view>

namespace fanout::launcher::report {

/// Writes `contents` to `path` through a temporary file in the same directory, renamed over
/// `path` once fully written (no fsync: this guards against readers and interrupted writers, not
/// against power loss). Missing parent directories are created. The new file gets the usual
/// permissions (0666 less the umask). On failure the temporary file is removed and
/// std::runtime_error is thrown with a message naming `path` and the reason.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace fanout::launcher::report
