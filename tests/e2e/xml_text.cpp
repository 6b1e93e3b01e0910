#include "tests/e2e/xml_text.hpp"

#include <charconv>
#include <cstdint>
#include <optional>

namespace fanout::e2e {
namespace {

bool is_xml_char(std::uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/// Decodes the UTF-8 sequence at `pos`, advancing it; nullopt when it is not valid UTF-8.
std::optional<std::uint32_t> decode_utf8(std::string_view text, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t length = 0;
  std::uint32_t code = 0;
  std::uint32_t minimum = 0;
  if (lead < 0x80) {
    ++pos;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, code = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code = lead & 0x07, minimum = 0x10000;
  } else {
    return std::nullopt;
  }
  if (pos + length > text.size()) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    code = (code << 6) | (next & 0x3F);
  }
  if (code < minimum || (code >= 0xD800 && code <= 0xDFFF)) return std::nullopt;
  pos += length;
  return code;
}

/// The code point of the character reference starting at `pos` ("&#"), if it is one.
std::optional<std::uint32_t> character_reference(std::string_view text, std::size_t pos) {
  std::size_t start = pos + 2;
  int base = 10;
  if (start < text.size() && text[start] == 'x') ++start, base = 16;
  const auto end = text.find(';', start);
  if (end == std::string_view::npos) return std::nullopt;
  std::uint32_t code = 0;
  const auto [last, error] = std::from_chars(text.data() + start, text.data() + end, code, base);
  if (error != std::errc() || last != text.data() + end) return std::nullopt;
  return code;
}

std::string at(std::size_t pos) {
  return " at byte " + std::to_string(pos);
}

}  // namespace

std::string xml_character_problem(std::string_view document) {
  std::size_t pos = 0;
  while (pos < document.size()) {
    const std::size_t here = pos;
    const auto code = decode_utf8(document, pos);
    if (!code) return "invalid UTF-8" + at(here);
    if (!is_xml_char(*code))
      return "character U+" + std::to_string(*code) + " (decimal)" + at(here);
    if (*code == '&' && document.substr(here, 2) == "&#") {
      const auto referenced = character_reference(document, here);
      if (!referenced) return "malformed character reference" + at(here);
      if (!is_xml_char(*referenced)) {
        return "reference to character " + std::to_string(*referenced) + " (decimal)" + at(here);
      }
    }
  }
  return {};
}

}  // namespace fanout::e2e
