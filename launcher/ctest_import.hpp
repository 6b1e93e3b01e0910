#pragma once
// Import of a plain CTest build tree: the tests `ctest --show-only=json-v1` lists, as Targets
// with CTest's properties, for build trees without a Fanout manifest (or with --from-ctest).

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "collector/target.hpp"
#include "launcher/environment_modification.hpp"
#include "launcher/errors.hpp"

namespace fanout::launcher {

/// The tests of a CTest build tree, and what of them Fanout cannot honour.
struct CtestImport {
  /// One target per CTest test, in ctest's order, with `from_ctest` set. Its name is the CTest
  /// test name, executable and extra_args are the command; framework is "auto" (the launcher
  /// may split the binary into its items) only for a command that leaves the choice of items
  /// to the binary (see leaves_selection_to_binary) on a test whose verdict does not depend on
  /// the whole process (no WILL_FAIL, *_REGULAR_EXPRESSION, SKIP_RETURN_CODE, fixture setup or
  /// cleanup, DISABLED); "exe" otherwise, so items registered by gtest_discover_tests and the
  /// like run as the items they are. A test ctest gives no command (its executable was not
  /// built) keeps an empty executable, so it is reported as an error item, never dropped.
  std::vector<collector::Target> targets;
  /// One line each, for the user: properties ignored ("ignored: NAME (why); tests: a, b"),
  /// tests without a command, values that could not be read, and what ctest printed besides
  /// its JSON. Empty when every test is imported with CTest's meaning.
  std::vector<std::string> warnings;
};

/// ctest failed, could not be started, timed out, or printed something that is not its
/// json-v1 listing; or the build tree has no tests file. A user error: the message names the
/// build tree and the command and quotes ctest's output.
class CtestImportError : public UsageError {
 public:
  using UsageError::UsageError;
};

/// How long `ctest --show-only=json-v1` may take (discovery at test time runs the binaries).
inline constexpr std::chrono::seconds kCtestListTimeout{300};

/// Turns the output of `ctest --show-only=json-v1` (stdout, possibly with ctest's stderr before
/// or after the JSON) into targets. Pure but for `inherited`, the environment the tests inherit,
/// which ENVIRONMENT_MODIFICATION is applied to (see apply_environment_modifications): a
/// target's `environment` and `unset_environment` are what its process changes in it. `origin`
/// names the command and build tree in messages. Throws CtestImportError when the output holds
/// no JSON object, is not a json-v1 listing of major version 1, or a test entry has no name;
/// property values of an unexpected type are warnings, not errors.
CtestImport parse_ctest_json(std::string_view output,
                             std::string_view origin = "ctest --show-only=json-v1",
                             const EnvironmentLookup& inherited = process_environment);

/// Runs `ctest_command --show-only=json-v1 [-C configuration]` in `build_dir` (argv, stdin
/// from /dev/null, at most kCtestListTimeout) and parses its output. An empty `ctest_command`
/// means the ctest of the CMake that configured the tree (CMAKE_CTEST_COMMAND in its
/// CMakeCache.txt), else `ctest` from PATH. Throws CtestImportError when `build_dir` has no
/// CTestTestfile.cmake, ctest cannot run or exits non-zero, or its output cannot be parsed.
CtestImport import_ctest(const std::filesystem::path& build_dir,
                         const std::string& ctest_command = "",
                         const std::string& configuration = "");

}  // namespace fanout::launcher
