#pragma once
// A private scratch directory that lives as long as its owner.

#include <filesystem>
#include <string_view>

namespace fanout::transport {

/// Where the small files that live for one batch or one listing go: TMPDIR when it is set (the
/// user's choice), else /dev/shm when it is a writable directory (a RAM file system, where making
/// and removing them costs a small fraction of what it costs on a disk file system), else the
/// system's temporary directory. Empty when there is none.
std::filesystem::path scratch_base();

/// A new, empty directory only this process uses, named `<prefix>XXXXXX`, under `base` (empty:
/// the system's temporary directory, TMPDIR else /tmp, as std::filesystem::temp_directory_path);
/// removed with all its content on destruction.
class TemporaryDirectory {
 public:
  /// Throws std::runtime_error naming the place where it could not be made.
  explicit TemporaryDirectory(std::string_view prefix, const std::filesystem::path& base = {});
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace fanout::transport
