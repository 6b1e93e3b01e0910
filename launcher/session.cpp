#include "launcher/session.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <span>
#include <utility>

#include "collector/detect.hpp"
#include "launcher/background_collection.hpp"
#include "launcher/batch_sizing.hpp"
#include "launcher/ctest_import.hpp"
#include "launcher/dependency_cycle.hpp"
#include "launcher/dependency_gate.hpp"
#include "launcher/errors.hpp"
#include "launcher/history.hpp"
#include "launcher/history_recorder.hpp"
#include "launcher/item_filter.hpp"
#include "launcher/item_tags.hpp"
#include "launcher/joined_fixtures.hpp"
#include "launcher/list_printer.hpp"
#include "launcher/load_share.hpp"
#include "launcher/local_runner.hpp"
#include "launcher/manifest.hpp"
#include "launcher/outcome_counter.hpp"
#include "launcher/plan.hpp"
#include "launcher/report/atomic_file.hpp"
#include "launcher/report/junit.hpp"
#include "launcher/report/terminal.hpp"
#include "launcher/required_files.hpp"
#include "launcher/scheduler.hpp"
#include "launcher/shard.hpp"
#include "launcher/shuffle.hpp"
#include "launcher/split_guard.hpp"
#include "transport/process.hpp"

namespace fanout::launcher {

namespace asio = boost::asio;
using collector::Item;
using collector::Target;

namespace {

/// What a run runs: targets and fixtures, from the manifest or imported from ctest.
struct LoadedTests {
  std::vector<Target> targets;
  std::vector<FixtureDefinition> fixtures;
  std::vector<std::string> warnings;
};

FixtureDefinition to_definition(const Fixture& fixture);

FixtureCommand command_of(const Target& test, const std::string& fixture) {
  FixtureCommand command{.fixture = fixture,
                         .argv = {test.executable.string()},
                         .working_directory = test.working_directory,
                         .environment = test.environment,
                         .timeout_seconds = test.timeout_seconds,
                         .name = test.name,
                         .unset_environment = test.unset_environment,
                         .required_files = test.required_files};
  command.argv.insert(command.argv.end(), test.extra_args.begin(), test.extra_args.end());
  return command;
}

/// CTest's FIXTURES_SETUP / FIXTURES_CLEANUP tests become the setup and cleanup commands of
/// the run's fixtures, every one of them, in the order ctest lists them, and run once each (see
/// joined_fixture_names); the other tests stay targets. A fixture with cleanup tests only is
/// ready without running anything.
void map_ctest_fixtures(std::vector<Target> imported, LoadedTests& tests) {
  const std::map<std::string, std::string> joined = joined_fixture_names(imported);
  // The fixtures `names` run as, each once, in order.
  auto run_as = [&](const std::vector<std::string>& names) {
    std::vector<std::string> fixtures;
    for (const auto& name : names) {
      const std::string& fixture = joined.at(name);
      if (std::find(fixtures.begin(), fixtures.end(), fixture) == fixtures.end()) {
        fixtures.push_back(fixture);
      }
    }
    return fixtures;
  };
  std::map<std::string, FixtureDefinition> fixtures;
  for (auto& test : imported) {
    test.fixtures_required = run_as(test.fixtures_required);
    if (test.fixtures_setup.empty() && test.fixtures_cleanup.empty()) {
      tests.targets.push_back(std::move(test));
      continue;
    }
    for (const auto& name : run_as(test.fixtures_setup)) {
      FixtureDefinition& fixture = fixtures[name];
      fixture.name = name;
      fixture.setups.push_back(command_of(test, name));
    }
    for (const auto& name : run_as(test.fixtures_cleanup)) {
      FixtureDefinition& fixture = fixtures[name];
      fixture.name = name;
      fixture.cleanups.push_back(command_of(test, name));
    }
  }
  for (auto& [name, fixture] : fixtures) tests.fixtures.push_back(std::move(fixture));
}

LoadedTests load_tests(const RunOptions& options) {
  const auto& dir = options.test_dir;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw UsageError("--test-dir: '" + dir.string() + "' is not a directory");
  }
  LoadedTests tests;
  if (!options.from_ctest && has_manifest(dir)) {
    Manifest manifest = read_manifest(dir);
    tests.targets = std::move(manifest.targets);
    for (const auto& fixture : manifest.fixtures) tests.fixtures.push_back(to_definition(fixture));
    return tests;
  }
  if (!std::filesystem::exists(dir / "CTestTestfile.cmake", ec)) {
    throw UsageError("no tests in '" + dir.string() +
                     "': it has neither a Fanout manifest (.fanout/manifest.json, written by "
                     "add_distributed_tests()) nor CTest tests (CTestTestfile.cmake); pass the "
                     "build tree with --test-dir");
  }
  CtestImport imported = import_ctest(dir);
  tests.warnings = std::move(imported.warnings);
  map_ctest_fixtures(std::move(imported.targets), tests);
  return tests;
}

/// Adapters for every target; a target that cannot run gets an error instead.
void resolve_frameworks(const std::vector<Target>& targets, const History& history,
                        std::vector<const collector::Framework*>& frameworks,
                        std::vector<std::string>& errors) {
  for (const auto& target : targets) {
    const collector::Framework* framework = nullptr;
    std::string error;
    if (target.executable.empty()) {
      error = "'" + target.name + "' has no command: its executable was not built";
    } else if (target.framework == "auto") {
      framework = target.from_ctest && history.is_unsplittable(target.name)
                      ? collector::find_framework("exe")
                      : collector::detect_framework(target.executable);
    } else {
      framework = collector::find_framework(target.framework);
      if (!framework) {
        error = target.executable.string() + ": unknown test framework '" + target.framework + "'";
      }
    }
    frameworks.push_back(framework);
    errors.push_back(error);
  }
}

/// A CTest command Fanout splits into items (and so must verify, see SplitGuard).
bool is_split_ctest_command(const Target& target, const collector::Framework* framework) {
  return target.from_ctest && target.framework == "auto" && framework && framework->name() != "exe";
}

FixtureDefinition to_definition(const Fixture& fixture) {
  FixtureDefinition definition;
  definition.name = fixture.name;
  definition.setups.push_back(FixtureCommand{.fixture = fixture.name,
                                             .argv = fixture.setup,
                                             .working_directory = fixture.working_directory,
                                             .timeout_seconds = fixture.timeout_seconds});
  if (!fixture.cleanup.empty()) {
    definition.cleanups.push_back(FixtureCommand{.fixture = fixture.name,
                                                 .argv = fixture.cleanup,
                                                 .working_directory = fixture.working_directory,
                                                 .timeout_seconds = fixture.timeout_seconds});
  }
  return definition;
}

std::unique_ptr<report::Reporter> make_terminal_reporter(const RunOptions& options,
                                                         std::ostream& out) {
  report::TerminalOptions terminal;
  terminal.live = isatty(STDOUT_FILENO) != 0;
  terminal.color = options.color.value_or(report::color_wanted(STDOUT_FILENO));
  terminal.width = report::terminal_width(STDOUT_FILENO);
  return std::make_unique<report::TerminalReporter>(out, terminal);
}

SchedulerOptions make_scheduler_options(const RunOptions& options, const History& history) {
  SchedulerOptions scheduler;
  scheduler.slots = options.jobs;
  scheduler.default_timeout_seconds = options.timeout_seconds;
  scheduler.retries = options.retries;
  if (options.repeat) {
    scheduler.repeat = options.repeat->until_fail ? RepeatMode::until_fail : RepeatMode::until_pass;
    scheduler.repeat_count = options.repeat->count;
  }
  const BatchPolicy policy;
  scheduler.max_batch_items = options.isolate ? 1 : policy.max_items;
  scheduler.keep_order = options.shuffle;
  scheduler.batch_size = [policy](const std::vector<double>& candidates, double queued, int slots) {
    return take_count(candidates, queued, slots, policy);
  };
  if (options.load_aware) {
    scheduler.core_share = [&history](const Item& item) {
      return core_share(history.find(item.id));
    };
  }
  // History learns during the run: a binary's later batches are sized from its first.
  scheduler.estimate_seconds = [&history, policy](const Item& item) {
    const ItemHistory* known = history.find(item.id);
    return known && known->runs > 0 ? known->mean_seconds
                                    : unknown_estimate(history, item.target, policy);
  };
  return scheduler;
}

/// What planning keeps of one target's items (all, or with --rerun-failed those that failed
/// last time), in listing order.
std::vector<PlannedItem> plan_target(std::vector<Item>& items, const History& history,
                                     const RunOptions& options) {
  std::vector<PlannedItem> planned = plan_items(items, history);
  if (!options.rerun_failed) return planned;
  planned = select_failed_last(planned);
  std::vector<Item> kept;
  kept.reserve(planned.size());
  for (std::size_t i = 0; i < planned.size(); ++i) {
    kept.push_back(std::move(items[planned[i].index]));
    planned[i].index = i;
  }
  items = std::move(kept);
  return planned;
}

/// The scheduler's view of `items` (which stay where they are for the rest of the run), with
/// what planning found.
std::vector<QueuedItem> to_queued(const std::vector<Item>& items,
                                  const std::vector<PlannedItem>& planned) {
  std::vector<QueuedItem> queued;
  queued.reserve(planned.size());
  for (const auto& p : planned) {
    queued.push_back(QueuedItem{&items[p.index], p.expected_seconds, p.failed_last});
  }
  return queued;
}

/// Whether `signal` was ignored when fanout started (it inherits that from whoever started it).
bool ignored_at_start(int signal) {
  struct sigaction action {};
  return ::sigaction(signal, nullptr, &action) == 0 && action.sa_handler == SIG_IGN;
}

/// Runs `io` until it has no more work, telling `reporter` to flush whenever every handler that
/// was ready has run: output reaches the terminal in a few writes per burst, not one per item,
/// yet never waits behind a process that is silent.
void run_until_done(asio::io_context& io, report::Reporter& reporter) {
  while (io.run_one() > 0) {
    io.poll();
    reporter.flush();
  }
}

}  // namespace

/// Drops the targets the selection excludes as a whole, so they are not even listed: imported
/// CTest tests by ctest's rules, registered targets by their labels.
void drop_unselected_targets(std::vector<Target>& targets, const ItemFilter& filter) {
  std::erase_if(targets, [&](const Target& target) {
    return target.from_ctest ? !filter.selects_test(target) : !filter.may_select(target);
  });
}

SessionResult run_session(const RunOptions& options, std::ostream& out,
                          const SessionFinished& finished) {
  const ItemFilter filter(Selection{options.include_regex, options.exclude_regex,
                                    options.label_regex, options.label_exclude_regex});
  LoadedTests loaded = load_tests(options);
  drop_unselected_targets(loaded.targets, filter);
  // As ctest, refuse to run tests that wait for each other (listing them is fine).
  if (!options.list_only) check_no_dependency_cycle(loaded.targets);
  const LoadedTests& manifest = loaded;
  const auto start_time = std::chrono::steady_clock::now();
  const std::filesystem::path history_file = options.test_dir / ".fanout" / "history.json";
  // Only imported CTest tests need the history to choose their adapter; otherwise it is read on
  // another thread while the first binaries are listed, and waited for where planning needs it
  // (see await_history; --list does not read it at all).
  History history;
  std::future<History> history_loading;
  const bool adapters_need_history =
      std::any_of(manifest.targets.begin(), manifest.targets.end(),
                  [](const Target& target) { return target.from_ctest; });
  // --list with --rerun-failed or --shard lists what a run would take, which history decides.
  const bool list_selected_only = options.list_only && (options.rerun_failed || options.shard);
  if (adapters_need_history) {
    history = History::load(history_file);
  } else if (!options.list_only || list_selected_only) {
    history_loading = std::async(std::launch::async, &History::load, history_file);
  }
  std::vector<const collector::Framework*> frameworks;
  std::vector<std::string> framework_errors;
  resolve_frameworks(manifest.targets, history, frameworks, framework_errors);
  const collector::Framework& whole_framework = *collector::find_framework("exe");
  std::vector<ItemTagger> taggers;
  for (const auto& target : manifest.targets) taggers.emplace_back(target);

  collector::CollectOptions collect_options;
  collect_options.list_timeout =
      std::chrono::milliseconds(static_cast<long long>(options.list_timeout_seconds * 1000));
  collect_options.cache_dir = options.test_dir / ".fanout" / "cache";

  report::MultiReporter reporter;
  if (!options.list_only) {
    reporter.add(make_terminal_reporter(options, out));
    if (!options.junit_file.empty()) {
      try {  // now, rather than after the whole run
        report::check_writable(options.junit_file);
      } catch (const std::runtime_error& e) {
        throw UsageError(std::string("--junit: ") + e.what());
      }
      report::JUnitOptions junit;
      junit.path = options.junit_file;
      reporter.add(std::make_unique<report::JUnitReporter>(junit));
    }
    reporter.add(std::make_unique<HistoryRecorder>(history));
  }
  // The history, read: before planning, and before saving (never an empty one over the file).
  bool history_warnings_told = false;
  auto await_history = [&] {
    if (history_loading.valid()) history = history_loading.get();
    if (std::exchange(history_warnings_told, true)) return;
    for (const auto& warning : history.warnings()) reporter.message("history: " + warning);
  };
  auto counter = std::make_unique<OutcomeCounter>();
  const OutcomeCounter& outcomes = *counter;
  reporter.add(std::move(counter));
  // DEPENDS: hears the final results (after SplitGuard's), tells the scheduler what may start.
  DependencyGate* dependencies = nullptr;
  if (auto gate = std::make_unique<DependencyGate>(manifest.targets);
      !options.list_only && gate->has_dependencies()) {
    dependencies = gate.get();
    reporter.add(std::move(gate));
  }

  // Every target's selected items, once planned: they stay here, unmoved, until the run ends, and
  // the scheduler, the runner and the adapters' parsers refer to them. Declared before those so
  // that it outlives them.
  std::vector<std::vector<Item>> collected(manifest.targets.size());

  asio::io_context io;
  transport::ProcessSet processes(io);
  LocalRunner local_runner(io, processes);
  RequiredFilesCheck runner(io, local_runner);
  SplitGuard guard_split(reporter, runner, history, whole_framework);
  SchedulerOptions scheduler_options = make_scheduler_options(options, history);
  if (dependencies) {
    scheduler_options.may_start = [dependencies](const Target& target) {
      return dependencies->may_start(target);
    };
  }
  Scheduler scheduler(runner, guard_split, std::move(scheduler_options));
  bool resume_posted = false;
  if (dependencies) {
    // The gate hears of a finished test in the middle of the scheduler's own work: resume later.
    dependencies->on_change([&] {
      if (std::exchange(resume_posted, true)) return;
      asio::post(io, [&] {
        resume_posted = false;
        scheduler.resume();
      });
    });
  }
  for (const auto& fixture : manifest.fixtures) scheduler.define_fixture(fixture);

  SessionResult result;
  bool interrupted = false;
  auto guard = asio::make_work_guard(io);
  // Ctrl-C, kill, a closed terminal, and a reader of the output gone (`fanout | head`) all stop
  // the run the same way: tests killed, cleanups run, reports of what finished written. SIGINT
  // and SIGHUP stay ignored when fanout was started ignoring them (`nohup`, `fanout &` in a
  // script).
  asio::signal_set signals(io, SIGTERM, SIGPIPE);
  for (const int signal : {SIGINT, SIGHUP}) {
    if (!ignored_at_start(signal)) signals.add(signal);
  }
  std::function<void(const boost::system::error_code&, int)> on_signal;
  std::unique_ptr<BackgroundCollection> collection;
  on_signal = [&](const boost::system::error_code& error, int signal) {
    if (error) return;
    if (interrupted && signal == SIGPIPE) {  // another write to the reader that left
      signals.async_wait(on_signal);
      return;
    }
    if (interrupted) {  // a second Ctrl-C: wait for nothing more (cleanups included), but
      transport::kill_all_process_groups();  // still write the reports of what finished
      io.stop();
      return;
    }
    interrupted = true;
    if (collection) collection->stop();
    transport::kill_all_process_groups();  // also listings running on collection threads
    guard_split.release_all();
    scheduler.cancel();
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);

  report::RunInfo info;
  info.workers = options.jobs;
  info.test_dir = options.test_dir.string();
  for (const auto& target : manifest.targets) info.targets.push_back(target.name);
  reporter.run_started(info);
  for (const auto& warning : manifest.warnings) reporter.message("ctest import: " + warning);

  // Shards and shuffles are decided over every item, so they wait for the whole collection;
  // otherwise running starts as soon as the first binary is listed.
  const bool plan_globally = options.shard || options.shuffle;
  std::vector<CollectedTarget> listing(manifest.targets.size());
  for (std::size_t i = 0; i < listing.size(); ++i) {
    listing[i].target = &manifest.targets[i];
    listing[i].framework =
        frameworks[i] ? std::string(frameworks[i]->name()) : manifest.targets[i].framework;
  }

  bool collection_done = false;
  auto maybe_finish = [&] {
    if (!collection_done) return;
    if (options.list_only || (scheduler.finished() && guard_split.idle())) {
      signals.cancel();
      guard.reset();
    }
  };
  scheduler.on_finished(maybe_finish);
  guard_split.on_idle(maybe_finish);

  std::size_t items_planned = 0;
  // A target's selected items are announced before planning takes them over.
  auto announce = [&](std::size_t index, const std::vector<Item>& items) {
    const Target& target = manifest.targets[index];
    items_planned += items.size();
    if (is_split_ctest_command(target, frameworks[index])) guard_split.watch(target, items);
    reporter.target_collected(target, items);
  };
  auto submit = [&](std::size_t index, std::vector<QueuedItem> queued,
                    std::span<const Item> listing = {}) {
    scheduler.add(manifest.targets[index], *frameworks[index], std::move(queued), listing);
  };

  // --rerun-failed, --shard and --shuffle over every collected item: afterwards `collected`
  // holds each target's items planned, in planned order, and the result their queue entries.
  auto select_everything = [&] {
    await_history();
    std::size_t total = 0;
    for (const auto& items : collected) total += items.size();
    std::vector<Item*> all;  // every collected item, where it lies in `collected`
    std::vector<std::size_t> target_of;
    std::vector<PlannedItem> planned;
    all.reserve(total);
    target_of.reserve(total);
    planned.reserve(total);
    const double unknown = default_unknown_seconds(history);
    for (std::size_t t = 0; t < collected.size(); ++t) {
      for (auto& item : collected[t]) {
        planned.push_back(plan_item(all.size(), item, history, unknown));
        all.push_back(&item);
        target_of.push_back(t);
      }
    }
    if (options.rerun_failed) planned = select_failed_last(planned);
    if (options.shard) {
      planned = select_shard(planned, *options.shard);
      reporter.message("shard " + std::to_string(options.shard->index) + "/" +
                       std::to_string(options.shard->count) + ": " +
                       std::to_string(planned.size()) + " of " + std::to_string(all.size()) +
                       " items");
    }
    if (options.shuffle && !options.list_only) {
      const std::uint64_t seed = options.shuffle_seed.value_or(make_seed());
      reporter.message("shuffle seed: " + std::to_string(seed) +
                       " (repeat with --shuffle=" + std::to_string(seed) + ")");
      shuffle_items(planned, seed);
    }
    std::vector<std::size_t> count(collected.size(), 0);
    for (const auto& p : planned) ++count[target_of[p.index]];
    std::vector<std::vector<Item>> kept(collected.size());
    for (std::size_t t = 0; t < kept.size(); ++t) kept[t].reserve(count[t]);
    for (const auto& p : planned) kept[target_of[p.index]].push_back(std::move(*all[p.index]));
    all.clear();
    for (std::size_t t = 0; t < kept.size(); ++t) collected[t] = std::move(kept[t]);
    std::vector<std::vector<QueuedItem>> per_target(collected.size());
    for (std::size_t t = 0; t < per_target.size(); ++t) per_target[t].reserve(count[t]);
    for (const auto& p : planned) {
      const std::size_t t = target_of[p.index];
      const Item& item = collected[t][per_target[t].size()];
      per_target[t].push_back(QueuedItem{&item, p.expected_seconds, p.failed_last});
    }
    return per_target;
  };
  auto plan_everything = [&] {
    std::vector<std::vector<QueuedItem>> per_target = select_everything();
    for (std::size_t t = 0; t < collected.size(); ++t) {
      if (!collected[t].empty()) announce(t, collected[t]);
    }
    for (std::size_t t = 0; t < per_target.size(); ++t) {
      if (!per_target[t].empty()) submit(t, std::move(per_target[t]));
    }
  };
  // What --list prints with --rerun-failed or --shard: the items a run would take.
  auto list_selected = [&] {
    select_everything();
    for (std::size_t t = 0; t < collected.size(); ++t) listing[t].items = std::move(collected[t]);
  };

  BackgroundCollection::Callbacks callbacks;
  auto on_collected = [&](std::size_t index, std::vector<Item> items) {
    taggers[index].apply(items);
    for (std::size_t i = 0; i < items.size(); ++i) items[i].ordinal = i;
    const std::size_t listed = items.size();
    // An imported CTest test was selected whole, by ctest's rules.
    if (!manifest.targets[index].from_ctest) {
      std::erase_if(items, [&](const Item& item) { return !filter.selects(item); });
    }
    result.items_collected += items.size();
    if (options.list_only && !list_selected_only) {
      listing[index].items = std::move(items);
    } else if (plan_globally || list_selected_only) {
      collected[index] = std::move(items);
    } else {
      await_history();
      std::vector<Item>& selected = collected[index];
      selected = std::move(items);
      const std::vector<PlannedItem> planned = plan_target(selected, history, options);
      // From here on the target's items stay where they are: the scheduler refers to them.
      announce(index, selected);
      // When every listed item was kept, they are the whole listing, which adapters may use.
      std::span<const Item> listing;
      if (selected.size() == listed) listing = selected;
      submit(index, to_queued(selected, planned), listing);
    }
  };
  callbacks.collected = on_collected;
  callbacks.failed = [&](std::size_t index, std::string message) {
    const Target& target = manifest.targets[index];
    if (is_split_ctest_command(target, frameworks[index])) {
      // ctest runs this command whole and judges it whole; so does Fanout when it cannot list it.
      reporter.message(target.name + ": cannot be listed (" + message + "); running it whole");
      frameworks[index] = &whole_framework;
      on_collected(index, whole_framework.parse_listing(target, ""));
      return;
    }
    ++result.summary.collection_errors;
    if (options.list_only) {
      std::cerr << "fanout: " << target.name << ": " << message << "\n";
      listing[index].error = message;
      return;
    }
    reporter.collection_failed(
        report::CollectionError{target.name, target.executable.string(), message});
  };
  callbacks.done = [&] {
    if (list_selected_only) {
      list_selected();
    } else if (plan_globally && !options.list_only && !interrupted) {
      plan_everything();
    }
    if (dependencies) dependencies->collection_done();
    collection_done = true;
    scheduler.close();
    maybe_finish();
  };
  collection =
      std::make_unique<BackgroundCollection>(io, manifest.targets, frameworks, framework_errors,
                                             collect_options, options.jobs, std::move(callbacks));
  if (!history_loading.valid()) await_history();  // read already: tell its warnings now
  run_until_done(io, reporter);
  collection.reset();
  if (options.list_only) {
    if (options.list_format == "json") {
      print_json(out, listing);
    } else {
      print_tree(out, listing);
    }
  }

  result.summary.counts = outcomes.counts();
  result.summary.interrupted = interrupted;
  result.summary.fixture_failures = scheduler.fixture_failures();
  result.summary.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  if (options.rerun_failed && !options.list_only && !interrupted && result.items_collected > 0 &&
      items_planned == 0) {
    reporter.message("--rerun-failed: none of the " + std::to_string(result.items_collected) +
                     " items collected failed last time; nothing to run");
  }
  if (!options.list_only) {
    try {
      await_history();
      if (history.changed()) history.save(history_file);
    } catch (const std::exception& e) {
      reporter.message(std::string("history not saved: ") + e.what());
    }
  }
  reporter.run_finished(result.summary);
  if (finished) finished(result);
  return result;
}

int exit_code_for(const SessionResult& result) {
  const auto& summary = result.summary;
  if (summary.interrupted) return 2;
  for (const auto& [outcome, count] : summary.counts) {
    if (count > 0 && collector::is_failure(outcome)) return 1;
  }
  if (summary.collection_errors > 0 || summary.fixture_failures > 0) return 1;
  if (result.items_collected == 0) return 5;
  return 0;
}

}  // namespace fanout::launcher
