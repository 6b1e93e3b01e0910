#pragma once
// Replacing a file so that readers see either the old contents or the new, never a partial one.

#include <filesystem>
#include <string_view>

namespace fanout::launcher::report {

/// How write_file_atomically puts the new file in place of an old one.
enum class Replace {
  /// rename(2) over the old file. On ext4 (auto_da_alloc) that also starts writing the new data
  /// out, so that a crash soon after leaves the old contents or the new: ~0.7 ms for 400 KB.
  by_rename,
  /// Swaps the new file with the old (renameat2 RENAME_EXCHANGE), then removes the old one:
  /// readers still see the old contents or the new, never a mix, but a crash soon after may
  /// leave the file empty. For files that only speed things up (history). Falls back to
  /// by_rename where the file system cannot swap, or when there is no old file.
  by_exchange,
};

/// Checks, before anything is written, that write_file_atomically(path, ...) can work: creates
/// the missing parent directories, then a temporary file beside `path`, removed at once. Throws
/// std::runtime_error naming `path` and the reason when it cannot (`path` a directory included).
void check_writable(const std::filesystem::path& path);

/// Writes `contents` to `path` through a temporary file in the same directory, put in place
/// once fully written (no fsync: this guards against readers and interrupted writers, not
/// against power loss). Missing parent directories are created. The new file gets the usual
/// permissions (0666 less the umask). On failure the temporary file is removed and
/// std::runtime_error is thrown with a message naming `path` and the reason.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents,
                           Replace replace = Replace::by_rename);

}  // namespace fanout::launcher::report
