#include "launcher/manifest.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace fanout::launcher {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

/// The only manifest format version this launcher reads.
constexpr std::int64_t kManifestVersion = 1;

const char* const kRerunCmake = "re-run cmake on the build tree to regenerate the manifest";

std::string describe(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "an unknown value";
}

/// Reads and parses one manifest file, with the line and column of a syntax error.
json::value parse_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ManifestError(file.string() + ": cannot be read; " + kRerunCmake);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  json::stream_parser parser;
  json::error_code ec;
  std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    if (consumed > text.size()) consumed = text.size();
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < consumed; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw ManifestError(file.string() + ":" + std::to_string(line) + ":" + std::to_string(column) +
                        ": not valid JSON (" + ec.message() + "); " + kRerunCmake);
  }
  return parser.release();
}

/// Reads the fields of one JSON object, turning every mistake into a ManifestError that names
/// the file and the field.
class ObjectReader {
 public:
  ObjectReader(fs::path file, json::value document, fs::path base)
      : file_(std::move(file)), base_(std::move(base)), document_(std::move(document)) {
    if (!document_.is_object()) {
      throw ManifestError(file_.string() + ": expected a JSON object, found " +
                          describe(document_));
    }
    object_ = &document_.get_object();
  }
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  std::string string(std::string_view key, bool required, std::string fallback = {}) const {
    const json::value* value = find(key, required);
    if (value == nullptr) return fallback;
    return as_string(*value, field(key));
  }

  fs::path path(std::string_view key, bool required) const {
    const std::string text = string(key, required);
    if (text.empty()) return {};
    return (base_ / text).lexically_normal();
  }

  std::vector<std::string> strings(std::string_view key, bool required = false) const {
    std::vector<std::string> result;
    const json::value* value = find(key, required);
    if (value == nullptr) return result;
    if (!value->is_array()) fail(field(key), "an array of strings", *value);
    const auto& array = value->get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      result.push_back(as_string(array[i], field(key) + "[" + std::to_string(i) + "]"));
    }
    return result;
  }

  bool boolean(std::string_view key, bool fallback) const {
    const json::value* value = find(key, false);
    if (value == nullptr) return fallback;
    if (!value->is_bool()) fail(field(key), "true or false", *value);
    return value->get_bool();
  }

  double number(std::string_view key, double fallback) const {
    const json::value* value = find(key, false);
    if (value == nullptr) return fallback;
    if (!value->is_number()) fail(field(key), "a number", *value);
    return value->to_number<double>();
  }

  /// An integer in [min, max]; a JSON number with a fraction is refused.
  std::int64_t integer(std::string_view key, std::int64_t fallback, std::int64_t min,
                       std::int64_t max) const {
    const json::value* value = find(key, false);
    if (value == nullptr) return fallback;
    const std::string what =
        "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    json::error_code ec;
    const auto number = value->is_number() ? value->to_number<std::int64_t>(ec) : 0;
    if (!value->is_number() || ec || number < min || number > max) fail(field(key), what, *value);
    return number;
  }

  const json::value* find(std::string_view key, bool required) const {
    const json::value* value = object_->if_contains(key);
    if (value == nullptr && required) {
      throw ManifestError(file_.string() + ": missing required field \"" + std::string(key) +
                          "\"; " + kRerunCmake);
    }
    return value;
  }

  [[noreturn]] void fail(const std::string& where, const std::string& expected,
                         const json::value& found) const {
    std::string shown = json::serialize(found);
    if (shown.size() > 40) shown = shown.substr(0, 37) + "...";
    throw ManifestError(file_.string() + ": field " + where + " must be " + expected + ", found " +
                        describe(found) + " (" + shown + ")");
  }

  [[noreturn]] void fail(const std::string& where, const std::string& problem) const {
    throw ManifestError(file_.string() + ": field " + where + " " + problem);
  }

  static std::string field(std::string_view key) { return "\"" + std::string(key) + "\""; }

 private:
  std::string as_string(const json::value& value, const std::string& where) const {
    if (!value.is_string()) fail(where, "a string", value);
    return std::string(value.get_string());
  }

  fs::path file_;
  fs::path base_;
  json::value document_;
  const json::object* object_ = nullptr;
};

void require_name(const ObjectReader& reader, const std::string& name) {
  const std::string found = reader.string("name", true);
  if (found != name) {
    reader.fail("\"name\"",
                "is \"" + found + "\" but the index lists \"" + name + "\"; " + kRerunCmake);
  }
}

/// The "timeout" member in seconds; 0 when absent.
double read_timeout(const ObjectReader& reader) {
  const double seconds = reader.number("timeout", 0);
  if (!(seconds >= 0) || !std::isfinite(seconds)) {
    reader.fail("\"timeout\"", "must be a number of seconds >= 0");
  }
  return seconds;
}

collector::Target read_target(const fs::path& file, const std::string& name, const fs::path& base) {
  const ObjectReader reader(file, parse_file(file), base);
  require_name(reader, name);
  collector::Target target;
  target.name = name;
  target.executable = reader.path("executable", true);
  if (target.executable.empty()) reader.fail("\"executable\"", "is empty");
  target.framework = reader.string("framework", false, target.framework);
  if (target.framework.empty()) reader.fail("\"framework\"", "is empty");
  target.timeout_seconds = read_timeout(reader);
  target.labels = reader.strings("labels");
  target.working_directory = reader.path("working_directory", false);
  const auto environment = reader.strings("environment");
  for (std::size_t i = 0; i < environment.size(); ++i) {
    const auto& entry = environment[i];
    const auto equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      reader.fail("\"environment\"[" + std::to_string(i) + "]",
                  "must be NAME=VALUE, not \"" + entry + "\"");
    }
    target.environment.push_back({entry.substr(0, equals), entry.substr(equals + 1)});
  }
  target.extra_args = reader.strings("extra_args");
  target.group = reader.string("group", false);
  target.resource_locks = reader.strings("resource_locks");
  target.run_serial = reader.boolean("run_serial", false);
  target.processors = static_cast<int>(reader.integer("processors", 1, 1, 1 << 20));
  target.fixtures_required = reader.strings("fixtures_required");
  target.isolate = reader.boolean("isolate", false);
  target.group_items = reader.strings("group_items");
  target.isolate_items = reader.strings("isolate_items");
  if (const json::value* code = reader.find("skip_return_code", false);
      code != nullptr && !code->is_null()) {
    target.skip_return_code = static_cast<int>(reader.integer("skip_return_code", 0, 0, 255));
  }
  for (const auto& path : reader.strings("data")) {
    target.data.push_back((base / path).lexically_normal());
  }
  target.source_file = reader.path("source_file", false);
  target.source_line =
      static_cast<int>(reader.integer("source_line", 0, 0, std::numeric_limits<int>::max()));
  return target;
}

Fixture read_fixture(const fs::path& file, const std::string& name, const fs::path& base) {
  const ObjectReader reader(file, parse_file(file), base);
  require_name(reader, name);
  Fixture fixture;
  fixture.name = name;
  fixture.setup = reader.strings("setup", true);
  if (fixture.setup.empty()) reader.fail("\"setup\"", "is empty (a command is required)");
  fixture.cleanup = reader.strings("cleanup");
  fixture.working_directory = reader.path("working_directory", false);
  fixture.timeout_seconds = read_timeout(reader);
  fixture.source_file = reader.path("source_file", false);
  fixture.source_line =
      static_cast<int>(reader.integer("source_line", 0, 0, std::numeric_limits<int>::max()));
  return fixture;
}

/// The names the index lists under `key`, checked to be usable as file names.
std::vector<std::string> listed_names(const ObjectReader& index, std::string_view key,
                                      bool required) {
  std::vector<std::string> names = index.strings(key, required);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string where = ObjectReader::field(key) + "[" + std::to_string(i) + "]";
    const std::string& name = names[i];
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
      index.fail(where, "is not a valid name: \"" + name + "\"");
    }
    if (!seen.insert(name).second) index.fail(where, "lists \"" + name + "\" twice");
  }
  return names;
}

fs::path listed_file(const fs::path& dir, const std::string& kind, const std::string& name,
                     const fs::path& index) {
  fs::path file = dir / kind / (name + ".json");
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    throw ManifestError(file.string() + " is missing, but " + index.string() + " lists " +
                        (kind == "targets" ? "target" : "fixture") + " \"" + name + "\"; " +
                        kRerunCmake);
  }
  return file;
}

}  // namespace

fs::path manifest_path(const fs::path& test_dir) {
  return test_dir / ".fanout" / "manifest.json";
}

bool has_manifest(const fs::path& test_dir) {
  std::error_code ec;
  return fs::is_regular_file(manifest_path(test_dir), ec);
}

Manifest read_manifest(const fs::path& test_dir) {
  std::error_code ec;
  fs::path base = fs::absolute(test_dir, ec).lexically_normal();
  if (ec) base = test_dir;
  const fs::path dir = base / ".fanout";
  const fs::path index_file = dir / "manifest.json";
  if (!has_manifest(base)) {
    throw ManifestError(index_file.string() +
                        " does not exist; register tests with add_distributed_tests() and run "
                        "cmake on the build tree");
  }
  const ObjectReader index(index_file, parse_file(index_file), base);
  const json::value* version = index.find("version", true);
  if (!version->is_int64() && !version->is_uint64()) {
    index.fail("\"version\"", "an integer", *version);
  }
  if (version->to_number<double>() != kManifestVersion) {
    throw ManifestError(
        index_file.string() + ": manifest format version " + json::serialize(*version) +
        " is not supported (this fanout reads version " + std::to_string(kManifestVersion) +
        "); use the FanoutTests module that comes with this fanout and re-run "
        "cmake, or use a matching fanout");
  }

  Manifest manifest;
  for (const auto& name : listed_names(index, "targets", true)) {
    manifest.targets.push_back(
        read_target(listed_file(dir, "targets", name, index_file), name, base));
  }
  for (const auto& name : listed_names(index, "fixtures", false)) {
    manifest.fixtures.push_back(
        read_fixture(listed_file(dir, "fixtures", name, index_file), name, base));
  }
  return manifest;
}

}  // namespace fanout::launcher
