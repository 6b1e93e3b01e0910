#include "launcher/report/xml_text.hpp"

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

/// Escapes markup characters of already sanitized text; `attribute` also protects whitespace.
std::string escape_markup(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// Whether `bytes` come out of sanitizing and escaping unchanged: printable ASCII without
/// markup characters (and, in text, tabs and newlines). Most names and outputs are.
bool needs_nothing(std::string_view bytes, bool attribute) {
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      if (c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') return false;
    } else if (attribute || (c != '\n' && c != '\t')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string sanitize_xml_chars(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t at = 0;
  while (at < bytes.size()) {
    const Decoded d = decode_at(bytes, at);
    if (!d.valid || d.code_point == 0xFFFE || d.code_point == 0xFFFF) {
      out += replacement_character;
    } else if (is_escaped_control(d.code_point)) {
      append_visible_escape(out, d.code_point);
    } else {
      out.append(bytes.substr(at, d.length));
    }
    at += d.length;
  }
  return out;
}

std::string escape_xml_text(std::string_view bytes) {
  if (needs_nothing(bytes, false)) return std::string(bytes);
  return escape_markup(sanitize_xml_chars(bytes), false);
}

std::string escape_xml_attribute(std::string_view bytes) {
  if (needs_nothing(bytes, true)) return std::string(bytes);
  return escape_markup(sanitize_xml_chars(bytes), true);
}

}  // namespace fanout::launcher::report
