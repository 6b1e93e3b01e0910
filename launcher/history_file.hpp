#pragma once
// The text of the history file: parsing it into entries and writing entries back (the format is
// described in launcher/history.hpp and docs/history.md).

#include <map>
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
  std::map<std::string, ItemHistory> items;
  std::map<std::string, TargetHistory> targets;
};

/// Parses the text of a history file. Throws HistoryFileError with the reason, naming the entry
/// and member at fault (e.g. `items["t/A.x"].mean_seconds: expected a non-negative number`, or
/// `not valid JSON (...)`). When an id or member appears twice, the last one counts.
HistoryFileContents parse_history_file(std::string_view text);

/// The text of a history file holding `items` and `targets`: items sorted by id, one per line.
/// Numbers are written in their shortest form that reads back as the same double.
std::string format_history_file(const std::map<std::string, ItemHistory>& items,
                                const std::map<std::string, TargetHistory>& targets);

}  // namespace fanout::launcher
