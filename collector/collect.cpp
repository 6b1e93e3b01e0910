#include "collector/collect.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "collector/listing_cache.hpp"
#include "collector/parse_signature.hpp"
#include "collector/result.hpp"
#include "collector/text.hpp"
#include "transport/process.hpp"
#include "transport/temporary_directory.hpp"

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
  key.unset_environment = target.unset_environment;
  key.environment.insert(key.environment.end(), command.environment.begin(),
                         command.environment.end());
  return key;
}

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return text;
}

// The content of the listing's output file, when the process wrote one.
std::optional<std::string> read_output_file(const Target& target,
                                            const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return std::nullopt;
  if (std::filesystem::file_size(path, error) > max_listing_output) {
    fail(target,
         "wrote a listing file larger than " + std::to_string(max_listing_output) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct ListingRun {
  ListingSource source;
  int exit_code = 0;
};

ListingRun run_listing(const Target& target, const Command& command, const ListingKey& key,
                       const CollectOptions& options) {
  transport::ProcessSpec spec;
  spec.argv = key.argv;
  // A relative executable must not depend on the directory the listing runs in.
  if (!spec.argv.empty() && spec.argv[0] == target.executable.string()) {
    spec.argv[0] = key.executable;
  }
  std::optional<transport::TemporaryDirectory> output_directory;
  std::filesystem::path output_file;
  if (!command.output_file.empty()) {
    try {
      output_directory.emplace("fanout-listing-", transport::scratch_base());
    } catch (const std::runtime_error& e) {
      fail(target, std::string("no place for its listing file: ") + e.what());
    }
    output_file = output_directory->path() / command.output_file;
    for (std::string& arg : spec.argv) {
      arg = replace_all(std::move(arg), output_file_placeholder, output_file.string());
    }
  }
  spec.working_directory = target.working_directory.empty()
                               ? std::filesystem::path(key.executable).parent_path()
                               : target.working_directory;
  spec.unset_environment = key.unset_environment;
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
  if (run.dropped_bytes > 0) {
    fail(target, "printed more than " + std::to_string(max_listing_output) +
                     " bytes while listing its tests");
  }
  ListingRun listing;
  listing.source.output = run.output;
  if (output_directory) listing.source.file = read_output_file(target, output_file);
  listing.exit_code = command.listing_exit_code_ignored ? 0 : run.exit.exit_code;
  return listing;
}

std::vector<Item> parse_source(const Target& target, const Framework& framework,
                               const Command& command, std::string_view output,
                               std::optional<std::string_view> file) {
  if (command.output_file.empty()) return framework.parse_listing(target, output);
  return framework.parse_listing_file(target, output, file);
}

std::vector<Item> parse_source(const Target& target, const Framework& framework,
                               const Command& command, const ListingSource& source) {
  std::optional<std::string_view> file;
  if (source.file) file = *source.file;
  return parse_source(target, framework, command, source.output, file);
}

/// What finding a target's listing in the cache takes: the list command, the key of the binary as
/// it is now, and (with a cache) the parse signature its cached items must carry.
struct Lookup {
  Command command;
  ListingKey key;
  std::string signature;
};

/// Throws CollectError when the binary cannot be run (see describe_binary).
Lookup look_up(const Target& target, const Framework& framework, const CollectOptions& options) {
  Lookup lookup{.command = framework.list_command(target)};
  lookup.key = describe_binary(target, lookup.command);
  if (!options.cache_dir.empty()) lookup.signature = parse_signature(target, framework.name());
  return lookup;
}

}  // namespace

std::vector<Item> collect_items(const Target& target, const Framework& framework,
                                const CollectOptions& options) {
  const Lookup lookup = look_up(target, framework, options);
  const Command& command = lookup.command;
  const ListingKey& key = lookup.key;
  std::optional<ListingCache> cache;
  if (!options.cache_dir.empty()) cache.emplace(options.cache_dir);

  if (cache) {
    if (std::optional<std::vector<Item>> items = cache->load_items(key, lookup.signature)) {
      return std::move(*items);
    }
    if (const std::optional<CachedListing> cached = cache->read(key)) {
      try {
        std::vector<Item> items =
            parse_source(target, framework, command, cached->output, cached->file);
        cache->store_items(key, cached->identity, lookup.signature, items);
        return items;
      } catch (const CollectError&) {
        // Stored by an older parser, perhaps: list again.
      }
    }
  }
  const ListingRun run = run_listing(target, command, key, options);
  std::vector<Item> items;
  if (run.exit_code == 0) {
    items = parse_source(target, framework, command, run.source);
  } else {
    const std::string failed = "listing its tests failed with exit code " +
                               std::to_string(run.exit_code) + last_output(run.source.output);
    if (!command.listing_kept_despite_exit_code) fail(target, failed);
    try {
      items = parse_source(target, framework, command, run.source);
    } catch (const CollectError&) {
      fail(target, failed);
    }
  }
  if (cache) {
    if (const std::optional<CacheFileIdentity> listing = cache->store_source(key, run.source)) {
      cache->store_items(key, *listing, lookup.signature, items);
    }
  }
  return items;
}

std::optional<std::vector<Item>> collect_cached_items(const Target& target,
                                                      const Framework& framework,
                                                      const CollectOptions& options) {
  if (options.cache_dir.empty()) return std::nullopt;
  try {
    const Lookup lookup = look_up(target, framework, options);
    return ListingCache(options.cache_dir).load_items(lookup.key, lookup.signature);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace fanout::collector
