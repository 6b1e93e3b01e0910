#pragma once
// Whether an imported CTest command runs a whole test binary (which Fanout may split into its
// items) or already selects items the way gtest_discover_tests, catch_discover_tests and
// doctest_discover_tests register them.

#include <string>
#include <vector>

#include "collector/target.hpp"

namespace fanout::launcher {

/// True when `args` (a command's arguments after the executable) and `environment` leave the
/// choice of items and the framework's report to the binary: every argument is an option
/// (starts with '-') and none of them is one of GoogleTest's, Catch2's, doctest's or
/// Boost.Test's options that select items, list them, repeat them, stop early or redirect the
/// report (`--gtest_filter=...`, `-tc=...`, `--run_test=...`, `--reporter`, ...), and no
/// variable of the environment does so (`GTEST_FILTER`, `GTEST_SHARD_INDEX`, ...).
/// Any positional argument (a Catch2 test spec, an input file, a wrapped program) makes it
/// false, as does an empty argument: such a command is only run whole.
bool leaves_selection_to_binary(const std::vector<std::string>& args,
                                const std::vector<collector::EnvVar>& environment);

}  // namespace fanout::launcher
