#pragma once
// Feeds every final result of a run into History (a reporter: it only listens).

#include "launcher/history.hpp"
#include "launcher/report/reporter.hpp"

namespace fanout::launcher {

/// Records results into `history` as they arrive, so batch sizing learns during the run.
class HistoryRecorder : public report::Reporter {
 public:
  explicit HistoryRecorder(History& history) : history_(history) {}
  void item_finished(const collector::Item& item, const collector::Result& result) override {
    history_.record(item.id, result, result.cpu_seconds);
  }

 private:
  History& history_;
};

}  // namespace fanout::launcher
