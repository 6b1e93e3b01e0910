#pragma once
// CTest's REQUIRED_FILES: a test whose required files are not all there when it would start
// does not run, and fails saying which file is missing.

#include <filesystem>
#include <optional>
#include <vector>

#include "launcher/batch_runner.hpp"

namespace boost::asio {
class io_context;
}

namespace fanout::launcher {

/// The first of `files` that does not exist (a directory counts as existing; a relative path
/// is taken relative to `directory`), or nullopt when all do.
std::optional<std::filesystem::path> first_missing_file(
    const std::vector<std::filesystem::path>& files, const std::filesystem::path& directory);

/// A BatchRunner that checks a batch's Target::required_files (relative to the target's working
/// directory, its executable's directory when that is empty) and a fixture command's
/// required_files when it is started. When one is missing, nothing runs: every item of the batch
/// ends as an error naming the file (the fixture command fails likewise), reported from `io`
/// after start() has returned. Everything else is passed on to `runner`.
class RequiredFilesCheck : public BatchRunner {
 public:
  RequiredFilesCheck(boost::asio::io_context& io, BatchRunner& runner);

  void start(Batch batch, BatchCallbacks callbacks) override;
  void run_fixture_command(const FixtureCommand& command,
                           std::function<void(FixtureCommandResult)> done) override;
  /// Cancels `runner`'s batches; a refused batch not reported yet then ends with no results
  /// (its items not run).
  void cancel_all() override;

 private:
  boost::asio::io_context& io_;
  BatchRunner& runner_;
  bool cancelled_ = false;
};

}  // namespace fanout::launcher
