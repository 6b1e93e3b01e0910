#include "launcher/session.hpp"

#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "launcher/background_collection.hpp"
#include "launcher/errors.hpp"
#include "launcher/item_filter.hpp"
#include "launcher/list_printer.hpp"
#include "launcher/local_runner.hpp"
#include "launcher/manifest.hpp"
#include "launcher/report/junit.hpp"
#include "launcher/report/terminal.hpp"
#include "launcher/scheduler.hpp"
#include "transport/process.hpp"

namespace fanout::launcher {

namespace asio = boost::asio;
using collector::Item;
using collector::Outcome;
using collector::Target;

namespace {

std::filesystem::path make_scratch_root() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/fanout-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    throw std::runtime_error("cannot create a scratch directory under " + pattern);
  }
  return pattern;
}

Manifest load_manifest(const RunOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(options.test_dir, ec)) {
    throw UsageError("--test-dir: '" + options.test_dir.string() + "' is not a directory");
  }
  if (!has_manifest(options.test_dir)) {
    throw UsageError("no Fanout manifest in '" + options.test_dir.string() +
                     "' (expected .fanout/manifest.json): register test binaries with "
                     "add_distributed_tests() and re-run cmake, or pass --test-dir");
  }
  return read_manifest(options.test_dir);
}

/// Adapters for every target; a target whose framework is unknown gets an error instead.
void resolve_frameworks(const std::vector<Target>& targets,
                        std::vector<const collector::Framework*>& frameworks,
                        std::vector<std::string>& errors) {
  for (const auto& target : targets) {
    // FRAMEWORK auto: detection from the binary comes with the other adapters; GoogleTest until then.
    const std::string name = target.framework == "auto" ? "gtest" : target.framework;
    const collector::Framework* framework = collector::find_framework(name);
    frameworks.push_back(framework);
    errors.push_back(framework ? std::string()
                               : target.executable.string() + ": unknown test framework '" +
                                     target.framework + "'");
  }
}

std::unique_ptr<report::Reporter> make_terminal_reporter(const RunOptions& options,
                                                         std::ostream& out) {
  report::TerminalOptions terminal;
  terminal.live = isatty(STDOUT_FILENO) != 0;
  terminal.color = options.color.value_or(report::color_wanted(STDOUT_FILENO));
  terminal.width = report::terminal_width(STDOUT_FILENO);
  return std::make_unique<report::TerminalReporter>(out, terminal);
}

}  // namespace

SessionResult run_session(const RunOptions& options, std::ostream& out) {
  const Manifest manifest = load_manifest(options);
  const auto start_time = std::chrono::steady_clock::now();
  std::vector<const collector::Framework*> frameworks;
  std::vector<std::string> framework_errors;
  resolve_frameworks(manifest.targets, frameworks, framework_errors);
  const ItemFilter filter(options.include_regex, options.exclude_regex);

  collector::CollectOptions collect_options;
  collect_options.list_timeout =
      std::chrono::milliseconds(static_cast<long long>(options.list_timeout_seconds * 1000));
  collect_options.cache_dir = options.test_dir / ".fanout" / "cache";

  report::MultiReporter reporter;
  if (!options.list_only) {
    reporter.add(make_terminal_reporter(options, out));
    if (!options.junit_file.empty()) {
      reporter.add(std::make_unique<report::JUnitReporter>(options.junit_file));
    }
  }

  asio::io_context io;
  transport::ProcessSet processes(io);
  LocalRunner runner(io, processes, make_scratch_root());
  SchedulerOptions scheduler_options;
  scheduler_options.slots = options.jobs;
  scheduler_options.default_timeout_seconds = options.timeout_seconds;
  Scheduler scheduler(runner, reporter, scheduler_options);

  SessionResult result;
  bool interrupted = false;
  auto guard = asio::make_work_guard(io);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::function<void(const boost::system::error_code&, int)> on_signal;
  std::unique_ptr<BackgroundCollection> collection;
  on_signal = [&](const boost::system::error_code& error, int) {
    if (error) return;
    if (interrupted) {  // a second Ctrl-C: stop waiting for anything
      transport::kill_all_process_groups();
      std::_Exit(2);
    }
    interrupted = true;
    if (collection) collection->stop();
    transport::kill_all_process_groups();  // also listings running on collection threads
    scheduler.cancel();
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);

  report::RunInfo info;
  info.workers = options.jobs;
  info.test_dir = options.test_dir.string();
  reporter.run_started(info);

  bool collection_done = false;
  auto maybe_finish = [&] {
    if (!collection_done) return;
    if (options.list_only || scheduler.finished()) {
      signals.cancel();
      guard.reset();
    }
  };
  scheduler.on_finished(maybe_finish);

  BackgroundCollection::Callbacks callbacks;
  callbacks.collected = [&](std::size_t index, std::vector<Item> items) {
    const Target& target = manifest.targets[index];
    std::vector<Item> selected;
    for (auto& item : items) {
      if (filter.selects(item)) selected.push_back(std::move(item));
    }
    result.items_collected += selected.size();
    if (options.list_only) {
      print_target_tree(out, target, selected);
      return;
    }
    reporter.target_collected(target, selected);
    scheduler.add(target, *frameworks[index], std::move(selected));
  };
  callbacks.failed = [&](std::size_t index, std::string message) {
    const Target& target = manifest.targets[index];
    ++result.summary.collection_errors;
    if (options.list_only) {
      out.flush();
      std::cerr << "fanout: " << target.name << ": " << message << "\n";
      return;
    }
    reporter.collection_failed(
        report::CollectionError{target.name, target.executable.string(), message});
  };
  callbacks.done = [&] {
    collection_done = true;
    scheduler.close();
    maybe_finish();
  };
  collection = std::make_unique<BackgroundCollection>(io, manifest.targets, frameworks,
                                                      framework_errors, collect_options,
                                                      options.jobs, std::move(callbacks));
  io.run();
  collection.reset();

  result.summary.counts = scheduler.counts();
  result.summary.interrupted = interrupted;
  result.summary.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  reporter.run_finished(result.summary);
  return result;
}

int exit_code_for(const SessionResult& result) {
  const auto& summary = result.summary;
  if (summary.interrupted) return 2;
  for (const auto& [outcome, count] : summary.counts) {
    if (count > 0 && collector::is_failure(outcome)) return 1;
  }
  if (summary.collection_errors > 0) return 1;
  if (result.items_collected == 0) return 5;
  return 0;
}

}  // namespace fanout::launcher
