#pragma once
// Small text helpers the collector uses to build messages a user can act on.

#include <cstddef>
#include <string>
#include <string_view>

namespace fanout::collector {

/// Seconds for a message: "30", "0.5", "1.25" (at most three decimals, no trailing zeros).
std::string format_seconds(double seconds);

/// The last `count` non-empty lines of `text`, each indented by two spaces and cut to
/// `max_line` bytes, joined by '\n' (no trailing newline). Empty when `text` has no such line.
std::string quote_last_lines(std::string_view text, std::size_t count, std::size_t max_line = 200);

/// `text` cut to `max` bytes, with "..." appended when something was cut.
std::string shorten(std::string_view text, std::size_t max);

}  // namespace fanout::collector
