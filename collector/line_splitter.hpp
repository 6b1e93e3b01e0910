#pragma once
// Cuts a byte stream, fed in chunks of any size, into lines of bounded length.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace fanout::collector {

/// Splits on '\n'. A line reaching `max_line` bytes is passed on in `max_line` pieces; where the
/// pieces are cut depends only on the bytes, never on how they were split into chunks.
class LineSplitter {
 public:
  /// `line` without its '\n'; `newline`: a '\n' ended it; `continued`: it continues a piece
  /// passed on before (so it is no line start).
  using Sink = std::function<void(std::string_view line, bool newline, bool continued)>;

  explicit LineSplitter(std::size_t max_line = 64 * 1024);

  void feed(std::string_view chunk, const Sink& sink);
  /// The end of the stream: passes on a last line without '\n', if any.
  void finish(const Sink& sink);

 private:
  std::size_t max_line_;
  std::string pending_;
  bool continued_ = false;
};

/// `line` without a trailing '\r'.
std::string_view strip_cr(std::string_view line);

}  // namespace fanout::collector
