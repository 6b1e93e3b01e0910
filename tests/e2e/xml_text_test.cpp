// The character check the JUnit assertions rely on must itself catch what it claims to.

#include "tests/e2e/xml_text.hpp"

#include <gtest/gtest.h>

namespace fanout::e2e {
namespace {

TEST(XmlText, AcceptsOrdinaryUtf8AndAllowedReferences) {
  EXPECT_EQ(xml_character_problem("<a b=\"&#10;&#x9;&amp;\">caf\xc3\xa9 \xe2\x82\xac\t\r\n</a>"),
            "");
}

TEST(XmlText, RejectsRawControlCharacters) {
  EXPECT_NE(xml_character_problem("<a>\x1b[31m</a>"), "");
  EXPECT_NE(xml_character_problem(std::string("<a>\0</a>", 8)), "");
  EXPECT_NE(xml_character_problem("<a>\x01</a>"), "");
}

TEST(XmlText, RejectsInvalidUtf8) {
  EXPECT_NE(xml_character_problem("<a>\xff</a>"), "");
  EXPECT_NE(xml_character_problem("<a>\xc3</a>"), "");
  EXPECT_NE(xml_character_problem("<a>\xc0\xaf</a>"), "");  // overlong '/'
}

TEST(XmlText, RejectsReferencesToForbiddenCharacters) {
  EXPECT_NE(xml_character_problem("<a>&#1;</a>"), "");
  EXPECT_NE(xml_character_problem("<a>&#x1B;</a>"), "");
  EXPECT_NE(xml_character_problem("<a>&#0;</a>"), "");
}

}  // namespace
}  // namespace fanout::e2e
