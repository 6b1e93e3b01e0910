#include "collector/output_buffer.hpp"

#include <algorithm>

namespace fanout::collector {

OutputBuffer::OutputBuffer(std::size_t head_limit, std::size_t tail_limit)
    : head_limit_(head_limit), tail_limit_(tail_limit) {}

void OutputBuffer::append(std::string_view data) {
  total_ += data.size();
  if (head_.size() < head_limit_) {
    const std::size_t n = std::min(head_limit_ - head_.size(), data.size());
    head_.append(data.substr(0, n));
    data.remove_prefix(n);
  }
  if (data.empty() || tail_limit_ == 0) return;
  if (data.size() >= tail_limit_) {
    tail_.assign(data.substr(data.size() - tail_limit_));
    tail_start_ = 0;
    return;
  }
  if (tail_.size() < tail_limit_) {
    const std::size_t n = std::min(tail_limit_ - tail_.size(), data.size());
    tail_.append(data.substr(0, n));
    data.remove_prefix(n);
  }
  // Ring-buffer overwrite for the rest.
  for (char c : data) {
    tail_[tail_start_] = c;
    tail_start_ = (tail_start_ + 1) % tail_limit_;
  }
}

std::size_t OutputBuffer::cut_bytes() const {
  return total_ - head_.size() - tail_.size();
}

std::string OutputBuffer::str() const {
  std::string out = head_;
  if (const std::size_t cut = cut_bytes(); cut > 0) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += "[... " + std::to_string(cut) + " bytes of output cut ...]\n";
  }
  out.append(tail_, tail_start_, std::string::npos);
  out.append(tail_, 0, tail_start_);
  return out;
}

void OutputBuffer::clear() {
  head_.clear();  // keeps the memory for the next item's output
  tail_.clear();
  tail_start_ = 0;
  total_ = 0;
}

}  // namespace fanout::collector
