#include "launcher/history_file.hpp"

#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <system_error>

#include "launcher/history_layout_reader.hpp"

namespace fanout::launcher {

namespace json = boost::json;
using collector::Outcome;

namespace {

// ---------------------------------------------------------------------------------------------
// The JSON reader: through a JSON tree, for the files read_saved_layout leaves (hand-edited,
// reformatted, or wrong). It decides whether they are acceptable and, if not, says why.

const json::value* member(const json::object& object, std::string_view key) {
  return object.if_contains(key);
}

double number_at(const json::value& value, const std::string& where) {
  if (!value.is_number()) throw HistoryFileError(where + ": expected a number");
  std::error_code ec;
  const double number = value.to_number<double>(ec);
  if (ec || !(number >= 0)) throw HistoryFileError(where + ": expected a non-negative number");
  return number;
}

std::uint64_t count_at(const json::value& value, const std::string& where) {
  std::error_code ec;
  const auto count = value.is_number() ? value.to_number<std::uint64_t>(ec) : 0;
  if (!value.is_number() || ec) throw HistoryFileError(where + ": expected a non-negative integer");
  return count;
}

const json::object& object_at(const json::value& value, const std::string& where) {
  if (!value.is_object()) throw HistoryFileError(where + ": expected an object");
  return value.get_object();
}

ItemHistory parse_item(const json::value& value, const std::string& where) {
  const json::object& object = object_at(value, where);
  ItemHistory item;
  const json::value* mean = member(object, "mean_seconds");
  const json::value* runs = member(object, "runs");
  const json::value* outcome = member(object, "last_outcome");
  if (!mean || !runs || !outcome) {
    throw HistoryFileError(where + ": needs mean_seconds, runs and last_outcome");
  }
  item.mean_seconds = number_at(*mean, where + ".mean_seconds");
  item.runs = count_at(*runs, where + ".runs");
  if (!outcome->is_string()) throw HistoryFileError(where + ".last_outcome: expected a string");
  const std::optional<Outcome> last = outcome_named(outcome->get_string());
  if (!last) {
    throw HistoryFileError(where + ".last_outcome: unknown outcome \"" +
                           std::string(outcome->get_string()) + "\"");
  }
  item.last_outcome = *last;
  if (const json::value* flaky = member(object, "flaky")) {
    item.flaky = count_at(*flaky, where + ".flaky");
  }
  if (const json::value* cpu = member(object, "cpu_seconds")) {
    item.cpu_seconds = number_at(*cpu, where + ".cpu_seconds");
    item.cpu_runs = 1;
    if (const json::value* cpu_runs = member(object, "cpu_runs")) {
      item.cpu_runs = count_at(*cpu_runs, where + ".cpu_runs");
    }
    if (item.cpu_runs == 0) item.cpu_seconds = -1;
  }
  return item;
}

TargetHistory parse_target(const json::value& value, const std::string& where) {
  const json::object& object = object_at(value, where);
  TargetHistory target;
  if (const json::value* unsplittable = member(object, "unsplittable")) {
    if (!unsplittable->is_bool()) {
      throw HistoryFileError(where + ".unsplittable: expected a boolean");
    }
    target.unsplittable = unsplittable->get_bool();
  }
  return target;
}

HistoryFileContents read_explaining(std::string_view text) {
  json::error_code parse_error;
  const json::value root = json::parse(text, parse_error);
  if (parse_error) throw HistoryFileError("not valid JSON (" + parse_error.message() + ")");
  const json::object& object = object_at(root, "the file");
  const json::value* version = member(object, "version");
  if (!version || !version->is_int64() || version->get_int64() != History::format_version) {
    throw HistoryFileError(version ? "unsupported version " + json::serialize(*version)
                                   : std::string("no version"));
  }
  HistoryFileContents contents;
  if (const json::value* items = member(object, "items")) {
    for (const auto& [id, value] : object_at(*items, "items")) {
      contents.items.add(id) = parse_item(value, "items[\"" + std::string(id) + "\"]");
    }
  }
  if (const json::value* targets = member(object, "targets")) {
    for (const auto& [name, value] : object_at(*targets, "targets")) {
      contents.targets[std::string(name)] =
          parse_target(value, "targets[\"" + std::string(name) + "\"]");
    }
  }
  return contents;
}

// ---------------------------------------------------------------------------------------------
// The writer. Each line is appended to a string reserved for the worst case, so only the bytes
// written are ever touched; an entry's JSON is put together in a buffer on the stack.

/// The most a count takes (20 digits), and a number of seconds (a double's shortest form).
constexpr std::size_t count_room = 20;
constexpr std::size_t seconds_room = 24;

char* put(char* out, std::string_view text) {
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

/// Appends `text` as a JSON string, escaped as Boost.JSON does: quote and backslash, control
/// characters as \b \t \n \f \r or \u00xx; everything else (UTF-8 included) as it is.
void append_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  const char* const text_end = text.data() + text.size();
  for (const char* plain = text.data(); plain != text_end;) {
    const char* const special = find_special_in_string(plain, text_end, false);
    out.append(plain, special);
    if (special == text_end) break;
    const char c = *special;
    out += '\\';
    switch (c) {
      case '"':
      case '\\':
        out += c;
        break;
      case '\b':
        out += 'b';
        break;
      case '\t':
        out += 't';
        break;
      case '\n':
        out += 'n';
        break;
      case '\f':
        out += 'f';
        break;
      case '\r':
        out += 'r';
        break;
      default:
        out += "u00";
        out += hex[static_cast<unsigned char>(c) >> 4];
        out += hex[static_cast<unsigned char>(c) & 15];
    }
    plain = special + 1;
  }
  out += '"';
}

char* put_count(char* out, std::uint64_t count) {
  return std::to_chars(out, out + count_room, count).ptr;
}

/// "00" to "99".
constexpr std::array<char, 200> digit_pairs = [] {
  std::array<char, 200> pairs{};
  for (int i = 0; i < 100; ++i) {
    pairs[2 * i] = static_cast<char>('0' + i / 10);
    pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}();

/// Seconds are written in steps of this (0.1 µs): finer than any clock a run is timed with.
constexpr std::uint64_t steps_per_second = 10'000'000;
constexpr int step_digits = 7;
/// From here on (about three years) seconds are written in their shortest exact form instead:
/// below it, a step count read back and rounded again gives the same count.
constexpr double largest_stepped_seconds = 1e8;

/// `seconds` rounded to the nearest step, in decimals without trailing zeros ("0", "30",
/// "0.25", "0.0000367"): an average that has decayed to almost nothing is written as 0, and
/// nothing is written with digits no clock measured. Values past largest_stepped_seconds in the
/// shortest form that reads back exactly; infinity as 1e999, which reads back as it. Negative
/// values (never recorded) as 0.
char* put_seconds(char* out, double seconds) {
  if (!(seconds > 0)) return put(out, "0");
  if (std::isinf(seconds)) return put(out, "1e999");
  if (seconds >= largest_stepped_seconds) {
    return std::to_chars(out, out + seconds_room, seconds).ptr;
  }
  const auto steps =
      static_cast<std::uint64_t>(seconds * static_cast<double>(steps_per_second) + 0.5);
  out = put_count(out, steps / steps_per_second);
  const auto fraction = static_cast<unsigned>(steps % steps_per_second);
  if (fraction == 0) return out;
  static_assert(step_digits == 7);
  char digits[8];
  digits[0] = static_cast<char>('0' + fraction / 1000000);
  std::memcpy(digits + 1, digit_pairs.data() + 2 * (fraction / 10000 % 100), 2);
  std::memcpy(digits + 3, digit_pairs.data() + 2 * (fraction / 100 % 100), 2);
  std::memcpy(digits + 5, digit_pairs.data() + 2 * (fraction % 100), 2);
  std::size_t length = step_digits;
  while (digits[length - 1] == '0') --length;
  *out++ = '.';
  std::memcpy(out, digits, length);
  return out + length;
}

/// Room an item's JSON object may take: under 100 characters besides its numbers.
constexpr std::size_t item_room = 100 + 2 * seconds_room + 3 * count_room;

char* put_item(char* out, const ItemHistory& item) {
  out = put(out, "{\"mean_seconds\":");
  out = put_seconds(out, item.mean_seconds);
  out = put(out, ",\"runs\":");
  out = put_count(out, item.runs);
  out = put(out, ",\"last_outcome\":\"");
  out = put(out, collector::to_string(item.last_outcome));  // names need no escapes
  out = put(out, "\",\"flaky\":");
  out = put_count(out, item.flaky);
  if (item.cpu_seconds >= 0 && item.cpu_runs > 0) {
    out = put(out, ",\"cpu_seconds\":");
    out = put_seconds(out, item.cpu_seconds);
    out = put(out, ",\"cpu_runs\":");
    out = put_count(out, item.cpu_runs);
  }
  return put(out, "}");
}

constexpr std::size_t target_room = 32;

char* put_target(char* out, const TargetHistory& target) {
  return put(out, target.unsplittable ? "{\"unsplittable\":true}" : "{\"unsplittable\":false}");
}

constexpr std::string_view line_start = "\n    ";
constexpr std::string_view key_end = ": ";
constexpr std::string_view section_end = "\n  }";

/// Writes a section, a JSON object with one member per line (readable, diffable), from calls of
/// add(key, entry) in key order. `entry_room`: the most an entry's JSON takes.
template <std::size_t entry_room>
class SectionWriter {
 public:
  explicit SectionWriter(std::string& out) : out_(out) {}

  /// The most a section of `count` entries with keys of `key_bytes` in all takes (each key
  /// character could become \u00xx).
  static std::size_t room(std::size_t count, std::size_t key_bytes) {
    constexpr std::size_t line_room = 1 + line_start.size() + 2 + key_end.size() + entry_room;
    return 2 + section_end.size() + count * line_room + 6 * key_bytes;
  }

  template <typename Entry, typename PutEntry>
  void add(std::string_view key, const Entry& entry, PutEntry put_entry) {
    // The line is put together here and appended at once; only a key that may not fit (long, or
    // with characters to escape) is appended on its own.
    char line[1 + line_start.size() + 2 + max_plain_key + key_end.size() + entry_room];
    char* end = line;
    *end++ = empty_ ? '{' : ',';
    end = put(end, line_start);
    if (key.size() <= max_plain_key && find_special_in_string(key.data(), key.data() + key.size(),
                                                              false) == key.data() + key.size()) {
      *end++ = '"';
      end = put(end, key);
      *end++ = '"';
    } else {
      out_.append(line, static_cast<std::size_t>(end - line));
      append_string(out_, key);
      end = line;
    }
    end = put(end, key_end);
    end = put_entry(end, entry);
    out_.append(line, static_cast<std::size_t>(end - line));
    empty_ = false;
  }

  void finish() { out_ += empty_ ? "{}" : section_end; }

 private:
  static constexpr std::size_t max_plain_key = 256;

  std::string& out_;
  bool empty_ = true;
};

}  // namespace

const char* find_special_in_string(const char* at, const char* end, bool stop_at_utf8) {
  constexpr std::uint64_t ones = 0x0101010101010101;
  constexpr std::uint64_t high_bits = 0x8080808080808080;
  // The high bit of each byte below `limit` (<= 0x80) set, and maybe of bytes after such a byte.
  const auto below = [](std::uint64_t word, unsigned char limit) {
    return (word - ones * limit) & ~word & high_bits;
  };
  const std::uint64_t utf8_bits = stop_at_utf8 ? high_bits : 0;
  while (end - at >= 8) {
    std::uint64_t word;
    std::memcpy(&word, at, sizeof word);
    if ((below(word, 0x20) | below(word ^ (ones * '"'), 1) | below(word ^ (ones * '\\'), 1) |
         (word & utf8_bits)) != 0) {
      break;
    }
    at += 8;
  }
  for (; at != end; ++at) {
    const auto byte = static_cast<unsigned char>(*at);
    if (byte < 0x20 || byte == '"' || byte == '\\' || (stop_at_utf8 && byte >= 0x80)) break;
  }
  return at;
}

std::optional<Outcome> outcome_named(std::string_view name) {
  static constexpr Outcome outcomes[] = {Outcome::passed,  Outcome::failed,  Outcome::skipped,
                                         Outcome::timeout, Outcome::crashed, Outcome::error,
                                         Outcome::flaky,   Outcome::not_run};
  // Every entry of a history file names one: look the names up once.
  static const auto names = [] {
    std::array<std::string_view, std::size(outcomes)> names;
    for (std::size_t i = 0; i < names.size(); ++i) names[i] = collector::to_string(outcomes[i]);
    return names;
  }();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return outcomes[i];
  }
  return std::nullopt;
}

HistoryFileContents parse_history_file(std::string_view text) {
  if (std::optional<HistoryFileContents> contents = read_saved_layout(text)) {
    return std::move(*contents);
  }
  return read_explaining(text);
}

std::string format_history_file(const HistoryItems& items,
                                const std::map<std::string, TargetHistory>& targets) {
  static_assert(History::format_version == 1, "the header below spells the version");
  constexpr std::string_view header = "{\n  \"version\": 1,\n  \"items\": ";
  constexpr std::string_view between = ",\n  \"targets\": ";
  constexpr std::string_view footer = "\n}\n";
  std::size_t id_bytes = 0;
  items.for_each([&](std::string_view id, const ItemHistory&) { id_bytes += id.size(); });
  std::size_t name_bytes = 0;
  for (const auto& [name, target] : targets) name_bytes += name.size();
  std::string text;
  text.reserve(header.size() + SectionWriter<item_room>::room(items.size(), id_bytes) +
               between.size() + SectionWriter<target_room>::room(targets.size(), name_bytes) +
               footer.size());
  text.append(header);
  SectionWriter<item_room> item_section(text);
  items.for_each_sorted(
      [&](std::string_view id, const ItemHistory& item) { item_section.add(id, item, put_item); });
  item_section.finish();
  text.append(between);
  SectionWriter<target_room> target_section(text);
  for (const auto& [name, target] : targets) target_section.add(name, target, put_target);
  target_section.finish();
  text.append(footer);
  return text;
}

}  // namespace fanout::launcher
