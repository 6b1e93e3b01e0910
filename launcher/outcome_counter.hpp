#pragma once
// Counts final outcomes (a reporter: it only listens).

#include <map>

#include "launcher/report/reporter.hpp"

namespace fanout::launcher {

/// Counts every item_finished by outcome; the run's summary comes from here, after every proxy
/// (retries, split verification) has had its say.
class OutcomeCounter : public report::Reporter {
 public:
  void item_finished(const collector::Item&, const collector::Result& result) override {
    ++counts_[result.outcome];
  }
  const std::map<collector::Outcome, std::size_t>& counts() const { return counts_; }

 private:
  std::map<collector::Outcome, std::size_t> counts_;
};

}  // namespace fanout::launcher
