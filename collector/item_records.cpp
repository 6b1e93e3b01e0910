#include "collector/item_records.hpp"

#include <cstdint>
#include <exception>
#include <limits>

#include "collector/byte_encoding.hpp"

namespace fanout::collector {
namespace {

// The records: the item count as a u32, then per item: id, target, name, suite, case_name, file
// (strings), line (i32), flags (u8: 1 disabled, 2 isolate), the label count (u32) and the
// labels (strings), annotation, group (strings), ordinal (u64). A string is a u32 length and
// its bytes.
constexpr std::size_t u32_size = 4;
constexpr std::size_t u64_size = 8;
constexpr std::uint8_t disabled_flag = 1;
constexpr std::uint8_t isolate_flag = 2;
constexpr std::size_t strings_per_item = 8;
// The smallest record: every string and list empty.
constexpr std::size_t min_record_size =
    strings_per_item * u32_size + u32_size + 1 + u32_size + u64_size;
constexpr std::uint64_t max_u32 = std::numeric_limits<std::uint32_t>::max();

void put_string(std::string& out, const std::string& text) {
  put_u32(out, static_cast<std::uint32_t>(text.size()));
  out += text;
}

// The bytes append_item_records writes for `item`; 0 when a length does not fit in a u32.
std::size_t record_size(const Item& item) {
  std::size_t size = min_record_size;
  for (const std::string* text : {&item.id, &item.target, &item.name, &item.suite, &item.case_name,
                                  &item.file, &item.annotation, &item.group}) {
    if (text->size() > max_u32) return 0;
    size += text->size();
  }
  if (item.labels.size() > max_u32) return 0;
  for (const std::string& label : item.labels) {
    if (label.size() > max_u32) return 0;
    size += u32_size + label.size();
  }
  return size;
}

/// What put_string wrote, into `text`.
bool read_string(ByteReader& in, std::string& text) {
  std::uint32_t size = 0;
  std::string_view bytes;
  if (!in.u32(size) || !in.take(size, bytes)) return false;
  text.assign(bytes);
  return true;
}

bool read_item(ByteReader& in, Item& item) {
  std::uint32_t line = 0;
  std::uint8_t flags = 0;
  std::uint32_t label_count = 0;
  std::uint64_t ordinal = 0;
  if (!read_string(in, item.id) || !read_string(in, item.target) || !read_string(in, item.name) ||
      !read_string(in, item.suite) || !read_string(in, item.case_name) ||
      !read_string(in, item.file) || !in.u32(line) || !in.u8(flags) ||
      (flags & ~(disabled_flag | isolate_flag)) != 0 || !in.u32(label_count) ||
      label_count > in.left() / u32_size) {
    return false;
  }
  item.line = static_cast<int>(line);
  item.disabled = (flags & disabled_flag) != 0;
  item.isolate = (flags & isolate_flag) != 0;
  item.labels.resize(label_count);
  for (std::string& label : item.labels) {
    if (!read_string(in, label)) return false;
  }
  if (!read_string(in, item.annotation) || !read_string(in, item.group) || !in.u64(ordinal) ||
      ordinal > std::numeric_limits<std::size_t>::max()) {
    return false;
  }
  item.ordinal = static_cast<std::size_t>(ordinal);
  return true;
}

}  // namespace

bool append_item_records(std::span<const Item> items, std::string& out) {
  if (items.size() > max_u32) return false;
  std::size_t size = u32_size;
  for (const Item& item : items) {
    const std::size_t item_size = record_size(item);
    if (item_size == 0) return false;
    size += item_size;
  }
  out.reserve(out.size() + size);
  put_u32(out, static_cast<std::uint32_t>(items.size()));
  for (const Item& item : items) {
    // Every field named: a field added to Item stops this compiling until the records hold it.
    const auto& [id, target, name, suite, case_name, file, line, disabled, labels, annotation,
                 group, isolate, ordinal] = item;
    put_string(out, id);
    put_string(out, target);
    put_string(out, name);
    put_string(out, suite);
    put_string(out, case_name);
    put_string(out, file);
    put_u32(out, static_cast<std::uint32_t>(line));
    out += static_cast<char>((disabled ? disabled_flag : 0) | (isolate ? isolate_flag : 0));
    put_u32(out, static_cast<std::uint32_t>(labels.size()));
    for (const std::string& label : labels) put_string(out, label);
    put_string(out, annotation);
    put_string(out, group);
    put_u64(out, ordinal);
  }
  return true;
}

std::optional<std::vector<Item>> read_item_records(std::string_view records) noexcept {
  try {
    ByteReader in(records);
    std::uint32_t count = 0;
    // Each record takes min_record_size bytes at least: no room is reserved for more.
    if (!in.u32(count) || count > in.left() / min_record_size) return std::nullopt;
    std::vector<Item> items;
    items.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
      if (!read_item(in, items.emplace_back())) return std::nullopt;
    }
    if (in.left() != 0) return std::nullopt;
    return items;
  } catch (const std::exception&) {
    // Out of memory: the caller parses the listing instead.
    return std::nullopt;
  }
}

}  // namespace fanout::collector
