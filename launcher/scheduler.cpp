#include "launcher/scheduler.hpp"

#include <algorithm>
#include <set>

namespace fanout::launcher {

using collector::Item;
using collector::Outcome;
using collector::Result;

Scheduler::Scheduler(BatchRunner& runner, report::Reporter& reporter, SchedulerOptions options)
    : runner_(runner), reporter_(reporter), options_(options) {
  options_.slots = std::max(1, options_.slots);
  options_.max_batch_items = std::max<std::size_t>(1, options_.max_batch_items);
}

void Scheduler::add(const collector::Target& target, const collector::Framework& framework,
                    std::vector<Item> items) {
  for (auto& item : items) {
    if (cancelled_) {
      finish_item(item, Result{.item_id = item.id, .outcome = Outcome::not_run,
                               .message = "not run: the run was interrupted"});
    } else if (item.disabled) {
      finish_item(item, Result{.item_id = item.id, .outcome = Outcome::skipped,
                               .message = "disabled"});
    } else {
      queue_.push_back(Entry{&target, &framework, std::move(item)});
    }
  }
  dispatch();
}

void Scheduler::close() {
  closed_ = true;
  check_finished();
}

void Scheduler::cancel() {
  if (cancelled_) return;
  cancelled_ = true;
  auto queued = std::move(queue_);
  queue_.clear();
  for (auto& entry : queued) {
    finish_item(entry.item, Result{.item_id = entry.item.id, .outcome = Outcome::not_run,
                                   .message = "not run: the run was interrupted"});
  }
  runner_.cancel_all();
  check_finished();
}

double Scheduler::timeout_for(const collector::Target& target) const {
  return target.timeout_seconds > 0 ? target.timeout_seconds : options_.default_timeout_seconds;
}

Batch Scheduler::next_batch() {
  Batch batch;
  batch.id = next_batch_id_++;
  Entry first = std::move(queue_.front());
  queue_.pop_front();
  batch.target = first.target;
  batch.framework = first.framework;
  batch.item_timeout_seconds = timeout_for(*first.target);
  batch.items.push_back(std::move(first.item));
  const std::size_t limit = first.target->isolate ? 1 : options_.max_batch_items;
  for (auto it = queue_.begin(); it != queue_.end() && batch.items.size() < limit;) {
    if (it->target == batch.target) {
      batch.items.push_back(std::move(it->item));
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
  return batch;
}

void Scheduler::dispatch() {
  while (!cancelled_ && busy_slots_ < options_.slots && !queue_.empty()) {
    Batch batch = next_batch();
    auto entries = std::make_shared<std::vector<Entry>>();
    for (const auto& item : batch.items) entries->push_back(Entry{batch.target, batch.framework, item});
    auto finished_ids = std::make_shared<std::set<std::string>>();
    ++busy_slots_;
    BatchCallbacks callbacks;
    callbacks.item_started = [this](const Item& item) { reporter_.item_started(item); };
    callbacks.item_finished = [this, entries, finished_ids](Result result) {
      auto it = std::find_if(entries->begin(), entries->end(),
                             [&](const Entry& e) { return e.item.id == result.item_id; });
      if (it == entries->end() || !finished_ids->insert(result.item_id).second) return;
      finish_item(it->item, std::move(result));
    };
    callbacks.batch_done = [this, entries, finished_ids](std::vector<Item> not_started) {
      // Items neither finished nor returned: the runner lost them; never drop an item silently.
      for (const auto& entry : *entries) {
        const bool returned = std::any_of(not_started.begin(), not_started.end(),
                                          [&](const Item& i) { return i.id == entry.item.id; });
        if (!returned && !finished_ids->count(entry.item.id)) {
          finish_item(entry.item, Result{.item_id = entry.item.id, .outcome = Outcome::error,
                                         .message = "the runner reported no result"});
          finished_ids->insert(entry.item.id);
        }
      }
      const bool progressed = !finished_ids->empty();
      std::vector<Entry> requeue;
      for (auto& item : not_started) {
        auto it = std::find_if(entries->begin(), entries->end(),
                               [&](const Entry& e) { return e.item.id == item.id; });
        if (it == entries->end() || finished_ids->count(item.id)) continue;
        if (cancelled_) {
          finish_item(it->item, Result{.item_id = item.id, .outcome = Outcome::not_run,
                                       .message = "not run: the run was interrupted"});
        } else if (!progressed) {
          finish_item(it->item, Result{.item_id = item.id, .outcome = Outcome::error,
                                       .message = "its process ended before running any test"});
        } else {
          requeue.push_back(*it);
        }
      }
      for (auto it = requeue.rbegin(); it != requeue.rend(); ++it) queue_.push_front(*it);
      --busy_slots_;
      dispatch();
      check_finished();
    };
    runner_.start(batch, std::move(callbacks));
  }
}

void Scheduler::finish_item(const Item& item, Result result) {
  ++counts_[result.outcome];
  reporter_.item_finished(item, result);
}

void Scheduler::check_finished() {
  if (finished_ || busy_slots_ > 0 || !queue_.empty()) return;
  if (!closed_) return;
  finished_ = true;
  if (on_finished_) on_finished_();
}

}  // namespace fanout::launcher
