#include "collector/gtest_listing.hpp"

#include <boost/json.hpp>
#include <limits>
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
std::optional<std::string> parse_comment(std::string_view rest) {
  const std::size_t start = rest.find_first_not_of(' ');
  if (start == std::string_view::npos) return std::string();
  if (start == 0 || !rest.substr(start).starts_with("# ")) return std::nullopt;
  std::string_view comment = rest.substr(start + 2);
  while (!comment.empty() && comment.back() == ' ') comment.remove_suffix(1);
  return std::string(comment);
}

struct ListedName {
  std::string name;
  std::string annotation;
};

// "Suite." or "Typed/0.  # TypeParam = int" at column 0.
std::optional<ListedName> parse_suite_line(std::string_view line) {
  const std::size_t n = name_length(line);
  if (n == 0 || n >= line.size() || line[n] != '.') return std::nullopt;
  auto comment = parse_comment(line.substr(n + 1));
  if (!comment) return std::nullopt;
  return ListedName{std::string(line.substr(0, n)), std::move(*comment)};
}

// "  Case" or "  NonNegative/2  # GetParam() = -2".
std::optional<ListedName> parse_case_line(std::string_view line) {
  if (!line.starts_with("  ")) return std::nullopt;
  line.remove_prefix(2);
  const std::size_t n = name_length(line);
  if (n == 0) return std::nullopt;
  auto comment = parse_comment(line.substr(n));
  if (!comment) return std::nullopt;
  return ListedName{std::string(line.substr(0, n)), std::move(*comment)};
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

Item make_item(const Target& target, std::string suite, std::string case_name,
               std::string suite_annotation, const std::string& case_annotation) {
  Item item;
  item.target = target.name;
  item.suite = std::move(suite);
  item.case_name = std::move(case_name);
  item.name = item.suite + "." + item.case_name;
  item.id = make_item_id(target.name, item.name);
  item.disabled = is_disabled_name(item.suite) || is_disabled_name(item.case_name);
  item.labels = target.labels;
  item.annotation = std::move(suite_annotation);
  if (!case_annotation.empty()) {
    if (!item.annotation.empty()) item.annotation += ", ";
    item.annotation += case_annotation;
  }
  return item;
}

[[noreturn]] void throw_garbage(const Target& target, std::size_t line_number,
                                std::string_view line, std::string_view why) {
  throw CollectError(target.executable.string() + ": --gtest_list_tests printed " +
                     std::string(why) + " (line " + std::to_string(line_number) + ": \"" +
                     shorten(line, max_quoted_line) + "\")");
}

// The string member `key` of `object`: nullptr when absent, `problem` set when not a string.
const boost::json::string* string_member(const boost::json::object& object, std::string_view key,
                                         std::string& problem) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return nullptr;
  if (!value->is_string()) problem = "\"" + std::string(key) + "\" is not a string";
  return value->if_string();
}

}  // namespace

std::vector<Item> parse_gtest_text_listing(const Target& target, std::string_view output) {
  std::vector<Item> items;
  std::optional<ListedName> suite;
  std::string suite_line;
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
      suite = std::move(next_suite);
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
      items.push_back(make_item(target, suite->name, std::move(test->name), suite->annotation,
                                test->annotation));
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

std::optional<std::vector<Item>> parse_gtest_json_listing(const Target& target,
                                                          std::string_view json,
                                                          std::string& problem) {
  boost::json::parse_options options;
  options.allow_invalid_utf8 = true;
  boost::system::error_code error;
  const boost::json::value document = boost::json::parse(json, error, {}, options);
  if (error) {
    problem = "not JSON (" + error.message() + ")";
    return std::nullopt;
  }
  const boost::json::value* suites =
      document.is_object() ? document.as_object().if_contains("testsuites") : nullptr;
  if (suites == nullptr || !suites->is_array()) {
    problem = "no \"testsuites\" array";
    return std::nullopt;
  }

  std::vector<Item> items;
  for (const boost::json::value& suite_value : suites->as_array()) {
    const boost::json::object* suite = suite_value.if_object();
    const boost::json::string* suite_name =
        suite != nullptr ? string_member(*suite, "name", problem) : nullptr;
    const boost::json::value* cases = suite != nullptr ? suite->if_contains("testsuite") : nullptr;
    if (suite_name == nullptr || suite_name->empty() || cases == nullptr || !cases->is_array()) {
      problem = "a test suite without \"name\" or \"testsuite\" array";
      return std::nullopt;
    }
    for (const boost::json::value& case_value : cases->as_array()) {
      const boost::json::object* test = case_value.if_object();
      const boost::json::string* name =
          test != nullptr ? string_member(*test, "name", problem) : nullptr;
      if (name == nullptr || name->empty()) {
        problem = "a test of suite \"" + std::string(*suite_name) + "\" without \"name\"";
        return std::nullopt;
      }
      const boost::json::string* file = string_member(*test, "file", problem);
      const boost::json::string* type_param = string_member(*test, "type_param", problem);
      const boost::json::string* value_param = string_member(*test, "value_param", problem);
      const boost::json::value* line = test->if_contains("line");
      if (line != nullptr && !(line->is_int64() && line->as_int64() >= 0 &&
                               line->as_int64() <= std::numeric_limits<int>::max())) {
        problem = "\"line\" is not a line number";
      }
      if (!problem.empty()) {
        problem += " (test \"" + std::string(*suite_name) + "." + std::string(*name) + "\")";
        return std::nullopt;
      }
      Item item = make_item(target, std::string(*suite_name), std::string(*name),
                            type_param ? "TypeParam = " + std::string(*type_param) : "",
                            value_param ? "GetParam() = " + std::string(*value_param) : "");
      if (file != nullptr) item.file = *file;
      if (line != nullptr) item.line = static_cast<int>(line->as_int64());
      items.push_back(std::move(item));
    }
  }
  return items;
}

}  // namespace fanout::collector
