#pragma once
// A throw-away build tree holding a hand-written Fanout manifest (format version 1) for a chosen
// set of test binaries, so the real `fanout --test-dir` can run them.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout::e2e {

/// One target to register, with the manifest keys an e2e test varies; every other key of the
/// target file gets its default.
struct TargetSpec {
  std::string name;
  std::filesystem::path executable;  ///< absolute; may name a file that does not exist
  std::string framework = "gtest";
  double timeout = 0;                    ///< seconds; 0: the run's default
  std::vector<std::string> environment;  ///< "KEY=VALUE", besides the run's token
  std::vector<std::string> labels;
  // Scheduling keys, with the defaults of add_distributed_tests().
  std::string group;
  std::vector<std::string> group_items;  ///< written only when not empty
  std::vector<std::string> resource_locks;
  bool run_serial = false;
  int processors = 1;
  std::vector<std::string> fixtures_required;
  bool isolate = false;
  std::vector<std::string> isolate_items;  ///< written only when not empty
  std::optional<int> skip_return_code;     ///< SKIP_RETURN_CODE; null when not set
};

/// One global fixture to register (`.fanout/fixtures/<name>.json`), working in the directory.
struct FixtureSpec {
  std::string name;
  std::vector<std::string> setup;    ///< argv; argv[0] an absolute path
  std::vector<std::string> cleanup;  ///< argv; empty: no cleanup
  double timeout = 0;                ///< seconds, for each command; 0: the run's default
};

/// A target for the fixture binary `binary` of FANOUT_FIXTURE_DIR, named after it.
TargetSpec fixture_target(const std::string& binary, double timeout = 0);

/// A fresh temporary directory with `.fanout/manifest.json`, one `.fanout/targets/<name>.json`
/// per target and one `.fanout/fixtures/<name>.json` per fixture, all working in that directory.
/// Every target's environment holds
/// FANOUT_E2E_TOKEN=<token()>, a value unique to this directory, so processes started for it can
/// be found later. The directory is removed on destruction.
class ManifestDir {
 public:
  explicit ManifestDir(const std::vector<TargetSpec>& targets,
                       const std::vector<FixtureSpec>& fixtures = {});
  ~ManifestDir();
  ManifestDir(const ManifestDir&) = delete;
  ManifestDir& operator=(const ManifestDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const std::string& token() const { return token_; }
  /// "FANOUT_E2E_TOKEN=<token>", as it appears in the environment of the test processes.
  std::string token_entry() const { return "FANOUT_E2E_TOKEN=" + token_; }
  /// Where the e2e tests ask fanout to write its JUnit report.
  std::filesystem::path junit_path() const { return path_ / "junit.xml"; }
  /// Replaces (or creates) the file `relative` to path() with `text`, to break the manifest.
  void write_file(const std::filesystem::path& relative, std::string_view text) const;

 private:
  std::filesystem::path path_;
  std::string token_;
};

}  // namespace fanout::e2e
