// String helper tests, including one that reads a data file registered with DATA.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "text.hpp"

namespace {

using Pieces = std::vector<std::string>;

TEST(Split, OnSeparator) {
  EXPECT_EQ(example::split("a,b,c", ','), (Pieces{"a", "b", "c"}));
}

TEST(Split, KeepsEmptyPieces) {
  EXPECT_EQ(example::split(",x,", ','), (Pieces{"", "x", ""}));
}

TEST(Split, WithoutSeparatorGivesTheWholeText) {
  EXPECT_EQ(example::split("abc", ';'), (Pieces{"abc"}));
}

TEST(Split, EmptyTextGivesOneEmptyPiece) {
  EXPECT_EQ(example::split("", ','), (Pieces{""}));
}

TEST(Join, InsertsSeparatorBetweenPieces) {
  EXPECT_EQ(example::join({"usr", "local", "bin"}, "/"), "usr/local/bin");
}

TEST(Join, IsTheInverseOfSplit) {
  const std::string text = "one::two::::three";
  EXPECT_EQ(example::join(example::split(text, ':'), ":"), text);
}

TEST(Trim, RemovesSurroundingWhitespace) {
  EXPECT_EQ(example::trim("  \thello \n"), "hello");
}

TEST(Trim, KeepsInnerWhitespace) {
  EXPECT_EQ(example::trim(" a b "), "a b");
}

TEST(Trim, OfOnlyWhitespaceIsEmpty) {
  EXPECT_TRUE(example::trim(" \r\n\t ").empty());
}

TEST(ToUpper, ChangesOnlyAsciiLetters) {
  EXPECT_EQ(example::to_upper("abc-XYZ_09"), "ABC-XYZ_09");
}

TEST(ToUpper, UnicodeCaseFolding) {
  GTEST_SKIP() << "to_upper only handles ASCII; Unicode case folding is not implemented";
}

// The words file comes from the source tree (EXAMPLE_DATA_DIR, set by ENVIRONMENT).
class WordsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("EXAMPLE_DATA_DIR");
    ASSERT_NE(dir, nullptr) << "EXAMPLE_DATA_DIR is not set";
    std::ifstream in(std::string(dir) + "/words.txt");
    ASSERT_TRUE(in) << "cannot open " << dir << "/words.txt";
    for (std::string line; std::getline(in, line);) words_.push_back(line);
  }
  std::vector<std::string> words_;
};

TEST_F(WordsFile, HasSevenWords) {
  EXPECT_EQ(words_.size(), 7u);
}

TEST_F(WordsFile, IsSorted) {
  EXPECT_TRUE(std::is_sorted(words_.begin(), words_.end()));
}

TEST_F(WordsFile, WordsHaveNoSurroundingWhitespace) {
  for (const auto& word : words_) EXPECT_EQ(example::trim(word), word);
}

}  // namespace
