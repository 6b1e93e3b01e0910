#include "collector/text.hpp"

#include <cstdio>
#include <vector>

namespace fanout::collector {

std::string format_seconds(double seconds) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3f", seconds);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string quote_last_lines(std::string_view text, std::size_t count, std::size_t max_line) {
  std::vector<std::string_view> lines;
  while (!text.empty() && lines.size() < count) {
    const std::size_t end = text.find_last_not_of("\r\n");
    if (end == std::string_view::npos) break;
    text = text.substr(0, end + 1);
    const std::size_t newline = text.find_last_of('\n');
    const std::size_t begin = newline == std::string_view::npos ? 0 : newline + 1;
    std::string_view line = text.substr(begin);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
    text = text.substr(0, begin);
  }
  std::string quoted;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (!quoted.empty()) quoted += '\n';
    quoted += "  " + shorten(*it, max_line);
  }
  return quoted;
}

std::string shorten(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  return std::string(text.substr(0, max)) + "...";
}

}  // namespace fanout::collector
