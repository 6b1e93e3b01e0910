#include "collector/catch2.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

#include "collector/binary_scan.hpp"
#include "collector/catch2_batch_parser.hpp"
#include "collector/text.hpp"
#include "collector/xml_stream.hpp"

namespace fanout::collector {
namespace {

constexpr std::string_view v2_marker = "--list-test-names-only";
constexpr std::size_t max_quoted_line = 200;

// Catch2 options (v2 and v3) whose value is the next argument unless given as `--opt=value`.
bool takes_value(std::string_view option) {
  static constexpr std::string_view options[] = {"-r",
                                                 "--reporter",
                                                 "-o",
                                                 "--out",
                                                 "-n",
                                                 "--name",
                                                 "-x",
                                                 "--abortx",
                                                 "-w",
                                                 "--warn",
                                                 "-d",
                                                 "--durations",
                                                 "-D",
                                                 "--min-duration",
                                                 "-f",
                                                 "--input-file",
                                                 "-v",
                                                 "--verbosity",
                                                 "-c",
                                                 "--section",
                                                 "--order",
                                                 "--rng-seed",
                                                 "--use-colour",
                                                 "--colour-mode",
                                                 "--wait-for-keypress",
                                                 "--benchmark-samples",
                                                 "--benchmark-resamples",
                                                 "--benchmark-confidence-interval",
                                                 "--benchmark-warmup-time",
                                                 "--shard-count",
                                                 "--shard-index"};
  return std::find(std::begin(options), std::end(options), option) != std::end(options);
}

// Options Fanout sets itself (or that would stop the run), dropped from the target's.
bool is_ours(std::string_view option) {
  static constexpr std::string_view options[] = {"-r",
                                                 "--reporter",
                                                 "-o",
                                                 "--out",
                                                 "-d",
                                                 "--durations",
                                                 "--order",
                                                 "-l",
                                                 "--list-tests",
                                                 "-t",
                                                 "--list-tags",
                                                 "--list-test-names-only",
                                                 "--list-reporters",
                                                 "--list-listeners",
                                                 "-h",
                                                 "-?",
                                                 "--help",
                                                 "--libidentify"};
  return std::find(std::begin(options), std::end(options), option) != std::end(options);
}

// The target's arguments without Fanout's own options and, unless `keep_specs`, without test
// specs (positional arguments), so that only the batch's specs select.
std::vector<std::string> own_options(const std::vector<std::string>& args, bool keep_specs) {
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg[0] != '-') {
      if (keep_specs) kept.push_back(arg);
      continue;
    }
    const std::size_t equals = arg.find('=');
    const std::string_view option = std::string_view(arg).substr(0, equals);
    const bool separate_value = equals == std::string::npos && takes_value(option);
    const bool drop = is_ours(option);
    if (!drop) kept.push_back(arg);
    if (separate_value && i + 1 < args.size()) {
      ++i;
      if (!drop) kept.push_back(args[i]);
    }
  }
  return kept;
}

std::string trim(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

std::optional<int> parse_line_number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

Item make_item(const Target& target, std::string name) {
  Item item;
  item.target = target.name;
  item.case_name = name;
  item.id = make_item_id(target.name, name);
  item.name = std::move(name);
  item.labels = target.labels;
  return item;
}

[[noreturn]] void throw_not_listing(const Target& target, std::string_view what,
                                    std::string_view line) {
  throw CollectError(target.executable.string() + ": the Catch2 listing " + std::string(what) +
                     (line.empty() ? "" : " (\"" + shorten(line, max_quoted_line) + "\")"));
}

// "[a][b two][.]" -> "a", "b two"; special tags ('.', '!') are left out.
std::vector<std::string> split_tags(std::string_view tags) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t open = tags.find('[');
    const std::size_t close = tags.find(']', open);
    if (open == std::string_view::npos || close == std::string_view::npos) break;
    const std::string_view tag = tags.substr(open + 1, close - open - 1);
    if (!tag.empty() && tag[0] != '.' && tag[0] != '!') out.emplace_back(tag);
    tags.remove_prefix(close + 1);
  }
  return out;
}

}  // namespace

Catch2Version catch2_version(const std::filesystem::path& executable) {
  const auto found = find_markers(executable, {v2_marker});
  return found && (*found)[0] ? Catch2Version::v2 : Catch2Version::v3;
}

std::string catch2_test_spec(std::string_view name) {
  // A quoted name: inside quotes Catch2's spec parser reads only '"' as the end of the name and
  // ',' as a separator; a backslash makes the next character literal. Brackets are escaped too,
  // or a "[@alias]" in the name would be replaced by the tag alias before parsing.
  std::string spec;
  spec.reserve(name.size() + 16);
  spec += '"';
  // Catch2 strips a leading "exclude:" from a pattern (quoted or escaped) and negates it. A
  // leading wildcard keeps the name: the pattern means "ends with xclude:...", and a second
  // pattern of the same filter (the two must both match) "begins with exclude". Only a name of
  // both shapes is selected besides this one: the parser ignores it.
  const bool exclude_prefix = name.starts_with("exclude:");
  if (exclude_prefix) {
    spec += '*';
    name.remove_prefix(1);
  }
  for (const char c : name) {
    if (c == '\\' || c == ',' || c == '"' || c == '[' || c == ']') spec += '\\';
    spec += c;
  }
  spec += '"';
  if (exclude_prefix) spec += "\"exclude*\"";
  return spec;
}

std::vector<Item> parse_catch2_v2_listing(const Target& target, std::string_view output) {
  std::vector<Item> items;
  while (!output.empty()) {
    const std::size_t newline = output.find('\n');
    std::string_view line = output.substr(0, newline);
    output = newline == std::string_view::npos ? std::string_view() : output.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;

    // "name\t@file:line" (or "file(line)" as MSVC builds print it).
    const std::size_t at = line.rfind("\t@");
    if (at == std::string_view::npos) throw_not_listing(target, "has a line without \\t@", line);
    std::string_view name = line.substr(0, at);
    std::string_view location = line.substr(at + 2);
    std::string_view file;
    std::optional<int> number;
    if (location.ends_with(')')) {
      const std::size_t open = location.rfind('(');
      if (open != std::string_view::npos) {
        file = location.substr(0, open);
        number = parse_line_number(location.substr(open + 1, location.size() - open - 2));
      }
    } else if (const std::size_t colon = location.rfind(':'); colon != std::string_view::npos) {
      file = location.substr(0, colon);
      number = parse_line_number(location.substr(colon + 1));
    }
    if (!number) throw_not_listing(target, "has a line without file:line", line);
    if (name.size() >= 3 && name.starts_with("\"#") && name.ends_with('"')) {
      name = name.substr(1, name.size() - 2);
    }
    if (name.empty()) throw_not_listing(target, "has a test without a name", line);
    Item item = make_item(target, std::string(name));
    item.file = std::string(file);
    item.line = *number;
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<Item> parse_catch2_v3_listing(const Target& target, std::string_view output) {
  XmlStream xml;
  xml.feed(output);
  xml.close();

  std::vector<Item> items;
  bool listing = false;
  bool in_case = false;
  std::string element;  // the innermost element whose text is collected
  std::string text;
  std::string name, class_name, tags, file, line;
  while (std::optional<XmlEvent> event = xml.next()) {
    switch (event->kind) {
      case XmlEvent::Kind::start:
        if (event->name == "MatchingTests") listing = true;
        if (!listing || event->self_closing) break;
        if (event->name == "TestCase") {
          in_case = true;
          name.clear(), class_name.clear(), tags.clear(), file.clear(), line.clear();
        }
        element = event->name;
        text.clear();
        break;
      case XmlEvent::Kind::text:
        if (in_case) text += event->text;
        break;
      case XmlEvent::Kind::end:
        if (!in_case) break;
        if (event->name == "Name") name = text;
        if (event->name == "ClassName") class_name = trim(text);
        if (event->name == "Tags") tags = trim(text);
        if (event->name == "File") file = trim(text);
        if (event->name == "Line") line = trim(text);
        text.clear();
        if (event->name == "TestCase") {
          in_case = false;
          if (name.empty()) throw_not_listing(target, "has a <TestCase> without a <Name>", "");
          Item item = make_item(target, name);
          item.suite = class_name;
          item.file = file;
          item.line = parse_line_number(line).value_or(0);
          for (std::string& tag : split_tags(tags)) {
            if (std::find(item.labels.begin(), item.labels.end(), tag) == item.labels.end()) {
              item.labels.push_back(std::move(tag));
            }
          }
          items.push_back(std::move(item));
        }
        break;
    }
  }
  if (!listing) {
    const std::string quoted = quote_last_lines(output, 5);
    throw CollectError(target.executable.string() +
                       ": `--list-tests --reporter xml` printed no <MatchingTests> element" +
                       (quoted.empty() ? " (it printed nothing)" : "; last output:\n" + quoted));
  }
  return items;
}

Command Catch2Framework::list_command(const Target& target) const {
  Command command;
  command.argv.push_back(target.executable.string());
  for (std::string& arg : own_options(target.extra_args, true)) command.argv.push_back(arg);
  if (catch2_version(target.executable) == Catch2Version::v2) {
    command.argv.insert(command.argv.end(), {"--list-test-names-only", "--verbosity", "high"});
    command.listing_exit_code_ignored = true;
  } else {
    command.argv.insert(command.argv.end(), {"--list-tests", "--reporter", "xml"});
  }
  return command;
}

std::vector<Item> Catch2Framework::parse_listing(const Target& target,
                                                 std::string_view output) const {
  // v3's XML starts with its declaration; v2 prints bare names.
  const std::size_t start = output.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && output.substr(start).starts_with("<?xml")) {
    return parse_catch2_v3_listing(target, output);
  }
  return parse_catch2_v2_listing(target, output);
}

Command Catch2Framework::run_command(const Target& target, const std::vector<const Item*>& batch,
                                     const BatchContext&) const {
  Command command;
  command.argv.push_back(target.executable.string());
  for (std::string& arg : own_options(target.extra_args, false)) command.argv.push_back(arg);
  command.argv.insert(command.argv.end(),
                      {"--reporter", "xml", "--durations", "yes", "--order", "decl"});
  std::string specs;
  for (const Item* item : batch) {
    if (!specs.empty()) specs += ',';
    specs += catch2_test_spec(item->name);
  }
  // No spec would run every test; excluding everything runs none.
  command.argv.push_back(batch.empty() ? "~*" : specs);
  return command;
}

std::unique_ptr<BatchParser> Catch2Framework::parser(const Target& target,
                                                     std::vector<const Item*> batch,
                                                     const BatchContext&) const {
  return std::make_unique<Catch2BatchParser>(target, std::move(batch));
}

const Catch2Framework& catch2_framework() {
  static const Catch2Framework instance;
  return instance;
}

}  // namespace fanout::collector
