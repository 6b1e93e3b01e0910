#include "launcher/history_layout_reader.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <system_error>

namespace fanout::launcher {

using collector::Outcome;

namespace {

/// Powers of ten a double holds exactly.
constexpr double exact_powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                          1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                          1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr int max_exact_power = 22;
constexpr std::uint64_t max_exact_mantissa = std::uint64_t{1} << 53;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// The length of the valid UTF-8 sequence starting with the byte >= 0x80 at `at` (no overlong
/// forms, surrogates or code points past U+10FFFF, as JSON parsers require), or 0.
std::size_t utf8_sequence(const char* at, const char* end) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(at[i]); };
  const auto continues = [&](std::size_t i, unsigned char low, unsigned char high) {
    return byte(i) >= low && byte(i) <= high;
  };
  const auto left = static_cast<std::size_t>(end - at);
  const unsigned char lead = byte(0);
  if (lead >= 0xC2 && lead <= 0xDF) return left >= 2 && continues(1, 0x80, 0xBF) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    return left >= 3 && continues(1, low, high) && continues(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    return left >= 4 && continues(1, low, high) && continues(2, 0x80, 0xBF) &&
                   continues(3, 0x80, 0xBF)
               ? 4
               : 0;
  }
  return 0;
}

/// Appends the code point `code` (not a surrogate) as UTF-8.
void append_utf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

/// A position in the text. Each read consumes what it expects and returns true, or returns false;
/// after a false the reader gives up, so where it stopped does not matter.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : at_(text.data()), end_(text.data() + text.size()) {}

  bool at_end() const { return at_ == end_; }

  /// Consumes the string literal `expected` when the text goes on with it.
  template <std::size_t size>
  bool literal(const char (&expected)[size]) {
    constexpr std::size_t length = size - 1;
    if (static_cast<std::size_t>(end_ - at_) < length || std::memcmp(at_, expected, length) != 0) {
      return false;
    }
    at_ += length;
    return true;
  }

  /// A JSON string: `out` views it in the text, or in `unescaped` when it holds escapes.
  bool string(std::string& unescaped, std::string_view& out) {
    if (!literal("\"")) return false;
    const char* const start = at_;
    const char* const p = find_special_in_string(start, end_, true);
    at_ = p;
    if (literal("\"")) {
      out = {start, static_cast<std::size_t>(p - start)};
      return true;
    }
    unescaped.assign(start, p);
    if (!rest_of_string(unescaped)) return false;
    out = unescaped;
    return true;
  }

  /// A non-negative JSON number, correctly rounded to a double (overflow gives infinity).
  bool seconds(double& out) {
    const char* const start = at_;
    const char* p = start;
    std::uint64_t mantissa = 0;  // the digits, while they stay exact in a double
    bool mantissa_fits = true;
    const auto digit = [&] {
      if (mantissa <= max_exact_mantissa / 10 - 1) {
        mantissa = mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
      } else {
        mantissa_fits = false;
      }
      ++p;
    };
    if (p == end_ || !is_digit(*p)) return false;
    // The number lies below 10^(magnitude + exponent): the integer digits, or minus the zeros
    // that start the fraction.
    int magnitude = 0;
    if (*p == '0') {
      ++p;
    } else {
      for (; p != end_ && is_digit(*p); ++magnitude) digit();
    }
    int fraction_digits = 0;
    if (p != end_ && *p == '.') {
      ++p;
      if (p == end_ || !is_digit(*p)) return false;
      for (; p != end_ && is_digit(*p); ++fraction_digits) {
        if (mantissa == 0 && *p == '0') --magnitude;
        digit();
      }
    }
    int exponent = 0;
    if (p != end_ && (*p == 'e' || *p == 'E')) {
      ++p;
      const bool negative = p != end_ && *p == '-';
      if (p != end_ && (*p == '-' || *p == '+')) ++p;
      if (p == end_ || !is_digit(*p)) return false;
      for (; p != end_ && is_digit(*p); ++p) {
        if (exponent < 100000) exponent = exponent * 10 + (*p - '0');
      }
      if (negative) exponent = -exponent;
    }
    at_ = p;
    const int power = exponent - fraction_digits;
    if (mantissa_fits && power >= -max_exact_power && power <= max_exact_power) {
      // Both operands are exact, so the one rounding of the division or product is correct.
      const auto exact = static_cast<double>(mantissa);
      out = power < 0 ? exact / exact_powers_of_ten[-power] : exact * exact_powers_of_ten[power];
      return true;
    }
    const auto [end, error] = std::from_chars(start, p, out);
    if (error == std::errc::result_out_of_range) {
      out = magnitude + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
      return true;
    }
    return error == std::errc() && end == p;
  }

  /// A JSON integer that fits a std::uint64_t.
  bool count(std::uint64_t& out) {
    const char* p = at_;
    if (p == end_ || !is_digit(*p)) return false;
    std::uint64_t count = 0;
    if (*p == '0') {
      ++p;
    } else {
      constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
      for (; p != end_ && is_digit(*p); ++p) {
        const auto value = static_cast<std::uint64_t>(*p - '0');
        if (count >= max / 10 && (count > max / 10 || value > max % 10)) return false;
        count = count * 10 + value;
      }
    }
    at_ = p;
    out = count;
    return true;
  }

  /// An outcome's name as a JSON string.
  bool outcome(Outcome& out) {
    // Nearly every item passed last time.
    if (literal("\"passed\"")) {
      out = Outcome::passed;
      return true;
    }
    if (!literal("\"")) return false;
    const char* const start = at_;
    const char* const p = find_special_in_string(start, end_, true);
    at_ = p;
    if (!literal("\"")) return false;
    const std::optional<Outcome> named =
        outcome_named({start, static_cast<std::size_t>(p - start)});
    if (!named) return false;
    out = *named;
    return true;
  }

 private:
  /// The string from the first character that needs more than copying on.
  bool rest_of_string(std::string& out) {
    while (at_ != end_) {
      const auto c = static_cast<unsigned char>(*at_);
      if (c == '"') {
        ++at_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        const std::size_t length = utf8_sequence(at_, end_);
        if (length == 0) return false;
        out.append(at_, length);
        at_ += length;
      } else if (c != '\\') {
        out += *at_++;
      } else if (!escape(out)) {
        return false;
      }
    }
    return false;
  }

  /// The escape at the backslash under the cursor.
  bool escape(std::string& out) {
    if (end_ - at_ < 2) return false;
    const char kind = at_[1];
    at_ += 2;
    switch (kind) {
      case '"':
      case '\\':
      case '/':
        out += kind;
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'u':
        break;
      default:
        return false;
    }
    if (end_ - at_ < 4) return false;
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      const int value = hex_value(*at_++);
      if (value < 0) return false;
      code = code * 16 + static_cast<unsigned>(value);
    }
    // A surrogate pair is left to the JSON reader.
    if (code >= 0xD800 && code <= 0xDFFF) return false;
    append_utf8(out, code);
    return true;
  }

  const char* at_;
  const char* end_;
};

bool read_item(Cursor& in, ItemHistory& item) {
  if (!in.literal("{\"mean_seconds\":") || !in.seconds(item.mean_seconds) ||
      !in.literal(",\"runs\":") || !in.count(item.runs) || !in.literal(",\"last_outcome\":") ||
      !in.outcome(item.last_outcome)) {
    return false;
  }
  if (in.literal(",\"flaky\":") && !in.count(item.flaky)) return false;
  if (in.literal(",\"cpu_seconds\":")) {
    if (!in.seconds(item.cpu_seconds)) return false;
    item.cpu_runs = 1;
    if (in.literal(",\"cpu_runs\":") && !in.count(item.cpu_runs)) return false;
    if (item.cpu_runs == 0) item.cpu_seconds = -1;
  }
  return in.literal("}");
}

bool read_target(Cursor& in, TargetHistory& target) {
  target.unsplittable = in.literal("{\"unsplittable\":true}");
  return target.unsplittable || in.literal("{\"unsplittable\":false}");
}

/// `{}`, or one `"key": entry` per line, each handed to add(key, entry), which returns false
/// for a key it already has (the JSON reader then lets the last one count).
template <typename Entry, typename ReadEntry, typename Add>
bool read_section(Cursor& in, ReadEntry read_entry, Add add) {
  if (in.literal("{}")) return true;
  if (!in.literal("{\n    ")) return false;
  std::string unescaped;
  std::string_view key;
  do {
    Entry entry;
    if (!in.string(unescaped, key) || !in.literal(": ") || !read_entry(in, entry) ||
        !add(key, entry)) {
      return false;
    }
  } while (in.literal(",\n    "));
  return in.literal("\n  }");
}

}  // namespace

std::optional<HistoryFileContents> read_saved_layout(std::string_view text) {
  static_assert(History::format_version == 1, "the header below spells the version");
  Cursor in(text);
  HistoryFileContents contents;
  // An item's line takes about 130 characters (a few dozen more or less), a sixth of them the id.
  contents.items.reserve(text.size() / 128, text.size() / 4);
  const auto add_item = [&](std::string_view id, const ItemHistory& item) {
    bool added = false;
    contents.items.add(id, &added) = item;
    return added;
  };
  const auto add_target = [&](std::string_view name, const TargetHistory& target) {
    const std::size_t size = contents.targets.size();
    contents.targets.emplace_hint(contents.targets.end(), name, target);
    return contents.targets.size() > size;
  };
  if (!in.literal("{\n  \"version\": 1,\n  \"items\": ") ||
      !read_section<ItemHistory>(in, read_item, add_item) || !in.literal(",\n  \"targets\": ") ||
      !read_section<TargetHistory>(in, read_target, add_target) || !in.literal("\n}\n") ||
      !in.at_end()) {
    return std::nullopt;
  }
  return contents;
}

}  // namespace fanout::launcher
