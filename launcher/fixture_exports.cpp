#include "launcher/fixture_exports.hpp"

#include <algorithm>
#include <cctype>

namespace fanout::launcher {
namespace {

bool is_identifier(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

std::vector<collector::EnvVar> parse_fixture_exports(std::string_view output) {
  std::vector<collector::EnvVar> exports;
  while (!output.empty()) {
    const std::size_t end = output.find('\n');
    std::string_view line = output.substr(0, end);
    output.remove_prefix(end == std::string_view::npos ? output.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || !is_identifier(line.substr(0, eq))) continue;
    merge_fixture_exports(exports, {collector::EnvVar{std::string(line.substr(0, eq)),
                                                      std::string(line.substr(eq + 1))}});
  }
  return exports;
}

void merge_fixture_exports(std::vector<collector::EnvVar>& exports,
                           std::vector<collector::EnvVar> later) {
  for (auto& var : later) {
    auto same = [&](const collector::EnvVar& v) { return v.name == var.name; };
    exports.erase(std::remove_if(exports.begin(), exports.end(), same), exports.end());
    exports.push_back(std::move(var));
  }
}

}  // namespace fanout::launcher
