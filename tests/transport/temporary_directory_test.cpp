#include "transport/temporary_directory.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace fanout::transport {
namespace {

TEST(TemporaryDirectory, IsNewEmptyPrivateAndRemovedWithItsContent) {
  std::filesystem::path kept;
  {
    TemporaryDirectory a("fanout-test-");
    TemporaryDirectory b("fanout-test-");
    kept = a.path();
    EXPECT_NE(a.path(), b.path());
    EXPECT_TRUE(std::filesystem::is_directory(a.path()));
    EXPECT_TRUE(std::filesystem::is_empty(a.path()));
    EXPECT_EQ(a.path().filename().string().rfind("fanout-test-", 0), 0u);
    EXPECT_EQ(std::filesystem::status(a.path()).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_all);
    std::filesystem::create_directories(a.path() / "sub");
    std::ofstream(a.path() / "sub" / "file") << "x";
  }
  EXPECT_FALSE(std::filesystem::exists(kept));
}

TEST(TemporaryDirectory, LivesUnderTmpdir) {
  TemporaryDirectory parent("fanout-test-");
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  setenv("TMPDIR", parent.path().c_str(), 1);
  {
    TemporaryDirectory inside("x-");
    EXPECT_EQ(inside.path().parent_path(), parent.path());
  }
  setenv("TMPDIR", "/no/such/dir/for/fanout", 1);
  EXPECT_THROW(TemporaryDirectory("x-"), std::runtime_error);
  if (old) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
}

}  // namespace
}  // namespace fanout::transport
