#include "launcher/report/atomic_file.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

namespace fanout::launcher::report {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& reason) {
  throw std::runtime_error("cannot write " + path.string() + ": " + reason);
}

/// Creates a new, exclusive temporary file beside `path`; returns its descriptor.
int create_temporary(const std::filesystem::path& path, std::filesystem::path& temporary) {
  static unsigned counter = 0;
  for (int attempt = 0; attempt < 100; ++attempt) {
    temporary = path;
    temporary.replace_filename("." + path.filename().string() + ".tmp-" +
                               std::to_string(::getpid()) + "-" + std::to_string(counter++));
    const int fd =
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) fail(path, std::strerror(errno));
  }
  fail(path, "no free temporary file name");
}

/// Swaps `temporary` with `path`, a regular file, and removes what is then `temporary` (the old
/// file). False, with nothing changed, when `path` is no regular file (missing, a directory, a
/// symbolic link) or the file system cannot swap.
bool exchange(const std::filesystem::path& temporary, const std::filesystem::path& path) {
  struct stat old {};
  if (::lstat(path.c_str(), &old) != 0 || !S_ISREG(old.st_mode)) return false;
  if (::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) != 0) {
    return false;
  }
  ::unlink(temporary.c_str());
  return true;
}

/// Creates the missing parent directories of `path`.
void create_parents(const std::filesystem::path& path) {
  if (path.filename().empty()) fail(path, "not a file name");
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) fail(path, ec.message());
  }
}

}  // namespace

void check_writable(const std::filesystem::path& path) {
  create_parents(path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory");
  std::filesystem::path temporary;
  ::close(create_temporary(path, temporary));
  ::unlink(temporary.c_str());
}

void write_file_atomically(const std::filesystem::path& path, std::string_view contents,
                           Replace replace) {
  create_parents(path);
  std::filesystem::path temporary;
  const int fd = create_temporary(path, temporary);
  std::string error;
  for (std::size_t written = 0; written < contents.size() && error.empty();) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n >= 0) {
      written += static_cast<std::size_t>(n);
    } else if (errno != EINTR) {
      error = std::strerror(errno);
    }
  }
  if (::close(fd) != 0 && error.empty()) error = std::strerror(errno);
  if (error.empty() && !(replace == Replace::by_exchange && exchange(temporary, path)) &&
      ::rename(temporary.c_str(), path.c_str()) != 0) {
    error = std::strerror(errno);
  }
  if (!error.empty()) {
    ::unlink(temporary.c_str());
    fail(path, error);
  }
}

}  // namespace fanout::launcher::report
