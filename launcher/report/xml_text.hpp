#pragma once
// Turning arbitrary bytes (whatever a test printed) into XML 1.0 character data.

#include <string>
#include <string_view>

namespace fanout::launcher::report {

/// The text of `bytes` as well-formed UTF-8 that XML 1.0 can carry, with no markup escaping:
/// - each ill-formed UTF-8 sequence (stray continuation bytes, overlong forms, surrogates, code
///   points above U+10FFFF, a sequence cut short) becomes one U+FFFD per maximal subpart, as
///   Unicode recommends, and so do the non-characters U+FFFE and U+FFFF;
/// - control characters other than tab, newline and carriage return (U+0000-U+001F, U+007F and
///   the C1 range U+0080-U+009F) become a visible escape: `\x1b` for ESC, `\x7f` for DEL,
///   `\u0085` for a C1 character (lower-case hex). Backslashes already in the text are kept as
///   they are, so the escape is for reading, not for decoding back.
/// Valid text without control characters is returned unchanged.
std::string sanitize_xml_chars(std::string_view bytes);

/// `bytes` sanitized (see `sanitize_xml_chars`) and escaped for element content: & < > " ' become
/// entity references and a carriage return becomes `&#13;` (a parser would turn it into a newline).
std::string escape_xml_text(std::string_view bytes);

/// `bytes` sanitized and escaped for a quoted attribute value: as `escape_xml_text`, and tab and
/// newline become `&#9;` and `&#10;` so attribute-value normalisation keeps them.
std::string escape_xml_attribute(std::string_view bytes);

/// Appends `escape_xml_text(bytes)` to `out`, with no temporary string.
void append_xml_text(std::string& out, std::string_view bytes);

/// Appends `escape_xml_attribute(bytes)` to `out`, with no temporary string.
void append_xml_attribute(std::string& out, std::string_view bytes);

}  // namespace fanout::launcher::report
