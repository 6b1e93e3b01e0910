#include "transport/launch_plan.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace fanout::transport {
namespace {

constexpr std::string_view default_search_path = "/usr/local/bin:/usr/bin:/bin";

std::string_view variable_name(std::string_view entry) {
  return entry.substr(0, entry.find('='));
}

std::string in_quotes(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

}  // namespace

std::vector<std::string> merge_environment(
    const char* const* inherited, const std::vector<std::pair<std::string, std::string>>& overrides,
    const std::vector<std::string>& unset) {
  std::vector<std::string> merged;
  for (const char* const* entry = inherited; entry != nullptr && *entry != nullptr; ++entry) {
    if (unset.empty() ||
        std::find(unset.begin(), unset.end(), variable_name(*entry)) == unset.end()) {
      merged.emplace_back(*entry);
    }
  }
  for (const auto& [name, value] : overrides) {
    std::string entry = name + "=" + value;
    bool replaced = false;
    for (auto& existing : merged) {
      if (variable_name(existing) == name) {
        existing = entry;
        replaced = true;
      }
    }
    if (!replaced) merged.push_back(std::move(entry));
  }
  return merged;
}

std::optional<std::string_view> find_variable(const std::vector<std::string>& environment,
                                              std::string_view name) {
  for (const auto& entry : environment) {
    if (entry.find('=') != std::string::npos && variable_name(entry) == name) {
      return std::string_view(entry).substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

std::optional<std::filesystem::path> find_in_path(std::string_view name,
                                                  std::string_view search_path) {
  while (true) {
    const auto colon = search_path.find(':');
    const auto directory = search_path.substr(0, colon);
    const std::filesystem::path candidate =
        directory.empty() ? std::filesystem::path(name)
                          : std::filesystem::path(directory) / std::filesystem::path(name);
    struct stat status {};
    if (::stat(candidate.c_str(), &status) == 0 && S_ISREG(status.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (colon == std::string_view::npos) return std::nullopt;
    search_path.remove_prefix(colon + 1);
  }
}

std::optional<LaunchPlan> plan_launch(const ProcessSpec& spec, const char* const* inherited,
                                      std::string& error) {
  if (spec.argv.empty() || spec.argv.front().empty()) {
    error = "cannot start a process without a program name";
    return std::nullopt;
  }
  LaunchPlan plan{{},
                  spec.argv,
                  merge_environment(inherited, spec.environment, spec.unset_environment),
                  spec.working_directory};
  const std::string& program = spec.argv.front();
  if (program.find('/') == std::string::npos) {
    const auto search_path = find_variable(plan.environment, "PATH").value_or(default_search_path);
    auto found = find_in_path(program, search_path);
    if (!found) {
      error = "cannot start " + in_quotes(program) + ": " + std::strerror(ENOENT) +
              " (not found in PATH)";
      return std::nullopt;
    }
    plan.executable = std::move(*found);
  } else {
    plan.executable = program;
  }
  std::error_code ignored;
  auto absolute = std::filesystem::absolute(plan.executable, ignored);
  if (!absolute.empty()) plan.executable = std::move(absolute);

  if (!spec.working_directory.empty()) {
    struct stat status {};
    const int reason = ::stat(spec.working_directory.c_str(), &status) != 0 ? errno
                       : !S_ISDIR(status.st_mode)                           ? ENOTDIR
                                                                            : 0;
    if (reason != 0) {
      error = "cannot start " + in_quotes(plan.executable) + " in working directory " +
              in_quotes(spec.working_directory) + ": " + std::strerror(reason);
      return std::nullopt;
    }
  }
  return plan;
}

std::vector<const char*> c_string_array(const std::vector<std::string>& strings) {
  std::vector<const char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const auto& string : strings) pointers.push_back(string.c_str());
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace fanout::transport
