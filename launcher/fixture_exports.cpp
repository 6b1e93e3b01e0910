#include "launcher/fixture_exports.hpp"

#include <algorithm>
#include <cctype>

namespace fanout::launcher {
namespace {

/// Whether `c` can be part of a NAME, at its start when `first`.
bool is_name_char(char c, bool first) {
  const auto byte = static_cast<unsigned char>(c);
  return c == '_' || std::isalpha(byte) || (!first && std::isdigit(byte));
}

/// Names in messages are cut to this many bytes: one as long as a whole export helps nobody.
constexpr std::size_t shown_name_bytes = 64;

}  // namespace

void FixtureExportParser::feed(std::string_view chunk) {
  while (!chunk.empty()) {
    const std::size_t newline = chunk.find('\n');
    take(chunk.substr(0, newline));
    if (newline == std::string_view::npos) return;
    end_line();
    chunk.remove_prefix(newline + 1);
  }
}

void FixtureExportParser::finish() {
  if (line_bytes_ > 0) end_line();
}

void FixtureExportParser::take(std::string_view part) {
  if (part.empty() || state_ == State::other) return;
  if (state_ == State::name) {
    std::size_t i = 0;
    for (; i < part.size() && part[i] != '='; ++i) {
      if (!is_name_char(part[i], line_bytes_ + i == 0)) {
        state_ = State::other;
        return;
      }
    }
    if (i < part.size()) {
      if (line_bytes_ + i == 0) {  // "=value": no name
        state_ = State::other;
        return;
      }
      name_bytes_ = line_bytes_ + i;
      state_ = State::value;
    }
  }
  // One byte more than an export may have, for the CR that may end it.
  const std::size_t room = max_export_bytes + 1 - line_.size();
  line_.append(part.substr(0, room));
  line_bytes_ += part.size();
  ends_with_cr_ = part.back() == '\r';
}

void FixtureExportParser::end_line() {
  if (state_ == State::value) {
    const std::size_t length = line_bytes_ - (ends_with_cr_ ? 1 : 0);
    if (length > max_export_bytes) {
      std::string name = line_.substr(0, std::min(name_bytes_, shown_name_bytes));
      if (name_bytes_ > shown_name_bytes) name += "...";
      errors_.push_back("export " + name + " is too long to pass to a process: its line has " +
                        std::to_string(length) + " bytes, at most " +
                        std::to_string(max_export_bytes) + " fit in an environment entry");
    } else {
      line_.resize(length);  // every byte of it was kept
      merge_fixture_exports(exports_, {collector::EnvVar{line_.substr(0, name_bytes_),
                                                         line_.substr(name_bytes_ + 1)}});
    }
  }
  state_ = State::name;
  line_.clear();
  line_bytes_ = 0;
  name_bytes_ = 0;
  ends_with_cr_ = false;
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
