// Item records: every field of every item comes back as it was; anything cut, extended or
// damaged is refused (nullopt) without reading past the bytes given.

#include "collector/item_records.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "item_fields.hpp"

namespace fanout::collector {
namespace {

using testing::expect_same_items;
using testing::fields_of;

// Items with every field set, and every kind of awkward value.
std::vector<Item> awkward_items() {
  std::vector<Item> items;
  Item full;
  full.id = "target/Suite.Case";
  full.target = "target";
  full.name = "Suite.Case";
  full.suite = "Suite";
  full.case_name = "Case";
  full.file = "/src/dir with spaces/\"quoted\"\\x.cpp";
  full.line = 42;
  full.disabled = true;
  full.labels = {"unit", "", "caf\xc3\xa9"};
  full.annotation = "GetParam() = -2";
  full.group = "serial";
  full.isolate = true;
  full.ordinal = 7;
  items.push_back(full);

  items.emplace_back();  // every string and list empty, every number zero

  Item big;
  big.id = std::string(100000, 'i');
  big.target = std::string("nul\0inside", 10);
  big.name = std::string(70000, 'n');
  big.file = "\xff\xfe\x00\x01";
  big.line = INT_MAX;
  big.disabled = false;
  big.isolate = true;
  for (int i = 0; i < 1000; ++i) big.labels.push_back("label" + std::to_string(i));
  big.labels.push_back(std::string(5000, 'L'));
  big.ordinal = std::numeric_limits<std::size_t>::max();
  items.push_back(big);

  Item negative;
  negative.name = "negative line";
  negative.line = INT_MIN;
  negative.disabled = true;
  negative.isolate = false;
  negative.ordinal = std::size_t{1} << 40;
  items.push_back(negative);

  Item minus_one = negative;
  minus_one.line = -1;
  items.push_back(minus_one);
  return items;
}

std::string encoded(const std::vector<Item>& items) {
  std::string out;
  EXPECT_TRUE(append_item_records(items, out));
  return out;
}

// Reads `bytes` from a heap block of exactly their size, so that a read past the end is caught
// by the address sanitizer (a std::string would have a terminating NUL after its bytes).
std::optional<std::vector<Item>> read_exactly(std::string_view bytes) {
  const std::unique_ptr<char[]> copy(new char[bytes.size()]);
  if (!bytes.empty()) std::memcpy(copy.get(), bytes.data(), bytes.size());
  return read_item_records(std::string_view(copy.get(), bytes.size()));
}

TEST(ItemRecords, EveryFieldOfEveryItemComesBack) {
  const std::vector<Item> items = awkward_items();
  const std::optional<std::vector<Item>> read = read_exactly(encoded(items));
  ASSERT_TRUE(read.has_value());
  expect_same_items(*read, items);
  EXPECT_EQ((*read)[2].labels.size(), 1001u);
  EXPECT_EQ((*read)[2].line, INT_MAX);
  EXPECT_EQ((*read)[3].line, INT_MIN);
}

TEST(ItemRecords, NoItemsIsAListOfNoItems) {
  const std::optional<std::vector<Item>> read = read_exactly(encoded({}));
  ASSERT_TRUE(read.has_value());
  EXPECT_TRUE(read->empty());
}

TEST(ItemRecords, EachFlagCombinationComesBack) {
  std::vector<Item> items(4);
  for (std::size_t i = 0; i < items.size(); ++i) {
    items[i].name = "item" + std::to_string(i);
    items[i].disabled = (i & 1) != 0;
    items[i].isolate = (i & 2) != 0;
  }
  const std::optional<std::vector<Item>> read = read_exactly(encoded(items));
  ASSERT_TRUE(read.has_value());
  expect_same_items(*read, items);
}

TEST(ItemRecords, RecordsAreAppendedAfterWhatIsThere) {
  const std::vector<Item> items = awkward_items();
  std::string out = "header";
  ASSERT_TRUE(append_item_records(items, out));
  ASSERT_TRUE(out.starts_with("header"));
  const std::optional<std::vector<Item>> read =
      read_exactly(std::string_view(out).substr(std::string_view("header").size()));
  ASSERT_TRUE(read.has_value());
  expect_same_items(*read, items);
}

TEST(ItemRecords, EveryTruncationIsRefused) {
  std::vector<Item> items = awkward_items();
  // Shorter strings keep the number of cut points (and the test's time) small.
  items[2].id.resize(40);
  items[2].name.resize(40);
  items[2].labels.resize(30);
  const std::string bytes = encoded(items);
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(read_exactly(std::string_view(bytes).substr(0, size)).has_value())
        << "cut at " << size << " of " << bytes.size();
  }
  EXPECT_TRUE(read_exactly(bytes).has_value());
}

TEST(ItemRecords, ExtraBytesAreRefused) {
  const std::string bytes = encoded(awkward_items());
  EXPECT_FALSE(read_exactly(bytes + '\0').has_value());
  EXPECT_FALSE(read_exactly(bytes + encoded({})).has_value());
}

TEST(ItemRecords, EveryDamagedByteIsRefusedOrReadsAsOtherItems) {
  std::vector<Item> items = awkward_items();
  items[2].id.resize(20);
  items[2].name.resize(20);
  items[2].labels.resize(10);
  const std::string bytes = encoded(items);
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    for (const unsigned char damage : {0x01, 0x5a, 0x80, 0xff}) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ damage);
      const std::optional<std::vector<Item>> read = read_exactly(damaged);
      if (!read) continue;
      // The encoding is exact: other bytes that read at all are other items.
      bool same = read->size() == items.size();
      for (std::size_t i = 0; same && i < items.size(); ++i) {
        same = fields_of((*read)[i]) == fields_of(items[i]);
      }
      EXPECT_FALSE(same) << "byte " << at << " ^ " << int{damage};
    }
  }
}

TEST(ItemRecords, HugeCountsAreRefusedWithoutAllocatingForThem) {
  // An item count of 2^32 - 1 in four bytes: no room for even one record.
  EXPECT_FALSE(read_exactly(std::string("\xff\xff\xff\xff", 4)).has_value());
  EXPECT_FALSE(read_exactly(std::string("\x01\x00\x00", 3)).has_value());
  EXPECT_FALSE(read_exactly("").has_value());

  // One item whose label count says 2^32 - 1.
  Item item;
  item.labels = {"a"};
  std::string bytes = encoded({item});
  const std::string one_label(
      "\x01\x00\x00\x00\x01\x00\x00\x00"
      "a",
      9);
  const std::size_t at = bytes.find(one_label);
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 4, "\xff\xff\xff\xff");
  EXPECT_FALSE(read_exactly(bytes).has_value());

  // A string length of 2^32 - 1 in the first field.
  std::string long_id = encoded({item});
  long_id.replace(4, 4, "\xff\xff\xff\xff");
  EXPECT_FALSE(read_exactly(long_id).has_value());
}

TEST(ItemRecords, UnknownFlagsAreRefused) {
  Item item;
  item.file = "f";
  item.line = 3;
  std::string bytes = encoded({item});
  // count, six strings (the last one "f"), line: then the flags byte.
  const std::size_t flags_at = 4 + 6 * 4 + 1 + 4;
  ASSERT_EQ(bytes[flags_at - 5], 'f');
  ASSERT_EQ(bytes[flags_at], '\0');
  for (const char flags : {'\x04', '\x08', '\x80', '\xff'}) {
    bytes[flags_at] = flags;
    EXPECT_FALSE(read_exactly(bytes).has_value()) << int{flags};
  }
  bytes[flags_at] = '\x03';
  const std::optional<std::vector<Item>> read = read_exactly(bytes);
  ASSERT_TRUE(read.has_value());
  EXPECT_TRUE((*read)[0].disabled);
  EXPECT_TRUE((*read)[0].isolate);
}

}  // namespace
}  // namespace fanout::collector
