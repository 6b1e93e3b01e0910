#include "launcher/local_runner.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cmath>

#include "collector/output_buffer.hpp"
#include "collector/text.hpp"
#include "launcher/cpu_share.hpp"
#include "launcher/fixture_exports.hpp"
#include "transport/process.hpp"

namespace fanout::launcher {

namespace asio = boost::asio;
using collector::ProcessEnd;
using transport::ProcessExit;

struct LocalRunner::Running {
  explicit Running(asio::io_context& io) : timer(io) {}
  BatchCallbacks callbacks;
  CpuShare cpu;
  std::unique_ptr<collector::BatchParser> parser;
  std::filesystem::path scratch;
  transport::ProcessId process = 0;
  asio::steady_timer timer;
  /// The running item's time is up then: moved on by each item that starts, so starting an
  /// item costs a clock reading, not a timer operation.
  asio::steady_timer::time_point deadline;
  bool timed_out = false;
  bool cancelled = false;
};

namespace {

/// A time limit no timer can hold beyond (about 31 years): longer ones are this.
constexpr double longest_timeout_seconds = 1e9;

std::chrono::milliseconds to_millis(double seconds) {
  const double bounded = std::min(seconds, longest_timeout_seconds);
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(bounded * 1000)));
}

ProcessEnd to_process_end(const ProcessExit& exit, bool timed_out, double timeout_seconds) {
  ProcessEnd end;
  end.seconds = std::chrono::duration<double>(exit.elapsed).count();
  end.exit_code = exit.exit_code;
  end.signal = exit.signal;
  end.error = exit.error;
  switch (exit.kind) {
    case ProcessExit::Kind::exited:
      end.kind = ProcessEnd::Kind::exited;
      break;
    case ProcessExit::Kind::signaled:
      end.kind = ProcessEnd::Kind::signaled;
      break;
    case ProcessExit::Kind::timed_out:
      end.kind = ProcessEnd::Kind::timed_out;
      break;
    case ProcessExit::Kind::start_failed:
      end.kind = ProcessEnd::Kind::start_failed;
      break;
    case ProcessExit::Kind::cancelled:
      end.kind = ProcessEnd::Kind::cancelled;
      break;
  }
  if (timed_out) end.kind = ProcessEnd::Kind::timed_out;
  end.timeout_seconds = timeout_seconds;
  return end;
}

}  // namespace

LocalRunner::LocalRunner(asio::io_context& io, transport::ProcessSet& processes)
    : io_(io), processes_(processes), scratch_root_("fanout-", transport::scratch_base()) {}

void LocalRunner::start(Batch batch, BatchCallbacks callbacks) {
  auto run = std::make_shared<Running>(io_);
  run->callbacks = std::move(callbacks);
  const std::uint64_t key = next_run_++;  // batch ids are the caller's, not unique here
  run->scratch = scratch_root_.path() / ("batch-" + std::to_string(key));
  std::error_code ec;
  std::filesystem::create_directories(run->scratch, ec);

  const collector::Target& target = *batch.target;
  collector::BatchContext context{run->scratch, batch.listing};
  const collector::Command command = batch.framework->run_command(target, batch.items, context);
  run->parser = batch.framework->parser(target, std::move(batch.items), context);

  transport::ProcessSpec spec;
  spec.argv = command.argv;
  spec.working_directory = target.run_directory();
  spec.unset_environment = target.unset_environment;
  for (const auto& var : target.environment) spec.environment.emplace_back(var.name, var.value);
  for (const auto& var : batch.environment) spec.environment.emplace_back(var.name, var.value);
  for (const auto& var : command.environment) spec.environment.emplace_back(var.name, var.value);

  const double timeout = batch.item_timeout_seconds;
  auto restart_timeout = [run, timeout] {
    if (timeout > 0) run->deadline = asio::steady_timer::clock_type::now() + to_millis(timeout);
  };

  auto flush = [this, run, restart_timeout] {
    for (const collector::Item* item : run->parser->take_started()) {
      restart_timeout();
      if (run->callbacks.item_started) run->callbacks.item_started(*item);
    }
    std::vector<collector::Result> finished = run->parser->take_finished();
    if (finished.empty()) return;
    run->cpu.share(finished, processes_.cpu_seconds(run->process));
    for (auto& result : finished) run->callbacks.item_finished(std::move(result));
  };

  running_[key] = run;
  if (timeout > 0) {
    restart_timeout();
    wait_for_deadline(run);
  }
  run->process = processes_.start(
      spec,
      [run, flush](std::string_view chunk) {
        run->parser->feed(chunk);
        flush();
      },
      [this, run, flush, timeout, key](const ProcessExit& exit) {
        run->timer.cancel();
        flush();
        const bool cancelled = run->cancelled && !run->timed_out;
        ProcessEnd end = to_process_end(exit, run->timed_out, timeout);
        if (cancelled) end.kind = ProcessEnd::Kind::cancelled;
        collector::BatchEnd batch_end = run->parser->finish(end);
        run->cpu.share(batch_end.results, exit.cpu_seconds);
        for (auto& result : batch_end.results) run->callbacks.item_finished(std::move(result));
        running_.erase(key);
        run->callbacks.batch_done(std::move(batch_end.not_started));  // may start the next batch
        std::error_code ignored;
        std::filesystem::remove_all(run->scratch, ignored);
      },
      [run] {
        if (run->callbacks.process_ended) run->callbacks.process_ended();  // may start one too
      });
}

void LocalRunner::wait_for_deadline(const std::shared_ptr<Running>& run) {
  run->timer.expires_at(run->deadline);
  run->timer.async_wait([this, run](const boost::system::error_code& error) {
    if (error || run->cancelled) return;
    if (asio::steady_timer::clock_type::now() < run->deadline) {
      wait_for_deadline(run);
      return;
    }
    run->timed_out = true;
    processes_.cancel(run->process);
  });
}

void LocalRunner::run_fixture_command(const FixtureCommand& command,
                                      std::function<void(FixtureCommandResult)> done) {
  transport::ProcessSpec spec;
  spec.argv = command.argv;
  spec.working_directory = command.working_directory;
  spec.unset_environment = command.unset_environment;
  for (const auto& var : command.environment) spec.environment.emplace_back(var.name, var.value);
  spec.timeout = to_millis(command.timeout_seconds);
  struct Reading {
    collector::OutputBuffer output;
    FixtureExportParser exports;
  };
  auto reading = std::make_shared<Reading>();
  processes_.start(
      spec,
      [reading](std::string_view chunk) {
        reading->output.append(chunk);
        reading->exports.feed(chunk);
      },
      [reading, done = std::move(done),
       timeout = command.timeout_seconds](const ProcessExit& exit) {
        FixtureCommandResult result;
        result.output = reading->output.str();
        reading->exports.finish();
        result.exports = reading->exports.exports();
        result.export_errors = reading->exports.errors();
        result.seconds = std::chrono::duration<double>(exit.elapsed).count();
        switch (exit.kind) {
          case ProcessExit::Kind::exited:
            result.outcome =
                exit.exit_code == 0 ? collector::Outcome::passed : collector::Outcome::failed;
            result.message = "exited with code " + std::to_string(exit.exit_code);
            break;
          case ProcessExit::Kind::signaled:
            result.outcome = collector::Outcome::crashed;
            result.message = "crashed with " + collector::signal_name(exit.signal);
            break;
          case ProcessExit::Kind::timed_out:
            result.outcome = collector::Outcome::timeout;
            result.message = "timed out after " + collector::format_seconds(timeout) + " s";
            break;
          case ProcessExit::Kind::start_failed:
            result.outcome = collector::Outcome::error;
            result.message = exit.error;
            break;
          case ProcessExit::Kind::cancelled:
            result.outcome = collector::Outcome::not_run;
            result.message = "interrupted";
            break;
        }
        done(std::move(result));
      });
}

void LocalRunner::cancel_all() {
  for (auto& [id, run] : running_) {
    if (run->timed_out) continue;
    run->cancelled = true;
    run->timer.cancel();
  }
  processes_.cancel_all();
}

}  // namespace fanout::launcher
