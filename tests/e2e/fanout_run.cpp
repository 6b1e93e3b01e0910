#include "tests/e2e/fanout_run.hpp"

#include <cctype>
#include <fstream>
#include <iterator>
#include <regex>
#include <stdexcept>

namespace fanout::e2e {
namespace {

std::string last_non_empty_line(std::string output) {
  while (!output.empty() && std::isspace(static_cast<unsigned char>(output.back()))) {
    output.pop_back();
  }
  const std::size_t newline = output.rfind('\n');
  return newline == std::string::npos ? output : output.substr(newline + 1);
}

constexpr std::size_t kDiagnosticLimit = 8000;

std::string clipped(const std::string& text) {
  if (text.size() <= kDiagnosticLimit) return text;
  return text.substr(0, kDiagnosticLimit / 2) + "\n[... clipped ...]\n" +
         text.substr(text.size() - kDiagnosticLimit / 2);
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const SummaryLine& line) {
  return out << line.passed << " passed, " << line.failed << " failed, " << line.skipped
             << " skipped";
}

std::optional<SummaryLine> parse_summary_line(const std::string& line) {
  static const std::regex pattern(R"(^(\d+) passed, (\d+) failed, (\d+) skipped$)");
  std::smatch match;
  if (!std::regex_match(line, match, pattern)) return std::nullopt;
  return SummaryLine{std::stoi(match[1]), std::stoi(match[2]), std::stoi(match[3])};
}

const JunitCase* FanoutRun::item(const std::string& item_id) const {
  return junit ? junit->find(item_id) : nullptr;
}

std::string FanoutRun::diagnostics() const {
  return "exit code " + std::to_string(command.exit_code) + ", signal " +
         std::to_string(command.signal) + ", " + std::to_string(command.seconds) +
         " s\n--- output ---\n" + clipped(command.output) + "\n--- junit ---\n" +
         clipped(junit_text) + "\n--- junit error ---\n" + junit_error + "\n";
}

std::vector<std::string> fanout_argv(const ManifestDir& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv{FANOUT_BINARY, "--test-dir", dir.path().string(), "--junit",
                                dir.junit_path().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

FanoutRun collect_run(const ManifestDir& dir, CommandResult command) {
  FanoutRun run;
  run.command = std::move(command);
  run.last_line = last_non_empty_line(run.command.output);
  run.leftovers = reap_leftovers(dir.token_entry());
  std::ifstream in(dir.junit_path(), std::ios::binary);
  if (!in) {
    run.junit_error = "no JUnit file at " + dir.junit_path().string();
    return run;
  }
  run.junit_text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  try {
    run.junit = parse_junit(run.junit_text);
  } catch (const std::exception& e) {
    run.junit_error = e.what();
  }
  return run;
}

FanoutRun run_fanout(const ManifestDir& dir, const std::vector<std::string>& args,
                     std::chrono::seconds timeout) {
  return collect_run(dir, run_command(fanout_argv(dir, args), dir.path(), timeout));
}

}  // namespace fanout::e2e
