#include "launcher/history.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>

#include "launcher/history_file.hpp"
#include "launcher/report/atomic_file.hpp"

namespace fanout::launcher {

using collector::Outcome;

namespace {

/// Folds `sample` into an average over the last few runs (see History::averaging_window).
void average_in(double& mean, std::uint64_t& runs, double sample) {
  ++runs;
  const auto weight = static_cast<double>(std::min(runs, History::averaging_window));
  mean = runs == 1 ? sample : mean + (sample - mean) / weight;
}

enum class ReadResult { read, missing, unreadable };

/// Reads all of `file` into `text`.
ReadResult read_whole_file(const std::filesystem::path& file, std::string& text) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return errno == ENOENT || errno == ENOTDIR ? ReadResult::missing : ReadResult::unreadable;
  }
  struct stat status {};
  bool ok = ::fstat(fd, &status) == 0 && !S_ISDIR(status.st_mode);
  // The size is a hint (the file may change meanwhile, a pipe has none); one byte more lets the
  // read that finds the end fit without growing the buffer.
  text.resize(ok && status.st_size > 0 ? static_cast<std::size_t>(status.st_size) + 1 : 4096);
  std::size_t size = 0;
  while (ok) {
    if (size == text.size()) text.resize(2 * size);
    const ssize_t n = ::read(fd, text.data() + size, text.size() - size);
    if (n > 0) {
      size += static_cast<std::size_t>(n);
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      ok = false;
    }
  }
  ::close(fd);
  text.resize(size);
  return ok ? ReadResult::read : ReadResult::unreadable;
}

}  // namespace

History History::load(const std::filesystem::path& file) {
  History history;
  std::string text;
  const ReadResult read = read_whole_file(file, text);
  if (read == ReadResult::missing) return history;
  const std::string ignoring = "ignoring the history file " + file.string() + ": ";
  if (read == ReadResult::unreadable) {
    history.warnings_.push_back(ignoring + "cannot read it");
    return history;
  }
  try {
    HistoryFileContents contents = parse_history_file(text);
    history.items_ = std::move(contents.items);
    history.targets_ = std::move(contents.targets);
  } catch (const HistoryFileError& error) {
    history.warnings_.push_back(ignoring + error.what());
  }
  return history;
}

void History::save(const std::filesystem::path& file) const {
  report::write_file_atomically(file, format_history_file(items_, targets_));
}

History::History(const History& other)
    : items_(other.items_), targets_(other.targets_), warnings_(other.warnings_) {}

History& History::operator=(const History& other) {
  if (this != &other) *this = History(other);
  return *this;
}

ItemHistory* History::lookup(std::string_view item_id) const {
  if (index_.empty() && !items_.empty()) {
    // The index is a cache of items_ that record() also writes through, hence the cast.
    index_.reserve(items_.size());
    for (auto& [id, item] : const_cast<std::map<std::string, ItemHistory>&>(items_)) {
      index_.emplace(id, &item);
    }
  }
  const auto it = index_.find(item_id);
  return it == index_.end() ? nullptr : it->second;
}

const ItemHistory* History::find(const std::string& item_id) const {
  return lookup(item_id);
}

void History::record(const std::string& item_id, const collector::Result& result,
                     double cpu_seconds) {
  if (result.outcome == Outcome::not_run) return;
  if (!target_means_.empty()) target_means_.clear();
  longest_mean_.reset();
  ItemHistory* known = lookup(item_id);
  if (!known) {
    const auto [at, added] = items_.try_emplace(item_id);
    known = &at->second;
    index_.emplace(at->first, known);
  }
  ItemHistory& item = *known;
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

double History::longest_mean_seconds() const {
  if (!longest_mean_) {
    double longest = -1;
    for (const auto& [id, item] : items_) {
      if (item.runs > 0) longest = std::max(longest, item.mean_seconds);
    }
    longest_mean_ = longest;
  }
  return *longest_mean_;
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
