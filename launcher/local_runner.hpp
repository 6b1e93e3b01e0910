#pragma once
// Runs batches as local processes (one process group each) and parses their output with the
// batch's framework adapter.

#include <filesystem>
#include <map>
#include <memory>

#include "launcher/batch_runner.hpp"
#include "transport/temporary_directory.hpp"

namespace boost::asio {
class io_context;
}
namespace fanout::transport {
class ProcessSet;
}

namespace fanout::launcher {

/// A BatchRunner over transport::ProcessSet. Enforces the per-item timeout: the timer restarts
/// whenever the next item of the batch starts.
class LocalRunner : public BatchRunner {
 public:
  /// Creates a private temporary directory for per-batch scratch space; throws
  /// std::runtime_error when it cannot.
  LocalRunner(boost::asio::io_context& io, transport::ProcessSet& processes);

  void start(Batch batch, BatchCallbacks callbacks) override;
  void run_fixture_command(const FixtureCommand& command,
                           std::function<void(FixtureCommandResult)> done) override;
  void cancel_all() override;

 private:
  struct Running;
  /// Waits for `run`'s deadline; when it has moved on meanwhile (an item started), waits again,
  /// else times the batch out.
  void wait_for_deadline(const std::shared_ptr<Running>& run);
  boost::asio::io_context& io_;
  transport::ProcessSet& processes_;
  transport::TemporaryDirectory scratch_root_;
  std::map<std::uint64_t, std::shared_ptr<Running>> running_;  ///< by next_run_ at start
  std::uint64_t next_run_ = 1;
};

}  // namespace fanout::launcher
