#include "collector/doctest.hpp"

#include <charconv>
#include <optional>
#include <unordered_set>
#include <utility>

#include "collector/doctest_batch_parser.hpp"
#include "collector/text.hpp"
#include "collector/xml_stream.hpp"

namespace fanout::collector {

std::string doctest_filter(std::string_view name) {
  std::string filter;
  filter.reserve(name.size() + 8);
  for (const char c : name) {
    if (c == '\\' || c == ',') {
      filter += '\\';
      filter += c;
    } else if (c == '*' || c == '?') {
      filter += '?';
    } else {
      filter += c;
    }
  }
  return filter;
}

bool doctest_selects_exactly(std::string_view name) {
  return name.find_first_of("*?") == std::string_view::npos;
}

Command DoctestFramework::list_command(const Target& target) const {
  Command command;
  command.argv.push_back(target.executable.string());
  command.argv.insert(command.argv.end(), target.extra_args.begin(), target.extra_args.end());
  command.argv.insert(command.argv.end(),
                      {"--dt-list-test-cases", "--dt-reporters=xml", "--dt-no-skip=true"});
  return command;
}

std::vector<Item> DoctestFramework::parse_listing(const Target& target,
                                                  std::string_view output) const {
  XmlStream xml;
  xml.feed(output);
  xml.close();

  std::vector<Item> items;
  std::unordered_set<std::string> names;
  bool listing = false;
  while (std::optional<XmlEvent> event = xml.next()) {
    if (event->kind != XmlEvent::Kind::start) continue;
    if (event->name == "doctest") listing = true;
    if (!listing || event->name != "TestCase") continue;
    const std::string* name = event->attribute("name");
    if (!name) {
      throw CollectError(
          target.executable.string() +
          ": the doctest listing has a <TestCase> without a name: " + shorten(event->text, 200));
    }
    if (!names.insert(*name).second) continue;
    Item item;
    item.target = target.name;
    item.name = *name;
    item.id = make_item_id(target.name, item.name);
    item.suite = event->attribute_or("testsuite", "");
    item.case_name = *name;
    item.file = event->attribute_or("filename", "");
    const std::string line = event->attribute_or("line", "0");
    std::from_chars(line.data(), line.data() + line.size(), item.line);
    item.disabled = event->attribute_or("skipped", "false") == "true";
    item.labels = target.labels;
    items.push_back(std::move(item));
  }
  if (!listing) {
    const std::string quoted = quote_last_lines(output, 5);
    throw CollectError(target.executable.string() +
                       ": --dt-list-test-cases --dt-reporters=xml printed no <doctest> element" +
                       (quoted.empty() ? " (it printed nothing)" : "; last output:\n" + quoted));
  }
  return items;
}

Command DoctestFramework::run_command(const Target& target, const std::vector<const Item*>& batch,
                                      const BatchContext&) const {
  Command command;
  command.argv.push_back(target.executable.string());
  command.argv.insert(command.argv.end(), target.extra_args.begin(), target.extra_args.end());
  command.argv.insert(command.argv.end(),
                      {"--dt-reporters=xml", "--dt-case-sensitive=true", "--dt-duration=true"});
  bool any_disabled = false;
  std::string filters;
  for (const Item* item : batch) {
    any_disabled = any_disabled || item->disabled;
    if (!filters.empty()) filters += ',';
    filters += doctest_filter(item->name);
  }
  if (any_disabled) command.argv.push_back("--dt-no-skip=true");
  // An empty filter is no filter at all: exclude everything instead.
  command.argv.push_back(batch.empty() ? "--dt-test-case-exclude=*" : "--dt-test-case=" + filters);
  return command;
}

std::unique_ptr<BatchParser> DoctestFramework::parser(const Target& target,
                                                      std::vector<const Item*> batch,
                                                      const BatchContext&) const {
  return std::make_unique<DoctestBatchParser>(target, std::move(batch));
}

const DoctestFramework& doctest_framework() {
  static const DoctestFramework instance;
  return instance;
}

}  // namespace fanout::collector
