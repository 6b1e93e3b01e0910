#include "launcher/report/atomic_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "temp_dir.hpp"

namespace fanout::launcher::report {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TempDir;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(AtomicFile, WritesContentsAndLeavesNoTemporaryFile) {
  TempDir dir;
  const std::string contents = std::string("binary\0bytes\n", 13) + std::string(100000, 'x');
  write_file_atomically(dir.path() / "out.xml", contents);
  EXPECT_EQ(read(dir.path() / "out.xml"), contents);
  EXPECT_THAT(dir.entries(), ElementsAre("out.xml"));
}

TEST(AtomicFile, ReplacesAnExistingFile) {
  TempDir dir;
  std::ofstream(dir.path() / "out.xml") << "old contents that are longer than the new ones";
  write_file_atomically(dir.path() / "out.xml", "new");
  EXPECT_EQ(read(dir.path() / "out.xml"), "new");
  EXPECT_THAT(dir.entries(), ElementsAre("out.xml"));
}

TEST(AtomicFile, CreatesMissingParentDirectories) {
  TempDir dir;
  write_file_atomically(dir.path() / "a" / "b" / "out.xml", "x");
  EXPECT_EQ(read(dir.path() / "a" / "b" / "out.xml"), "x");
  EXPECT_THAT(TempDir::entries_of(dir.path() / "a" / "b"), ElementsAre("out.xml"));
}

TEST(AtomicFile, FileGetsUmaskPermissions) {
  TempDir dir;
  const mode_t old_mask = ::umask(022);
  write_file_atomically(dir.path() / "out.xml", "x");
  ::umask(old_mask);
  struct stat info {};
  ASSERT_EQ(::stat((dir.path() / "out.xml").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
}

TEST(AtomicFile, FailureThrowsNamingThePathAndCleansUp) {
  TempDir dir;
  std::ofstream(dir.path() / "plain_file") << "not a directory";
  const auto target = dir.path() / "plain_file" / "out.xml";
  try {
    write_file_atomically(target, "x");
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr(target.string()));
  }
  EXPECT_THAT(dir.entries(), ElementsAre("plain_file"));
}

TEST(AtomicFile, CheckWritableCreatesTheDirectoriesAndLeavesNoFile) {
  TempDir dir;
  check_writable(dir.path() / "a" / "b" / "out.xml");
  EXPECT_THAT(dir.entries(), ElementsAre("a"));
  EXPECT_TRUE(TempDir::entries_of(dir.path() / "a" / "b").empty());
}

TEST(AtomicFile, CheckWritableThrowsNamingThePathWhenNothingCanBeWrittenThere) {
  TempDir dir;
  std::ofstream(dir.path() / "plain_file") << "not a directory";
  std::filesystem::create_directories(dir.path() / "a_directory");
  for (const auto& target : {dir.path() / "plain_file" / "out.xml", dir.path() / "a_directory"}) {
    try {
      check_writable(target);
      ADD_FAILURE() << "accepted " << target;
    } catch (const std::runtime_error& e) {
      EXPECT_THAT(e.what(), HasSubstr(target.string()));
    }
  }
  EXPECT_THAT(dir.entries(), ElementsAre("a_directory", "plain_file"));
}

TEST(AtomicFile, RenameFailureRemovesTheTemporaryFile) {
  TempDir dir;
  // A non-empty directory where the file should go: the temporary is written, rename fails.
  std::filesystem::create_directories(dir.path() / "out.xml" / "inside");
  EXPECT_THROW(write_file_atomically(dir.path() / "out.xml", "x"), std::runtime_error);
  EXPECT_THAT(dir.entries(), ElementsAre("out.xml"));
  EXPECT_TRUE(std::filesystem::is_directory(dir.path() / "out.xml"));
}

TEST(AtomicFile, ByExchangeReplacesAnExistingFileAndRemovesTheOldOne) {
  TempDir dir;
  std::ofstream(dir.path() / "history.json") << "old contents that are longer than the new ones";
  std::ifstream reader(dir.path() / "history.json");  // opened before: keeps the old file
  write_file_atomically(dir.path() / "history.json", "new", Replace::by_exchange);
  EXPECT_EQ(read(dir.path() / "history.json"), "new");
  EXPECT_THAT(dir.entries(), ElementsAre("history.json"));
  std::string old;
  std::getline(reader, old);
  EXPECT_EQ(old, "old contents that are longer than the new ones");
}

TEST(AtomicFile, ByExchangeCreatesAFileThatDidNotExist) {
  TempDir dir;
  write_file_atomically(dir.path() / "history.json", "first", Replace::by_exchange);
  EXPECT_EQ(read(dir.path() / "history.json"), "first");
  EXPECT_THAT(dir.entries(), ElementsAre("history.json"));
}

TEST(AtomicFile, ByExchangeNeverSwapsWithADirectory) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "history.json" / "inside");
  EXPECT_THROW(write_file_atomically(dir.path() / "history.json", "x", Replace::by_exchange),
               std::runtime_error);
  EXPECT_THAT(dir.entries(), ElementsAre("history.json"));
  EXPECT_TRUE(std::filesystem::is_directory(dir.path() / "history.json" / "inside"));
}

TEST(AtomicFile, ByExchangeReplacesASymbolicLinkNotTheFileItPointsTo) {
  TempDir dir;
  std::ofstream(dir.path() / "elsewhere") << "kept";
  std::filesystem::create_symlink(dir.path() / "elsewhere", dir.path() / "history.json");
  write_file_atomically(dir.path() / "history.json", "new", Replace::by_exchange);
  EXPECT_FALSE(std::filesystem::is_symlink(dir.path() / "history.json"));
  EXPECT_EQ(read(dir.path() / "history.json"), "new");
  EXPECT_EQ(read(dir.path() / "elsewhere"), "kept");
  EXPECT_THAT(dir.entries(), ElementsAre("elsewhere", "history.json"));
}

}  // namespace
}  // namespace fanout::launcher::report
