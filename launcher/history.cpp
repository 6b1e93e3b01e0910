#include "launcher/history.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "launcher/report/atomic_file.hpp"

namespace fanout::launcher {

namespace json = boost::json;
using collector::Outcome;

namespace {

/// Why a history file was rejected; caught by load() and turned into a warning.
class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr Outcome all_outcomes[] = {Outcome::passed,  Outcome::failed,  Outcome::skipped,
                                    Outcome::timeout, Outcome::crashed, Outcome::error,
                                    Outcome::flaky,   Outcome::not_run};

Outcome parse_outcome(std::string_view name, const std::string& where) {
  for (Outcome outcome : all_outcomes) {
    if (collector::to_string(outcome) == name) return outcome;
  }
  throw FormatError(where + ": unknown outcome \"" + std::string(name) + "\"");
}

/// Folds `sample` into an average over the last few runs (see History::averaging_window).
void average_in(double& mean, std::uint64_t& runs, double sample) {
  ++runs;
  const auto weight = static_cast<double>(std::min(runs, History::averaging_window));
  mean = runs == 1 ? sample : mean + (sample - mean) / weight;
}

const json::value* member(const json::object& object, std::string_view key) {
  return object.if_contains(key);
}

double number_at(const json::value& value, const std::string& where) {
  if (!value.is_number()) throw FormatError(where + ": expected a number");
  std::error_code ec;
  const double number = value.to_number<double>(ec);
  if (ec || !(number >= 0)) throw FormatError(where + ": expected a non-negative number");
  return number;
}

std::uint64_t count_at(const json::value& value, const std::string& where) {
  std::error_code ec;
  const auto count = value.is_number() ? value.to_number<std::uint64_t>(ec) : 0;
  if (!value.is_number() || ec) throw FormatError(where + ": expected a non-negative integer");
  return count;
}

const json::object& object_at(const json::value& value, const std::string& where) {
  if (!value.is_object()) throw FormatError(where + ": expected an object");
  return value.get_object();
}

ItemHistory parse_item(const json::value& value, const std::string& where) {
  const json::object& object = object_at(value, where);
  ItemHistory item;
  const json::value* mean = member(object, "mean_seconds");
  const json::value* runs = member(object, "runs");
  const json::value* outcome = member(object, "last_outcome");
  if (!mean || !runs || !outcome) {
    throw FormatError(where + ": needs mean_seconds, runs and last_outcome");
  }
  item.mean_seconds = number_at(*mean, where + ".mean_seconds");
  item.runs = count_at(*runs, where + ".runs");
  if (!outcome->is_string()) throw FormatError(where + ".last_outcome: expected a string");
  item.last_outcome = parse_outcome(outcome->get_string(), where + ".last_outcome");
  if (const json::value* flaky = member(object, "flaky")) {
    item.flaky = count_at(*flaky, where + ".flaky");
  }
  if (const json::value* cpu = member(object, "cpu_seconds")) {
    item.cpu_seconds = number_at(*cpu, where + ".cpu_seconds");
    item.cpu_runs = 1;
    if (const json::value* cpu_runs = member(object, "cpu_runs")) {
      item.cpu_runs = count_at(*cpu_runs, where + ".cpu_runs");
    }
    if (item.cpu_runs == 0) item.cpu_seconds = -1;
  }
  return item;
}

TargetHistory parse_target(const json::value& value, const std::string& where) {
  const json::object& object = object_at(value, where);
  TargetHistory target;
  if (const json::value* unsplittable = member(object, "unsplittable")) {
    if (!unsplittable->is_bool()) throw FormatError(where + ".unsplittable: expected a boolean");
    target.unsplittable = unsplittable->get_bool();
  }
  return target;
}

json::object item_to_json(const ItemHistory& item) {
  json::object object;
  object["mean_seconds"] = item.mean_seconds;
  object["runs"] = item.runs;
  object["last_outcome"] = collector::to_string(item.last_outcome);
  object["flaky"] = item.flaky;
  if (item.cpu_seconds >= 0 && item.cpu_runs > 0) {
    object["cpu_seconds"] = item.cpu_seconds;
    object["cpu_runs"] = item.cpu_runs;
  }
  return object;
}

/// Writes `entries` as a JSON object with one member per line (readable, diffable).
template <typename Map, typename ToJson>
void write_map(std::ostringstream& out, const Map& entries, ToJson to_json) {
  if (entries.empty()) {
    out << "{}";
    return;
  }
  out << "{";
  const char* separator = "\n";
  for (const auto& [key, entry] : entries) {
    out << separator << "    " << json::serialize(json::string(key)) << ": "
        << json::serialize(to_json(entry));
    separator = ",\n";
  }
  out << "\n  }";
}

}  // namespace

History History::load(const std::filesystem::path& file) {
  History history;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec) && !ec) return history;
  const std::string ignoring = "ignoring the history file " + file.string() + ": ";
  std::ifstream in(file, std::ios::binary);
  if (!in || std::filesystem::is_directory(file, ec)) {
    history.warnings_.push_back(ignoring + "cannot read it");
    return history;
  }
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  json::error_code parse_error;
  const json::value root = json::parse(text, parse_error);
  if (parse_error) {
    history.warnings_.push_back(ignoring + "not valid JSON (" + parse_error.message() + ")");
    return history;
  }
  try {
    const json::object& object = object_at(root, "the file");
    const json::value* version = member(object, "version");
    if (!version || !version->is_int64() || version->get_int64() != format_version) {
      throw FormatError(version ? "unsupported version " + json::serialize(*version)
                                : std::string("no version"));
    }
    if (const json::value* items = member(object, "items")) {
      for (const auto& [id, value] : object_at(*items, "items")) {
        history.items_[std::string(id)] = parse_item(value, "items[\"" + std::string(id) + "\"]");
      }
    }
    if (const json::value* targets = member(object, "targets")) {
      for (const auto& [name, value] : object_at(*targets, "targets")) {
        history.targets_[std::string(name)] =
            parse_target(value, "targets[\"" + std::string(name) + "\"]");
      }
    }
  } catch (const FormatError& error) {
    history.items_.clear();
    history.targets_.clear();
    history.warnings_.push_back(ignoring + error.what());
  }
  return history;
}

void History::save(const std::filesystem::path& file) const {
  std::ostringstream out;
  out << "{\n  \"version\": " << format_version << ",\n  \"items\": ";
  write_map(out, items_, item_to_json);
  out << ",\n  \"targets\": ";
  write_map(out, targets_, [](const TargetHistory& target) {
    json::object object;
    object["unsplittable"] = target.unsplittable;
    return object;
  });
  out << "\n}\n";
  report::write_file_atomically(file, out.str());
}

const ItemHistory* History::find(const std::string& item_id) const {
  const auto it = items_.find(item_id);
  return it == items_.end() ? nullptr : &it->second;
}

void History::record(const std::string& item_id, const collector::Result& result,
                     double cpu_seconds) {
  if (result.outcome == Outcome::not_run) return;
  target_means_.clear();
  ItemHistory& item = items_[item_id];
  item.last_outcome = result.outcome;
  if (result.outcome == Outcome::error) return;
  const double seconds = std::isfinite(result.seconds) ? std::max(0.0, result.seconds) : 0.0;
  average_in(item.mean_seconds, item.runs, seconds);
  if (result.outcome == Outcome::flaky) ++item.flaky;
  if (cpu_seconds >= 0 && std::isfinite(cpu_seconds)) {
    if (item.cpu_seconds < 0) item.cpu_runs = 0;
    average_in(item.cpu_seconds, item.cpu_runs, cpu_seconds);
  }
}

void History::mark_unsplittable(const std::string& target) {
  targets_[target].unsplittable = true;
}

bool History::is_unsplittable(const std::string& target) const {
  const auto it = targets_.find(target);
  return it != targets_.end() && it->second.unsplittable;
}

double History::target_mean_seconds(const std::string& target) const {
  if (auto cached = target_means_.find(target); cached != target_means_.end()) {
    return cached->second;
  }
  const std::string prefix = target + "/";
  double sum = 0;
  std::size_t count = 0;
  for (auto it = items_.lower_bound(prefix);
       it != items_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    if (it->second.runs == 0) continue;
    sum += it->second.mean_seconds;
    ++count;
  }
  const double mean = count == 0 ? -1 : sum / static_cast<double>(count);
  target_means_.emplace(target, mean);
  return mean;
}

}  // namespace fanout::launcher
