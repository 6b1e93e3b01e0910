#pragma once
// Helpers for the framework adapters' tests: fixture binaries, listing and running them for
// real, and feeding a parser a stream split at a chosen offset.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "collector/framework.hpp"
#include "transport/process.hpp"

namespace fanout::collector::testing {

/// A fixture binary built into FANOUT_FIXTURE_DIR.
inline std::filesystem::path fixture_path(std::string_view name) {
  return std::filesystem::path(FANOUT_FIXTURE_DIR) / name;
}

/// The number of the first line of tests/fixtures/frameworks/`file` that contains `text`.
inline int fixture_line(std::string_view file, std::string_view text) {
  const std::filesystem::path path =
      std::filesystem::path(FANOUT_TEST_DATA_DIR) / ".." / "fixtures" / "frameworks" / file;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.find(text) != std::string::npos) return number;
  }
  throw std::runtime_error(std::string(text) + " not in " + path.string());
}

/// A target for fixture `name`, named "t".
inline Target fixture_target(std::string_view name, std::string framework) {
  Target target;
  target.name = "t";
  target.executable = fixture_path(name);
  target.framework = std::move(framework);
  return target;
}

/// Items of target "t" with these names.
inline std::vector<Item> items_named(const std::vector<std::string>& names) {
  std::vector<Item> batch;
  for (const std::string& name : names) {
    Item item;
    item.target = "t";
    item.name = name;
    item.id = make_item_id("t", name);
    batch.push_back(std::move(item));
  }
  return batch;
}

/// Pointers to `items`, in order: a batch for run_command and parser, which refer to the items
/// (keep `items` alive, unmoved, as long as the parser).
inline std::vector<const Item*> pointers_to(const std::vector<Item>& items) {
  std::vector<const Item*> pointers;
  pointers.reserve(items.size());
  for (const Item& item : items) pointers.push_back(&item);
  return pointers;
}
/// Temporaries would be gone before the parser is.
std::vector<const Item*> pointers_to(std::vector<Item>&& items) = delete;

/// A parser that keeps the items of its batch itself, for tests that make a parser from item
/// names alone: `make` builds the real parser over pointers to them.
class ParserWithItems final : public BatchParser {
 public:
  using Make = std::function<std::unique_ptr<BatchParser>(std::vector<const Item*> batch)>;
  ParserWithItems(std::vector<Item> items, const Make& make)
      : items_(std::move(items)), parser_(make(pointers_to(items_))) {}

  void feed(std::string_view chunk) override { parser_->feed(chunk); }
  std::vector<const Item*> take_started() override { return parser_->take_started(); }
  std::vector<Result> take_finished() override { return parser_->take_finished(); }
  BatchEnd finish(const ProcessEnd& end) override { return parser_->finish(end); }

 private:
  std::vector<Item> items_;  // declared first: it outlives parser_
  std::unique_ptr<BatchParser> parser_;
};

/// The names of `items`, in order.
inline std::vector<std::string> names_of(const std::vector<Item>& items) {
  std::vector<std::string> names;
  for (const Item& item : items) names.push_back(item.name);
  return names;
}

/// The item of `items` called `name`; throws when there is none.
inline const Item& item_named(const std::vector<Item>& items, const std::string& name) {
  for (const Item& item : items) {
    if (item.name == name) return item;
  }
  throw std::runtime_error("no item " + name);
}

inline ProcessEnd exited(int code) {
  ProcessEnd end;
  end.kind = ProcessEnd::Kind::exited;
  end.exit_code = code;
  return end;
}

inline ProcessEnd signaled(int signal) {
  ProcessEnd end;
  end.kind = ProcessEnd::Kind::signaled;
  end.signal = signal;
  return end;
}

inline ProcessEnd of_kind(ProcessEnd::Kind kind) {
  ProcessEnd end;
  end.kind = kind;
  end.timeout_seconds = 5;
  return end;
}

/// A private empty directory, removed with the object.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fanout-fw-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Everything a parser reported over one batch.
struct Parsed {
  std::vector<std::string> started;  ///< item names, in order
  std::vector<Result> streamed;      ///< from take_finished() while feeding
  std::vector<Result> results;       ///< streamed, then finish()'s
  std::vector<std::string> not_started;

  /// The result of item `name` of target "t"; fails the test when there is none.
  Result result(const std::string& name) const {
    for (const Result& r : results) {
      if (r.item_id == make_item_id("t", name)) return r;
    }
    ADD_FAILURE() << "no result for " << name;
    return {};
  }
};

/// Feeds `chunks` to `parser` one by one, collecting what it reports, then finishes with `end`.
inline Parsed parse_chunks(BatchParser& parser, const std::vector<std::string_view>& chunks,
                           const ProcessEnd& end) {
  Parsed parsed;
  auto collect = [&] {
    for (const Item* item : parser.take_started()) parsed.started.push_back(item->name);
    for (Result& result : parser.take_finished()) {
      parsed.streamed.push_back(result);
      parsed.results.push_back(std::move(result));
    }
  };
  for (std::string_view chunk : chunks) {
    parser.feed(chunk);
    collect();
  }
  BatchEnd batch_end = parser.finish(end);
  collect();
  for (Result& result : batch_end.results) parsed.results.push_back(std::move(result));
  for (const NotStarted& again : batch_end.not_started) {
    parsed.not_started.push_back(again.item->name);
  }
  return parsed;
}

/// `text` cut into pieces of `size` bytes.
inline std::vector<std::string_view> pieces(std::string_view text, std::size_t size) {
  std::vector<std::string_view> out;
  for (std::size_t at = 0; at < text.size(); at += size) out.push_back(text.substr(at, size));
  return out;
}

/// Makes a fresh parser for one parse.
using ParserFactory = std::function<std::unique_ptr<BatchParser>()>;

/// Checks that splitting `text` in two at every offset gives what feeding it whole gives:
/// the same results (item, outcome, message, output, signal) in the same order, and the same
/// items started and left unstarted.
inline void expect_split_invariant(const ParserFactory& make, std::string_view text,
                                   const ProcessEnd& end) {
  const std::unique_ptr<BatchParser> whole_parser = make();
  const Parsed whole = parse_chunks(*whole_parser, {text}, end);
  for (std::size_t offset = 0; offset <= text.size(); ++offset) {
    const std::unique_ptr<BatchParser> parser = make();
    const Parsed split = parse_chunks(*parser, {text.substr(0, offset), text.substr(offset)}, end);
    ASSERT_EQ(split.started, whole.started) << "split at " << offset;
    ASSERT_EQ(split.not_started, whole.not_started) << "split at " << offset;
    ASSERT_EQ(split.results.size(), whole.results.size()) << "split at " << offset;
    for (std::size_t i = 0; i < whole.results.size(); ++i) {
      const Result& a = whole.results[i];
      const Result& b = split.results[i];
      ASSERT_EQ(b.item_id, a.item_id) << "split at " << offset;
      ASSERT_EQ(b.outcome, a.outcome) << a.item_id << ", split at " << offset;
      ASSERT_EQ(b.message, a.message) << a.item_id << ", split at " << offset;
      ASSERT_EQ(b.output, a.output) << a.item_id << ", split at " << offset;
      ASSERT_EQ(b.signal, a.signal) << a.item_id << ", split at " << offset;
    }
  }
}

/// The ProcessEnd for a finished local process.
inline ProcessEnd to_process_end(const transport::ProcessExit& exit, double timeout_seconds) {
  ProcessEnd end;
  end.exit_code = exit.exit_code;
  end.signal = exit.signal;
  end.error = exit.error;
  end.seconds = std::chrono::duration<double>(exit.elapsed).count();
  switch (exit.kind) {
    case transport::ProcessExit::Kind::exited:
      end.kind = ProcessEnd::Kind::exited;
      break;
    case transport::ProcessExit::Kind::signaled:
      end.kind = ProcessEnd::Kind::signaled;
      break;
    case transport::ProcessExit::Kind::timed_out:
      end.kind = ProcessEnd::Kind::timed_out;
      end.timeout_seconds = timeout_seconds;
      break;
    case transport::ProcessExit::Kind::start_failed:
      end.kind = ProcessEnd::Kind::start_failed;
      break;
    case transport::ProcessExit::Kind::cancelled:
      end.kind = ProcessEnd::Kind::cancelled;
      break;
  }
  return end;
}

inline transport::ProcessSpec to_spec(const Target& target, const Command& command,
                                      double timeout_seconds) {
  transport::ProcessSpec spec;
  spec.argv = command.argv;
  spec.working_directory = target.executable.parent_path();
  for (const EnvVar& var : target.environment) spec.environment.emplace_back(var.name, var.value);
  for (const EnvVar& var : command.environment) spec.environment.emplace_back(var.name, var.value);
  spec.timeout = std::chrono::milliseconds(static_cast<long>(timeout_seconds * 1000));
  return spec;
}

/// Lists `target` with its real binary: runs list_command and parses the output (a non-zero
/// exit fails the test unless the command says its exit code means nothing).
inline std::vector<Item> list_for_real(const Framework& framework, const Target& target) {
  const Command command = framework.list_command(target);
  const transport::CapturedRun run = transport::run_captured(to_spec(target, command, 60));
  EXPECT_EQ(run.exit.kind, transport::ProcessExit::Kind::exited) << run.output;
  if (!command.listing_exit_code_ignored) {
    EXPECT_EQ(run.exit.exit_code, 0) << run.output;
  }
  return framework.parse_listing(target, run.output);
}

/// A batch run for real: the process's raw output and what the parser made of it.
struct RealRun {
  std::string output;
  ProcessEnd end;
  Parsed parsed;
};

/// Runs `batch` of `target` with its real binary (killed after `timeout_seconds`), feeding the
/// output to the adapter's parser in small pieces.
inline RealRun run_for_real(const Framework& framework, const Target& target,
                            const std::vector<Item>& batch, double timeout_seconds = 60) {
  ScratchDir scratch;
  const BatchContext context{scratch.path()};
  const std::vector<const Item*> items = pointers_to(batch);
  const Command command = framework.run_command(target, items, context);
  const transport::CapturedRun run =
      transport::run_captured(to_spec(target, command, timeout_seconds));
  RealRun real;
  real.output = run.output;
  real.end = to_process_end(run.exit, timeout_seconds);
  const std::unique_ptr<BatchParser> parser = framework.parser(target, items, context);
  real.parsed = parse_chunks(*parser, pieces(run.output, 61), real.end);
  return real;
}

/// Counts the test cases a process ran, from its output.
using TestsRun = std::function<std::size_t(const std::string& output)>;

/// Lists `target` for real and runs its item called `name` alone: the process must exit with 0
/// after running one test case (`tests_run`), and the parser must say that item passed.
inline void expect_runs_exactly(const Framework& framework, const Target& target,
                                const std::string& name, const TestsRun& tests_run) {
  const std::vector<Item> listed = list_for_real(framework, target);
  const Item& item = item_named(listed, name);
  const RealRun run = run_for_real(framework, target, {item});
  EXPECT_EQ(run.end.kind, ProcessEnd::Kind::exited) << run.output;
  EXPECT_EQ(run.end.exit_code, 0) << run.output;
  EXPECT_EQ(tests_run(run.output), 1u) << run.output;
  EXPECT_EQ(run.parsed.started, std::vector<std::string>{name});
  ASSERT_EQ(run.parsed.results.size(), 1u);
  EXPECT_EQ(run.parsed.results[0].item_id, item.id);
  EXPECT_EQ(run.parsed.results[0].outcome, Outcome::passed) << run.parsed.results[0].message;
}

/// How many times `needle` occurs in `text`.
inline std::size_t count_of(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

}  // namespace fanout::collector::testing
