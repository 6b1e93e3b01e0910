// append_xml_text / append_xml_attribute sanitize and escape in one pass; these tests hold them
// to doing both steps one after the other: sanitize_xml_chars, then markup escaping.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "launcher/report/xml_text.hpp"

namespace fanout::launcher::report {
namespace {

/// Markup escaping of already sanitized text, byte by byte, written out plainly.
std::string reference_markup(std::string_view text, bool attribute) {
  std::string out;
  for (const char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&apos;";
    } else if (c == '\r') {
      out += "&#13;";
    } else if (attribute && c == '\n') {
      out += "&#10;";
    } else if (attribute && c == '\t') {
      out += "&#9;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string appended(std::string_view bytes, bool attribute) {
  std::string out = "kept|";
  if (attribute) {
    append_xml_attribute(out, bytes);
  } else {
    append_xml_text(out, bytes);
  }
  return out;
}

TEST(XmlTextAppend, AppendsAfterWhatIsThere) {
  EXPECT_EQ(appended("", false), "kept|");
  EXPECT_EQ(appended("plain", true), "kept|plain");
  EXPECT_EQ(appended("a]]>b\tc\n", false), "kept|a]]&gt;b\tc\n");
  EXPECT_EQ(appended("a]]>b\tc\n", true), "kept|a]]&gt;b&#9;c&#10;");
  EXPECT_EQ(appended("\x1b[1m\xFF", false), "kept|\\x1b[1m\xEF\xBF\xBD");
}

TEST(XmlTextAppend, SameAsSanitizingThenEscaping) {
  // Bytes drawn mostly from the ones that need work, so that runs, entities, control escapes
  // and UTF-8 sequences (valid, cut short, overlong, surrogate) meet at every boundary.
  const unsigned char pool[] = {'a',  'Z',  ' ',  '&',  '<',  '>',  '"',  '\'', '\t', '\n',
                                '\r', 0x00, 0x07, 0x1b, 0x7f, 0x80, 0x85, 0xBF, 0xC0, 0xC2,
                                0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xED, 0xA0, 0xEF, 0xBF, 0xBE,
                                0xF0, 0x9F, 0x98, 0xF4, 0x90, 0xFF, ']',  '\\'};
  std::uint64_t state = 0x9E3779B97F4A7C15u;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string bytes(next() % 24, '\0');
    for (char& c : bytes) c = static_cast<char>(pool[next() % sizeof pool]);
    for (const bool attribute : {false, true}) {
      const std::string expected = "kept|" + reference_markup(sanitize_xml_chars(bytes), attribute);
      ASSERT_EQ(appended(bytes, attribute), expected) << "round " << round << " attr " << attribute;
      ASSERT_EQ(attribute ? escape_xml_attribute(bytes) : escape_xml_text(bytes),
                expected.substr(5));
    }
  }
}

}  // namespace
}  // namespace fanout::launcher::report
