#include "launcher/history_file.hpp"

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <system_error>

namespace fanout::launcher {

namespace json = boost::json;
using collector::Outcome;

namespace {

constexpr Outcome all_outcomes[] = {Outcome::passed,  Outcome::failed,  Outcome::skipped,
                                    Outcome::timeout, Outcome::crashed, Outcome::error,
                                    Outcome::flaky,   Outcome::not_run};

std::optional<Outcome> outcome_named(std::string_view name) {
  for (Outcome outcome : all_outcomes) {
    if (collector::to_string(outcome) == name) return outcome;
  }
  return std::nullopt;
}

/// A later value under an existing key replaces the earlier one, as in a JSON object. Files
/// save() wrote list keys in order, so the end is the right hint.
template <typename Entry>
void insert_last_wins(std::map<std::string, Entry>& map, std::string&& key, const Entry& entry) {
  const std::size_t size = map.size();
  const auto it = map.emplace_hint(map.end(), std::move(key), entry);
  if (map.size() == size) it->second = entry;
}

// ---------------------------------------------------------------------------------------------
// The fast reader: one pass over the text, straight into the maps, no JSON tree.

/// A basic_parser handler that fills HistoryFileContents. It gives up (fails the parse) on
/// anything that is not plainly a good file: a wrong type or value, a missing member, a member
/// given twice, a count written as a double. parse_history_file then lets the explaining reader
/// below decide, and word the reason.
class FastReader {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  HistoryFileContents contents;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code& ec) {
    if (skipped_ > 0 || opens_skipped_value()) {
      ++skipped_;
      return true;
    }
    switch (depth_) {
      case 0:
        break;
      case 1:
        if (member_ != Member::items && member_ != Member::targets) return give_up(ec);
        in_items_ = member_ == Member::items;
        break;
      case 2:
        item_ = {};
        target_ = {};
        cpu_seconds_ = -1;
        cpu_runs_ = 0;
        entry_seen_ = 0;
        break;
      default:
        return give_up(ec);
    }
    ++depth_;
    return true;
  }

  bool on_object_end(std::size_t, json::error_code& ec) {
    if (skipped_ > 0) {
      --skipped_;
      return true;
    }
    --depth_;
    if (depth_ == 0 && !version_ok_) return give_up(ec);
    if (depth_ == 2) return end_entry(ec);
    return true;
  }

  bool on_array_begin(json::error_code& ec) {
    if (skipped_ == 0 && !opens_skipped_value()) return give_up(ec);
    ++skipped_;
    return true;
  }

  bool on_array_end(std::size_t, json::error_code&) {
    --skipped_;
    return true;
  }

  bool on_key_part(json::string_view part, std::size_t, json::error_code&) {
    if (skipped_ == 0) key_.append(part.data(), part.size());
    return true;
  }

  bool on_key(json::string_view last, std::size_t, json::error_code& ec) {
    if (skipped_ > 0) return true;
    const std::string_view key = whole(key_, last);
    bool repeated = false;
    if (depth_ == 1) {
      member_ = top_member(key);
      repeated = mark_seen(top_seen_, member_);
    } else if (depth_ == 2) {
      id_.assign(key);
    } else {
      member_ = in_items_ ? item_member(key) : target_member(key);
      repeated = mark_seen(entry_seen_, member_);
    }
    key_.clear();
    return repeated ? give_up(ec) : true;
  }

  bool on_string_part(json::string_view part, std::size_t, json::error_code&) {
    if (skipped_ == 0) text_.append(part.data(), part.size());
    return true;
  }

  bool on_string(json::string_view last, std::size_t, json::error_code& ec) {
    const Member member = scalar_member();
    std::optional<Outcome> outcome;
    if (member == Member::last_outcome) outcome = outcome_named(whole(text_, last));
    text_.clear();
    if (member == Member::other) return true;
    if (!outcome) return give_up(ec);
    item_.last_outcome = *outcome;
    return true;
  }

  bool on_number_part(json::string_view part, json::error_code&) {
    if (skipped_ == 0) text_.append(part.data(), part.size());
    return true;
  }

  bool on_int64(std::int64_t number, json::string_view, json::error_code& ec) {
    text_.clear();
    const Member member = scalar_member();
    if (member == Member::version && number == History::format_version) {
      version_ok_ = true;
      return true;
    }
    if (number < 0) return member == Member::other ? true : give_up(ec);
    return count(member, static_cast<std::uint64_t>(number), ec);
  }

  bool on_uint64(std::uint64_t number, json::string_view, json::error_code& ec) {
    text_.clear();
    return count(scalar_member(), number, ec);
  }

  bool on_double(double number, json::string_view last, json::error_code& ec) {
    const Member member = scalar_member();
    const double exact = member == Member::other ? number : exactly(number, whole(text_, last));
    text_.clear();
    return member == Member::other || seconds(member, exact, ec);
  }

  bool on_bool(bool value, json::error_code& ec) {
    const Member member = scalar_member();
    if (member == Member::unsplittable) {
      target_.unsplittable = value;
      return true;
    }
    return member == Member::other ? true : give_up(ec);
  }

  bool on_null(json::error_code& ec) {
    return scalar_member() == Member::other ? true : give_up(ec);
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  /// The member a value belongs to. `other`: an unknown member, ignored; `none`: no member may be
  /// here (the root, or an entry under items or targets).
  enum class Member : unsigned char {
    none,
    other,
    version,
    items,
    targets,
    mean_seconds,
    runs,
    last_outcome,
    flaky,
    cpu_seconds,
    cpu_runs,
    unsplittable,
  };

  static Member top_member(std::string_view key) {
    if (key == "version") return Member::version;
    if (key == "items") return Member::items;
    if (key == "targets") return Member::targets;
    return Member::other;
  }

  static Member item_member(std::string_view key) {
    if (key == "mean_seconds") return Member::mean_seconds;
    if (key == "runs") return Member::runs;
    if (key == "last_outcome") return Member::last_outcome;
    if (key == "flaky") return Member::flaky;
    if (key == "cpu_seconds") return Member::cpu_seconds;
    if (key == "cpu_runs") return Member::cpu_runs;
    return Member::other;
  }

  static Member target_member(std::string_view key) {
    return key == "unsplittable" ? Member::unsplittable : Member::other;
  }

  static unsigned bit(Member member) { return 1u << static_cast<unsigned>(member); }

  /// Notes `member` as seen; true when it was seen before (unknown members may repeat).
  static bool mark_seen(unsigned& seen, Member member) {
    if (member == Member::other) return false;
    const bool repeated = (seen & bit(member)) != 0;
    seen |= bit(member);
    return repeated;
  }

  /// A key or string that may have come in parts.
  static std::string_view whole(std::string& parts, json::string_view last) {
    if (parts.empty()) return {last.data(), last.size()};
    parts.append(last.data(), last.size());
    return parts;
  }

  /// The double `text` spells, correctly rounded (the parser's own conversion may be off by a
  /// unit in the last place, which would change the number each time the file is saved again).
  static double exactly(double parsed, std::string_view text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    // Out of range: the parser's infinity or zero will do.
    return error == std::errc() && end == text.data() + text.size() ? value : parsed;
  }

  bool opens_skipped_value() const {
    return (depth_ == 1 || depth_ == 3) && member_ == Member::other;
  }

  Member scalar_member() const {
    if (skipped_ > 0) return Member::other;
    return depth_ == 1 || depth_ == 3 ? member_ : Member::none;
  }

  bool count(Member member, std::uint64_t number, json::error_code& ec) {
    switch (member) {
      case Member::other:
        return true;
      case Member::runs:
        item_.runs = number;
        return true;
      case Member::flaky:
        item_.flaky = number;
        return true;
      case Member::cpu_runs:
        cpu_runs_ = number;
        return true;
      default:
        return seconds(member, static_cast<double>(number), ec);
    }
  }

  bool seconds(Member member, double number, json::error_code& ec) {
    if (!(number >= 0)) return give_up(ec);
    if (member == Member::mean_seconds) {
      item_.mean_seconds = number;
    } else if (member == Member::cpu_seconds) {
      cpu_seconds_ = number;
    } else {
      return give_up(ec);
    }
    return true;
  }

  bool end_entry(json::error_code& ec) {
    if (!in_items_) {
      insert_last_wins(contents.targets, std::move(id_), target_);
      return true;
    }
    const unsigned required =
        bit(Member::mean_seconds) | bit(Member::runs) | bit(Member::last_outcome);
    if ((entry_seen_ & required) != required) return give_up(ec);
    if ((entry_seen_ & bit(Member::cpu_seconds)) != 0) {
      item_.cpu_runs = (entry_seen_ & bit(Member::cpu_runs)) != 0 ? cpu_runs_ : 1;
      item_.cpu_seconds = item_.cpu_runs == 0 ? -1 : cpu_seconds_;
    }
    insert_last_wins(contents.items, std::move(id_), item_);
    return true;
  }

  static bool give_up(json::error_code& ec) {
    ec = json::make_error_code(json::error::exception);
    return false;
  }

  int depth_ = 0;                 ///< objects open: 1 the root, 2 items or targets, 3 one entry
  std::size_t skipped_ = 0;       ///< containers open inside an unknown member's value
  Member member_ = Member::none;  ///< the member whose value comes next (depth 1 or 3)
  bool in_items_ = false;         ///< depth >= 2 is under items (else under targets)
  bool version_ok_ = false;
  unsigned top_seen_ = 0;
  unsigned entry_seen_ = 0;
  std::string key_;   ///< a key's parts so far
  std::string text_;  ///< a string's or number's parts so far
  std::string id_;    ///< the id of the entry being read
  ItemHistory item_;
  TargetHistory target_;
  double cpu_seconds_ = -1;
  std::uint64_t cpu_runs_ = 0;
};

std::optional<HistoryFileContents> read_fast(std::string_view text) {
  json::basic_parser<FastReader> parser(json::parse_options{});
  json::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec || used != text.size()) return std::nullopt;
  return std::move(parser.handler().contents);
}

// ---------------------------------------------------------------------------------------------
// The explaining reader: through a JSON tree, for the files the fast reader gave up on. It
// decides whether they are acceptable and, if not, says why.

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
      contents.items[std::string(id)] = parse_item(value, "items[\"" + std::string(id) + "\"]");
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
// The writer. Each entry's line is written through a pointer into room made for it beforehand:
// far cheaper than appending its pieces to a std::string one by one.

/// The most a JSON number of ours takes (a double's shortest form needs at most 24).
constexpr std::size_t max_number_size = 32;

char* put(char* out, std::string_view text) {
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

/// Room `text` may take as a JSON string: every character could become \u00xx.
std::size_t string_room(std::string_view text) {
  return 2 + 6 * text.size();
}

/// Writes `text` as a JSON string, escaped as Boost.JSON does: quote and backslash, control
/// characters as \b \t \n \f \r or \u00xx; everything else (UTF-8 included) as it is.
char* put_string(char* out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  *out++ = '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && c != '"' && c != '\\') {
      *out++ = c;
      continue;
    }
    *out++ = '\\';
    switch (c) {
      case '"':
      case '\\':
        *out++ = c;
        break;
      case '\b':
        *out++ = 'b';
        break;
      case '\t':
        *out++ = 't';
        break;
      case '\n':
        *out++ = 'n';
        break;
      case '\f':
        *out++ = 'f';
        break;
      case '\r':
        *out++ = 'r';
        break;
      default:
        out = put(out, "u00");
        *out++ = hex[byte >> 4];
        *out++ = hex[byte & 15];
    }
  }
  *out++ = '"';
  return out;
}

char* put_count(char* out, std::uint64_t count) {
  return std::to_chars(out, out + max_number_size, count).ptr;
}

/// The shortest form that reads back as the same double ("0", "0.25", "1e-07", "1.5e+300"): valid
/// JSON. Only infinity has no JSON spelling; a number too large for a double reads back as it.
char* put_seconds(char* out, double seconds) {
  if (std::isinf(seconds)) return put(out, seconds > 0 ? "1e999" : "-1e999");
  return std::to_chars(out, out + max_number_size, seconds).ptr;
}

/// Room an item's JSON object may take.
constexpr std::size_t item_room = 100 + 5 * max_number_size;

char* put_item(char* out, const ItemHistory& item) {
  out = put(out, "{\"mean_seconds\":");
  out = put_seconds(out, item.mean_seconds);
  out = put(out, ",\"runs\":");
  out = put_count(out, item.runs);
  out = put(out, ",\"last_outcome\":");
  out = put_string(out, collector::to_string(item.last_outcome));
  out = put(out, ",\"flaky\":");
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

/// Appends `entries` as a JSON object with one member per line (readable, diffable).
template <typename Entry, typename PutEntry>
void append_section(std::string& out, const std::map<std::string, Entry>& entries,
                    std::size_t entry_room, PutEntry put_entry) {
  if (entries.empty()) {
    out += "{}";
    return;
  }
  out += '{';
  std::string_view separator = "\n    ";
  for (const auto& [key, entry] : entries) {
    const std::size_t used = out.size();
    out.resize(used + separator.size() + string_room(key) + 2 + entry_room);
    char* end = put(out.data() + used, separator);
    end = put_string(end, key);
    end = put(end, ": ");
    end = put_entry(end, entry);
    out.resize(static_cast<std::size_t>(end - out.data()));
    separator = ",\n    ";
  }
  out += "\n  }";
}

/// About the room `entries` take written out: their keys plus `per_entry` characters each.
template <typename Entry>
std::size_t size_estimate(const std::map<std::string, Entry>& entries, std::size_t per_entry) {
  std::size_t size = 0;
  for (const auto& entry : entries) size += entry.first.size() + per_entry;
  return size;
}

}  // namespace

HistoryFileContents parse_history_file(std::string_view text) {
  if (std::optional<HistoryFileContents> contents = read_fast(text)) return std::move(*contents);
  return read_explaining(text);
}

std::string format_history_file(const std::map<std::string, ItemHistory>& items,
                                const std::map<std::string, TargetHistory>& targets) {
  std::string out;
  // Most lines are much shorter than their room; the last one needs it all.
  out.reserve(64 + size_estimate(items, 128) + size_estimate(targets, 40) + item_room);
  out += "{\n  \"version\": ";
  out += std::to_string(History::format_version);
  out += ",\n  \"items\": ";
  append_section(out, items, item_room, put_item);
  out += ",\n  \"targets\": ";
  append_section(out, targets, target_room, put_target);
  out += "\n}\n";
  return out;
}

}  // namespace fanout::launcher
