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

TEST(AtomicFile, RenameFailureRemovesTheTemporaryFile) {
  TempDir dir;
  // A non-empty directory where the file should go: the temporary is written, rename fails.
  std::filesystem::create_directories(dir.path() / "out.xml" / "inside");
  EXPECT_THROW(write_file_atomically(dir.path() / "out.xml", "x"), std::runtime_error);
  EXPECT_THAT(dir.entries(), ElementsAre("out.xml"));
  EXPECT_TRUE(std::filesystem::is_directory(dir.path() / "out.xml"));
}

}  // namespace
}  // namespace fanout::launcher::report
