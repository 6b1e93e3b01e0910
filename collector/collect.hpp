#pragma once
// Collection: runs a target's listing command and turns its output into items, with a cache
// that skips the run while the binary is unchanged.

#include <chrono>
#include <filesystem>
#include <optional>
#include <vector>

#include "collector/framework.hpp"
#include "collector/item.hpp"
#include "collector/target.hpp"

namespace fanout::collector {

struct CollectOptions {
  /// How long a listing may take before the binary is considered hung.
  std::chrono::milliseconds list_timeout{30000};
  /// Where listings are cached (created when missing); empty: no cache.
  std::filesystem::path cache_dir;
};

/// Lists the items of `target` with `framework`: runs `framework.list_command(target)` in the
/// target's working directory (the executable's directory when empty) with its environment,
/// and parses the output (with parse_listing_file and the content of the command's output file
/// when it names one; the file lives in a private temporary directory removed afterwards).
/// With a cache_dir, the raw output (and output file) is stored under a key made of the
/// executable's path, size and modification time, the list command and its environment, and
/// reused while that key matches (a corrupt cache file is ignored and rewritten). Beside it the
/// parsed items are cached too (ListingCache::store_items), with the parse_signature of
/// `target` and `framework`: while key, listing file and signature all match they are returned
/// without parsing (equal to what parsing would return); any mismatch or damage means parsing
/// (and storing the items again). The cache never makes collection fail.
/// Throws CollectError naming the binary when it is missing, not executable, does not finish
/// within `list_timeout`, exits non-zero (unless the command has `listing_exit_code_ignored`,
/// or `listing_kept_despite_exit_code` and the output is still a valid listing) or is killed
/// (quoting its last output lines), or prints something that is not a listing.
std::vector<Item> collect_items(const Target& target, const Framework& framework,
                                const CollectOptions& options = {});

/// The items collect_items would return from the parsed-items cache alone, without running or
/// parsing anything: nullopt when there is no cache_dir, when the cache does not hold them for
/// the binary as it is now, or when anything about the binary or cache is amiss (collect_items
/// then tells why). Costs a few file lookups and reading the items file; never throws.
std::optional<std::vector<Item>> collect_cached_items(const Target& target,
                                                      const Framework& framework,
                                                      const CollectOptions& options = {});

}  // namespace fanout::collector
