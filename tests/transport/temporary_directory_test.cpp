#include "transport/temporary_directory.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

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

TEST(TemporaryDirectory, LivesUnderTheBaseItIsGiven) {
  TemporaryDirectory parent("fanout-test-");
  {
    TemporaryDirectory inside("x-", parent.path());
    EXPECT_EQ(inside.path().parent_path(), parent.path());
  }
  EXPECT_TRUE(std::filesystem::is_empty(parent.path()));
  EXPECT_THROW(TemporaryDirectory("x-", "/no/such/dir/for/fanout"), std::runtime_error);
}

/// Sets TMPDIR (or unsets it, for nullptr) for one scope.
class TmpdirAs {
 public:
  explicit TmpdirAs(const char* value) {
    if (const char* old = std::getenv("TMPDIR")) saved_ = old;
    if (value) {
      setenv("TMPDIR", value, 1);
    } else {
      unsetenv("TMPDIR");
    }
  }
  ~TmpdirAs() {
    if (saved_) {
      setenv("TMPDIR", saved_->c_str(), 1);
    } else {
      unsetenv("TMPDIR");
    }
  }

 private:
  std::optional<std::string> saved_;
};

TEST(ScratchBase, IsTmpdirWhenSet) {
  TemporaryDirectory chosen("fanout-test-");
  TmpdirAs tmpdir(chosen.path().c_str());
  EXPECT_EQ(scratch_base(), chosen.path());
}

TEST(ScratchBase, IsTheRamFileSystemWithoutTmpdirWhereThereIsOne) {
  TmpdirAs tmpdir(nullptr);
  const std::filesystem::path ram = "/dev/shm";
  if (std::filesystem::is_directory(ram) && ::access(ram.c_str(), W_OK | X_OK) == 0) {
    EXPECT_EQ(scratch_base(), ram);
  } else {
    EXPECT_EQ(scratch_base(), std::filesystem::temp_directory_path());
  }
  TemporaryDirectory scratch("fanout-test-", scratch_base());
  EXPECT_TRUE(std::filesystem::is_directory(scratch.path()));
}

}  // namespace
}  // namespace fanout::transport
