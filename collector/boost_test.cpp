#include "collector/boost_test.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_map>
#include <utility>

#include "collector/boost_test_batch_parser.hpp"
#include "collector/text.hpp"

namespace fanout::collector {
namespace {

constexpr std::size_t max_quoted_line = 200;
constexpr std::size_t max_depth = 256;

// One node of the DOT graph: a test suite or test case.
struct Unit {
  std::string name;
  std::string file;
  int line = 0;
  bool enabled = true;
  bool master = false;
  bool suite = false;
  std::vector<std::string> labels;
  std::string parent;
};

std::string_view trim_view(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  const std::size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

// "tu12" at the start of `text`: its length, or 0.
std::size_t unit_id_length(std::string_view text) {
  if (!text.starts_with("tu")) return 0;
  std::size_t n = 2;
  while (n < text.size() && text[n] >= '0' && text[n] <= '9') ++n;
  return n > 2 ? n : 0;
}

[[noreturn]] void throw_bad_line(const Target& target, std::string_view line) {
  throw CollectError(target.executable.string() +
                     ": --list_content=DOT printed a line that is not part of a test tree (\"" +
                     shorten(line, max_quoted_line) + "\")");
}

// `label="name|file(12)|timeout=3|expected failures=1|labels: @a @b"` into `unit`.
void parse_label(std::string_view label, Unit& unit) {
  std::vector<std::string_view> fields;
  while (true) {
    const std::size_t bar = label.find('|');
    fields.push_back(label.substr(0, bar));
    if (bar == std::string_view::npos) break;
    label.remove_prefix(bar + 1);
  }
  unit.name = std::string(fields[0]);
  if (fields.size() > 1) {
    const std::string_view where = fields[1];
    const std::size_t open = where.rfind('(');
    if (open != std::string_view::npos && where.ends_with(')')) {
      unit.file = std::string(where.substr(0, open));
      const std::string_view digits = where.substr(open + 1, where.size() - open - 2);
      std::from_chars(digits.data(), digits.data() + digits.size(), unit.line);
    }
  }
  for (std::size_t i = 2; i < fields.size(); ++i) {
    std::string_view field = fields[i];
    if (!field.starts_with("labels:")) continue;
    field.remove_prefix(7);
    while (true) {
      const std::size_t at = field.find('@');
      if (at == std::string_view::npos) break;
      field.remove_prefix(at + 1);
      const std::size_t end = field.find(' ');
      const std::string_view label_name = field.substr(0, end);
      if (!label_name.empty()) unit.labels.emplace_back(label_name);
      if (end == std::string_view::npos) break;
      field.remove_prefix(end);
    }
  }
}

// Arguments of the target that would clash with ours: `--name`, `--name=value`,
// `--no_name`, or a short form followed by its value.
struct Clash {
  std::string_view long_name;
  std::string_view short_name;
};
constexpr Clash clashes[] = {{"run_test", "-t"},      {"log_format", "-f"},
                             {"log_level", "-l"},     {"log_sink", "-k"},
                             {"logger", ""},          {"report_level", "-r"},
                             {"report_format", "-m"}, {"report_sink", "-e"},
                             {"output_format", "-o"}, {"color_output", "-x"},
                             {"list_content", ""},    {"list_labels", ""},
                             {"help", "-?"},          {"usage", ""},
                             {"version", ""},         {"wait_for_debugger", "-w"}};

bool matches_long(std::string_view arg, std::string_view name) {
  if (!arg.starts_with("--")) return false;
  arg.remove_prefix(2);
  if (arg.starts_with("no_")) arg.remove_prefix(3);
  return arg == name ||
         (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=');
}

// How many arguments from args[i] on make one clashing option (0: none).
std::size_t clash_length(const std::vector<std::string>& args, std::size_t i) {
  const std::string& arg = args[i];
  for (const Clash& clash : clashes) {
    if (matches_long(arg, clash.long_name)) return 1;
    if (!clash.short_name.empty() && arg == clash.short_name) {
      return i + 1 < args.size() && !args[i + 1].starts_with('-') ? 2 : 1;
    }
  }
  return 0;
}

bool sets_catch_system_errors(const std::vector<std::string>& args) {
  return std::any_of(args.begin(), args.end(), [](const std::string& arg) {
    return matches_long(arg, "catch_system_errors") || arg == "-s";
  });
}

// The target's arguments with `ours` put in: clashing ones dropped, ours before a "--".
std::vector<std::string> with_our_arguments(const Target& target, std::vector<std::string> ours) {
  std::vector<std::string> argv{target.executable.string()};
  const auto& args = target.extra_args;
  std::size_t i = 0;
  for (; i < args.size() && args[i] != "--"; ++i) {
    if (const std::size_t n = clash_length(args, i)) {
      i += n - 1;
      continue;
    }
    argv.push_back(args[i]);
  }
  argv.insert(argv.end(), ours.begin(), ours.end());
  argv.insert(argv.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return argv;
}

}  // namespace

std::vector<Item> parse_boost_test_listing(const Target& target, std::string_view output) {
  const std::string_view all_output = output;
  std::unordered_map<std::string, Unit> units;
  std::vector<std::string> order;
  bool graph = false;
  std::string last_node;

  while (!output.empty()) {
    const std::size_t newline = output.find('\n');
    const std::string_view raw = output.substr(0, newline);
    output = newline == std::string_view::npos ? std::string_view() : output.substr(newline + 1);
    const std::string_view line = trim_view(raw);
    if (!graph) {
      // Whatever a module prints before the graph (global fixtures) is not ours to judge.
      graph = line.starts_with("digraph");
      continue;
    }
    if (line.empty() || line == "}") continue;
    if (line == "{") {
      if (last_node.empty()) throw_bad_line(target, raw);
      units[last_node].suite = true;
      continue;
    }
    const std::size_t id_length = unit_id_length(line);
    if (id_length == 0) throw_bad_line(target, raw);
    const std::string id(line.substr(0, id_length));
    std::string_view rest = line.substr(id_length);

    if (rest.starts_with(" -> ")) {
      // "tu1 -> tu2;" is a parent; "tu3 -> tu2[color=red,...];" a dependency.
      rest.remove_prefix(4);
      const std::size_t child_length = unit_id_length(rest);
      if (child_length == 0) throw_bad_line(target, raw);
      if (rest.substr(child_length) == ";") {
        units[std::string(rest.substr(0, child_length))].parent = id;
      }
      continue;
    }
    if (!rest.starts_with('[') || !rest.ends_with("];")) throw_bad_line(target, raw);
    const std::size_t label_at = rest.find("label=\"");
    const std::size_t label_end = rest.rfind("\"]");
    if (label_at == std::string_view::npos || label_end == std::string_view::npos ||
        label_end < label_at + 7) {
      throw_bad_line(target, raw);
    }
    const std::string_view attributes = rest.substr(0, label_at);
    Unit& unit = units[id];
    unit.master = attributes.find("shape=ellipse") != std::string_view::npos;
    unit.enabled = attributes.find("color=yellow") == std::string_view::npos;
    parse_label(rest.substr(label_at + 7, label_end - label_at - 7), unit);
    order.push_back(id);
    last_node = id;
  }
  if (!graph) {
    const std::string quoted = quote_last_lines(all_output, 5);
    throw CollectError(target.executable.string() +
                       ": --list_content=DOT printed no test tree (no \"digraph\" line)" +
                       (quoted.empty() ? " and nothing else" : "; last output:\n" + quoted));
  }

  std::vector<Item> items;
  for (const std::string& id : order) {
    const Unit& unit = units[id];
    if (unit.suite || unit.master) continue;
    // The path below the master suite; a disabled ancestor disables the case.
    std::vector<const Unit*> chain{&unit};
    bool enabled = unit.enabled;
    for (std::string parent = unit.parent; !parent.empty() && chain.size() < max_depth;) {
      const auto found = units.find(parent);
      if (found == units.end() || found->second.master) break;
      chain.push_back(&found->second);
      enabled = enabled && found->second.enabled;
      parent = found->second.parent;
    }
    std::string path;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      if (!path.empty()) path += '/';
      path += (*it)->name;
    }
    Item item;
    item.target = target.name;
    item.id = make_item_id(target.name, path);
    item.suite = path.substr(0, path.size() - std::min(path.size(), unit.name.size() + 1));
    item.case_name = unit.name;
    item.name = std::move(path);
    item.file = unit.file;
    item.line = unit.line;
    item.disabled = !enabled;
    item.labels = target.labels;
    for (const std::string& label : unit.labels) {
      if (std::find(item.labels.begin(), item.labels.end(), label) == item.labels.end()) {
        item.labels.push_back(label);
      }
    }
    items.push_back(std::move(item));
  }
  return items;
}

Command BoostTestFramework::list_command(const Target& target) const {
  Command command;
  command.argv = with_our_arguments(target, {"--list_content=DOT"});
  return command;
}

std::vector<Item> BoostTestFramework::parse_listing(const Target& target,
                                                    std::string_view output) const {
  return parse_boost_test_listing(target, output);
}

Command BoostTestFramework::run_command(const Target& target, const std::vector<const Item*>& batch,
                                        const BatchContext& context) const {
  std::string run_test = "--run_test=";
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (i > 0) run_test += ':';
    run_test += batch[i]->name;
  }
  // An empty filter is an error; a name that exists nowhere runs nothing.
  if (batch.empty()) run_test += "fanout_no_test_selected";
  std::vector<std::string> ours{std::move(run_test), "--log_format=HRF", "--log_level=test_suite",
                                "--color_output=no"};
  if (context.scratch_dir.empty()) {
    ours.push_back("--report_level=no");
  } else {
    ours.push_back("--report_level=detailed");
    ours.push_back("--report_format=XML");
    ours.push_back("--report_sink=" + (context.scratch_dir / boost_test_report_file).string());
  }
  if (!sets_catch_system_errors(target.extra_args)) ours.push_back("--catch_system_errors=no");
  Command command;
  command.argv = with_our_arguments(target, std::move(ours));
  return command;
}

std::unique_ptr<BatchParser> BoostTestFramework::parser(const Target& target,
                                                        std::vector<const Item*> batch,
                                                        const BatchContext& context) const {
  std::filesystem::path report;
  if (!context.scratch_dir.empty()) report = context.scratch_dir / boost_test_report_file;
  return std::make_unique<BoostTestBatchParser>(target, std::move(batch), std::move(report));
}

const BoostTestFramework& boost_test_framework() {
  static const BoostTestFramework instance;
  return instance;
}

}  // namespace fanout::collector
