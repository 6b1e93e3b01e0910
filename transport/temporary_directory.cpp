#include "transport/temporary_directory.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

namespace fanout::transport {

std::filesystem::path scratch_base() {
  const char* tmpdir = ::getenv("TMPDIR");
  const std::filesystem::path ram = "/dev/shm";
  std::error_code error;
  if ((tmpdir == nullptr || *tmpdir == '\0') && std::filesystem::is_directory(ram, error) &&
      ::access(ram.c_str(), W_OK | X_OK) == 0) {
    return ram;
  }
  std::filesystem::path system = std::filesystem::temp_directory_path(error);
  return error ? std::filesystem::path() : system;
}

TemporaryDirectory::TemporaryDirectory(std::string_view prefix,
                                       const std::filesystem::path& given_base) {
  std::error_code error;
  const std::filesystem::path base =
      given_base.empty() ? std::filesystem::temp_directory_path(error) : given_base;
  if (error) {
    throw std::runtime_error("no temporary directory to create a private one in (TMPDIR): " +
                             error.message());
  }
  std::string pattern = (base / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a private directory " + pattern + ": " +
                             std::generic_category().message(errno));
  }
  path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace fanout::transport
