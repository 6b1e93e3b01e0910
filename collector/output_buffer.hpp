#pragma once
// Bounded capture of a test's output: keeps the head and the tail, counts what was cut.

#include <cstddef>
#include <string>
#include <string_view>

namespace fanout::collector {

/// Accumulates output up to `head_limit + tail_limit` bytes of memory, whatever is appended.
/// `str()` returns the head, a marker line saying how many bytes were cut, and the tail.
class OutputBuffer {
 public:
  static constexpr std::size_t default_head = 32 * 1024;
  static constexpr std::size_t default_tail = 32 * 1024;

  explicit OutputBuffer(std::size_t head_limit = default_head,
                        std::size_t tail_limit = default_tail);

  void append(std::string_view data);
  /// Total bytes ever appended.
  std::size_t total_bytes() const { return total_; }
  /// Bytes dropped from the middle.
  std::size_t cut_bytes() const;
  bool empty() const { return total_ == 0; }
  /// The kept text, with a `[... N bytes of output cut ...]` line where bytes were dropped.
  std::string str() const;
  void clear();

 private:
  std::size_t head_limit_;
  std::size_t tail_limit_;
  std::string head_;
  std::string tail_;  // ring buffer once full
  std::size_t tail_start_ = 0;
  std::size_t total_ = 0;
};

}  // namespace fanout::collector
