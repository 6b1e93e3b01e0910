#pragma once
// An independent check that text is UTF-8 made only of XML 1.0 characters, written without
// reference to xml_text.cpp (generic decode, then range checks) so the two cannot share a bug.

#include <cstddef>
#include <string>
#include <string_view>

namespace fanout::launcher::report::testing {

/// Empty when `text` is well-formed UTF-8 of XML 1.0 `Char`s; else a description of the first
/// offending position.
inline std::string xml_chars_problem(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
      length = 1;
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      cp = lead & 0x07;
    } else {
      return "bad lead byte at " + std::to_string(i);
    }
    if (i + length > text.size()) return "truncated sequence at " + std::to_string(i);
    for (std::size_t k = 1; k < length; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return "bad continuation at " + std::to_string(i + k);
      cp = (cp << 6) | (b & 0x3F);
    }
    const char32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minimum[length]) return "overlong at " + std::to_string(i);
    const bool xml_char = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                          (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    if (!xml_char) return "not an XML character at " + std::to_string(i);
    i += length;
  }
  return {};
}

}  // namespace fanout::launcher::report::testing
