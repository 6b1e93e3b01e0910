#include "launcher/split_guard.hpp"

#include <algorithm>

namespace fanout::launcher {

using collector::Item;
using collector::Outcome;
using collector::Result;

SplitGuard::SplitGuard(report::Reporter& downstream, BatchRunner& runner, History& history,
                       const collector::Framework& whole_framework)
    : downstream_(downstream),
      runner_(runner),
      history_(history),
      whole_framework_(whole_framework) {}

void SplitGuard::watch(const collector::Target& target, const std::vector<Item>& items) {
  Watched& watched = watched_[target.name];
  watched.target = &target;
  watched.whole = target;
  watched.whole.framework = std::string(whole_framework_.name());
  watched.expected = items.size();
  if (watched.expected == 0) watched.done = true;
}

bool SplitGuard::idle() const {
  return verifying_ == 0;
}

void SplitGuard::item_finished(const Item& item, const Result& result) {
  auto it = watched_.find(item.target);
  if (it == watched_.end() || it->second.done || released_) {
    downstream_.item_finished(item, result);
    return;
  }
  Watched& watched = it->second;
  watched.held.emplace_back(item, result);
  if (watched.held.size() < watched.expected) return;
  const bool any_failed = std::any_of(watched.held.begin(), watched.held.end(), [](const auto& h) {
    return collector::is_failure(h.second.outcome);
  });
  if (any_failed) {
    verify(watched);
  } else {
    forward_held(watched);
  }
}

void SplitGuard::verify(Watched& watched) {
  watched.verifying = true;
  ++verifying_;
  downstream_.message(watched.target->name +
                      ": an item failed when run split; running the "
                      "original command whole to check");
  Batch batch;
  batch.target = &watched.whole;
  batch.framework = &whole_framework_;
  batch.item_timeout_seconds = watched.whole.timeout_seconds;
  watched.whole_items = whole_framework_.parse_listing(watched.whole, "");
  batch.items.reserve(watched.whole_items.size());
  for (const Item& item : watched.whole_items) batch.items.push_back(&item);
  auto whole_result = std::make_shared<Result>();
  whole_result->outcome = Outcome::not_run;
  const std::string name = watched.target->name;
  BatchCallbacks callbacks;
  callbacks.item_started = [](const Item&) {};
  callbacks.item_finished = [whole_result](Result result) { *whole_result = std::move(result); };
  callbacks.batch_done = [this, name, whole_result](std::vector<collector::NotStarted>) {
    Watched& w = watched_.at(name);
    conclude(w, *whole_result);
    w.verifying = false;
    --verifying_;
    if (idle() && on_idle_) on_idle_();
  };
  runner_.start(std::move(batch), std::move(callbacks));
}

void SplitGuard::conclude(Watched& watched, const Result& whole) {
  if (whole.outcome == Outcome::passed) {
    history_.mark_unsplittable(watched.target->name);
    downstream_.message(watched.target->name +
                        ": cannot be split (its items fail apart but pass when the binary runs "
                        "whole); it will run whole from now on");
    for (auto& [item, result] : watched.held) {
      if (!collector::is_failure(result.outcome)) continue;
      result.message = "passed when the binary ran whole (failed when split: " +
                       std::string(collector::to_string(result.outcome)) +
                       (result.message.empty() ? "" : ", " + result.message) + ")";
      result.outcome = Outcome::passed;
    }
  } else if (whole.outcome != Outcome::not_run) {
    downstream_.message(watched.target->name + ": the whole command " +
                        std::string(collector::to_string(whole.outcome)) +
                        " as well; the failures stand");
  }
  forward_held(watched);
}

void SplitGuard::forward_held(Watched& watched) {
  watched.done = true;
  auto held = std::move(watched.held);
  watched.held.clear();
  for (const auto& [item, result] : held) downstream_.item_finished(item, result);
}

void SplitGuard::release_all() {
  released_ = true;
  for (auto& [name, watched] : watched_) {
    if (!watched.verifying) forward_held(watched);
  }
}

}  // namespace fanout::launcher
