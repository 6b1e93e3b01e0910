#include "launcher/scheduler.hpp"

#include <algorithm>

#include "launcher/fixture_exports.hpp"

namespace fanout::launcher {

using collector::Item;
using collector::Outcome;
using collector::Result;

namespace {

constexpr const char* interrupted_message = "not run: the run was interrupted";
// Loads are sums of tenths and the like: compare them with room for rounding.
constexpr double load_margin = 1e-9;

}  // namespace

Scheduler::Scheduler(BatchRunner& runner, report::Reporter& reporter, SchedulerOptions options)
    : runner_(runner), reporter_(reporter), options_(std::move(options)) {
  options_.slots = std::max(1, options_.slots);
  options_.max_batch_items = std::max<std::size_t>(1, options_.max_batch_items);
  options_.repeat_count = std::max(1, options_.repeat_count);
}

void Scheduler::define_fixture(FixtureDefinition fixture) {
  const std::string name = fixture.name;
  fixtures_[name] = Fixture{std::move(fixture)};
}

void Scheduler::add(const collector::Target& target, const collector::Framework& framework,
                    std::vector<Item> items) {
  const std::vector<Item>& owned = owned_items_.emplace_back(std::move(items));
  std::vector<QueuedItem> queued;
  queued.reserve(owned.size());
  for (const Item& item : owned) queued.push_back(QueuedItem{&item});
  add(target, framework, std::move(queued));
}

void Scheduler::add(const collector::Target& target, const collector::Framework& framework,
                    std::vector<QueuedItem> items, std::span<const Item> listing) {
  if (!listing.empty()) listings_[&target] = listing;
  std::vector<Entry> fresh;
  fresh.reserve(items.size());
  for (const auto& queued : items) {
    const Item& item = *queued.item;
    const std::uint64_t sequence = next_sequence_++;
    if (cancelled_) {
      finish_item(
          item,
          Result{.item_id = item.id, .outcome = Outcome::not_run, .message = interrupted_message});
    } else if (item.disabled || target.disabled) {
      finish_item(item,
                  Result{.item_id = item.id, .outcome = Outcome::skipped, .message = "disabled"});
    } else {
      fresh.push_back(Entry{&target, &framework, &item, queued.expected_seconds, queued.failed_last,
                            item.isolate, sequence});
    }
  }
  enqueue_all(std::move(fresh));
  dispatch();
  check_finished();
}

bool Scheduler::runs_before(const Entry& a, const Entry& b) const {
  if (!options_.keep_order) {
    if (a.failed_last != b.failed_last) return a.failed_last;
    if (a.expected_seconds != b.expected_seconds) return a.expected_seconds > b.expected_seconds;
  }
  return a.sequence < b.sequence;
}

void Scheduler::enqueue_all(std::vector<Entry> entries) {
  auto before = [this](const std::unique_ptr<Entry>& a, const std::unique_ptr<Entry>& b) {
    return runs_before(*a, *b);
  };
  const auto middle = static_cast<std::ptrdiff_t>(queue_.size());
  queue_.reserve(queue_.size() + entries.size());
  for (auto& entry : entries) {
    queued_seconds_ += entry.expected_seconds;
    queue_.push_back(std::make_unique<Entry>(std::move(entry)));
  }
  std::stable_sort(queue_.begin() + middle, queue_.end(), before);
  std::inplace_merge(queue_.begin(), queue_.begin() + middle, queue_.end(), before);
}

void Scheduler::enqueue(Entry entry) {
  auto before = [this](const Entry& a, const std::unique_ptr<Entry>& b) {
    return runs_before(a, *b);
  };
  queued_seconds_ += entry.expected_seconds;
  auto at = std::upper_bound(queue_.begin(), queue_.end(), entry, before);
  queue_.insert(at, std::make_unique<Entry>(std::move(entry)));
}

void Scheduler::close() {
  closed_ = true;
  run_due_cleanups();
  check_finished();
}

void Scheduler::cancel() {
  if (cancelled_) return;
  cancelled_ = true;
  auto queued = std::move(queue_);
  queue_.clear();
  queued_seconds_ = 0;
  for (auto& entry : queued) {
    finish_item(*entry->item, Result{.item_id = entry->item->id,
                                     .outcome = Outcome::not_run,
                                     .message = interrupted_message});
  }
  runner_.cancel_all();
  run_due_cleanups();
  check_finished();
}

void Scheduler::resume() {
  dispatch();
  check_finished();
}

double Scheduler::timeout_for(const collector::Target& target) const {
  return target.timeout_seconds > 0 ? target.timeout_seconds : options_.default_timeout_seconds;
}

FixtureCommand Scheduler::with_timeout(FixtureCommand command) const {
  if (command.timeout_seconds <= 0) {
    command.timeout_seconds = options_.default_timeout_seconds > 0
                                  ? options_.default_timeout_seconds
                                  : options_.default_fixture_timeout_seconds;
  }
  return command;
}

int Scheduler::slots_of(const collector::Target& target) const {
  if (target.run_serial) return options_.slots;
  return std::clamp(target.processors, 1, options_.slots);
}

std::vector<std::string> Scheduler::locks_of(const Entry& entry) const {
  std::vector<std::string> locks = entry.target->resource_locks;
  if (!entry.item->group.empty()) locks.push_back("group:" + entry.item->group);
  return locks;
}

double Scheduler::load_of(const Entry& entry) const {
  const int slots = slots_of(*entry.target);
  if (!options_.core_share || entry.target->run_serial) return slots;
  return std::clamp(options_.core_share(*entry.item), 0.01, 1.0) * slots;
}

bool Scheduler::can_start(const Entry& entry) {
  if (options_.may_start && !options_.may_start(*entry.target)) return false;
  if (serial_running_) return false;
  if (entry.target->run_serial && holding_ > 0) return false;
  if (busy_load_ + load_of(entry) > options_.slots + load_margin) return false;
  const std::size_t max_processes =
      options_.core_share
          ? static_cast<std::size_t>(options_.slots) *
                static_cast<std::size_t>(std::max(1, options_.max_processes_per_slot))
          : static_cast<std::size_t>(options_.slots);
  if (holding_ >= max_processes) return false;
  for (const auto& lock : locks_of(entry)) {
    if (held_locks_.count(lock)) return false;
  }
  bool ready = true;
  for (const auto& name : entry.target->fixtures_required) {
    auto it = fixtures_.find(name);
    if (it == fixtures_.end()) continue;  // as CTest: a fixture nobody sets up is not waited for
    Fixture& fixture = it->second;
    if (fixture.state == Fixture::State::idle) start_setup(fixture);
    if (fixture.state != Fixture::State::ready) ready = false;
  }
  return ready;
}

void Scheduler::dispatch() {
  if (cancelled_) {
    run_due_cleanups();
    return;
  }
  // Items whose fixture failed fail at once, without running.
  const bool some_setup_failed = std::any_of(fixtures_.begin(), fixtures_.end(), [](const auto& f) {
    return f.second.state == Fixture::State::failed;
  });
  for (std::size_t i = 0; some_setup_failed && i < queue_.size();) {
    const Fixture* failed = nullptr;
    for (const auto& name : queue_[i]->target->fixtures_required) {
      auto it = fixtures_.find(name);
      if (it != fixtures_.end() && it->second.state == Fixture::State::failed) failed = &it->second;
    }
    if (!failed) {
      ++i;
      continue;
    }
    Entry entry = std::move(*queue_[i]);
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(i));
    queued_seconds_ -= entry.expected_seconds;
    fail_for_fixture(entry, *failed);
  }
  for (std::size_t i = 0; i < queue_.size() && busy_load_ + load_margin < options_.slots;) {
    if (can_start(*queue_[i])) {
      start_batch(i);  // removes entries from the queue; rescan from the same position
    } else {
      ++i;
    }
  }
  run_due_cleanups();
}

void Scheduler::start_batch(std::size_t first_index) {
  Entry first = std::move(*queue_[first_index]);
  queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(first_index));
  queued_seconds_ -= first.expected_seconds;

  // Candidates: later queued items that can share the process.
  const bool alone = first.alone || first.target->isolate;
  const double first_load = load_of(first);
  auto estimate = [this](const Entry& e) {
    return options_.estimate_seconds ? options_.estimate_seconds(*e.item) : e.expected_seconds;
  };
  std::vector<std::size_t> candidate_indexes;
  std::size_t argument_bytes = first.item->name.size();
  if (!alone) {
    std::size_t last_ordinal = first.item->ordinal;
    for (std::size_t i = first_index; i < queue_.size(); ++i) {
      const Entry& e = *queue_[i];
      const bool fits = e.target == first.target && !e.alone &&
                        e.item->group == first.item->group &&
                        (!options_.core_share || load_of(e) <= first_load);
      if (options_.keep_order) {
        // A binary runs its items in listing order: the batch ends where the order would not
        // be kept, so a shuffled order is exactly the order items run in.
        if (!fits || e.item->ordinal <= last_ordinal) break;
        last_ordinal = e.item->ordinal;
      } else if (!fits) {
        continue;
      }
      argument_bytes += e.item->name.size() + 1;
      if (candidate_indexes.size() + 1 >= options_.max_batch_items ||
          argument_bytes > options_.max_batch_argument_bytes) {
        break;
      }
      candidate_indexes.push_back(i);
    }
  }
  std::size_t take = 1 + candidate_indexes.size();  // 1 when alone: it has no candidates
  if (!alone && options_.batch_size) {
    // The sizer sees a prefix of the candidates (see BatchSizer): a few estimates first, more
    // only while it takes every one it was shown.
    std::vector<double> seconds{estimate(first)};
    const double queued = queued_seconds_ + first.expected_seconds;
    std::size_t shown = 0;
    while (true) {
      const std::size_t more = std::max<std::size_t>(16, shown);
      const std::size_t until = std::min(candidate_indexes.size(), shown + more);
      for (; shown < until; ++shown) seconds.push_back(estimate(*queue_[candidate_indexes[shown]]));
      take = std::clamp<std::size_t>(options_.batch_size(seconds, queued, options_.slots), 1,
                                     seconds.size());
      if (take < seconds.size() || shown == candidate_indexes.size()) break;
    }
  }

  RunningBatch running;
  running.entries.reserve(take);
  running.entries.push_back(first);
  if (take > 1) {
    // Move the taken candidates out and close the gaps in one pass.
    std::size_t next_candidate = 0;
    std::size_t write = candidate_indexes.front();
    for (std::size_t read = write; read < queue_.size(); ++read) {
      if (next_candidate + 1 < take && read == candidate_indexes[next_candidate]) {
        queued_seconds_ -= queue_[read]->expected_seconds;
        running.entries.push_back(std::move(*queue_[read]));
        ++next_candidate;
      } else {
        if (write != read) queue_[write] = std::move(queue_[read]);
        ++write;
      }
    }
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(write), queue_.end());
  }

  // Results then come in entry order, and each is found at the front of what is unfinished.
  std::stable_sort(
      running.entries.begin(), running.entries.end(),
      [](const Entry& a, const Entry& b) { return a.item->ordinal < b.item->ordinal; });
  running.finished.assign(running.entries.size(), false);
  const Entry& head = running.entries.front();
  Batch batch;
  batch.id = next_batch_id_++;
  batch.target = head.target;
  batch.framework = head.framework;
  batch.item_timeout_seconds = timeout_for(*head.target);
  if (auto it = listings_.find(head.target); it != listings_.end()) batch.listing = it->second;
  batch.items.reserve(running.entries.size());
  for (const auto& entry : running.entries) batch.items.push_back(entry.item);
  for (const auto& name : head.target->fixtures_required) {
    auto it = fixtures_.find(name);
    if (it == fixtures_.end()) continue;
    for (const auto& var : it->second.exports) batch.environment.push_back(var);
  }
  running.locks = locks_of(head);
  running.load = first_load;
  running.serial = head.target->run_serial;
  for (const auto& lock : running.locks) held_locks_.insert(lock);
  busy_load_ += running.load;
  serial_running_ = serial_running_ || running.serial;
  ++holding_;
  const std::uint64_t id = batch.id;
  running_.emplace(id, std::move(running));

  BatchCallbacks callbacks;
  callbacks.item_started = [this](const Item& item) { reporter_.item_started(item); };
  callbacks.item_finished = [this, id](Result result) {
    auto it = running_.find(id);
    if (it != running_.end()) on_item_result(it->second, std::move(result));
  };
  callbacks.process_ended = [this, id] {
    auto it = running_.find(id);
    if (it == running_.end() || !it->second.holds_slot) return;
    release_slot(it->second);
    dispatch();  // the rest of its results are still to come
  };
  callbacks.batch_done = [this, id](std::vector<collector::NotStarted> not_started) {
    on_batch_done(id, std::move(not_started));
  };
  runner_.start(std::move(batch), std::move(callbacks));
}

void Scheduler::on_item_result(RunningBatch& batch, Result result) {
  const std::optional<std::size_t> position = unfinished_position(batch, result.item_id);
  if (!position) return;
  batch.finished[*position] = true;
  batch.progressed = true;
  const Entry& entry = batch.entries[*position];
  const bool failed = collector::is_failure(result.outcome);
  const bool tracked =
      failed || options_.repeat != RepeatMode::once || attempts_.contains(entry.item->id);
  if (!tracked) {  // the common case: passed at the first attempt
    finish_item(*entry.item, std::move(result));
    return;
  }
  Attempts& attempts = attempts_[result.item_id];
  ++attempts.runs;
  if (failed) {
    ++attempts.failures;
    if (!attempts.first_failure) attempts.first_failure = result;
  }
  result.attempts = attempts.runs;

  bool again = false;
  if (!cancelled_ && result.outcome != Outcome::not_run) {
    switch (options_.repeat) {
      case RepeatMode::until_fail:
        again = !failed && attempts.runs < options_.repeat_count;
        break;
      case RepeatMode::until_pass:
        again = failed && attempts.runs < options_.repeat_count;
        break;
      case RepeatMode::once:
        again = failed && attempts.runs <= options_.retries;
        break;
    }
  }
  if (again) {
    Entry retry = entry;
    retry.alone = failed;  // a failure is retried in a fresh process of its own
    retry.failed_last = true;
    retry.sequence = next_sequence_++;
    enqueue(std::move(retry));
    return;
  }
  if (!failed && result.outcome == Outcome::passed && attempts.failures > 0 &&
      options_.repeat == RepeatMode::once) {
    const Result& first = *attempts.first_failure;
    result.outcome = Outcome::flaky;
    result.message = "passed on attempt " + std::to_string(attempts.runs) + " after " +
                     std::string(collector::to_string(first.outcome)) +
                     (first.message.empty() ? "" : ": " + first.message);
    if (!first.output.empty()) {
      result.output = "--- output of the failed attempt ---\n" + first.output +
                      "--- output of the passing attempt ---\n" + result.output;
    }
  }
  finish_item(*entry.item, std::move(result));
}

std::optional<std::size_t> Scheduler::unfinished_position(RunningBatch& batch,
                                                          std::string_view id) {
  std::size_t& first = batch.first_unfinished;
  while (first < batch.entries.size() && batch.finished[first]) ++first;
  if (first < batch.entries.size() && batch.entries[first].item->id == id) return first;
  const auto& index = index_of(batch);
  const auto found = index.find(id);
  if (found == index.end() || batch.finished[found->second]) return std::nullopt;
  return found->second;
}

const std::unordered_map<std::string_view, std::size_t>& Scheduler::index_of(RunningBatch& batch) {
  if (batch.index.empty()) {
    batch.index.reserve(batch.entries.size());
    for (std::size_t i = 0; i < batch.entries.size(); ++i) {
      batch.index.emplace(batch.entries[i].item->id, i);
    }
  }
  return batch.index;
}

void Scheduler::on_batch_done(std::uint64_t batch_id,
                              std::vector<collector::NotStarted> not_started) {
  auto node = running_.extract(batch_id);
  if (node.empty()) return;
  RunningBatch& batch = node.mapped();
  if (batch.holds_slot) release_slot(batch);

  // Returned items; alone: the adapter was unsure of their result, so a fresh process.
  std::vector<bool> returned(batch.entries.size(), false);
  std::vector<bool> run_alone(batch.entries.size(), false);
  for (const auto& returned_item : not_started) {
    const auto position = index_of(batch).find(returned_item.item->id);
    if (position == batch.index.end()) continue;
    returned[position->second] = true;
    run_alone[position->second] = returned_item.alone;
  }
  std::vector<Entry> requeue;
  for (std::size_t i = 0; i < batch.entries.size(); ++i) {
    if (batch.finished[i]) continue;
    Entry& entry = batch.entries[i];
    if (cancelled_) {
      finish_item(*entry.item, Result{.item_id = entry.item->id,
                                      .outcome = Outcome::not_run,
                                      .message = interrupted_message});
    } else if (!returned[i]) {
      // The runner lost it; never drop an item silently.
      finish_item(*entry.item, Result{.item_id = entry.item->id,
                                      .outcome = Outcome::error,
                                      .message = "the runner reported no result"});
    } else if (!batch.progressed) {
      finish_item(*entry.item, Result{.item_id = entry.item->id,
                                      .outcome = Outcome::error,
                                      .message = "its process ended before running any test"});
    } else {
      entry.failed_last = true;  // continue where the batch stopped, before other work
      entry.sequence = next_sequence_++;
      if (run_alone[i]) entry.alone = true;
      requeue.push_back(entry);
    }
  }
  enqueue_all(std::move(requeue));
  dispatch();
  check_finished();
}

void Scheduler::release_slot(RunningBatch& batch) {
  batch.holds_slot = false;
  --holding_;
  busy_load_ = holding_ == 0 ? 0 : busy_load_ - batch.load;  // no drift once idle
  if (batch.serial) serial_running_ = false;
  for (const auto& lock : batch.locks) held_locks_.erase(held_locks_.find(lock));
}

void Scheduler::finish_item(const Item& item, Result result) {
  reporter_.item_finished(item, result);
}

void Scheduler::fail_for_fixture(const Entry& entry, const Fixture& fixture) {
  Result result{.item_id = entry.item->id, .outcome = Outcome::failed, .ran = false};
  result.message =
      "fixture '" + fixture.definition.name + "' setup failed: " + fixture.failed_setup->message;
  result.output = fixture.failed_setup->output;
  finish_item(*entry.item, std::move(result));
}

void Scheduler::start_setup(Fixture& fixture) {
  fixture.next_command = 0;
  fixture.failed_setup.reset();
  if (fixture.definition.setups.empty()) {
    fixture.state = Fixture::State::ready;  // nothing to wait for
    return;
  }
  fixture.state = Fixture::State::setting_up;
  reporter_.message("fixture '" + fixture.definition.name + "': setting up");
  run_next_setup(fixture.definition.name);
}

void Scheduler::run_next_setup(const std::string& name) {
  const Fixture& fixture = fixtures_.at(name);
  FixtureCommand setup = with_timeout(fixture.definition.setups.at(fixture.next_command));
  for (const auto& var : fixture.exports) setup.environment.push_back(var);
  runner_.run_fixture_command(
      setup, [this, name, command = setup.name](FixtureCommandResult result) {
        Fixture& fixture = fixtures_.at(name);
        ++fixture.next_command;
        if (result.succeeded() && !result.export_errors.empty()) {
          // Its items would run without a variable they need: fail rather than cut it.
          result.outcome = Outcome::failed;
          result.message = result.export_errors.front();
          for (std::size_t i = 1; i < result.export_errors.size(); ++i) {
            result.message += "; " + result.export_errors[i];
          }
        }
        if (!result.succeeded()) {
          if (!fixture.failed_setup) fixture.failed_setup = result;  // the first failure explains
          report_fixture_failure(name, report::FixtureFailure::Phase::setup, command, result);
        } else {
          merge_fixture_exports(fixture.exports, std::move(result.exports));
        }
        // As ctest does, a failed setup does not keep the later ones from running.
        if (fixture.next_command < fixture.definition.setups.size() && !cancelled_) {
          run_next_setup(name);
          return;
        }
        // Every setup ran, or the run was cancelled between two: either way it is cleaned up.
        if (fixture.failed_setup) {
          fixture.state = Fixture::State::failed;
        } else {
          fixture.state = Fixture::State::ready;
        }
        dispatch();
        check_finished();
      });
}

void Scheduler::report_fixture_failure(const std::string& fixture,
                                       report::FixtureFailure::Phase phase,
                                       const std::string& command,
                                       const FixtureCommandResult& result) {
  ++fixture_failures_;
  reporter_.fixture_failed(report::FixtureFailure{.fixture = fixture,
                                                  .phase = phase,
                                                  .command = command,
                                                  .outcome = result.outcome,
                                                  .message = result.message,
                                                  .output = result.output,
                                                  .seconds = result.seconds});
}

bool Scheduler::fixture_needed(const std::string& name) const {
  auto requires_it = [&](const Entry& e) {
    const auto& required = e.target->fixtures_required;
    return std::find(required.begin(), required.end(), name) != required.end();
  };
  if (std::any_of(queue_.begin(), queue_.end(),
                  [&](const std::unique_ptr<Entry>& e) { return requires_it(*e); })) {
    return true;
  }
  for (const auto& [id, batch] : running_) {
    if (std::any_of(batch.entries.begin(), batch.entries.end(), requires_it)) return true;
  }
  return false;
}

void Scheduler::run_due_cleanups() {
  if (!closed_ && !cancelled_) return;
  for (auto& [name, fixture] : fixtures_) {
    const bool was_set_up =
        fixture.state == Fixture::State::ready || fixture.state == Fixture::State::failed;
    if (!was_set_up || fixture_needed(name)) continue;
    if (fixture.definition.cleanups.empty()) {
      fixture.state = Fixture::State::done;
      continue;
    }
    fixture.state = Fixture::State::cleaning;
    fixture.next_command = 0;
    run_next_cleanup(name);
  }
}

void Scheduler::run_next_cleanup(const std::string& name) {
  const Fixture& fixture = fixtures_.at(name);
  FixtureCommand cleanup = with_timeout(fixture.definition.cleanups.at(fixture.next_command));
  for (const auto& var : fixture.exports) cleanup.environment.push_back(var);
  runner_.run_fixture_command(
      cleanup, [this, name, command = cleanup.name](FixtureCommandResult result) {
        Fixture& fixture = fixtures_.at(name);
        if (!result.succeeded()) {
          report_fixture_failure(name, report::FixtureFailure::Phase::cleanup, command, result);
        }
        if (++fixture.next_command < fixture.definition.cleanups.size()) {
          run_next_cleanup(name);  // an earlier failure does not excuse the later cleanups
          return;
        }
        fixture.state = Fixture::State::done;
        check_finished();
      });
}

void Scheduler::check_finished() {
  if (finished_ || !closed_ || !running_.empty() || !queue_.empty()) return;
  for (const auto& [name, fixture] : fixtures_) {
    // Not set up, or set up and cleaned up: anything else still has work to do.
    if (fixture.state != Fixture::State::idle && fixture.state != Fixture::State::done) return;
  }
  finished_ = true;
  if (on_finished_) on_finished_();
}

}  // namespace fanout::launcher
