#pragma once
// The build-tree manifest written by add_distributed_tests() / add_distributed_fixture():
// `<test dir>/.fanout/manifest.json` (the index) and one JSON file per target and fixture.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "collector/target.hpp"
#include "launcher/errors.hpp"

namespace fanout::launcher {

/// A command run once before the first item that requires it (setup) and once after the last
/// one (cleanup), as registered by add_distributed_fixture().
struct Fixture {
  std::string name;
  std::vector<std::string> setup;           ///< argv; never empty
  std::vector<std::string> cleanup;         ///< argv; empty: nothing to clean up
  std::filesystem::path working_directory;  ///< absolute; empty: the test directory
  double timeout_seconds = 0;               ///< for each command; 0: the run's default
  std::filesystem::path source_file;        ///< where it was registered, for error messages
  int source_line = 0;                      ///< 0: unknown
};

/// Everything one configure run registered, in registration order.
struct Manifest {
  std::vector<collector::Target> targets;
  std::vector<Fixture> fixtures;
};

/// A manifest that cannot be read: unreadable or invalid JSON, a value of the wrong type, a
/// missing key, an unknown format version, or a file the index lists but that does not exist.
/// A user error; the message names the file and the field at fault and what to do about it.
class ManifestError : public UsageError {
 public:
  using UsageError::UsageError;
};

/// The index file of the manifest in `test_dir` (a build tree): `test_dir/.fanout/manifest.json`.
std::filesystem::path manifest_path(const std::filesystem::path& test_dir);

/// Whether `test_dir` holds a manifest index. Never throws.
bool has_manifest(const std::filesystem::path& test_dir);

/// Reads the manifest of `test_dir`: the index, then every target and fixture file it lists.
/// Only "name" and "executable" are required in a target file, and "name" and "setup" in a
/// fixture file; other keys missing take Target's defaults (unknown keys are ignored). Relative
/// paths are taken relative to `test_dir`; a target's empty working directory stays empty.
/// Throws ManifestError.
Manifest read_manifest(const std::filesystem::path& test_dir);

}  // namespace fanout::launcher
