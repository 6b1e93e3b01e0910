#pragma once
// CTest's ENVIRONMENT_MODIFICATION: `NAME=OP:VALUE` entries applied in order on top of the
// environment a test would otherwise get (Fanout's own, with ENVIRONMENT set on top).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/target.hpp"

namespace fanout::launcher {

/// One `NAME=OP:VALUE` entry.
struct EnvironmentModification {
  enum class Op {
    reset,               ///< back to the value before any modification (ENVIRONMENT's, or ours)
    set,                 ///< VALUE
    unset,               ///< no such variable
    string_append,       ///< current value, then VALUE
    string_prepend,      ///< VALUE, then current value
    path_list_append,    ///< joined with ':' unless the current value is empty or unset
    path_list_prepend,   ///< likewise, VALUE first
    cmake_list_append,   ///< joined with ';' unless the current value is empty or unset
    cmake_list_prepend,  ///< likewise, VALUE first
  };
  std::string name;
  Op op = Op::set;
  std::string value;
  bool operator==(const EnvironmentModification&) const = default;
};

/// Reads `NAME=OP:VALUE`: NAME up to the first '=', OP up to the next ':', VALUE the rest (it
/// may hold ':' and '='). Returns nullopt and sets `error` to the reason when NAME is empty,
/// a '=' or ':' is missing, or OP is not one of CTest's.
std::optional<EnvironmentModification> parse_environment_modification(std::string_view entry,
                                                                      std::string& error);

/// A variable's value in the environment tests inherit from Fanout; nullopt when it is unset.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// `name` in this process's environment.
std::optional<std::string> process_environment(const std::string& name);

/// What a test process changes in the environment it inherits.
struct EnvironmentChanges {
  std::vector<collector::EnvVar> set;  ///< set on top of the inherited environment
  std::vector<std::string> unset;      ///< removed from it first
  bool operator==(const EnvironmentChanges&) const = default;
};

/// The changes that give a test CTest's environment: `environment` (ENVIRONMENT, a later entry
/// of a name winning) set on top of `inherited`, then `modifications` applied in order. The
/// current value of an unset variable counts as empty for the appending operations. Variables
/// no modification names keep their ENVIRONMENT entries, in order; the others follow, in the
/// order they were first named, with their final value, or in `unset`.
EnvironmentChanges apply_environment_modifications(
    const std::vector<collector::EnvVar>& environment,
    const std::vector<EnvironmentModification>& modifications, const EnvironmentLookup& inherited);

}  // namespace fanout::launcher
