#include "collector/gtest_listing.hpp"

#include <utility>

#include "collector/text.hpp"

namespace fanout::collector {
namespace {

constexpr std::size_t max_quoted_line = 200;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '/';
}

// Length of the test or suite name at the start of `text`.
std::size_t name_length(std::string_view text) {
  std::size_t n = 0;
  while (n < text.size() && is_name_char(text[n])) ++n;
  return n;
}

// What may follow a name on a listing line: nothing, or "  # TypeParam = int".
std::optional<std::string_view> parse_comment(std::string_view rest) {
  const std::size_t start = rest.find_first_not_of(' ');
  if (start == std::string_view::npos) return std::string_view();
  if (start == 0 || !rest.substr(start).starts_with("# ")) return std::nullopt;
  std::string_view comment = rest.substr(start + 2);
  while (!comment.empty() && comment.back() == ' ') comment.remove_suffix(1);
  return comment;
}

// Views into the listing's line.
struct ListedName {
  std::string_view name;
  std::string_view annotation;
};

// "Suite." or "Typed/0.  # TypeParam = int" at column 0.
std::optional<ListedName> parse_suite_line(std::string_view line) {
  const std::size_t n = name_length(line);
  if (n == 0 || n >= line.size() || line[n] != '.') return std::nullopt;
  auto comment = parse_comment(line.substr(n + 1));
  if (!comment) return std::nullopt;
  return ListedName{line.substr(0, n), *comment};
}

// "  Case" or "  NonNegative/2  # GetParam() = -2".
std::optional<ListedName> parse_case_line(std::string_view line) {
  if (!line.starts_with("  ")) return std::nullopt;
  line.remove_prefix(2);
  const std::size_t n = name_length(line);
  if (n == 0) return std::nullopt;
  auto comment = parse_comment(line.substr(n));
  if (!comment) return std::nullopt;
  return ListedName{line.substr(0, n), *comment};
}

// Lines a GoogleTest main may print before the listing.
bool is_noise(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos ||
         line.starts_with("Running main() from ") || line.starts_with("Note: ");
}

// GoogleTest's own rule: "DISABLED_*" or "*/DISABLED_*", for suites and cases alike.
bool is_disabled_name(std::string_view name) {
  return name.starts_with("DISABLED_") || name.find("/DISABLED_") != std::string_view::npos;
}

// The suite's annotation, then the case's, joined as the text listing shows them.
std::string join_annotations(std::string_view suite_part, std::string_view case_part) {
  std::string annotation;
  annotation.reserve(suite_part.size() + 2 + case_part.size());
  annotation += suite_part;
  if (!case_part.empty()) {
    if (!annotation.empty()) annotation += ", ";
    annotation += case_part;
  }
  return annotation;
}

[[noreturn]] void throw_garbage(const Target& target, std::size_t line_number,
                                std::string_view line, std::string_view why) {
  throw CollectError(target.executable.string() + ": --gtest_list_tests printed " +
                     std::string(why) + " (line " + std::to_string(line_number) + ": \"" +
                     shorten(line, max_quoted_line) + "\")");
}

}  // namespace

Item& emplace_gtest_item(std::vector<Item>& items, const Target& target, std::string_view suite,
                         std::string_view case_name, std::string annotation) {
  Item& item = items.emplace_back();
  item.target = target.name;
  item.suite = suite;
  item.case_name = case_name;
  item.name.reserve(suite.size() + 1 + case_name.size());
  item.name.append(suite).append(1, '.').append(case_name);
  item.id.reserve(target.name.size() + 1 + item.name.size());
  item.id.append(target.name).append(1, '/').append(item.name);
  item.disabled = is_disabled_name(suite) || is_disabled_name(case_name);
  item.labels = target.labels;
  item.annotation = std::move(annotation);
  return item;
}

std::vector<Item> parse_gtest_text_listing(const Target& target, std::string_view output) {
  std::vector<Item> items;
  std::optional<ListedName> suite;
  std::string_view suite_line;
  std::size_t suite_line_number = 0;
  bool suite_has_cases = false;
  std::size_t first_unknown_number = 0;
  std::string first_unknown;

  std::size_t line_number = 0;
  while (!output.empty()) {
    const std::size_t newline = output.find('\n');
    std::string_view line = output.substr(0, newline);
    output = newline == std::string_view::npos ? std::string_view() : output.substr(newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (auto next_suite = parse_suite_line(line)) {
      if (suite && !suite_has_cases) {
        throw_garbage(target, suite_line_number, suite_line, "a suite without tests");
      }
      suite = next_suite;
      suite_line = line;
      suite_line_number = line_number;
      suite_has_cases = false;
      continue;
    }
    if (!suite) {
      // Before the listing: remember what does not look like noise, in case no listing follows.
      if (first_unknown_number == 0 && !is_noise(line)) {
        first_unknown_number = line_number;
        first_unknown = line;
      }
      continue;
    }
    if (auto test = parse_case_line(line)) {
      suite_has_cases = true;
      emplace_gtest_item(items, target, suite->name, test->name,
                         join_annotations(suite->annotation, test->annotation));
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    throw_garbage(target, line_number, line, "a line that is not part of a test listing");
  }
  if (suite && !suite_has_cases) {
    throw_garbage(target, suite_line_number, suite_line, "a suite without tests");
  }
  if (!suite && first_unknown_number != 0) {
    throw_garbage(target, first_unknown_number, first_unknown, "no GoogleTest listing");
  }
  return items;
}

}  // namespace fanout::collector
