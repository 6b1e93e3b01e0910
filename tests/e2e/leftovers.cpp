#include "tests/e2e/leftovers.hpp"

#include <signal.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

namespace fanout::e2e {
namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// True for a NUL-separated block with `entry` as one of its strings.
bool holds_entry(const std::string& block, const std::string& entry) {
  std::size_t start = 0;
  while (start < block.size()) {
    std::size_t end = block.find('\0', start);
    if (end == std::string::npos) end = block.size();
    if (block.compare(start, end - start, entry) == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::vector<LeftoverProcess> processes_with_environment(const std::string& entry) {
  std::vector<LeftoverProcess> found;
  std::error_code error;
  for (const auto& dir : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = dir.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    // A zombie's environ reads empty, so only live processes match.
    if (!holds_entry(read_all(dir.path() / "environ"), entry)) continue;
    std::string command_line = read_all(dir.path() / "cmdline");
    std::replace(command_line.begin(), command_line.end(), '\0', ' ');
    found.push_back({static_cast<pid_t>(std::stol(name)), command_line});
  }
  return found;
}

std::vector<LeftoverProcess> reap_leftovers(const std::string& entry,
                                            std::chrono::milliseconds grace) {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  auto found = processes_with_environment(entry);
  while (!found.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    found = processes_with_environment(entry);
  }
  for (const auto& process : found) ::kill(process.pid, SIGKILL);
  return found;
}

std::string describe(const std::vector<LeftoverProcess>& processes) {
  std::string text;
  for (const auto& process : processes) {
    text += "  pid " + std::to_string(process.pid) + ": " + process.command_line + "\n";
  }
  return text;
}

}  // namespace fanout::e2e
