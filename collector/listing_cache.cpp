#include "collector/listing_cache.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <system_error>

#include "collector/byte_encoding.hpp"
#include "collector/item_records.hpp"

namespace fanout::collector {
namespace {

// A cache file: `magic`, then format_version as a u64, the key (encode_key) as bytes, the
// output as bytes, a u64 that is 1 when an output file follows as bytes and 0 when none does,
// and nothing after. A u64 is 8 bytes, little-endian; "bytes" are a u64 length and the bytes.
// Format 1 was one JSON document per file, named <hash>.json.
constexpr std::string_view magic = "fanout listing cache\n";
constexpr std::uint64_t format_version = 2;
constexpr std::string_view legacy_extension = ".json";
// An items file (beside the cache file, with items_extension): `items_magic`,
// items_format_version as a u64, the key (encode_key) as bytes, the identity of the cache file
// the items were parsed from (device, inode, size, mtime_ns: four u64), the parse signature as
// bytes, and the item records (item_records.hpp) up to the end.
constexpr std::string_view items_magic = "fanout listing items\n";
constexpr std::uint64_t items_format_version = 1;
constexpr std::string_view items_extension = ".items";
// Larger files are not ours: collection refuses outputs and output files of more than 64 MiB.
constexpr std::uintmax_t max_file_size = std::uintmax_t{256} << 20;

// FNV-1a: stable across runs and platforms, unlike std::hash.
std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 14695981039346656037ull) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// Equal encodings, equal keys: every variable-length part carries its length.
std::string encode_key(const ListingKey& key) {
  std::size_t size = 48 + key.executable.size();
  for (const std::string& arg : key.argv) size += 8 + arg.size();
  for (const EnvVar& var : key.environment) size += 16 + var.name.size() + var.value.size();
  std::string out;
  out.reserve(size);
  put_bytes(out, key.executable);
  put_u64(out, key.size);
  put_u64(out, static_cast<std::uint64_t>(key.mtime_ns));
  put_u64(out, key.argv.size());
  for (const std::string& arg : key.argv) put_bytes(out, arg);
  put_u64(out, key.environment.size());
  for (const EnvVar& var : key.environment) {
    put_bytes(out, var.name);
    put_bytes(out, var.value);
  }
  // Only when there are any, so that the keys of the many listings without stay as they were.
  if (!key.unset_environment.empty()) {
    put_u64(out, key.unset_environment.size());
    for (const std::string& name : key.unset_environment) put_bytes(out, name);
  }
  return out;
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

CacheFileIdentity identity_of(const struct stat& status) {
  return {static_cast<std::uint64_t>(status.st_dev), static_cast<std::uint64_t>(status.st_ino),
          static_cast<std::uint64_t>(status.st_size),
          static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1000000000 + status.st_mtim.tv_nsec};
}

// The whole content of the regular file `path`, read into memory whose pages are all mapped
// at once: one system call instead of a page fault per page (which is most of the cost).
std::unique_ptr<char, CachedListing::Unmap> read_whole_file(const std::filesystem::path& path,
                                                            std::size_t& size,
                                                            CacheFileIdentity& identity) {
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat status {};
  if (file.get() < 0 || ::fstat(file.get(), &status) != 0 || !S_ISREG(status.st_mode) ||
      status.st_size <= 0 || static_cast<std::uintmax_t>(status.st_size) > max_file_size) {
    return nullptr;
  }
  size = static_cast<std::size_t>(status.st_size);
  identity = identity_of(status);
  void* memory = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (memory == MAP_FAILED) return nullptr;
  std::unique_ptr<char, CachedListing::Unmap> bytes(static_cast<char*>(memory),
                                                    CachedListing::Unmap{size});
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(file.get(), bytes.get() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return nullptr;
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

// Replaces `file` with `content` through a temporary file and a rename; the identity of the
// file now in place, or nullopt when nothing was written.
std::optional<CacheFileIdentity> write_atomically(const std::filesystem::path& file,
                                                  std::string_view content) {
  static std::atomic<unsigned> counter{0};
  std::error_code error;
  std::filesystem::path temporary = file;
  temporary += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(temporary, error);
      return std::nullopt;
    }
  }
  // The temporary file is ours alone: what it is now, the renamed file is (a rename keeps the
  // inode and the modification time).
  struct stat status {};
  if (::stat(temporary.c_str(), &status) != 0) {
    std::filesystem::remove(temporary, error);
    return std::nullopt;
  }
  std::filesystem::rename(temporary, file, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    return std::nullopt;
  }
  return identity_of(status);
}

void put_identity(std::string& out, const CacheFileIdentity& identity) {
  put_u64(out, identity.device);
  put_u64(out, identity.inode);
  put_u64(out, identity.size);
  put_u64(out, static_cast<std::uint64_t>(identity.mtime_ns));
}

bool read_identity(ByteReader& fields, CacheFileIdentity& identity) {
  std::uint64_t mtime_ns = 0;
  if (!fields.u64(identity.device) || !fields.u64(identity.inode) || !fields.u64(identity.size) ||
      !fields.u64(mtime_ns)) {
    return false;
  }
  identity.mtime_ns = static_cast<std::int64_t>(mtime_ns);
  return true;
}

}  // namespace

void CachedListing::Unmap::operator()(char* bytes) const {
  ::munmap(bytes, size);
}

std::filesystem::path ListingCache::file_for(const ListingKey& key) const {
  std::uint64_t hash = fnv1a(key.executable);
  for (const std::string& arg : key.argv) hash = fnv1a(arg, fnv1a(std::string_view("\0", 1), hash));
  char name[32];
  std::snprintf(name, sizeof name, "%016llx.listing", static_cast<unsigned long long>(hash));
  return dir_ / name;
}

std::optional<std::string> ListingCache::load(const ListingKey& key) const {
  std::optional<CachedListing> cached = read(key);
  if (!cached) return std::nullopt;
  return std::string(cached->output);
}

void ListingCache::store(const ListingKey& key, std::string_view output) const {
  store_source(key, ListingSource{std::string(output), std::nullopt});
}

std::optional<ListingSource> ListingCache::load_source(const ListingKey& key) const {
  std::optional<CachedListing> cached = read(key);
  if (!cached) return std::nullopt;
  ListingSource source{std::string(cached->output), std::nullopt};
  if (cached->file) source.file = std::string(*cached->file);
  return source;
}

std::optional<CachedListing> ListingCache::read(const ListingKey& key) const {
  CachedListing cached;
  std::size_t size = 0;
  cached.bytes = read_whole_file(file_for(key), size, cached.identity);
  if (!cached.bytes) return std::nullopt;

  ByteReader fields(std::string_view(cached.bytes.get(), size));
  std::uint64_t version = 0;
  std::string_view stored_key;
  std::uint64_t has_file = 0;
  if (!fields.literal(magic) || !fields.u64(version) || version != format_version ||
      !fields.bytes(stored_key) || stored_key != encode_key(key) || !fields.bytes(cached.output) ||
      !fields.u64(has_file) || has_file > 1) {
    return std::nullopt;
  }
  if (has_file == 1) {
    std::string_view file;
    if (!fields.bytes(file)) return std::nullopt;
    cached.file = file;
  }
  if (!fields.at_end()) return std::nullopt;
  return cached;
}

std::optional<CacheFileIdentity> ListingCache::store_source(const ListingKey& key,
                                                            const ListingSource& source) const {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  const std::filesystem::path file = file_for(key);

  const std::string encoded_key = encode_key(key);
  std::string content;
  content.reserve(magic.size() + 40 + encoded_key.size() + source.output.size() +
                  (source.file ? source.file->size() : 0));
  content += magic;
  put_u64(content, format_version);
  put_bytes(content, encoded_key);
  put_bytes(content, source.output);
  put_u64(content, source.file ? 1 : 0);
  if (source.file) put_bytes(content, *source.file);
  const std::optional<CacheFileIdentity> written = write_atomically(file, content);
  if (!written) return std::nullopt;
  // The entry format 1 kept for the same executable and command.
  std::filesystem::path legacy = file;
  legacy.replace_extension(legacy_extension);
  std::filesystem::remove(legacy, error);
  return written;
}

std::filesystem::path ListingCache::items_file_for(const ListingKey& key) const {
  std::filesystem::path file = file_for(key);
  file.replace_extension(items_extension);
  return file;
}

void ListingCache::store_items(const ListingKey& key, const CacheFileIdentity& listing,
                               std::string_view signature, std::span<const Item> items) const try {
  const std::string encoded_key = encode_key(key);
  std::string content;
  content.reserve(items_magic.size() + 56 + encoded_key.size() + signature.size());
  content += items_magic;
  put_u64(content, items_format_version);
  put_bytes(content, encoded_key);
  put_identity(content, listing);
  put_bytes(content, signature);
  if (!append_item_records(items, content)) return;
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  write_atomically(items_file_for(key), content);
} catch (const std::exception&) {
  // Out of memory: the next collection parses again.
}

std::optional<std::vector<Item>> ListingCache::load_items(const ListingKey& key,
                                                          std::string_view signature) const try {
  struct stat listing_status {};
  if (::stat(file_for(key).c_str(), &listing_status) != 0) return std::nullopt;
  std::size_t size = 0;
  CacheFileIdentity items_identity;
  const auto bytes = read_whole_file(items_file_for(key), size, items_identity);
  if (!bytes) return std::nullopt;

  ByteReader fields(std::string_view(bytes.get(), size));
  std::uint64_t version = 0;
  std::string_view stored_key;
  CacheFileIdentity listing;
  std::string_view stored_signature;
  if (!fields.literal(items_magic) || !fields.u64(version) || version != items_format_version ||
      !fields.bytes(stored_key) || stored_key != encode_key(key) ||
      !read_identity(fields, listing) || listing != identity_of(listing_status) ||
      !fields.bytes(stored_signature) || stored_signature != signature) {
    return std::nullopt;
  }
  return read_item_records(fields.rest());
} catch (const std::exception&) {
  return std::nullopt;
}

}  // namespace fanout::collector
