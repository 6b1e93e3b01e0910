#include "collector/gtest.hpp"

#include <optional>
#include <string>

#include "collector/gtest_batch_parser.hpp"
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

[[noreturn]] void throw_garbage(const Target& target, std::size_t line_number,
                                std::string_view line, std::string_view why) {
  throw CollectError(target.executable.string() + ": --gtest_list_tests printed " +
                     std::string(why) + " (line " + std::to_string(line_number) + ": \"" +
                     shorten(line, max_quoted_line) + "\")");
}

}  // namespace

Command GTestFramework::list_command(const Target& target) const {
  Command command;
  command.argv.push_back(target.executable.string());
  command.argv.insert(command.argv.end(), target.extra_args.begin(), target.extra_args.end());
  command.argv.push_back("--gtest_list_tests");
  return command;
}

std::vector<Item> GTestFramework::parse_listing(const Target& target,
                                                std::string_view output) const {
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
      Item item;
      item.target = target.name;
      item.suite = suite->name;
      item.case_name = test->name;
      item.name = item.suite + "." + item.case_name;
      item.id = make_item_id(target.name, item.name);
      item.disabled = is_disabled_name(item.suite) || is_disabled_name(item.case_name);
      item.labels = target.labels;
      item.annotation = suite->annotation;
      if (!test->annotation.empty()) {
        if (!item.annotation.empty()) item.annotation += ", ";
        item.annotation += test->annotation;
      }
      items.push_back(std::move(item));
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

Command GTestFramework::run_command(const Target& target, const std::vector<Item>& batch,
                                    const BatchContext& context) const {
  std::string filter = "--gtest_filter=";
  bool any_disabled = false;
  for (const Item& item : batch) {
    if (&item != &batch.front()) filter += ':';
    filter += item.name;
    any_disabled = any_disabled || item.disabled;
  }
  // An empty filter would run every test; "-*" runs none.
  if (batch.empty()) filter += "-*";

  Command command;
  command.argv.push_back(target.executable.string());
  command.argv.insert(command.argv.end(), target.extra_args.begin(), target.extra_args.end());
  command.argv.push_back(std::move(filter));
  command.argv.push_back("--gtest_color=no");
  if (any_disabled) command.argv.push_back("--gtest_also_run_disabled_tests");
  if (!context.scratch_dir.empty()) {
    command.environment.push_back(
        {"TEST_PREMATURE_EXIT_FILE", (context.scratch_dir / gtest_premature_exit_file).string()});
  }
  return command;
}

std::unique_ptr<BatchParser> GTestFramework::parser(const Target& target, std::vector<Item> batch,
                                                    const BatchContext& context) const {
  return std::make_unique<GTestBatchParser>(target, std::move(batch), context);
}

const GTestFramework& gtest_framework() {
  static const GTestFramework instance;
  return instance;
}

}  // namespace fanout::collector
