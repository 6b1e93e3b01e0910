#pragma once
// CTest's regular expressions (PASS/FAIL/SKIP_REGULAR_EXPRESSION): CMake's own dialect, and the
// text CTest searches with them, so that Fanout judges a plain test as ctest does.

#include <bitset>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fanout::collector {

/// A pattern that CMake's engine would refuse; the message gives CMake's reason.
class CmakeRegexError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A regular expression in CMake's syntax (the engine after Henry Spencer's that ctest uses):
/// - `^` matches only at the start of the text and `$` only at its end (never at a line
///   boundary); `.` matches any byte, '\n' included;
/// - `[...]` and `[^...]` are byte sets with ranges; a `]` or `-` first in the set is literal,
///   and a backslash inside is an ordinary byte;
/// - `*`, `+`, `?` (greedy; one may not follow another), `|`, `(...)`;
/// - `\` makes the next character literal: `\n` is 'n' and `\d` is 'd';
/// - every other character, `{` and `}` included, stands for itself.
/// The constructor refuses what CMake refuses, with its reasons ("unmatched ()", "nested *?+",
/// "*+ operand could be empty", "?+* follows nothing", "unmatched []", "invalid [] range",
/// "trailing \\").
///
/// Searching simulates the automaton (no backtracking, no recursion): time is linear in the
/// text, so outputs of any size are safe.
class CmakeRegex {
 public:
  /// Compiles `pattern`; throws CmakeRegexError.
  explicit CmakeRegex(std::string_view pattern);

  /// The offset just past the earliest-ending match in `text`, or nullopt when nothing matches.
  std::optional<std::size_t> search(std::string_view text) const;

 private:
  enum class Op { byte, any, set, split, jump, bol, eol, match };
  struct Instruction {
    Op op = Op::match;
    unsigned char byte = 0;
    std::size_t set = 0;  // index into sets_
    std::size_t x = 0;    // jump target, first choice of a split
    std::size_t y = 0;    // second choice of a split
  };
  friend class CmakeRegexCompiler;

  std::vector<Instruction> program_;
  std::vector<std::bitset<256>> sets_;
};

/// The text ctest searches: it reads the output line by line, a line ending at '\n' or at a
/// NUL byte; such a line loses its trailing '\r's, and every line, the last one included even
/// without an end of its own, is followed by '\n'. (So "a\r\nb" is searched as "a\nb\n", and
/// an empty output as "".) Fed in chunks of any size.
class CtestOutput {
 public:
  /// Text beyond `max_bytes` is dropped (ctest would keep it all).
  explicit CtestOutput(std::size_t max_bytes = std::size_t{64} << 20) : max_bytes_(max_bytes) {}

  void feed(std::string_view chunk);
  /// The end of the output: the last line without an end is added.
  void finish();
  const std::string& text() const { return text_; }

 private:
  void append(std::string_view text);

  std::size_t max_bytes_;
  std::string text_;
  std::string line_;  // the line being read
  bool finished_ = false;
};

}  // namespace fanout::collector
