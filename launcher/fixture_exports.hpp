#pragma once
// A fixture setup's exports: the `KEY=VALUE` lines it prints, read as its output streams.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "collector/target.hpp"

namespace fanout::launcher {

/// The longest `NAME=value` line that can be exported: Linux refuses to start a process whose
/// environment holds a longer entry (MAX_ARG_STRLEN: 128 KiB, the entry's terminating NUL
/// included), so a longer one could never reach the items.
inline constexpr std::size_t max_export_bytes = 128 * 1024 - 1;

/// Reads a setup's exports from the whole of its output, chunk by chunk as it arrives, so that no
/// bound on captured output cuts or loses one. An export is a line `NAME=value` (NAME: a
/// shell-style identifier; a CR before the newline is dropped; the value may be empty and hold
/// `=`); a later one for the same NAME wins. Other lines are ignored. Memory stays within about
/// max_export_bytes whatever the output's size: an export line longer than that is not kept, and
/// errors() names it.
class FixtureExportParser {
 public:
  /// Reads the next bytes of the output.
  void feed(std::string_view chunk);
  /// Ends the output: a last line without a newline counts too. Call once, after the last feed.
  void finish();
  /// The exports read so far, in the order of their last line.
  const std::vector<collector::EnvVar>& exports() const { return exports_; }
  /// One message per export line too long to keep, naming its variable and its length.
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  /// What the current line is known to be so far.
  enum class State {
    name,   ///< only identifier characters: may become an export
    value,  ///< `NAME=` seen: an export
    other,  ///< not an export: ignored up to its newline
  };
  void take(std::string_view part);
  void end_line();

  State state_ = State::name;
  std::string line_;            ///< the line's first max_export_bytes + 1 bytes
  std::size_t line_bytes_ = 0;  ///< the line's length so far
  std::size_t name_bytes_ = 0;  ///< the NAME's length, in State::value
  bool ends_with_cr_ = false;   ///< the last byte taken was a CR
  std::vector<collector::EnvVar> exports_;
  std::vector<std::string> errors_;
};

/// Adds `later` to `exports`: a variable of `later` replaces the one of the same name.
void merge_fixture_exports(std::vector<collector::EnvVar>& exports,
                           std::vector<collector::EnvVar> later);

}  // namespace fanout::launcher
