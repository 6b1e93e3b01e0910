#include "collector/line_splitter.hpp"

#include <algorithm>
#include <utility>

namespace fanout::collector {

LineSplitter::LineSplitter(std::size_t max_line) : max_line_(std::max<std::size_t>(max_line, 1)) {}

void LineSplitter::feed(std::string_view chunk, const Sink& sink) {
  while (!chunk.empty()) {
    const std::size_t newline = chunk.find('\n');
    const std::size_t room = max_line_ - pending_.size();
    if (newline != std::string_view::npos && newline < room) {
      pending_.append(chunk.substr(0, newline));
      chunk.remove_prefix(newline + 1);
      sink(pending_, true, std::exchange(continued_, false));
      pending_.clear();
      continue;
    }
    const std::size_t take = std::min(room, chunk.size());
    pending_.append(chunk.substr(0, take));
    chunk.remove_prefix(take);
    if (pending_.size() >= max_line_) {
      sink(pending_, false, std::exchange(continued_, true));
      pending_.clear();
    }
  }
}

void LineSplitter::finish(const Sink& sink) {
  if (!pending_.empty()) sink(pending_, false, continued_);
  pending_.clear();
  continued_ = false;
}

std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace fanout::collector
