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

namespace fanout::collector {
namespace {

// A cache file: `magic`, then format_version as a u64, the key (encode_key) as bytes, the
// output as bytes, a u64 that is 1 when an output file follows as bytes and 0 when none does,
// and nothing after. A u64 is 8 bytes, little-endian; "bytes" are a u64 length and the bytes.
// Format 1 was one JSON document per file, named <hash>.json.
constexpr std::string_view magic = "fanout listing cache\n";
constexpr std::uint64_t format_version = 2;
constexpr std::string_view legacy_extension = ".json";
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

void put_u64(std::string& out, std::uint64_t value) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(value >> (8 * i));
  out.append(bytes, sizeof bytes);
}

void put_bytes(std::string& out, std::string_view bytes) {
  put_u64(out, bytes.size());
  out += bytes;
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
  return out;
}

// The fields of a cache file, front to back; a field that would run past the end is refused.
class Fields {
 public:
  explicit Fields(std::string_view text) : rest_(text) {}

  bool literal(std::string_view expected) {
    if (!rest_.starts_with(expected)) return false;
    rest_.remove_prefix(expected.size());
    return true;
  }
  bool u64(std::uint64_t& value) {
    if (rest_.size() < 8) return false;
    value = 0;
    for (int i = 7; i >= 0; --i) value = value << 8 | static_cast<unsigned char>(rest_[i]);
    rest_.remove_prefix(8);
    return true;
  }
  bool bytes(std::string_view& value) {
    std::uint64_t size = 0;
    if (!u64(size) || size > rest_.size()) return false;
    value = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return true;
  }
  bool at_end() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

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

// The whole content of the regular file `path`, read into memory whose pages are all mapped
// at once: one system call instead of a page fault per page (which is most of the cost).
std::unique_ptr<char, CachedListing::Unmap> read_whole_file(const std::filesystem::path& path,
                                                            std::size_t& size) {
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat status {};
  if (file.get() < 0 || ::fstat(file.get(), &status) != 0 || !S_ISREG(status.st_mode) ||
      status.st_size <= 0 || static_cast<std::uintmax_t>(status.st_size) > max_file_size) {
    return nullptr;
  }
  size = static_cast<std::size_t>(status.st_size);
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
  cached.bytes = read_whole_file(file_for(key), size);
  if (!cached.bytes) return std::nullopt;

  Fields fields(std::string_view(cached.bytes.get(), size));
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

void ListingCache::store_source(const ListingKey& key, const ListingSource& source) const {
  static std::atomic<unsigned> counter{0};
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  const std::filesystem::path file = file_for(key);
  std::filesystem::path temporary = file;
  temporary += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);

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
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(temporary, error);
      return;
    }
  }
  std::filesystem::rename(temporary, file, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    return;
  }
  // The entry format 1 kept for the same executable and command.
  std::filesystem::path legacy = file;
  legacy.replace_extension(legacy_extension);
  std::filesystem::remove(legacy, error);
}

}  // namespace fanout::collector
