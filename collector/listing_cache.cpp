#include "collector/listing_cache.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <system_error>

namespace fanout::collector {
namespace {

constexpr std::int64_t format_version = 1;

// FNV-1a: stable across runs and platforms, unlike std::hash.
std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 14695981039346656037ull) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

boost::json::object to_json(const ListingKey& key) {
  boost::json::array argv;
  for (const std::string& arg : key.argv) argv.emplace_back(arg);
  boost::json::array environment;
  for (const EnvVar& var : key.environment) {
    environment.emplace_back(
        boost::json::array{boost::json::string(var.name), boost::json::string(var.value)});
  }
  return {{"format", format_version}, {"executable", key.executable},
          {"size", key.size},         {"mtime_ns", key.mtime_ns},
          {"argv", std::move(argv)},  {"environment", std::move(environment)}};
}

}  // namespace

std::filesystem::path ListingCache::file_for(const ListingKey& key) const {
  std::uint64_t hash = fnv1a(key.executable);
  for (const std::string& arg : key.argv) hash = fnv1a(arg, fnv1a(std::string_view("\0", 1), hash));
  char name[32];
  std::snprintf(name, sizeof name, "%016llx.json", static_cast<unsigned long long>(hash));
  return dir_ / name;
}

std::optional<std::string> ListingCache::load(const ListingKey& key) const {
  std::optional<ListingSource> source = load_source(key);
  if (!source) return std::nullopt;
  return std::move(source->output);
}

void ListingCache::store(const ListingKey& key, std::string_view output) const {
  store_source(key, ListingSource{std::string(output), std::nullopt});
}

std::optional<ListingSource> ListingCache::load_source(const ListingKey& key) const {
  std::ifstream in(file_for(key), std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::json::parse_options options;
  options.allow_invalid_utf8 = true;
  boost::system::error_code error;
  boost::json::value stored = boost::json::parse(text, error, {}, options);
  if (error || !stored.is_object()) return std::nullopt;
  boost::json::object& object = stored.as_object();
  const boost::json::value* output = object.if_contains("output");
  if (output == nullptr || !output->is_string()) return std::nullopt;
  ListingSource source{std::string(output->as_string()), std::nullopt};
  if (const boost::json::value* file = object.if_contains("output_file")) {
    if (!file->is_string()) return std::nullopt;
    source.file = std::string(file->as_string());
  }
  object.erase("output");
  object.erase("output_file");
  if (object != to_json(key)) return std::nullopt;
  return source;
}

void ListingCache::store_source(const ListingKey& key, const ListingSource& source) const {
  static std::atomic<unsigned> counter{0};
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  const std::filesystem::path file = file_for(key);
  std::filesystem::path temporary = file;
  temporary += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);

  boost::json::object object = to_json(key);
  object["output"] = source.output;
  if (source.file) object["output_file"] = *source.file;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << boost::json::serialize(object);
    out.close();
    if (!out) {
      std::filesystem::remove(temporary, error);
      return;
    }
  }
  std::filesystem::rename(temporary, file, error);
  if (error) std::filesystem::remove(temporary, error);
}

}  // namespace fanout::collector
