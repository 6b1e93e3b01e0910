#include "launcher/report/xml_text.hpp"

#include <array>
#include <cstddef>
#include <cstdio>

namespace fanout::launcher::report {

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

/// One step of UTF-8 decoding: how many bytes were looked at and, when `valid`, the code point.
/// When not valid, `length` is the maximal subpart of an ill-formed sequence (at least 1 byte).
struct Decoded {
  std::size_t length = 1;
  bool valid = false;
  char32_t code_point = 0;
};

// Follows the table of well-formed byte sequences in the Unicode standard (section 3.9): the
// allowed range of the second byte depends on the lead byte, which rules out overlong forms,
// surrogates and code points above U+10FFFF without decoding first.
Decoded decode_at(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return {1, true, lead};
  std::size_t continuation = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  char32_t code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    continuation = 1;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    continuation = 2;
    code_point = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // overlong below U+0800
    if (lead == 0xED) high = 0x9F;  // surrogates U+D800-U+DFFF
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    continuation = 3;
    code_point = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // overlong below U+10000
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return {1, false, 0};  // continuation byte, C0/C1 overlong lead, or F5-FF
  }
  std::size_t length = 1;
  for (std::size_t i = 0; i < continuation; ++i) {
    if (at + length >= text.size()) return {length, false, 0};
    const auto byte = static_cast<unsigned char>(text[at + length]);
    if (byte < low || byte > high) return {length, false, 0};
    code_point = (code_point << 6) | (byte & 0x3F);
    low = 0x80;
    high = 0xBF;
    ++length;
  }
  return {length, true, code_point};
}

void append_visible_escape(std::string& out, char32_t code_point) {
  char buffer[16];
  if (code_point <= 0x7F) {
    std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(code_point));
  } else {
    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(code_point));
  }
  out += buffer;
}

bool is_escaped_control(char32_t c) {
  if (c < 0x20) return c != '\t' && c != '\n' && c != '\r';
  return c >= 0x7F && c <= 0x9F;
}

/// Which bytes the escaping scan must stop at: markup characters, carriage return, other
/// controls, and every non-ASCII byte (which starts a UTF-8 sequence to check); in attributes
/// also tab and newline. The others are copied as they are, in runs.
/// Appends the character that starts at `at` in `bytes` as sanitize_xml_chars keeps it (itself,
/// a visible escape, or U+FFFD); returns how many bytes it took.
std::size_t append_sanitized_at(std::string& out, std::string_view bytes, std::size_t at) {
  const Decoded d = decode_at(bytes, at);
  if (!d.valid || d.code_point == 0xFFFE || d.code_point == 0xFFFF) {
    out += replacement_character;
  } else if (is_escaped_control(d.code_point)) {
    append_visible_escape(out, d.code_point);
  } else {
    out.append(bytes.data() + at, d.length);
  }
  return d.length;
}

constexpr std::array<bool, 256> special_bytes(bool attribute) {
  std::array<bool, 256> special{};
  for (int byte = 0; byte < 256; ++byte) special[byte] = byte < 0x20 || byte >= 0x7F;
  for (const char c : {'&', '<', '>', '"', '\''}) special[static_cast<unsigned char>(c)] = true;
  special['\t'] = attribute;
  special['\n'] = attribute;
  return special;
}
constexpr std::array<bool, 256> special_in_text = special_bytes(false);
constexpr std::array<bool, 256> special_in_attribute = special_bytes(true);

/// The entity for an ASCII byte that markup escaping replaces, or empty.
std::string_view entity_for(char c, bool attribute) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&apos;";
    case '\r':
      return "&#13;";
    case '\n':
      return attribute ? "&#10;" : std::string_view();
    case '\t':
      return attribute ? "&#9;" : std::string_view();
    default:
      return {};
  }
}

/// Appends `bytes` sanitized and escaped. Runs of bytes that need nothing are copied in bulk; only
/// where a byte needs work is it decoded, as sanitize_xml_chars would, and escaped, as markup.
/// Markup characters are ASCII, and neither a replacement character nor a visible escape holds
/// any, so sanitizing and escaping in one pass gives what doing them one after the other does.
void append_escaped(std::string& out, std::string_view bytes, bool attribute) {
  const std::array<bool, 256>& special = attribute ? special_in_attribute : special_in_text;
  const std::size_t size = bytes.size();
  std::size_t run = 0;  // start of the bytes not yet appended
  std::size_t at = 0;
  while (at < size) {
    if (!special[static_cast<unsigned char>(bytes[at])]) {
      ++at;
      continue;
    }
    out.append(bytes.data() + run, at - run);
    if (const std::string_view entity = entity_for(bytes[at], attribute); !entity.empty()) {
      out += entity;
      ++at;
    } else {
      at += append_sanitized_at(out, bytes, at);
    }
    run = at;
  }
  out.append(bytes.data() + run, size - run);
}

}  // namespace

std::string sanitize_xml_chars(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t at = 0;
  while (at < bytes.size()) at += append_sanitized_at(out, bytes, at);
  return out;
}

std::string escape_xml_text(std::string_view bytes) {
  std::string out;
  append_xml_text(out, bytes);
  return out;
}

std::string escape_xml_attribute(std::string_view bytes) {
  std::string out;
  append_xml_attribute(out, bytes);
  return out;
}

void append_xml_text(std::string& out, std::string_view bytes) {
  append_escaped(out, bytes, false);
}

void append_xml_attribute(std::string& out, std::string_view bytes) {
  append_escaped(out, bytes, true);
}

}  // namespace fanout::launcher::report
