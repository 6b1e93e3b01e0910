// collect_items on real processes: small /bin/sh scripts that behave like test binaries.

#include "collector/collect.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>

#include "collector/gtest.hpp"
#include "collector/listing_cache.hpp"

namespace fanout::collector {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class CollectItems : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "fanout_collect_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes an executable script whose body follows the shebang line.
  fs::path script(const std::string& name, const std::string& body, bool executable = true) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << "#!/bin/sh\n" << body;
    fs::permissions(path, executable ? fs::perms::owner_all : fs::perms::owner_read);
    return path;
  }

  // A listing script that counts its runs in `count` next to the working directory.
  fs::path lister(const std::string& name = "lister") {
    return script(name,
                  "echo run >> count\n"
                  "[ \"$#\" -ge 1 ] && eval \"last=\\${$#}\"\n"
                  "[ \"$last\" = --gtest_list_tests ] || { echo \"bad args: $*\"; exit 9; }\n"
                  "echo 'Running main() from gtest_main.cc'\n"
                  "echo \"${SUITE:-Suite}.\"\n"
                  "echo '  One'\n"
                  "echo '  Two  # GetParam() = 2'\n");
  }

  Target target_for(const fs::path& executable) {
    Target target;
    target.name = "t";
    target.executable = executable;
    target.framework = "gtest";
    target.labels = {"l"};
    return target;
  }

  std::string error_of(const Target& target, const CollectOptions& options = {}) {
    try {
      collect_items(target, gtest_framework(), options);
    } catch (const CollectError& error) {
      return error.what();
    }
    return "(no error)";
  }

  int runs(const fs::path& counter) const {
    const std::string text = read_file(counter);
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }

  fs::path dir_;
};

std::vector<std::string> names(const std::vector<Item>& items) {
  std::vector<std::string> result;
  for (const Item& item : items) result.push_back(item.name);
  return result;
}

TEST_F(CollectItems, ListsAScriptInItsOwnDirectory) {
  const std::vector<Item> items = collect_items(target_for(lister()), gtest_framework(), {});
  EXPECT_THAT(names(items), ElementsAre("Suite.One", "Suite.Two"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].id, "t/Suite.Two");
  EXPECT_EQ(items[1].annotation, "GetParam() = 2");
  EXPECT_THAT(items[1].labels, ElementsAre("l"));
  EXPECT_EQ(runs(dir_ / "count"), 1);
}

TEST_F(CollectItems, UsesTheTargetsArgumentsEnvironmentAndWorkingDirectory) {
  Target target = target_for(lister());
  target.extra_args = {"--some-flag"};
  target.environment = {{"SUITE", "FromEnv"}};
  target.working_directory = dir_ / "work";
  fs::create_directories(target.working_directory);
  const std::vector<Item> items = collect_items(target, gtest_framework(), {});
  EXPECT_THAT(names(items), ElementsAre("FromEnv.One", "FromEnv.Two"));
  EXPECT_EQ(runs(dir_ / "work" / "count"), 1);
  EXPECT_FALSE(fs::exists(dir_ / "count"));
}

TEST_F(CollectItems, MissingBinaryIsNamed) {
  const std::string message = error_of(target_for(dir_ / "not_built"));
  EXPECT_THAT(message, HasSubstr((dir_ / "not_built").string()));
  EXPECT_THAT(message, HasSubstr("no such file"));
}

TEST_F(CollectItems, MissingBinaryNamesWhereItWasRegistered) {
  Target target = target_for(dir_ / "not_built");
  target.source_file = "/src/tests/CMakeLists.txt";
  target.source_line = 12;
  EXPECT_THAT(error_of(target), HasSubstr("/src/tests/CMakeLists.txt:12"));
}

TEST_F(CollectItems, NonExecutableFileIsNamed) {
  const fs::path path = script("plain", "echo hi\n", false);
  const std::string message = error_of(target_for(path));
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("not executable"));
}

TEST_F(CollectItems, DirectoryIsNotABinary) {
  fs::create_directories(dir_ / "sub");
  EXPECT_THAT(error_of(target_for(dir_ / "sub")), HasSubstr("not a regular file"));
}

TEST_F(CollectItems, HungListingTimesOut) {
  const fs::path path = script("hang", "echo starting\nexec sleep 60\n");
  CollectOptions options;
  options.list_timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  const std::string message = error_of(target_for(path), options);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("did not finish listing within 0.3 s"));
}

TEST_F(CollectItems, NonZeroExitQuotesTheLastLines) {
  const fs::path path =
      script("fails", "echo 'loading plugins'\necho 'fatal: bad config' >&2\nexit 3\n");
  const std::string message = error_of(target_for(path));
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("exit code 3"));
  EXPECT_THAT(message, HasSubstr("loading plugins\n  fatal: bad config"));
}

// GoogleTest's adapter, with a listing command whose exit code is to be ignored (as Catch2's).
class ExitCodeIgnoringFramework final : public Framework {
 public:
  std::string_view name() const override { return "gtest-exit-ignored"; }
  Command list_command(const Target& target) const override {
    Command command = gtest_framework().list_command(target);
    command.listing_exit_code_ignored = true;
    return command;
  }
  std::vector<Item> parse_listing(const Target& target, std::string_view output) const override {
    return gtest_framework().parse_listing(target, output);
  }
  Command run_command(const Target& target, const std::vector<Item>& batch,
                      const BatchContext& context) const override {
    return gtest_framework().run_command(target, batch, context);
  }
  std::unique_ptr<BatchParser> parser(const Target& target, std::vector<Item> batch,
                                      const BatchContext& context) const override {
    return gtest_framework().parser(target, std::move(batch), context);
  }
};

TEST_F(CollectItems, ExitCodeIsIgnoredWhenTheListingCommandSaysSo) {
  const fs::path path = script("exits_two", "echo 'A.'\necho '  b'\necho '  c'\nexit 2\n");
  EXPECT_THAT(error_of(target_for(path)), HasSubstr("exit code 2"));
  const std::vector<Item> items = collect_items(target_for(path), ExitCodeIgnoringFramework(), {});
  EXPECT_THAT(names(items), ElementsAre("A.b", "A.c"));
}

TEST_F(CollectItems, KilledBySignalIsNamed) {
  const fs::path path = script("killed", "echo dying\nkill -SEGV $$\nsleep 5\n");
  const std::string message = error_of(target_for(path));
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("SIGSEGV"));
}

TEST_F(CollectItems, GarbageIsQuoted) {
  const fs::path path = script("garbage", "echo 'Hello, this is not gtest'\n");
  const std::string message = error_of(target_for(path));
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("\"Hello, this is not gtest\""));
}

TEST_F(CollectItems, EmptyListingIsValid) {
  const fs::path path = script("empty", "echo 'Running main() from gtest_main.cc'\n");
  EXPECT_TRUE(collect_items(target_for(path), gtest_framework(), {}).empty());
}

TEST_F(CollectItems, CacheSkipsTheRunWhileTheBinaryIsUnchanged) {
  const fs::path path = lister();
  CollectOptions options;
  options.cache_dir = dir_ / "cache";
  const std::vector<Item> first = collect_items(target_for(path), gtest_framework(), options);
  const std::vector<Item> second = collect_items(target_for(path), gtest_framework(), options);
  EXPECT_EQ(runs(dir_ / "count"), 1);
  EXPECT_EQ(names(second), names(first));
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[1].annotation, "GetParam() = 2");

  // Labels come from the target, not from the cache.
  Target relabelled = target_for(path);
  relabelled.labels = {"new"};
  EXPECT_THAT(collect_items(relabelled, gtest_framework(), options)[0].labels, ElementsAre("new"));
  EXPECT_EQ(runs(dir_ / "count"), 1);

  // Only the cache file is left: written through a temporary file that was renamed.
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir_ / "cache")) {
    files.push_back(entry.path().extension().string());
  }
  EXPECT_THAT(files, ElementsAre(".json"));
}

TEST_F(CollectItems, TouchingTheBinaryInvalidatesTheCache) {
  const fs::path path = lister();
  CollectOptions options;
  options.cache_dir = dir_ / "cache";
  collect_items(target_for(path), gtest_framework(), options);
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(2));
  collect_items(target_for(path), gtest_framework(), options);
  EXPECT_EQ(runs(dir_ / "count"), 2);
  collect_items(target_for(path), gtest_framework(), options);
  EXPECT_EQ(runs(dir_ / "count"), 2);
}

TEST_F(CollectItems, OtherArgumentsOrEnvironmentAreOtherCacheEntries) {
  const fs::path path = lister();
  CollectOptions options;
  options.cache_dir = dir_ / "cache";
  Target target = target_for(path);
  collect_items(target, gtest_framework(), options);
  target.extra_args = {"--other"};
  collect_items(target, gtest_framework(), options);
  EXPECT_EQ(runs(dir_ / "count"), 2);
  target.environment = {{"SUITE", "Renamed"}};
  EXPECT_THAT(names(collect_items(target, gtest_framework(), options)),
              ElementsAre("Renamed.One", "Renamed.Two"));
  EXPECT_EQ(runs(dir_ / "count"), 3);
}

TEST_F(CollectItems, CorruptCacheFileIsIgnoredAndRewritten) {
  const fs::path path = lister();
  CollectOptions options;
  options.cache_dir = dir_ / "cache";
  collect_items(target_for(path), gtest_framework(), options);
  const fs::path cache_file = fs::directory_iterator(dir_ / "cache")->path();
  std::ofstream(cache_file, std::ios::trunc) << "{\"format\": 1, \"outp";

  EXPECT_THAT(names(collect_items(target_for(path), gtest_framework(), options)),
              ElementsAre("Suite.One", "Suite.Two"));
  EXPECT_EQ(runs(dir_ / "count"), 2);
  boost::system::error_code error;
  boost::json::parse(read_file(cache_file), error);
  EXPECT_FALSE(error) << read_file(cache_file);
  collect_items(target_for(path), gtest_framework(), options);
  EXPECT_EQ(runs(dir_ / "count"), 2);
}

TEST_F(CollectItems, FailedListingIsNotCached) {
  const fs::path path = script("garbage", "echo run >> count\necho 'not a listing'\n");
  CollectOptions options;
  options.cache_dir = dir_ / "cache";
  error_of(target_for(path), options);
  EXPECT_THAT(error_of(target_for(path), options), HasSubstr("not a listing"));
  EXPECT_EQ(runs(dir_ / "count"), 2);
}

TEST(ListingCache, StoresAndComparesTheWholeKey) {
  const fs::path dir = fs::path(::testing::TempDir()) / "fanout_listing_cache_test";
  fs::remove_all(dir);
  const ListingCache cache(dir / "nested");
  ListingKey key{"/bin/t", 1234, 5678, {"/bin/t", "--gtest_list_tests"}, {{"A", "1"}}};
  EXPECT_FALSE(cache.load(key).has_value());
  const std::string output("A.\n  b\n\x01\xff odd bytes\n", 22);
  cache.store(key, output);
  EXPECT_EQ(cache.load(key), output);

  ListingKey newer = key;
  newer.mtime_ns += 1;
  EXPECT_EQ(cache.file_for(newer), cache.file_for(key));
  EXPECT_FALSE(cache.load(newer).has_value());
  ListingKey bigger = key;
  bigger.size += 1;
  EXPECT_FALSE(cache.load(bigger).has_value());
  ListingKey other_env = key;
  other_env.environment[0].value = "2";
  EXPECT_FALSE(cache.load(other_env).has_value());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fanout::collector
