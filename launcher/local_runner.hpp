#pragma once
// Runs batches as local processes (one process group each) and parses their output with the
// batch's framework adapter.

#include <filesystem>
#include <map>
#include <memory>

#include "launcher/batch_runner.hpp"

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
  /// `scratch_root` is a private directory for per-batch scratch space (created if missing).
  LocalRunner(boost::asio::io_context& io, transport::ProcessSet& processes,
              std::filesystem::path scratch_root);
  ~LocalRunner() override;

  void start(const Batch& batch, BatchCallbacks callbacks) override;
  void run_fixture_command(const FixtureCommand& command,
                           std::function<void(FixtureCommandResult)> done) override;
  void cancel_all() override;

 private:
  struct Running;
  boost::asio::io_context& io_;
  transport::ProcessSet& processes_;
  std::filesystem::path scratch_root_;
  std::map<std::uint64_t, std::shared_ptr<Running>> running_;  ///< by next_run_ at start
  std::uint64_t next_run_ = 1;
};

}  // namespace fanout::launcher
