#pragma once
// A directory of cached listing outputs, so unchanged binaries are not run again to list them.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "collector/item.hpp"
#include "collector/target.hpp"

namespace fanout::collector {

/// Everything a listing's output depends on. Equal keys: the cached output is still valid.
struct ListingKey {
  std::string executable;  ///< absolute path
  std::uintmax_t size = 0;
  std::int64_t mtime_ns = 0;
  std::vector<std::string> argv;
  std::vector<EnvVar> environment;
  std::vector<std::string> unset_environment;
  bool operator==(const ListingKey&) const = default;
};

/// What a listing command produced: its output (stdout and stderr merged) and, for a command
/// with an output file, the content of that file (nullopt: the process wrote none).
struct ListingSource {
  std::string output;
  std::optional<std::string> file;
  bool operator==(const ListingSource&) const = default;
};

/// Which version of a cache file is on disk: a file written anew (to a temporary file, then
/// renamed into place) has another identity than the one it replaced.
struct CacheFileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const CacheFileIdentity&) const = default;
};

/// A listing read back from the cache: `output` and `file` (as in ListingSource) are views into
/// `bytes`, which holds the whole cache file.
struct CachedListing {
  /// Releases the memory the file was read into.
  struct Unmap {
    std::size_t size;
    void operator()(char* bytes) const;
  };
  std::unique_ptr<char, Unmap> bytes;
  std::string_view output;
  std::optional<std::string_view> file;
  CacheFileIdentity identity;  ///< of the file it was read from
};

/// One file per executable and list command in `dir`, holding the key and the output as they
/// are (length-prefixed, so loading them copies and decodes nothing), and beside it the items
/// parsed from that output (item_records.hpp), so a warm collection need not parse. Every failure
/// (unreadable, corrupt, written by another format version, unwritable) only means a miss: the
/// cache never makes collection fail.
class ListingCache {
 public:
  explicit ListingCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  /// The output stored for exactly `key`, if any.
  std::optional<std::string> load(const ListingKey& key) const;
  /// Stores `output` for `key`, replacing the file atomically (temporary file + rename).
  void store(const ListingKey& key, std::string_view output) const;
  /// The output and output file stored for exactly `key`, if any.
  std::optional<ListingSource> load_source(const ListingKey& key) const;
  /// What load_source returns, without copying it out of the bytes read from the file.
  std::optional<CachedListing> read(const ListingKey& key) const;
  /// Stores `source` for `key`, as store() does, and returns the identity of the file it wrote
  /// (nullopt: nothing was written).
  std::optional<CacheFileIdentity> store_source(const ListingKey& key,
                                                const ListingSource& source) const;
  /// The file `key` is stored in.
  std::filesystem::path file_for(const ListingKey& key) const;

  /// The file the items parsed from `key`'s listing are stored in: file_for(key) with the
  /// extension ".items".
  std::filesystem::path items_file_for(const ListingKey& key) const;
  /// Stores `items`, parsed from the listing file of identity `listing` (as read() or
  /// store_source() gave it) stored for `key`, by a parse with `signature`
  /// (parse_signature.hpp). Replaces the file atomically, as store() does; items that cannot be
  /// encoded or written are not stored. Never throws.
  void store_items(const ListingKey& key, const CacheFileIdentity& listing,
                   std::string_view signature, std::span<const Item> items) const;
  /// The items store_items() stored for exactly `key` and `signature`, while the listing file
  /// stored for `key` is still the one they were parsed from (its identity unchanged); nullopt
  /// otherwise. Does not read the listing file, only its identity. Never throws.
  std::optional<std::vector<Item>> load_items(const ListingKey& key,
                                              std::string_view signature) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace fanout::collector
