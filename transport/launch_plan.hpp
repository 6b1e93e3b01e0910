#pragma once
// Private to transport/: turns a ProcessSpec into what posix_spawn needs (an absolute executable,
// argv, a complete environment and the working directory), checked as far as can be before.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "transport/process.hpp"

namespace fanout::transport {

/// What posix_spawn receives.
struct LaunchPlan {
  std::filesystem::path executable;         ///< absolute
  std::vector<std::string> argv;            ///< argv[0] as the spec gave it
  std::vector<std::string> environment;     ///< "NAME=value"
  std::filesystem::path working_directory;  ///< empty: inherit
};

/// Merges `overrides` into `inherited` (a nullptr-terminated "NAME=value" array, like environ):
/// inherited entries named in `unset` are dropped first; the others keep their order unless
/// overridden; an overridden variable takes the override's value (the last one if a name is
/// given twice); new names follow, in order.
std::vector<std::string> merge_environment(
    const char* const* inherited, const std::vector<std::pair<std::string, std::string>>& overrides,
    const std::vector<std::string>& unset = {});

/// The value of `name` in a "NAME=value" list, if present.
std::optional<std::string_view> find_variable(const std::vector<std::string>& environment,
                                              std::string_view name);

/// Finds `name` (no '/') in the ':'-separated `search_path`: the first regular file that is
/// executable. An empty entry means the current directory.
std::optional<std::filesystem::path> find_in_path(std::string_view name,
                                                  std::string_view search_path);

/// Builds the plan for `spec`, inheriting `inherited` as environment. argv[0] without '/' is
/// looked up in the PATH of the resulting environment; a relative path with '/' is taken relative
/// to the launcher's current directory (not to spec.working_directory). Returns nullopt and sets
/// `error` (naming the path and the reason) when the process cannot be started: empty argv,
/// name not found in PATH, missing working directory.
std::optional<LaunchPlan> plan_launch(const ProcessSpec& spec, const char* const* inherited,
                                      std::string& error);

/// Pointers to the strings' characters, followed by nullptr (valid while `strings` lives).
std::vector<const char*> c_string_array(const std::vector<std::string>& strings);

}  // namespace fanout::transport
