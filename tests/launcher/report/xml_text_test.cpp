#include "launcher/report/xml_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "xml_check.hpp"

namespace fanout::launcher::report {
namespace {

using testing::xml_chars_problem;

const std::string fffd = "\xEF\xBF\xBD";

TEST(XmlText, PlainTextIsUnchanged) {
  EXPECT_EQ(sanitize_xml_chars("hello, world 123"), "hello, world 123");
  EXPECT_EQ(escape_xml_text("plain text"), "plain text");
  EXPECT_EQ(escape_xml_attribute(""), "");
}

TEST(XmlText, EscapesMarkupInTextAndAttributes) {
  const std::string input = "a & b < c > d \"e\" 'f' ]]>";
  const std::string expected = "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos; ]]&gt;";
  EXPECT_EQ(escape_xml_text(input), expected);
  EXPECT_EQ(escape_xml_attribute(input), expected);
}

TEST(XmlText, EveryAsciiByteInPlainTextIsEscapedAsAlone) {
  // Text that needs nothing is passed through as it is: each byte must still get its escape
  // when it appears among plain letters.
  for (int byte = 0; byte < 0x80; ++byte) {
    const char c = static_cast<char>(byte);
    const std::string alone(1, c);
    const std::string among = "ab" + alone + "cd";
    for (const bool attribute : {false, true}) {
      const std::string escaped = attribute ? escape_xml_attribute(alone) : escape_xml_text(alone);
      const std::string in_text = attribute ? escape_xml_attribute(among) : escape_xml_text(among);
      EXPECT_EQ(in_text, "ab" + escaped + "cd") << "byte " << byte << " attribute " << attribute;
      const bool plain =
          byte >= 0x20 && byte < 0x7F && std::string("&<>\"'").find(c) == std::string::npos;
      const bool kept_in_text = plain || c == '\n' || c == '\t';
      EXPECT_EQ(escaped == alone, attribute ? plain : kept_in_text) << "byte " << byte;
    }
  }
}

TEST(XmlText, WhitespaceSurvivesParserNormalisation) {
  EXPECT_EQ(escape_xml_text("a\tb\nc\r\nd"), "a\tb\nc&#13;\nd");
  EXPECT_EQ(escape_xml_attribute("a\tb\nc\r\nd"), "a&#9;b&#10;c&#13;&#10;d");
}

TEST(XmlText, ControlCharactersBecomeVisibleEscapes) {
  EXPECT_EQ(sanitize_xml_chars("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(sanitize_xml_chars(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(sanitize_xml_chars("\x01\x08\x0b\x0c\x1f"), "\\x01\\x08\\x0b\\x0c\\x1f");
  EXPECT_EQ(sanitize_xml_chars("del\x7f"), "del\\x7f");
  EXPECT_EQ(sanitize_xml_chars("nel\xC2\x85|\xC2\x9F"), "nel\\u0085|\\u009f");
  EXPECT_EQ(escape_xml_text("\x07<"), "\\x07&lt;");
}

TEST(XmlText, ValidMultiByteCharactersAreKept) {
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xC2\xA0 " + fffd +
                           " \xED\x9F\xBF \xEE\x80\x80 \xF4\x8F\xBF\xBF";
  EXPECT_EQ(sanitize_xml_chars(text), text);
}

TEST(XmlText, NonCharactersFffeAndFfffAreReplaced) {
  EXPECT_EQ(sanitize_xml_chars("\xEF\xBF\xBE|\xEF\xBF\xBF"), fffd + "|" + fffd);
}

TEST(XmlText, OverlongFormsAreReplaced) {
  // C0 and C1 are never valid leads; E0 80 and F0 80 start overlong forms.
  EXPECT_EQ(sanitize_xml_chars("\xC0\xAF"), fffd + fffd);
  EXPECT_EQ(sanitize_xml_chars("\xC1\xBF"), fffd + fffd);
  EXPECT_EQ(sanitize_xml_chars("\xE0\x80\xAF"), fffd + fffd + fffd);
  EXPECT_EQ(sanitize_xml_chars("\xF0\x80\x80\xAF"), fffd + fffd + fffd + fffd);
}

TEST(XmlText, SurrogatesAndOutOfRangeAreReplaced) {
  EXPECT_EQ(sanitize_xml_chars("\xED\xA0\x80"), fffd + fffd + fffd);
  EXPECT_EQ(sanitize_xml_chars("\xED\xBF\xBF"), fffd + fffd + fffd);
  EXPECT_EQ(sanitize_xml_chars("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);
  EXPECT_EQ(sanitize_xml_chars("\xF5\x80"), fffd + fffd);
  EXPECT_EQ(sanitize_xml_chars("\xFF\xFE"), fffd + fffd);
}

TEST(XmlText, TruncatedSequencesBecomeOneReplacement) {
  EXPECT_EQ(sanitize_xml_chars("x\xE2\x82"), "x" + fffd);
  EXPECT_EQ(sanitize_xml_chars("\xE2\x82y"), fffd + "y");
  EXPECT_EQ(sanitize_xml_chars("\xF0\x9F\x98"), fffd);
  EXPECT_EQ(sanitize_xml_chars("\xC3"), fffd);
  EXPECT_EQ(sanitize_xml_chars("\x80\xBF"), fffd + fffd);
  // The bytes after a broken sequence are decoded again: "<" must still be escaped.
  EXPECT_EQ(escape_xml_text("\xE2<"), fffd + "&lt;");
}

TEST(XmlText, MaximalSubpartsAsInTheUnicodeStandard) {
  // The example of Unicode 15, section 3.9 ("U+FFFD Substitution of Maximal Subparts").
  EXPECT_EQ(sanitize_xml_chars("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
            "a" + fffd + fffd + fffd + "b" + fffd + "c" + fffd + fffd + "d");
}

TEST(XmlText, EveryTwoByteInputGivesXmlCharacters) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string input{static_cast<char>(a), static_cast<char>(b)};
      const std::string problem = xml_chars_problem(escape_xml_attribute(input));
      ASSERT_EQ(problem, "") << "input bytes " << a << " " << b;
    }
  }
}

TEST(XmlText, PseudoRandomBytesGiveXmlCharacters) {
  std::uint32_t state = 12345;
  for (int round = 0; round < 200; ++round) {
    std::string input;
    for (int i = 0; i < 64; ++i) {
      state = state * 1664525u + 1013904223u;
      // Bias towards bytes that start or continue multi-byte sequences.
      const auto r = static_cast<unsigned char>(state >> 24);
      input += static_cast<char>(r < 64 ? r : (r | 0x80));
    }
    ASSERT_EQ(xml_chars_problem(escape_xml_text(input)), "") << "round " << round;
  }
}

TEST(XmlText, CheckerRejectsWhatSanitizingRemoves) {
  // Guards the test helper itself: it must notice the problems sanitize_xml_chars fixes.
  EXPECT_NE(xml_chars_problem("\x1b"), "");
  EXPECT_NE(xml_chars_problem("\xC0\xAF"), "");
  EXPECT_NE(xml_chars_problem("\xED\xA0\x80"), "");
  EXPECT_NE(xml_chars_problem("\xE2\x82"), "");
  EXPECT_NE(xml_chars_problem("\xEF\xBF\xBE"), "");
  EXPECT_EQ(xml_chars_problem("ok \xE2\x82\xAC"), "");
}

}  // namespace
}  // namespace fanout::launcher::report
