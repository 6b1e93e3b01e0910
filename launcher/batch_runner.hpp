#pragma once
// Execution behind an interface: the scheduler hands batches to a BatchRunner and hears back
// through callbacks, so it can be tested with a fake.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "collector/framework.hpp"
#include "collector/item.hpp"
#include "collector/result.hpp"
#include "collector/target.hpp"

namespace fanout::launcher {

/// Items of one target that one process runs. The batch refers to its target, framework and
/// items; the caller owns them and keeps them alive, unmoved, until batch_done has been called.
struct Batch {
  std::uint64_t id = 0;  ///< the caller's name for it; runners need not see unique ids
  const collector::Target* target = nullptr;
  const collector::Framework* framework = nullptr;
  std::vector<const collector::Item*> items;  ///< not null
  /// Every item the target listed, `items` pointing into it; empty when not known (see
  /// collector::BatchContext::listing).
  std::span<const collector::Item> listing;
  double item_timeout_seconds = 0;             ///< per item; 0: none
  std::vector<collector::EnvVar> environment;  ///< added on top of the target's (fixtures)
};

/// What a runner tells about a batch. All callbacks come from the run's event loop.
struct BatchCallbacks {
  std::function<void(const collector::Item&)> item_started;
  std::function<void(collector::Result)> item_finished;
  /// Optional, at most once, before batch_done: the batch's process (and all it started) has
  /// ended, so its slot is free; the results of its last items and batch_done may still follow.
  std::function<void()> process_ended;
  /// Called last, once: the items to be queued again (the process never reached them, or the
  /// adapter could not be sure of their result: NotStarted::alone), pointing to the batch's items.
  std::function<void(std::vector<collector::NotStarted> not_started)> batch_done;
};

/// A global fixture's setup or cleanup command.
struct FixtureCommand {
  std::string fixture;  ///< the fixture's name
  std::vector<std::string> argv;
  std::filesystem::path working_directory;
  std::vector<collector::EnvVar> environment;
  /// Time limit; 0: none. Past it the command's whole process group is killed and it fails.
  double timeout_seconds = 0;
  /// What reports call it besides its fixture and phase: an imported CTest test's name; may be
  /// empty.
  std::string name;
  std::vector<std::string> unset_environment;  ///< removed before `environment` is set
  /// Not run (it fails) when one of these is missing; relative: to `working_directory`.
  std::vector<std::filesystem::path> required_files;
};

/// How a fixture command ended; `output` is its captured stdout+stderr (bounded).
struct FixtureCommandResult {
  /// passed when it succeeded; else failed (a non-zero exit), timeout, crashed, error (it could
  /// not start) or not_run (cancelled)
  collector::Outcome outcome = collector::Outcome::failed;
  /// why it failed ("exited with code 3", "crashed with SIGSEGV", "timed out after 2 s")
  std::string message;
  std::string output;
  double seconds = 0;  ///< how long it ran
  /// The `KEY=VALUE` lines of its whole output, read as it streamed, not from the bounded
  /// `output` (see FixtureExportParser).
  std::vector<collector::EnvVar> exports;
  /// Export lines too long to keep (FixtureExportParser::errors).
  std::vector<std::string> export_errors;

  bool succeeded() const { return outcome == collector::Outcome::passed; }
};

/// Runs batches somewhere (local processes, a remote host, a fake).
class BatchRunner {
 public:
  virtual ~BatchRunner() = default;
  /// Starts `batch` asynchronously; never calls back from inside start().
  virtual void start(Batch batch, BatchCallbacks callbacks) = 0;
  /// Runs a fixture command asynchronously; `done` is called once, never from inside.
  virtual void run_fixture_command(const FixtureCommand& command,
                                   std::function<void(FixtureCommandResult)> done) = 0;
  /// Kills every running batch; their items end as not_run, their batch_done still comes.
  virtual void cancel_all() = 0;
};

}  // namespace fanout::launcher
