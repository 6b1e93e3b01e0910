#pragma once
// A private scratch directory that lives as long as its owner.

#include <filesystem>
#include <string_view>

namespace fanout::transport {

/// A new, empty directory only this process uses, under the system's temporary directory
/// (TMPDIR, else /tmp, as std::filesystem::temp_directory_path), named `<prefix>XXXXXX`; removed with all its content on destruction.
class TemporaryDirectory {
 public:
  /// Throws std::runtime_error naming the place where it could not be made.
  explicit TemporaryDirectory(std::string_view prefix);
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace fanout::transport
