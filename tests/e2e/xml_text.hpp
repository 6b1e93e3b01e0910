#pragma once
// Checks what Boost.PropertyTree's lenient parser lets through: characters XML 1.0 forbids.

#include <string>
#include <string_view>

namespace fanout::e2e {

/// Describes the first reason `document` is not a well-formed XML 1.0 text at the character
/// level: invalid UTF-8, a raw character outside XML's Char production (control characters other
/// than tab, newline and carriage return; U+FFFE, U+FFFF), or a character reference (&#N; or
/// &#xN;) to such a character. Returns an empty string when there is none.
std::string xml_character_problem(std::string_view document);

}  // namespace fanout::e2e
