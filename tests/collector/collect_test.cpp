// collect_items on real processes: small /bin/sh scripts that behave like test binaries.

#include "collector/collect.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string_view>

#include "collector/executable.hpp"
#include "collector/gtest.hpp"
#include "collector/listing_cache.hpp"
#include "item_fields.hpp"

namespace fanout::collector {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using testing::expect_same_items;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> names(const std::vector<Item>& items) {
  std::vector<std::string> result;
  for (const Item& item : items) result.push_back(item.name);
  return result;
}

// The inode of `path` (0 when there is no such file): a file replaced by a rename has another.
ino_t inode_of(const fs::path& path) {
  struct stat status {};
  return ::stat(path.c_str(), &status) == 0 ? status.st_ino : 0;
}

// The one file in the cache directory with `extension`.
fs::path only_file(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == extension) found.push_back(entry.path());
  }
  EXPECT_EQ(found.size(), 1u) << extension;
  return found.empty() ? fs::path() : found[0];
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
                  "case \" $* \" in *' --gtest_list_tests '*) ;; "
                  "*) echo \"bad args: $*\"; exit 9;; esac\n"
                  "echo 'Running main() from gtest_main.cc'\n"
                  "echo \"${SUITE:-Suite}.\"\n"
                  "echo '  One'\n"
                  "echo '  Two  # GetParam() = 2'\n");
  }

  // A listing script that writes the JSON listing GoogleTest 1.12 wrote for a binary with a
  // chatty custom main to the file --gtest_output names, and chats on stdout around it. It
  // records its runs in `count` and the file it was given in `paths`; exits with $EXIT.
  fs::path json_lister() {
    const std::string json = std::string(FANOUT_TEST_DATA_DIR) + "/gtest/list_custom_main.json";
    return script("json_lister",
                  "echo run >> count\n"
                  "for arg; do case \"$arg\" in --gtest_output=json:*) out=\"${arg#*json:}\";; "
                  "esac; done\n"
                  "echo \"$out\" >> paths\n"
                  "echo 'custom main: plugin registry loaded'\n"
                  "cp '" +
                      json +
                      "' \"$out\"\n"
                      "echo 'Basic.'\necho '  Passes'\necho 'custom main still talking'\n"
                      "exit ${EXIT:-0}\n");
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
    return error_of(target, gtest_framework(), options);
  }

  std::string error_of(const Target& target, const Framework& framework,
                       const CollectOptions& options = {}) {
    try {
      collect_items(target, framework, options);
    } catch (const CollectError& error) {
      return error.what();
    }
    return "(no error)";
  }

  // Options that keep the listing cache in dir_/cache.
  CollectOptions cached_options() const {
    CollectOptions options;
    options.cache_dir = dir_ / "cache";
    return options;
  }

  // Collects lister `path` once, with cached_options(): the listing cache file that run stored.
  fs::path first_cached_listing(const fs::path& path) {
    collect_items(target_for(path), gtest_framework(), cached_options());
    return only_file(dir_ / "cache", ".listing");
  }

  // After first_cached_listing(path) and damage to the cache: the next collection of lister
  // `path` runs it again and gives its items, the one after that is served by the cache.
  void expect_listed_again_then_cached(const fs::path& path) {
    EXPECT_THAT(names(collect_items(target_for(path), gtest_framework(), cached_options())),
                ElementsAre("Suite.One", "Suite.Two"));
    EXPECT_EQ(runs(dir_ / "count"), 2);
    collect_items(target_for(path), gtest_framework(), cached_options());
    EXPECT_EQ(runs(dir_ / "count"), 2);
  }

  int runs(const fs::path& counter) const {
    const std::string text = read_file(counter);
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }

  fs::path dir_;
};

// The number of the first line of `file` that contains `text` (0: none).
int source_line(const fs::path& file, std::string_view text) {
  std::ifstream in(file);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.find(text) != std::string::npos) return number;
  }
  return 0;
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

TEST_F(CollectItems, ListsWithoutTheVariablesTheTargetUnsets) {
  ASSERT_EQ(::setenv("SUITE", "Inherited", 1), 0);
  Target target = target_for(lister());
  const std::vector<Item> inherited = collect_items(target, gtest_framework(), {});
  target.unset_environment = {"SUITE"};
  const std::vector<Item> unset = collect_items(target, gtest_framework(), {});
  ::unsetenv("SUITE");
  EXPECT_THAT(names(inherited), ElementsAre("Inherited.One", "Inherited.Two"));
  EXPECT_THAT(names(unset), ElementsAre("Suite.One", "Suite.Two"));
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

// GoogleTest's adapter, with another policy for its listing command.
struct ListingPolicy {
  bool exit_code_ignored = false;  // as Catch2's
  bool kept_despite_exit_code = false;
  bool text_only = false;  // no JSON file asked for
};

class PolicyFramework final : public Framework {
 public:
  explicit PolicyFramework(ListingPolicy policy) : policy_(policy) {}
  std::string_view name() const override { return "gtest-with-policy"; }
  Command list_command(const Target& target) const override {
    Command command = gtest_framework().list_command(target);
    command.listing_exit_code_ignored = policy_.exit_code_ignored;
    command.listing_kept_despite_exit_code = policy_.kept_despite_exit_code;
    if (policy_.text_only) {
      command.output_file.clear();
      command.argv.pop_back();
    }
    return command;
  }
  std::vector<Item> parse_listing(const Target& target, std::string_view output) const override {
    return gtest_framework().parse_listing(target, output);
  }
  std::vector<Item> parse_listing_file(const Target& target, std::string_view output,
                                       std::optional<std::string_view> file) const override {
    return gtest_framework().parse_listing_file(target, output, file);
  }
  Command run_command(const Target& target, const std::vector<const Item*>& batch,
                      const BatchContext& context) const override {
    return gtest_framework().run_command(target, batch, context);
  }
  std::unique_ptr<BatchParser> parser(const Target& target, std::vector<const Item*> batch,
                                      const BatchContext& context) const override {
    return gtest_framework().parser(target, std::move(batch), context);
  }

 private:
  ListingPolicy policy_;
};

TEST_F(CollectItems, ExitCodeIsIgnoredWhenTheListingCommandSaysSo) {
  const fs::path path = script("exits_two", "echo 'A.'\necho '  b'\necho '  c'\nexit 2\n");
  EXPECT_THAT(error_of(target_for(path), PolicyFramework({})), HasSubstr("exit code 2"));
  const std::vector<Item> items =
      collect_items(target_for(path), PolicyFramework({.exit_code_ignored = true}), {});
  EXPECT_THAT(names(items), ElementsAre("A.b", "A.c"));
  // Ignored means ignored: garbage is reported as garbage, not as an exit code.
  const fs::path garbage = script("garbage_two", "echo 'no listing here'\nexit 2\n");
  const std::string message =
      error_of(target_for(garbage), PolicyFramework({.exit_code_ignored = true}));
  EXPECT_THAT(message, HasSubstr("\"no listing here\""));
  EXPECT_THAT(message, Not(HasSubstr("exit code")));
}

// --- Real suites: JSON listings, chatty custom mains, non-zero exits after a listing ---

TEST_F(CollectItems, JsonListingIsUsedAndStrayOutputDoesNotMatter) {
  const fs::path path = json_lister();
  const std::vector<Item> items = collect_items(target_for(path), gtest_framework(), {});
  ASSERT_EQ(items.size(), 10u);
  EXPECT_EQ(items[0].name, "Basic.Passes");
  EXPECT_EQ(items[0].file, "listing.cpp");
  EXPECT_EQ(items[0].line, 3);
  EXPECT_TRUE(items[1].disabled);
  EXPECT_EQ(items[8].annotation, "GetParam() = -2");
  EXPECT_THAT(items[8].labels, ElementsAre("l"));

  // The file was named by an absolute path in a private directory, removed afterwards.
  const std::string given = read_file(dir_ / "paths");
  ASSERT_FALSE(given.empty());
  const fs::path file = given.substr(0, given.find('\n'));
  EXPECT_TRUE(file.is_absolute()) << file;
  EXPECT_EQ(file.filename(), "listing.json");
  EXPECT_NE(file.parent_path(), dir_);
  EXPECT_FALSE(fs::exists(file.parent_path())) << file;
}

TEST_F(CollectItems, WithoutAJsonFileTheTextListingIsUsed) {
  // lister() ignores --gtest_output, as an older GoogleTest or a custom main does.
  const std::vector<Item> items = collect_items(target_for(lister()), gtest_framework(), {});
  EXPECT_THAT(names(items), ElementsAre("Suite.One", "Suite.Two"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].file, "");
}

TEST_F(CollectItems, StrayTextBreaksOnlyTheTextListing) {
  const fs::path path = script("chatty", "echo 'A.'\necho '  b'\necho 'plugin unloaded, bye'\n");
  EXPECT_THAT(error_of(target_for(path)), HasSubstr("\"plugin unloaded, bye\""));
}

TEST_F(CollectItems, NonZeroExitAfterAValidJsonListingKeepsIt) {
  Target target = target_for(json_lister());
  target.environment = {{"EXIT", "3"}};
  const std::vector<Item> items = collect_items(target, gtest_framework(), {});
  EXPECT_EQ(items.size(), 10u);
}

TEST_F(CollectItems, NonZeroExitAfterAValidTextListingKeepsIt) {
  const fs::path path = script("exits_two", "echo 'A.'\necho '  b'\necho '  c'\nexit 2\n");
  EXPECT_THAT(names(collect_items(target_for(path), gtest_framework(), {})),
              ElementsAre("A.b", "A.c"));
}

TEST_F(CollectItems, NonZeroExitWithoutAValidListingNamesTheExitCode) {
  const fs::path path = script(
      "broken",
      "for arg; do case \"$arg\" in --gtest_output=json:*) out=\"${arg#*json:}\";; esac; done\n"
      "echo '{\"testsuites\": [' > \"$out\"\n"
      "echo 'A.'\necho '  b'\necho 'fatal: cannot load plugin' >&2\nexit 4\n");
  const std::string message = error_of(target_for(path));
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("exit code 4"));
  EXPECT_THAT(message, HasSubstr("fatal: cannot load plugin"));
}

TEST_F(CollectItems, JsonListingIsCachedWithItsFile) {
  const fs::path path = json_lister();
  CollectOptions options;
  options.cache_dir = dir_ / "cache";
  const std::vector<Item> first = collect_items(target_for(path), gtest_framework(), options);
  const std::vector<Item> second = collect_items(target_for(path), gtest_framework(), options);
  EXPECT_EQ(runs(dir_ / "count"), 1);
  ASSERT_EQ(second.size(), 10u);
  EXPECT_EQ(names(second), names(first));
  EXPECT_EQ(second[9].file, "listing.cpp");
  EXPECT_EQ(second[9].line, 11);
}

TEST_F(CollectItems, ARealGoogleTestBinaryIsListedThroughJson) {
  const fs::path binary = fs::path(FANOUT_FIXTURE_DIR) / "gtest_typed_param";
  const std::vector<Item> items = collect_items(target_for(binary), gtest_framework(), {});
  EXPECT_THAT(names(items),
              ElementsAre("Typed/0.Works", "Typed/1.Works", "Negative/Param.IsNegative/0",
                          "Negative/Param.IsNegative/1", "Negative/Param.IsNegative/2"));
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(fs::path(items[0].file).filename(), "gtest_typed_param.cpp");
  EXPECT_EQ(items[0].line, source_line(items[0].file, "TYPED_TEST(Typed, Works)"));
  EXPECT_EQ(items[3].line, source_line(items[3].file, "TEST_P(Param, IsNegative)"));

  // The text listing of the same binary says the same, without file and line.
  const std::vector<Item> text =
      collect_items(target_for(binary), PolicyFramework({.text_only = true}), {});
  ASSERT_EQ(text.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(text[i].id, items[i].id);
    EXPECT_EQ(text[i].annotation, items[i].annotation) << items[i].name;
    EXPECT_EQ(text[i].line, 0);
  }
}

TEST_F(CollectItems, CachedItemsAreTheParsedOnesColdWarmAndAfterDamage) {
  const Target target = target_for(fs::path(FANOUT_FIXTURE_DIR) / "gtest_typed_param");
  const std::vector<Item> parsed = collect_items(target, gtest_framework(), {});
  ASSERT_EQ(parsed.size(), 5u);

  const std::vector<Item> cold = collect_items(target, gtest_framework(), cached_options());
  expect_same_items(cold, parsed);
  const fs::path items_file = only_file(dir_ / "cache", ".items");
  const std::string stored = read_file(items_file);
  const std::vector<Item> warm = collect_items(target, gtest_framework(), cached_options());
  expect_same_items(warm, parsed);

  // The warm collection took its items from the items file: an edit there shows.
  std::string edited = stored;
  const std::size_t at = edited.find("Typed/0.Works");
  ASSERT_NE(at, std::string::npos);
  edited[at + 12] = 'z';
  std::ofstream(items_file, std::ios::binary | std::ios::trunc) << edited;
  EXPECT_EQ(collect_items(target, gtest_framework(), cached_options())[0].id, "t/Typed/0.Workz");

  // A damaged items file: the listing is parsed again and the items file rewritten.
  std::ofstream(items_file, std::ios::binary | std::ios::trunc)
      << stored.substr(0, stored.size() - 3);
  expect_same_items(collect_items(target, gtest_framework(), cached_options()), parsed);
  EXPECT_EQ(read_file(items_file), stored);
  std::ofstream(items_file, std::ios::binary | std::ios::trunc) << "not an items file";
  expect_same_items(collect_items(target, gtest_framework(), cached_options()), parsed);
  EXPECT_EQ(read_file(items_file), stored);
  expect_same_items(collect_items(target, gtest_framework(), cached_options()), parsed);

  // A directory where the items file should be: still no failure.
  fs::remove(items_file);
  fs::create_directory(items_file);
  expect_same_items(collect_items(target, gtest_framework(), cached_options()), parsed);
}

TEST_F(CollectItems, CachedItemsOfAnotherTargetSignatureAreNotReused) {
  const fs::path path = lister();
  Target target = target_for(path);
  collect_items(target, gtest_framework(), cached_options());
  collect_items(target, gtest_framework(), cached_options());

  Target relabelled = target;
  relabelled.labels = {"l", "new"};
  EXPECT_THAT(collect_items(relabelled, gtest_framework(), cached_options())[0].labels,
              ElementsAre("l", "new"));
  // Fields parsing does not read share the items: the items file is read, not written again
  // (which would make it another file).
  const fs::path items_file = only_file(dir_ / "cache", ".items");
  const ino_t before = inode_of(items_file);
  Target longer = relabelled;
  longer.timeout_seconds = 99;
  longer.group = "g";
  EXPECT_THAT(collect_items(longer, gtest_framework(), cached_options())[0].labels,
              ElementsAre("l", "new"));
  EXPECT_EQ(inode_of(items_file), before);
  Target renamed = target;
  renamed.name = "renamed";
  EXPECT_EQ(collect_items(renamed, gtest_framework(), cached_options())[1].id, "renamed/Suite.Two");
  EXPECT_NE(inode_of(items_file), before);
  EXPECT_EQ(collect_items(target, gtest_framework(), cached_options())[1].id, "t/Suite.Two");
  EXPECT_EQ(runs(dir_ / "count"), 1);
}

TEST_F(CollectItems, ARelistedBinaryNeverGetsTheOldItems) {
  // Its suite's name comes from a file beside it, which the cache key does not know about.
  const fs::path path = script("lister",
                               "echo run >> count\n"
                               "echo \"$(cat suite).\"\n"
                               "echo '  One'\n");
  std::ofstream(dir_ / "suite") << "Old\n";
  const Target target = target_for(path);
  EXPECT_THAT(names(collect_items(target, gtest_framework(), cached_options())),
              ElementsAre("Old.One"));
  const fs::path listing = only_file(dir_ / "cache", ".listing");

  // The listing is lost: the binary is listed again, and says something new.
  std::ofstream(dir_ / "suite", std::ios::trunc) << "New\n";
  fs::remove(listing);
  EXPECT_THAT(names(collect_items(target, gtest_framework(), cached_options())),
              ElementsAre("New.One"));
  EXPECT_THAT(names(collect_items(target, gtest_framework(), cached_options())),
              ElementsAre("New.One"));
  // The same again with a damaged listing file.
  std::ofstream(dir_ / "suite", std::ios::trunc) << "Newer\n";
  std::ofstream(listing, std::ios::trunc) << "damaged";
  EXPECT_THAT(names(collect_items(target, gtest_framework(), cached_options())),
              ElementsAre("Newer.One"));
  EXPECT_EQ(runs(dir_ / "count"), 3);
}

TEST_F(CollectItems, CachedItemsFollowTheFieldsTheExecutableAdapterReads) {
  const fs::path path = script("plain", "exit 0\n");
  Target target = target_for(path);
  target.framework = "exe";
  target.source_file = "/src/CMakeLists.txt";
  target.source_line = 4;
  const Framework& exe = executable_framework();
  collect_items(target, exe, cached_options());
  EXPECT_FALSE(collect_items(target, exe, cached_options())[0].disabled);
  target.disabled = true;
  EXPECT_TRUE(collect_items(target, exe, cached_options())[0].disabled);
  target.source_line = 40;
  EXPECT_EQ(collect_items(target, exe, cached_options())[0].line, 40);
  target.fail_regex = {"("};
  EXPECT_THAT(error_of(target, exe, cached_options()), HasSubstr("FAIL_REGULAR_EXPRESSION"));
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

  // Only the cache file and its items are left: written through temporary files that were
  // renamed.
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir_ / "cache")) {
    files.push_back(entry.path().extension().string());
  }
  EXPECT_THAT(files, UnorderedElementsAre(".listing", ".items"));
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

TEST_F(CollectItems, CachedItemsAloneNeverRunTheBinary) {
  const fs::path path = lister();
  const Target target = target_for(path);
  EXPECT_EQ(collect_cached_items(target, gtest_framework(), CollectOptions{}), std::nullopt)
      << "no cache directory";
  EXPECT_EQ(collect_cached_items(target, gtest_framework(), cached_options()), std::nullopt)
      << "nothing cached yet";
  const std::vector<Item> listed = collect_items(target, gtest_framework(), cached_options());
  EXPECT_EQ(runs(dir_ / "count"), 1);

  const std::optional<std::vector<Item>> cached =
      collect_cached_items(target, gtest_framework(), cached_options());
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(names(*cached), names(listed));
  EXPECT_EQ((*cached)[1].annotation, listed[1].annotation);

  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(2));
  EXPECT_EQ(collect_cached_items(target, gtest_framework(), cached_options()), std::nullopt)
      << "the binary changed";
  fs::remove(path);
  EXPECT_EQ(collect_cached_items(target, gtest_framework(), cached_options()), std::nullopt)
      << "a missing binary is for collect_items to name";
  EXPECT_EQ(runs(dir_ / "count"), 1);
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
  const fs::path cache_file = first_cached_listing(path);
  const std::string stored = read_file(cache_file);
  std::ofstream(cache_file, std::ios::trunc) << stored.substr(0, stored.size() / 2);

  expect_listed_again_then_cached(path);
  EXPECT_EQ(read_file(cache_file), stored);
}

TEST_F(CollectItems, ACacheEntryOfTheFirstFormatIsAMissAndIsReplaced) {
  const fs::path path = lister();
  const fs::path cache_file = first_cached_listing(path);
  // Format 1 kept the same entry as JSON, in <hash>.json.
  fs::path legacy = cache_file;
  legacy.replace_extension(".json");
  std::ofstream(legacy) << R"({"format":1,"output":"Stale.\n  Old\n"})";
  std::ofstream(cache_file, std::ios::trunc) << R"({"format":1,"output":"Stale.\n  Old\n"})";

  expect_listed_again_then_cached(path);
  EXPECT_FALSE(fs::exists(legacy));
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
  const std::string output("A.\n  b\n\x01\xff odd bytes\n\0", 21);
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

TEST(ListingCache, KeepsTheOutputFileBesideTheOutput) {
  const fs::path dir = fs::path(::testing::TempDir()) / "fanout_listing_cache_file_test";
  fs::remove_all(dir);
  const ListingCache cache(dir);
  const ListingKey key{"/bin/t", 1, 2, {"/bin/t", "--gtest_output=json:{output_file}"}, {}};
  const ListingSource with_file{"chatter\n", std::string("{\"testsuites\": []}")};
  cache.store_source(key, with_file);
  EXPECT_EQ(cache.load_source(key), with_file);
  EXPECT_EQ(cache.load(key), "chatter\n");
  // No file written is not the same as an empty file.
  const ListingSource without_file{"A.\n  b\n", std::nullopt};
  cache.store_source(key, without_file);
  EXPECT_EQ(cache.load_source(key), without_file);
  cache.store_source(key, {"", std::string()});
  ASSERT_TRUE(cache.load_source(key).has_value());
  EXPECT_EQ(cache.load_source(key)->file, std::string());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fanout::collector
