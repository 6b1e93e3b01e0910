#include "collector/gtest.hpp"

#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "collector/gtest_batch_parser.hpp"
#include "collector/gtest_filter.hpp"
#include "collector/gtest_listing.hpp"

namespace fanout::collector {
namespace {

/// No --gtest_filter among the target's arguments and no GTEST_FILTER in its environment: its
/// listing shows every test of the binary.
bool listing_unfiltered(const Target& target) {
  for (const std::string& argument : target.extra_args) {
    if (argument.find("gtest_filter") != std::string::npos) return false;
  }
  for (const EnvVar& variable : target.environment) {
    if (variable.name == "GTEST_FILTER") return false;
  }
  return std::getenv("GTEST_FILTER") == nullptr;
}

}  // namespace

Command GTestFramework::list_command(const Target& target) const {
  Command command;
  command.argv.push_back(target.executable.string());
  command.argv.insert(command.argv.end(), target.extra_args.begin(), target.extra_args.end());
  command.argv.push_back("--gtest_list_tests");
  command.argv.push_back("--gtest_output=json:" + std::string(output_file_placeholder));
  command.output_file = gtest_listing_file;
  command.listing_kept_despite_exit_code = true;
  return command;
}

std::vector<Item> GTestFramework::parse_listing(const Target& target,
                                                std::string_view output) const {
  return parse_gtest_text_listing(target, output);
}

std::vector<Item> GTestFramework::parse_listing_file(const Target& target, std::string_view output,
                                                     std::optional<std::string_view> file) const {
  if (!file) return parse_gtest_text_listing(target, output);
  std::string problem;
  if (std::optional<std::vector<Item>> items = parse_gtest_json_listing(target, *file, problem)) {
    return std::move(*items);
  }
  try {
    return parse_gtest_text_listing(target, output);
  } catch (const CollectError& error) {
    throw CollectError(std::string(error.what()) +
                       "; its JSON listing was no help either: " + problem);
  }
}

Command GTestFramework::run_command(const Target& target, const std::vector<const Item*>& batch,
                                    const BatchContext& context) const {
  bool any_disabled = false;
  for (const Item* item : batch) any_disabled = any_disabled || item->disabled;
  // A listing the user's own filter narrowed does not show whole suites.
  const std::span<const Item> listing =
      listing_unfiltered(target) ? context.listing : std::span<const Item>{};
  std::string filter = gtest_batch_filter(batch, listing);

  Command command;
  command.argv.push_back(target.executable.string());
  command.argv.insert(command.argv.end(), target.extra_args.begin(), target.extra_args.end());
  command.argv.push_back("--gtest_filter=" + filter);
  command.argv.push_back("--gtest_color=no");
  if (any_disabled) command.argv.push_back("--gtest_also_run_disabled_tests");
  if (!context.scratch_dir.empty()) {
    command.environment.push_back(
        {"TEST_PREMATURE_EXIT_FILE", (context.scratch_dir / gtest_premature_exit_file).string()});
  }
  return command;
}

std::unique_ptr<BatchParser> GTestFramework::parser(const Target& target,
                                                    std::vector<const Item*> batch,
                                                    const BatchContext& context) const {
  return std::make_unique<GTestBatchParser>(target, std::move(batch), context);
}

const GTestFramework& gtest_framework() {
  static const GTestFramework instance;
  return instance;
}

}  // namespace fanout::collector
