#pragma once
// A fixture setup's exports: the `KEY=VALUE` lines it prints.

#include <string_view>
#include <vector>

#include "collector/target.hpp"

namespace fanout::launcher {

/// Every line of `output` that looks like `NAME=value` (NAME: a shell-style identifier), in
/// order; a later line for the same NAME wins. Other lines are ignored.
std::vector<collector::EnvVar> parse_fixture_exports(std::string_view output);

/// Adds `later` to `exports`: a variable of `later` replaces the one of the same name.
void merge_fixture_exports(std::vector<collector::EnvVar>& exports,
                           std::vector<collector::EnvVar> later);

}  // namespace fanout::launcher
