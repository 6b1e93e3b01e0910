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
  json::object target{
      {"name", spec.name},
      {"executable", spec.executable.string()},
      {"framework", spec.framework},
      {"timeout", spec.timeout},
      {"labels", strings(spec.labels)},
      {"working_directory", dir.string()},
      {"environment", strings(environment)},
      {"extra_args", json::array{}},
      {"group", spec.group},
      {"resource_locks", strings(spec.resource_locks)},
      {"run_serial", spec.run_serial},
      {"processors", spec.processors},
      {"fixtures_required", strings(spec.fixtures_required)},
      {"isolate", spec.isolate},
      {"skip_return_code",
       spec.skip_return_code ? json::value(*spec.skip_return_code) : json::value(nullptr)},
      {"data", json::array{}},
      {"source_file", (dir / "CMakeLists.txt").string()},
      {"source_line", 1},
  };
  if (!spec.group_items.empty()) target["group_items"] = strings(spec.group_items);
  if (!spec.isolate_items.empty()) target["isolate_items"] = strings(spec.isolate_items);
  return target;
}

json::object fixture_file(const FixtureSpec& spec, const std::filesystem::path& dir) {
  return json::object{
      {"name", spec.name},
      {"setup", strings(spec.setup)},
      {"cleanup", strings(spec.cleanup)},
      {"working_directory", dir.string()},
      {"timeout", spec.timeout},
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

ManifestDir::ManifestDir(const std::vector<TargetSpec>& targets,
                         const std::vector<FixtureSpec>& fixtures)
    : path_(make_temp_directory()), token_(random_token()) {
  std::filesystem::create_directories(path_ / ".fanout" / "targets");
  json::array names;
  for (const auto& spec : targets) {
    names.emplace_back(spec.name);
    write_file(std::filesystem::path(".fanout") / "targets" / (spec.name + ".json"),
               json::serialize(target_file(spec, path_, token_entry())));
  }
  json::array fixture_names;
  if (!fixtures.empty()) std::filesystem::create_directories(path_ / ".fanout" / "fixtures");
  for (const auto& spec : fixtures) {
    fixture_names.emplace_back(spec.name);
    write_file(std::filesystem::path(".fanout") / "fixtures" / (spec.name + ".json"),
               json::serialize(fixture_file(spec, path_)));
  }
  const json::object index{{"version", 1}, {"targets", names}, {"fixtures", fixture_names}};
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
