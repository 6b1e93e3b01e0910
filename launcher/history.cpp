#include "launcher/history.hpp"

#include <fcntl.h>
#include <sys/mman.h>
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

/// The whole text of a file. A regular file is mapped into memory rather than copied: a copy
/// would cost a fresh page, and its page fault, per 4 KiB (a third of a millisecond for a history
/// of 3,000 items). Fanout only ever replaces the history file (rename), never rewrites it in
/// place, so the mapping keeps seeing the file as it was opened. (Another program truncating it
/// during the fraction of a millisecond it is read would end the process with SIGBUS.)
class FileText {
 public:
  FileText() = default;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText() {
    if (mapped_ != MAP_FAILED) ::munmap(mapped_, mapped_size_);
  }

  ReadResult read(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return errno == ENOENT || errno == ENOTDIR ? ReadResult::missing : ReadResult::unreadable;
    }
    struct stat status {};
    bool ok = ::fstat(fd, &status) == 0 && !S_ISDIR(status.st_mode);
    if (ok && S_ISREG(status.st_mode) && status.st_size > 0) {
      mapped_size_ = static_cast<std::size_t>(status.st_size);
      mapped_ = ::mmap(nullptr, mapped_size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    }
    if (ok && mapped_ == MAP_FAILED) ok = read_all(fd, status);
    ::close(fd);
    return ok ? ReadResult::read : ReadResult::unreadable;
  }

  std::string_view text() const {
    if (mapped_ != MAP_FAILED) return {static_cast<const char*>(mapped_), mapped_size_};
    return copy_;
  }

 private:
  /// Reads what `fd` holds into copy_.
  bool read_all(int fd, const struct stat& status) {
    // The size is a hint (a pipe has none); one byte more lets the read that finds the end fit
    // without growing the buffer.
    copy_.resize(status.st_size > 0 ? static_cast<std::size_t>(status.st_size) + 1 : 4096);
    std::size_t size = 0;
    for (;;) {
      if (size == copy_.size()) copy_.resize(2 * size);
      const ssize_t n = ::read(fd, copy_.data() + size, copy_.size() - size);
      if (n > 0) {
        size += static_cast<std::size_t>(n);
      } else if (n == 0) {
        break;
      } else if (errno != EINTR) {
        return false;
      }
    }
    copy_.resize(size);
    return true;
  }

  void* mapped_ = MAP_FAILED;
  std::size_t mapped_size_ = 0;
  std::string copy_;
};

}  // namespace

History History::load(const std::filesystem::path& file) {
  History history;
  FileText text;
  const ReadResult read = text.read(file);
  if (read == ReadResult::missing) return history;
  const std::string ignoring = "ignoring the history file " + file.string() + ": ";
  if (read == ReadResult::unreadable) {
    history.warnings_.push_back(ignoring + "cannot read it");
    return history;
  }
  try {
    HistoryFileContents contents = parse_history_file(text.text());
    history.items_ = std::move(contents.items);
    history.targets_ = std::move(contents.targets);
  } catch (const HistoryFileError& error) {
    history.warnings_.push_back(ignoring + error.what());
  }
  return history;
}

void History::save(const std::filesystem::path& file) const {
  report::write_file_atomically(file, format_history_file(items_, targets_),
                                report::Replace::by_exchange);
}

const ItemHistory* History::find(const std::string& item_id) const {
  return items_.find(item_id);
}

namespace {

/// Whether an average moved from `before` to `after` by more than planning would notice: more
/// than History::noticeable_fraction of it and more than `noticeable` seconds.
bool noticeably_moved(double before, double after, double noticeable) {
  const double moved = std::abs(after - before);
  return moved > noticeable && moved > History::noticeable_fraction * before;
}

}  // namespace

void History::record(const std::string& item_id, const collector::Result& result,
                     double cpu_seconds) {
  if (result.outcome == Outcome::not_run) return;
  if (!target_medians_.empty()) target_medians_.clear();
  longest_mean_.reset();
  bool added = false;
  ItemHistory& item = items_.add(item_id, &added);
  const ItemHistory before = item;
  item.last_outcome = result.outcome;
  if (result.outcome != Outcome::error && result.ran) {
    const double seconds = std::isfinite(result.seconds) ? std::max(0.0, result.seconds) : 0.0;
    average_in(item.mean_seconds, item.runs, seconds);
    if (result.outcome == Outcome::flaky) ++item.flaky;
    if (cpu_seconds >= 0 && std::isfinite(cpu_seconds)) {
      if (item.cpu_seconds < 0) item.cpu_runs = 0;
      average_in(item.cpu_seconds, item.cpu_runs, cpu_seconds);
    }
  }
  changed_ = changed_ || added || item.last_outcome != before.last_outcome ||
             item.flaky != before.flaky || before.runs < averaging_window ||
             noticeably_moved(before.mean_seconds, item.mean_seconds, noticeable_seconds) ||
             (item.cpu_seconds >= 0 &&
              (before.cpu_runs < averaging_window || before.cpu_seconds < 0 ||
               noticeably_moved(before.cpu_seconds, item.cpu_seconds, noticeable_cpu_seconds)));
}

void History::mark_unsplittable(const std::string& target) {
  bool& unsplittable = targets_[target].unsplittable;
  changed_ = changed_ || !unsplittable;
  unsplittable = true;
}

bool History::is_unsplittable(const std::string& target) const {
  const auto it = targets_.find(target);
  return it != targets_.end() && it->second.unsplittable;
}

double History::longest_mean_seconds() const {
  if (!longest_mean_) {
    double longest = -1;
    items_.for_each([&](std::string_view, const ItemHistory& item) {
      if (item.runs > 0) longest = std::max(longest, item.mean_seconds);
    });
    longest_mean_ = longest;
  }
  return *longest_mean_;
}

double History::target_median_seconds(const std::string& target) const {
  if (auto cached = target_medians_.find(target); cached != target_medians_.end()) {
    return cached->second;
  }
  std::vector<double> means;
  items_.for_each_with_prefix(target + "/", [&](std::string_view, const ItemHistory& item) {
    if (item.runs > 0) means.push_back(item.mean_seconds);
  });
  double median = -1;
  if (means.size() >= min_timed_for_median) {
    const auto middle = means.begin() + static_cast<std::ptrdiff_t>(means.size() / 2);
    std::nth_element(means.begin(), middle, means.end());
    median = *middle;
  }
  target_medians_.emplace(target, median);
  return median;
}

}  // namespace fanout::launcher
