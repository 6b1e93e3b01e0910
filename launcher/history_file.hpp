#pragma once
// The text of the history file: parsing it into entries and writing entries back (the format is
// described in launcher/history.hpp and docs/history.md).

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "launcher/history.hpp"

namespace fanout::launcher {

/// Why the text of a history file was rejected.
class HistoryFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What a history file holds.
struct HistoryFileContents {
  HistoryItems items;
  std::map<std::string, TargetHistory> targets;
};

/// The first character in [at, end) that a JSON string cannot hold as it is (a quote, backslash
/// or control character) or, when `stop_at_utf8`, that is part of a multi-byte UTF-8 sequence;
/// `end` when there is none. Looks at eight characters at a time: ids are long and mostly plain.
const char* find_special_in_string(const char* at, const char* end, bool stop_at_utf8);

/// The outcome whose name (collector::to_string) is `name`, or nullopt.
std::optional<collector::Outcome> outcome_named(std::string_view name);

/// Parses the text of a history file. Throws HistoryFileError with the reason, naming the entry
/// and member at fault (e.g. `items["t/A.x"].mean_seconds: expected a non-negative number`, or
/// `not valid JSON (...)`). When an id or member appears twice, the last one counts. A file in the
/// layout format_history_file writes is read straight (read_saved_layout); any other through a
/// JSON tree, several times slower.
HistoryFileContents parse_history_file(std::string_view text);

/// The text of a history file holding `items` and `targets`: items sorted by id, one per line.
/// Seconds are rounded to 0.1 µs and written as plain decimals ("0.0000367"; an average decayed
/// below 0.05 µs becomes 0); 1e8 s and more in the shortest form that reads back exactly.
std::string format_history_file(const HistoryItems& items,
                                const std::map<std::string, TargetHistory>& targets);

}  // namespace fanout::launcher
