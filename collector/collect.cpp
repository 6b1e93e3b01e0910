#include "collector/collect.hpp"

#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <system_error>

#include "collector/listing_cache.hpp"
#include "collector/result.hpp"
#include "collector/text.hpp"
#include "transport/process.hpp"

namespace fanout::collector {
namespace {

constexpr std::size_t quoted_lines = 10;
constexpr std::size_t max_listing_output = 64 * 1024 * 1024;

std::string registered_at(const Target& target) {
  if (target.source_file.empty()) return "";
  return " (registered at " + target.source_file.string() + ":" +
         std::to_string(target.source_line) + ")";
}

[[noreturn]] void fail(const Target& target, const std::string& what) {
  throw CollectError(target.executable.string() + ": " + what + registered_at(target));
}

std::string last_output(const std::string& output) {
  const std::string quoted = quote_last_lines(output, quoted_lines);
  return quoted.empty() ? "; it printed nothing" : "; last output:\n" + quoted;
}

// The key of a listing, from the binary on disk; throws when it cannot be run.
ListingKey describe_binary(const Target& target, const Command& command) {
  std::error_code error;
  const std::filesystem::path path = std::filesystem::absolute(target.executable, error);
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) fail(target, "no such file");
  if (!std::filesystem::is_regular_file(status)) fail(target, "not a regular file");
  if (::access(path.c_str(), X_OK) != 0) fail(target, "not executable");

  ListingKey key;
  key.executable = path.lexically_normal().string();
  key.size = std::filesystem::file_size(path, error);
  const auto mtime = std::filesystem::last_write_time(path, error);
  key.mtime_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
  key.argv = command.argv;
  key.environment = target.environment;
  key.environment.insert(key.environment.end(), command.environment.begin(),
                         command.environment.end());
  return key;
}

std::string run_listing(const Target& target, const Command& command, const ListingKey& key,
                        const CollectOptions& options) {
  transport::ProcessSpec spec;
  spec.argv = key.argv;
  // A relative executable must not depend on the directory the listing runs in.
  if (!spec.argv.empty() && spec.argv[0] == target.executable.string()) {
    spec.argv[0] = key.executable;
  }
  spec.working_directory = target.working_directory.empty()
                               ? std::filesystem::path(key.executable).parent_path()
                               : target.working_directory;
  for (const EnvVar& var : key.environment) spec.environment.emplace_back(var.name, var.value);
  spec.timeout = options.list_timeout;

  const transport::CapturedRun run = transport::run_captured(spec, max_listing_output);
  using Kind = transport::ProcessExit::Kind;
  switch (run.exit.kind) {
    case Kind::start_failed:
      fail(target, "could not start it to list its tests: " + run.exit.error);
    case Kind::timed_out:
      fail(target, "did not finish listing within " +
                       format_seconds(static_cast<double>(options.list_timeout.count()) / 1000) +
                       " s" + last_output(run.output));
    case Kind::signaled:
      fail(target, "was killed by " + signal_name(run.exit.signal) + " while listing its tests" +
                       last_output(run.output));
    case Kind::cancelled:
      fail(target, "listing was cancelled");
    case Kind::exited:
      break;
  }
  if (run.exit.exit_code != 0 && !command.listing_exit_code_ignored) {
    fail(target, "listing its tests failed with exit code " + std::to_string(run.exit.exit_code) +
                     last_output(run.output));
  }
  if (run.dropped_bytes > 0) {
    fail(target, "printed more than " + std::to_string(max_listing_output) +
                     " bytes while listing its tests");
  }
  return run.output;
}

}  // namespace

std::vector<Item> collect_items(const Target& target, const Framework& framework,
                                const CollectOptions& options) {
  const Command command = framework.list_command(target);
  const ListingKey key = describe_binary(target, command);
  std::optional<ListingCache> cache;
  if (!options.cache_dir.empty()) cache.emplace(options.cache_dir);

  if (cache) {
    if (const std::optional<std::string> cached = cache->load(key)) {
      try {
        return framework.parse_listing(target, *cached);
      } catch (const CollectError&) {
        // Stored by an older parser, perhaps: list again.
      }
    }
  }
  const std::string output = run_listing(target, command, key, options);
  std::vector<Item> items = framework.parse_listing(target, output);
  if (cache) cache->store(key, output);
  return items;
}

}  // namespace fanout::collector
