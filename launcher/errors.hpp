#pragma once
// User errors: exceptions carrying a message the user can act on; main() maps them to exit codes.

#include <stdexcept>

namespace fanout::launcher {

/// A bad option or option value on the command line (exit code 4).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace fanout::launcher
