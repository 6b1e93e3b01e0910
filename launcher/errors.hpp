#pragma once
// User errors: exceptions carrying a message the user can act on; main() maps them to exit codes.

#include <stdexcept>

namespace fanout::launcher {

/// Something the user must fix before anything can run (exit code 4): a bad option or option
/// value, a broken manifest (ManifestError), a build tree ctest cannot list (CtestImportError).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace fanout::launcher
