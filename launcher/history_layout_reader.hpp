#pragma once
// The fast way to read a history file: straight through the text, for files in the layout
// format_history_file writes (every file Fanout saved). Anything else is left to the JSON reader
// of parse_history_file.

#include <optional>
#include <string_view>

#include "launcher/history_file.hpp"

namespace fanout::launcher {

/// The contents of `text` when it is a valid history file laid out exactly as
/// format_history_file lays it out: the same members in the same order and the same whitespace.
/// Members flaky, cpu_seconds and cpu_runs may each be missing (defaults as in the format);
/// numbers may be spelled any way JSON allows, counts as plain integers; strings may hold escapes
/// and UTF-8. Returns nullopt for anything else, valid or not (another layout, a repeated id, a
/// wrong value, invalid JSON, ...): parse_history_file then reads it as JSON and explains.
/// Numbers are read correctly rounded.
std::optional<HistoryFileContents> read_saved_layout(std::string_view text);

}  // namespace fanout::launcher
