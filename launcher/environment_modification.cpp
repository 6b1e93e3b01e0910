#include "launcher/environment_modification.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <utility>

namespace fanout::launcher {

namespace {

using Op = EnvironmentModification::Op;

constexpr std::pair<std::string_view, Op> kOperations[] = {
    {"reset", Op::reset},
    {"set", Op::set},
    {"unset", Op::unset},
    {"string_append", Op::string_append},
    {"string_prepend", Op::string_prepend},
    {"path_list_append", Op::path_list_append},
    {"path_list_prepend", Op::path_list_prepend},
    {"cmake_list_append", Op::cmake_list_append},
    {"cmake_list_prepend", Op::cmake_list_prepend},
};

/// `current` joined with `value`, `separator` between them unless `current` is empty.
std::string joined(const std::string& current, const std::string& value, char separator,
                   bool value_first) {
  if (current.empty()) return value;
  return value_first ? value + separator + current : current + separator + value;
}

}  // namespace

std::optional<EnvironmentModification> parse_environment_modification(std::string_view entry,
                                                                      std::string& error) {
  const auto equals = entry.find('=');
  if (equals == std::string_view::npos) {
    error = "no '=' after the variable name";
    return std::nullopt;
  }
  if (equals == 0) {
    error = "no variable name";
    return std::nullopt;
  }
  const auto colon = entry.find(':', equals + 1);
  if (colon == std::string_view::npos) {
    error = "no ':' after the operation";
    return std::nullopt;
  }
  const std::string_view op = entry.substr(equals + 1, colon - equals - 1);
  const auto* known = std::find_if(std::begin(kOperations), std::end(kOperations),
                                   [&](const auto& operation) { return operation.first == op; });
  if (known == std::end(kOperations)) {
    error = "unknown operation '" + std::string(op) + "'";
    return std::nullopt;
  }
  return EnvironmentModification{std::string(entry.substr(0, equals)), known->second,
                                 std::string(entry.substr(colon + 1))};
}

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

EnvironmentChanges apply_environment_modifications(
    const std::vector<collector::EnvVar>& environment,
    const std::vector<EnvironmentModification>& modifications, const EnvironmentLookup& inherited) {
  // The value before any modification: ENVIRONMENT's (its last entry), else the inherited one.
  auto unmodified = [&](const std::string& name) -> std::optional<std::string> {
    for (auto it = environment.rbegin(); it != environment.rend(); ++it) {
      if (it->name == name) return it->value;
    }
    return inherited ? inherited(name) : std::nullopt;
  };
  std::vector<std::string> named;  // in the order first named
  std::map<std::string, std::optional<std::string>> modified;
  for (const auto& modification : modifications) {
    const std::string& name = modification.name;
    if (std::find(named.begin(), named.end(), name) == named.end()) named.push_back(name);
    if (modification.op == Op::reset) {
      modified.erase(name);
      continue;
    }
    const auto found = modified.find(name);
    // CTest's documentation: an operation applies to the current value, and an unset variable
    // has none (ctest 3.25 itself appends to the unmodified value after an `unset`).
    const std::string current =
        (found != modified.end() ? found->second : unmodified(name)).value_or(std::string());
    const std::string& value = modification.value;
    std::optional<std::string> result;
    switch (modification.op) {
      case Op::reset:
        break;
      case Op::set:
        result = value;
        break;
      case Op::unset:
        break;
      case Op::string_append:
        result = current + value;
        break;
      case Op::string_prepend:
        result = value + current;
        break;
      case Op::path_list_append:
        result = joined(current, value, ':', false);
        break;
      case Op::path_list_prepend:
        result = joined(current, value, ':', true);
        break;
      case Op::cmake_list_append:
        result = joined(current, value, ';', false);
        break;
      case Op::cmake_list_prepend:
        result = joined(current, value, ';', true);
        break;
    }
    modified[name] = std::move(result);
  }

  EnvironmentChanges changes;
  for (const auto& variable : environment) {
    if (!modified.contains(variable.name)) changes.set.push_back(variable);
  }
  for (const auto& name : named) {
    const auto found = modified.find(name);
    if (found == modified.end()) continue;  // reset last: as ENVIRONMENT (or inherited) has it
    if (found->second) {
      changes.set.push_back({name, *found->second});
    } else {
      changes.unset.push_back(name);
    }
  }
  return changes;
}

}  // namespace fanout::launcher
