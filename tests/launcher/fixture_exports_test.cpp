#include "launcher/fixture_exports.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanout::launcher {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Env = std::vector<collector::EnvVar>;

/// The parser after reading `chunks` and the end of the output.
FixtureExportParser parsed(const std::vector<std::string>& chunks) {
  FixtureExportParser parser;
  for (const auto& chunk : chunks) parser.feed(chunk);
  parser.finish();
  return parser;
}

TEST(FixtureExportParser, TakesNameEqualsValueLinesAndIgnoresTheRest) {
  const auto parser =
      parsed({"starting\nDB_URL=pg://u:p@h/db?a=b\nEMPTY=\n=novalue\n1BAD=x\n"
              "SPACED=a b \nnot an=export\nCR=val\r\n_x9=last"});
  EXPECT_EQ(parser.exports(), (Env{{"DB_URL", "pg://u:p@h/db?a=b"},
                                   {"EMPTY", ""},
                                   {"SPACED", "a b "},
                                   {"CR", "val"},
                                   {"_x9", "last"}}));
  EXPECT_TRUE(parser.errors().empty());
}

TEST(FixtureExportParser, ALaterLineForTheSameNameWins) {
  const auto parser = parsed({"A=1\nB=2\nA=3\n"});
  EXPECT_EQ(parser.exports(), (Env{{"B", "2"}, {"A", "3"}}));
}

TEST(FixtureExportParser, LinesSplitAcrossChunksAnywhereReadTheSame) {
  const std::string output = "log line\nPORT=5432\nnoise=\tx y\nHOST=db.local\r\nTAIL=t";
  const Env whole = parsed({output}).exports();
  ASSERT_EQ(whole,
            (Env{{"PORT", "5432"}, {"noise", "\tx y"}, {"HOST", "db.local"}, {"TAIL", "t"}}));
  for (std::size_t cut = 0; cut <= output.size(); ++cut) {
    EXPECT_EQ(parsed({output.substr(0, cut), output.substr(cut)}).exports(), whole) << cut;
  }
  std::vector<std::string> bytes;
  for (char c : output) bytes.emplace_back(1, c);
  EXPECT_EQ(parsed(bytes).exports(), whole);
}

TEST(FixtureExportParser, AnExportAmongAnyAmountOfOtherOutputIsFound) {
  FixtureExportParser parser;
  const std::string noise = "a chatty server logs this line, and = signs too\n";
  for (int i = 0; i < 20000; ++i) parser.feed(noise);
  parser.feed("AFTER=yes\n");
  for (int i = 0; i < 20000; ++i) parser.feed(noise);
  parser.feed(std::string(1 << 20, 'x') + "\n");  // one long line that exports nothing
  parser.finish();
  EXPECT_EQ(parser.exports(), (Env{{"AFTER", "yes"}}));
  EXPECT_TRUE(parser.errors().empty());
}

TEST(FixtureExportParser, TheLongestExportThatFitsAnEnvironmentEntryArrivesWhole) {
  const std::string value(max_export_bytes - 6, 'v');  // "LONGV=" + value: exactly the limit
  const auto parser = parsed({"LONGV=" + value.substr(0, 1000), value.substr(1000) + "\r\n"});
  ASSERT_EQ(parser.exports().size(), 1u);
  EXPECT_EQ(parser.exports()[0].name, "LONGV");
  EXPECT_EQ(parser.exports()[0].value, value);
  EXPECT_TRUE(parser.errors().empty());
}

TEST(FixtureExportParser, ALongerExportIsNamedInAnErrorNotCut) {
  const std::string value(200000, 'v');
  const auto parser =
      parsed({"OK=1\nLONGV=" + value.substr(0, 5), value.substr(5) + "\nLATER=2\n"});
  EXPECT_EQ(parser.exports(), (Env{{"OK", "1"}, {"LATER", "2"}}));
  EXPECT_THAT(parser.errors(),
              ElementsAre(AllOf(HasSubstr("export LONGV is too long"), HasSubstr("200006 bytes"),
                                HasSubstr(std::to_string(max_export_bytes)))));
}

TEST(FixtureExportParser, AnOverlongNameIsShortenedInTheError) {
  const std::string name(max_export_bytes + 10, 'N');
  const auto parser = parsed({name.substr(0, 3), name.substr(3) + "=v"});
  EXPECT_TRUE(parser.exports().empty());
  ASSERT_EQ(parser.errors().size(), 1u);
  EXPECT_THAT(parser.errors()[0], HasSubstr("export " + std::string(64, 'N') + "... is too long"));
  EXPECT_LT(parser.errors()[0].size(), 300u);
}

TEST(MergeFixtureExports, ALaterVariableReplacesTheOneOfTheSameName) {
  Env exports{{"A", "1"}, {"B", "2"}};
  merge_fixture_exports(exports, {{"A", "3"}, {"C", "4"}});
  EXPECT_EQ(exports, (Env{{"B", "2"}, {"A", "3"}, {"C", "4"}}));
}

}  // namespace
}  // namespace fanout::launcher
