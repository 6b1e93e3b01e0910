#pragma once
// The `fanout` command line.

#include <string>
#include <variant>
#include <vector>

#include "launcher/options.hpp"

namespace fanout::launcher {

/// Text to print and exit 0 with (`--help`, `--version`).
struct InfoRequest {
  std::string text;
};

/// Parses `until-fail:N` / `until-pass:N`; throws UsageError naming --repeat.
RepeatRequest parse_repeat(const std::string& value);

/// Parses `argv` (without the program name check). Returns options to run, or text to print for
/// --help/--version. Throws UsageError naming the option at fault.
std::variant<RunOptions, InfoRequest> parse_command_line(const std::vector<std::string>& args,
                                                         const std::string& version);

}  // namespace fanout::launcher
