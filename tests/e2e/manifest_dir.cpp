#include "tests/e2e/manifest_dir.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>
#include <system_error>

namespace fanout::e2e {
namespace {

namespace json = boost::json;

std::string random_token() {
  std::random_device device;
  std::uniform_int_distribution<unsigned long long> distribution;
  return std::to_string(::getpid()) + "-" + std::to_string(distribution(device));
}

std::filesystem::path make_temp_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "fanout-e2e-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  return pattern;
}

json::array strings(const std::vector<std::string>& values) {
  json::array array;
  for (const auto& value : values) array.emplace_back(value);
  return array;
}

json::object target_file(const TargetSpec& spec, const std::filesystem::path& dir,
                         const std::string& token_entry) {
  std::vector<std::string> environment = spec.environment;
  environment.push_back(token_entry);
  return json::object{
      {"name", spec.name},
      {"executable", spec.executable.string()},
      {"framework", spec.framework},
      {"timeout", spec.timeout},
      {"labels", strings(spec.labels)},
      {"working_directory", dir.string()},
      {"environment", strings(environment)},
      {"extra_args", json::array{}},
      {"group", ""},
      {"resource_locks", json::array{}},
      {"run_serial", false},
      {"processors", 1},
      {"fixtures_required", json::array{}},
      {"isolate", false},
      {"skip_return_code", nullptr},
      {"data", json::array{}},
      {"source_file", (dir / "CMakeLists.txt").string()},
      {"source_line", 1},
  };
}

}  // namespace

TargetSpec fixture_target(const std::string& binary, double timeout) {
  TargetSpec spec;
  spec.name = binary;
  spec.executable = std::filesystem::path(FANOUT_FIXTURE_DIR) / binary;
  spec.timeout = timeout;
  return spec;
}

ManifestDir::ManifestDir(const std::vector<TargetSpec>& targets)
    : path_(make_temp_directory()), token_(random_token()) {
  std::filesystem::create_directories(path_ / ".fanout" / "targets");
  json::array names;
  for (const auto& spec : targets) {
    names.emplace_back(spec.name);
    write_file(std::filesystem::path(".fanout") / "targets" / (spec.name + ".json"),
               json::serialize(target_file(spec, path_, token_entry())));
  }
  const json::object index{{"version", 1}, {"targets", names}, {"fixtures", json::array{}}};
  write_file(std::filesystem::path(".fanout") / "manifest.json", json::serialize(index));
}

ManifestDir::~ManifestDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void ManifestDir::write_file(const std::filesystem::path& relative, std::string_view text) const {
  std::ofstream out(path_ / relative, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + (path_ / relative).string());
}

}  // namespace fanout::e2e
