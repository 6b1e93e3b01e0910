// ListingCache: stored listings come back byte for byte, only for exactly their key; anything
// else in a cache file (another format, damage, another key) is a miss, never an error.

#include "collector/listing_cache.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "item_fields.hpp"
#include "transport/temporary_directory.hpp"

namespace fanout::collector {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& path, std::string_view content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(content.data(), static_cast<std::streamsize>(content.size()));
}

// Every byte value, some of them in sequences JSON would have to escape.
std::string awkward_bytes() {
  std::string bytes = "quote \" backslash \\ slash / \\u0041 caf\xc3\xa9 \xe2\x82\xac \xff\xfe ";
  for (int c = 0; c < 256; ++c) bytes += static_cast<char>(c);
  return bytes;
}

class ListingCacheTest : public ::testing::Test {
 protected:
  ListingKey key() const {
    return {"/build/dir with \"quotes\"/t\\x\xc3\xa9",
            4096,
            -4642336865279308964,
            {"/build/t", "--gtest_list_tests", "--gtest_output=json:{output_file}", ""},
            {{"A", "1"}, {"EMPTY", ""}, {"MULTI\nLINE", std::string("x=y\0z", 5)}}};
  }

  // Stores `source` under `stored`, moves the file to where `looked_up` would be read from,
  // and loads `looked_up`.
  std::optional<ListingSource> load_as(const ListingKey& stored, const ListingKey& looked_up,
                                       const ListingSource& source) const {
    const ListingCache cache(dir_);
    cache.store_source(stored, source);
    if (cache.file_for(stored) != cache.file_for(looked_up)) {
      fs::rename(cache.file_for(stored), cache.file_for(looked_up));
    }
    return cache.load_source(looked_up);
  }

  const transport::TemporaryDirectory temporary_{"fanout_listing_cache_"};
  const fs::path dir_ = temporary_.path();
};

TEST_F(ListingCacheTest, AwkwardOutputAndFileComeBackByteForByte) {
  const ListingCache cache(dir_);
  const ListingSource source{awkward_bytes(), "{\"testsuites\": []}\n" + awkward_bytes()};
  cache.store_source(key(), source);
  EXPECT_EQ(cache.load_source(key()), source);

  const std::optional<CachedListing> cached = cache.read(key());
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->output, source.output);
  ASSERT_TRUE(cached->file.has_value());
  EXPECT_EQ(*cached->file, *source.file);

  // Empty output and empty file are values of their own.
  cache.store_source(key(), {"", std::string()});
  EXPECT_EQ(cache.load_source(key()), (ListingSource{"", std::string()}));
  cache.store_source(key(), {"", std::nullopt});
  EXPECT_EQ(cache.load_source(key()), (ListingSource{"", std::nullopt}));
}

TEST_F(ListingCacheTest, AChangeInAnyPartOfTheKeyIsAMiss) {
  const ListingSource source{"A.\n  b\n", std::string("{}")};
  ASSERT_EQ(load_as(key(), key(), source), source);

  std::vector<ListingKey> others;
  const auto other = [&](auto change) {
    ListingKey changed = key();
    change(changed);
    others.push_back(changed);
  };
  other([](ListingKey& k) { k.executable += "x"; });
  other([](ListingKey& k) { k.executable.clear(); });
  other([](ListingKey& k) { k.size += 1; });
  other([](ListingKey& k) { k.size = 0; });
  other([](ListingKey& k) { k.mtime_ns += 1; });
  other([](ListingKey& k) { k.mtime_ns = -k.mtime_ns; });
  other([](ListingKey& k) { k.argv[1] = "--gtest_list_test"; });
  other([](ListingKey& k) { k.argv.pop_back(); });
  other([](ListingKey& k) { k.argv.push_back(""); });
  other([](ListingKey& k) { k.argv = {"/build/t--gtest_list_tests"}; });
  other([](ListingKey& k) { k.argv[0] = std::string("/build/t\0", 9); });
  other([](ListingKey& k) { k.environment[2].value = "x=y"; });
  other([](ListingKey& k) { k.environment[0].value = "2"; });
  other([](ListingKey& k) { k.environment[0].name = "B"; });
  other([](ListingKey& k) { std::swap(k.environment[0], k.environment[1]); });
  other([](ListingKey& k) { k.environment.pop_back(); });
  other([](ListingKey& k) { k.environment.clear(); });
  other([](ListingKey& k) { k.environment.push_back({"", ""}); });
  other([](ListingKey& k) { k.environment[1] = {"EMPTYX", ""}; });
  other([](ListingKey& k) { k.environment[1] = {"EMPT", "Y"}; });
  other([](ListingKey& k) { k.unset_environment = {"A"}; });
  other([](ListingKey& k) { k.unset_environment = {""}; });
  for (std::size_t i = 0; i < others.size(); ++i) {
    // Read from the very file the stored key was written to: the comparison must tell.
    EXPECT_FALSE(load_as(key(), others[i], source).has_value()) << "change " << i;
    EXPECT_FALSE(load_as(others[i], key(), source).has_value()) << "change " << i;
  }
  EXPECT_EQ(load_as(key(), key(), source), source);
}

TEST_F(ListingCacheTest, EveryTruncationOrExtensionOfAFileIsAMiss) {
  const ListingCache cache(dir_);
  cache.store_source(key(), {"A.\n  b\n", std::string("{\"testsuites\": []}")});
  const fs::path file = cache.file_for(key());
  const std::string stored = read_file(file);
  ASSERT_TRUE(cache.read(key()).has_value());

  for (std::size_t size = 0; size < stored.size(); ++size) {
    write_file(file, std::string_view(stored).substr(0, size));
    EXPECT_FALSE(cache.read(key()).has_value()) << "truncated to " << size;
  }
  write_file(file, stored + '\0');
  EXPECT_FALSE(cache.read(key()).has_value());
  write_file(file, stored);
  EXPECT_TRUE(cache.read(key()).has_value());
}

TEST_F(ListingCacheTest, DamagedOrForeignFilesAreMisses) {
  const ListingCache cache(dir_);
  cache.store_source(key(), {"A.\n  b\n", std::nullopt});
  const fs::path file = cache.file_for(key());
  const std::string stored = read_file(file);

  // Every single byte changed, one at a time: a miss, or (inside the output) a different output.
  for (std::size_t at = 0; at < stored.size(); ++at) {
    std::string damaged = stored;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
    write_file(file, damaged);
    const std::optional<ListingSource> loaded = cache.load_source(key());
    if (loaded) {
      EXPECT_NE(loaded->output, "A.\n  b\n") << "byte " << at;
      EXPECT_EQ(loaded->output.size(), 7u) << "byte " << at;
    }
  }

  // A file of the first format (JSON), and other things that are not a cache file.
  for (std::string_view foreign : {
           std::string_view(R"({"format":1,"executable":"/build/t","output":"A.\n  b\n"})"),
           std::string_view(""),
           std::string_view("fanout listing cache\n"),
           std::string_view("fanout listing cache\n\x01\0\0\0\0\0\0\0", 29),
           std::string_view(
               "fanout listing cache\n\x02\0\0\0\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff", 37),
       }) {
    write_file(file, foreign);
    EXPECT_FALSE(cache.read(key()).has_value()) << foreign;
  }

  // A later format version with the same layout.
  std::string newer = stored;
  newer[std::string_view("fanout listing cache\n").size()] = 3;
  write_file(file, newer);
  EXPECT_FALSE(cache.read(key()).has_value());

  // Not a file at all.
  fs::remove(file);
  fs::create_directory(file);
  EXPECT_FALSE(cache.read(key()).has_value());
  fs::remove(file);
  EXPECT_FALSE(cache.read(key()).has_value());
}

TEST_F(ListingCacheTest, AMissingOrUnwritableDirectoryOnlyMeansMisses) {
  const ListingCache missing(dir_ / "does" / "not" / "exist");
  EXPECT_FALSE(missing.read(key()).has_value());

  const fs::path blocked = dir_ / "blocked";
  write_file(blocked, "a file where the directory should be");
  const ListingCache unwritable(blocked / "cache");
  unwritable.store_source(key(), {"A.\n  b\n", std::nullopt});
  EXPECT_FALSE(unwritable.load_source(key()).has_value());
}

// Two items with most fields set, for the items files.
std::vector<Item> some_items() {
  std::vector<Item> items(2);
  items[0] = {"t/A.b",           "t", "A.b", "A", "b", "a.cpp", 3, true, {"unit", "fast"},
              "TypeParam = int", "g", true,  0};
  items[1].id = "t/A.c";
  items[1].name = "A.c";
  items[1].ordinal = 1;
  return items;
}

TEST_F(ListingCacheTest, ItemsComeBackForTheirKeyListingAndSignatureOnly) {
  const ListingCache cache(dir_);
  const std::optional<CacheFileIdentity> listing =
      cache.store_source(key(), {"A.\n  b\n", std::string("{}")});
  ASSERT_TRUE(listing.has_value());
  ASSERT_TRUE(cache.read(key()).has_value());
  EXPECT_EQ(cache.read(key())->identity, *listing);
  EXPECT_FALSE(cache.load_items(key(), "sig").has_value());

  cache.store_items(key(), *listing, "sig", some_items());
  fs::path expected_file = cache.file_for(key());
  expected_file.replace_extension(".items");
  EXPECT_EQ(cache.items_file_for(key()), expected_file);
  EXPECT_TRUE(fs::is_regular_file(expected_file));
  std::optional<std::vector<Item>> loaded = cache.load_items(key(), "sig");
  ASSERT_TRUE(loaded.has_value());
  testing::expect_same_items(*loaded, some_items());

  // Another signature, or another key stored in the same file, is a miss.
  EXPECT_FALSE(cache.load_items(key(), "sig2").has_value());
  EXPECT_FALSE(cache.load_items(key(), "").has_value());
  ListingKey newer = key();
  newer.mtime_ns += 1;
  ASSERT_EQ(cache.items_file_for(newer), cache.items_file_for(key()));
  EXPECT_FALSE(cache.load_items(newer, "sig").has_value());

  // The same listing stored again is another file: the items were not parsed from it.
  const std::optional<CacheFileIdentity> again =
      cache.store_source(key(), {"A.\n  b\n", std::string("{}")});
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(*again, *listing);
  EXPECT_FALSE(cache.load_items(key(), "sig").has_value());
  cache.store_items(key(), cache.read(key())->identity, "sig", some_items());
  ASSERT_TRUE(cache.load_items(key(), "sig").has_value());

  // Without the listing file, no items.
  fs::remove(cache.file_for(key()));
  EXPECT_FALSE(cache.load_items(key(), "sig").has_value());
}

TEST_F(ListingCacheTest, EveryTruncationOrDamageOfAnItemsFileIsAMiss) {
  const ListingCache cache(dir_);
  const std::optional<CacheFileIdentity> listing = cache.store_source(key(), {"A.\n", {}});
  ASSERT_TRUE(listing.has_value());
  cache.store_items(key(), *listing, "sig", some_items());
  const fs::path file = cache.items_file_for(key());
  const std::string stored = read_file(file);

  for (std::size_t size = 0; size < stored.size(); ++size) {
    write_file(file, std::string_view(stored).substr(0, size));
    EXPECT_FALSE(cache.load_items(key(), "sig").has_value()) << "truncated to " << size;
  }
  write_file(file, stored + '\0');
  EXPECT_FALSE(cache.load_items(key(), "sig").has_value());

  // A damaged byte: a miss, or (inside the records) other items.
  for (std::size_t at = 0; at < stored.size(); ++at) {
    std::string damaged = stored;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
    write_file(file, damaged);
    const std::optional<std::vector<Item>> loaded = cache.load_items(key(), "sig");
    if (!loaded) continue;
    const std::vector<Item> items = some_items();
    bool same = loaded->size() == items.size();
    for (std::size_t i = 0; same && i < items.size(); ++i) {
      same = testing::fields_of((*loaded)[i]) == testing::fields_of(items[i]);
    }
    EXPECT_FALSE(same) << "byte " << at;
  }
  write_file(file, stored);
  EXPECT_TRUE(cache.load_items(key(), "sig").has_value());
}

TEST_F(ListingCacheTest, UnwritableItemsAreOnlyMisses) {
  const fs::path blocked = dir_ / "blocked";
  write_file(blocked, "a file where the directory should be");
  const ListingCache unwritable(blocked / "cache");
  EXPECT_FALSE(unwritable.store_source(key(), {"A.\n  b\n", std::nullopt}).has_value());
  unwritable.store_items(key(), CacheFileIdentity{}, "sig", some_items());
  EXPECT_FALSE(unwritable.load_items(key(), "sig").has_value());
}

}  // namespace
}  // namespace fanout::collector
