// XmlStream: tags, attributes, entities, CDATA and stray text, the same however the bytes are
// chunked; XmlTextLines drops indentation-only lines.

#include "collector/xml_stream.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanout::collector {
namespace {

using ::testing::ElementsAre;

// Events as compact strings: "<a x=1>", "</a>", "<b/>", "'text'" (adjacent text merged).
std::vector<std::string> tokens(const std::vector<std::string_view>& chunks,
                                std::size_t max_tag = 64 * 1024) {
  XmlStream xml(max_tag);
  std::vector<std::string> out;
  std::string text;
  auto flush_text = [&] {
    if (!text.empty()) out.push_back("'" + text + "'");
    text.clear();
  };
  auto drain = [&] {
    while (auto event = xml.next()) {
      if (event->kind == XmlEvent::Kind::text) {
        text += event->text;
        continue;
      }
      flush_text();
      if (event->kind == XmlEvent::Kind::end) {
        out.push_back("</" + event->name + ">");
        continue;
      }
      std::string tag = "<" + event->name;
      for (const XmlAttribute& a : event->attributes) tag += " " + a.name + "=" + a.value;
      out.push_back(tag + (event->self_closing ? "/>" : ">"));
    }
  };
  for (std::string_view chunk : chunks) {
    xml.feed(chunk);
    drain();
  }
  xml.close();
  drain();
  flush_text();
  return out;
}

TEST(XmlStream, TagsAttributesAndText) {
  EXPECT_THAT(tokens({"<?xml version=\"1.0\"?>\n<a x=\"1\" y='two words'>hi<b/></a>"}),
              ElementsAre("'\n'", "<a x=1 y=two words>", "'hi'", "<b/>", "</a>"));
}

TEST(XmlStream, EntitiesInTextAndAttributesAreDecoded) {
  EXPECT_THAT(tokens({"<t n=\"a &quot;b&quot; &lt;&amp;&gt;\">&#65;&#x42; &unknown; & x</t>"}),
              ElementsAre("<t n=a \"b\" <&>>", "'AB &unknown; & x'", "</t>"));
  EXPECT_EQ(decode_xml_entities("&#xE9;&#9731;"), "\xC3\xA9\xE2\x98\x83");
}

TEST(XmlStream, CdataIsTextAndCommentsAreDropped) {
  EXPECT_THAT(tokens({"<a><![CDATA[x < y && ]] z]]><!-- <no/> --></a>"}),
              ElementsAre("<a>", "'x < y && ]] z'", "</a>"));
}

TEST(XmlStream, StrayAngleBracketsAreText) {
  EXPECT_THAT(tokens({"a < b, 1<2 <x\n<ok/> <-> <3"}),
              ElementsAre("'a < b, 1<2 <x\n'", "<ok/>", "' <-> <3'"));
  EXPECT_THAT(tokens({"<a b=c>"}), ElementsAre("'<a b=c>'"));
}

TEST(XmlStream, OverlongTagIsText) {
  const std::string tag = "<a x=\"" + std::string(100, 'v') + "\">";
  EXPECT_THAT(tokens({tag}, 50), ElementsAre("'" + tag + "'"));
  EXPECT_THAT(tokens({tag}, 200), ElementsAre("<a x=" + std::string(100, 'v') + ">"));
}

TEST(XmlStream, AnySplitGivesTheSameEvents) {
  const std::string text =
      "<?xml version=\"1.0\"?>\n<Catch><TestCase name=\"x &amp; y\" line='3'>\nout &lt;put"
      "\n<!-- c --><![CDATA[raw <b>]]><Expr ok=\"1\"/>a<b</TestCase></Catch>\n";
  const std::vector<std::string> whole = tokens({text});
  for (std::size_t a = 0; a <= text.size(); ++a) {
    for (std::size_t b = a; b <= text.size(); b += 7) {
      const std::string_view view(text);
      ASSERT_EQ(tokens({view.substr(0, a), view.substr(a, b - a), view.substr(b)}), whole)
          << a << " " << b;
    }
  }
}

TEST(XmlTextLines, DropsBlankLinesAndFlushesPartialOnes) {
  std::vector<std::string> lines;
  XmlTextLines text([&](std::string_view line) { lines.emplace_back(line); }, 8);
  text.add("\n      \n");
  text.add("first\n  \n sec");
  text.add("ond\n0123456789ab");
  text.flush();
  text.add("   ");
  text.flush();
  EXPECT_THAT(lines, ElementsAre("first\n", " second\n", "01234567", "89ab\n"));
}

}  // namespace
}  // namespace fanout::collector
