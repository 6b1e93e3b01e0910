#pragma once
// A committed CMake project of tests/e2e/projects/, configured and built in a throw-away
// directory with the CMake that built Fanout, and the runs of ctest and fanout on its build tree
// an e2e test compares.

#include <boost/json/value.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/junit_report.hpp"
#include "tests/e2e/leftovers.hpp"
#include "tests/e2e/run_command.hpp"

namespace fanout::e2e {

/// How a CTest test ended, in the terms both tools share.
enum class Verdict { pass, fail, skip };

const char* to_string(Verdict verdict);

/// CTest test name -> verdict.
using Verdicts = std::map<std::string, Verdict>;

/// One run of `ctest` on a build tree.
struct CtestRun {
  CommandResult command;
  Verdicts verdicts;        ///< every test ctest selected, from --output-junit and its summary
  std::string junit_error;  ///< why `verdicts` may be incomplete; empty when the report was read
};

/// One run of `fanout` on a build tree.
struct FanoutTreeRun {
  CommandResult command;
  std::optional<JunitReport> junit;  ///< nullopt when the report is missing or not well-formed
  std::string junit_error;
  std::vector<LeftoverProcess> leftovers;  ///< processes of the run still alive after it (killed)

  /// The verdict on CTest test `test`, from the items of its <testsuite>: fail when any failed
  /// (or had an error), skip when all were skipped, otherwise pass; nullopt when it has none.
  std::optional<Verdict> verdict(const std::string& test) const;
  /// Every <testsuite> with at least one item: the CTest tests the run selected.
  std::vector<std::string> tests() const;
  /// Output and JUnit problem, for failure messages.
  std::string diagnostics() const;
};

/// A fresh build of tests/e2e/projects/<name> (sources stay in the checkout; the build tree is
/// <temporary>/build). The temporary directory is removed on destruction.
class CtestProject {
 public:
  /// Configures (Ninja, with `cmake_args`) and builds the project. Check ok() before using the
  /// tree.
  explicit CtestProject(const std::string& name, const std::vector<std::string>& cmake_args = {});
  ~CtestProject();
  CtestProject(const CtestProject&) = delete;
  CtestProject& operator=(const CtestProject&) = delete;

  const std::filesystem::path& build() const { return build_; }
  /// True when configure and build both succeeded; else log() says why.
  bool ok() const { return ok_; }
  const std::string& log() const { return log_; }

  /// `ctest --test-dir <build> --output-junit <file> <args...>`, with `environment` entries
  /// ("KEY=VALUE") added to its environment.
  CtestRun run_ctest(const std::vector<std::string>& args,
                     const std::vector<std::string>& environment = {}) const;
  /// `fanout --test-dir <build> --junit <file> <args...>`, with `environment` entries and a
  /// token in its environment by which the processes it starts are found afterwards.
  FanoutTreeRun run_fanout(const std::vector<std::string>& args,
                           const std::vector<std::string>& environment = {}) const;

 private:
  std::filesystem::path root_;
  std::filesystem::path build_;
  bool ok_ = false;
  std::string log_;
};

/// The JSON object that starts a line of `output` (what `--list --format json` printed, with
/// whatever reached stderr around it). Throws std::runtime_error when there is none.
boost::json::value json_in(const std::string& output);

/// Names of `verdicts`, comma-separated with their verdicts, for failure messages.
std::string describe(const Verdicts& verdicts);

}  // namespace fanout::e2e
