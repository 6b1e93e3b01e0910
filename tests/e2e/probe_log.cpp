#include "tests/e2e/probe_log.hpp"

#include <stdlib.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace fanout::e2e {

bool overlap(const ProbeRun& a, const ProbeRun& b) {
  if (a.end_ns < 0 || b.end_ns < 0) return false;
  return a.begin_ns < b.end_ns && b.begin_ns < a.end_ns;
}

std::string describe(const std::vector<ProbeRun>& runs) {
  std::ostringstream out;
  for (const auto& run : runs) {
    out << run.id() << " pid " << run.pid << " [" << run.begin_ns << ", " << run.end_ns << "] "
        << run.value << "\n";
  }
  return out.str();
}

ProbeLog::ProbeLog() {
  std::string pattern = (std::filesystem::temp_directory_path() / "fanout-probe-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  directory_ = pattern;
  path_ = directory_ / "probe.log";
}

ProbeLog::~ProbeLog() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::vector<ProbeEvent> ProbeLog::events() const {
  std::vector<ProbeEvent> events;
  std::ifstream in(path_);
  std::string line;
  for (std::size_t number = 0; std::getline(in, line); ++number) {
    std::istringstream fields(line);
    ProbeEvent event;
    event.line = number;
    if (!(fields >> event.event >> event.target >> event.name >> event.pid >> event.ns >>
          event.value)) {
      throw std::runtime_error(path_.string() + ":" + std::to_string(number + 1) +
                               ": malformed probe line '" + line + "'");
    }
    events.push_back(std::move(event));
  }
  return events;
}

std::vector<ProbeRun> ProbeLog::runs() const {
  const std::vector<ProbeEvent> all = events();
  std::vector<ProbeRun> runs;
  std::vector<bool> used(all.size(), false);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const ProbeEvent& begin = all[i];
    if (begin.event != "begin") continue;
    ProbeRun run{begin.target, begin.name, begin.pid, begin.ns, -1, begin.line, 0, begin.value};
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      const ProbeEvent& end = all[j];
      if (used[j] || end.pid != begin.pid || end.target != begin.target || end.name != begin.name) {
        continue;
      }
      if (end.event == "begin") break;  // the same case began again in this process
      if (end.event == "end") {
        used[j] = true;
        run.end_ns = end.ns;
        run.end_line = end.line;
        break;
      }
    }
    runs.push_back(std::move(run));
  }
  return runs;
}

std::vector<ProbeRun> ProbeLog::runs_of(const std::string& target) const {
  std::vector<ProbeRun> selected;
  for (auto& run : runs()) {
    if (run.target == target) selected.push_back(std::move(run));
  }
  return selected;
}

void ProbeLog::clear() const {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

std::string ProbeLog::text() const {
  std::ifstream in(path_);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TargetSpec probe_target(const std::string& name, const ProbeLog& log,
                        const std::vector<std::string>& extra_environment) {
  TargetSpec spec = fixture_target("gtest_probe");
  spec.name = name;
  spec.environment = {"FANOUT_E2E_LOG=" + log.path().string(), "FANOUT_E2E_TARGET=" + name};
  spec.environment.insert(spec.environment.end(), extra_environment.begin(),
                          extra_environment.end());
  return spec;
}

std::vector<std::string> fixture_command(const std::string& mode, const ProbeLog& log,
                                         const std::string& fixture) {
  return {(std::filesystem::path(FANOUT_FIXTURE_DIR) / "fixture_command").string(), mode,
          log.path().string(), fixture};
}

}  // namespace fanout::e2e
