#pragma once
// The interface every test-framework adapter implements: list, build a batch's command, parse
// the batch's output back into one Result per item.

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "collector/item.hpp"
#include "collector/result.hpp"
#include "collector/target.hpp"

namespace fanout::collector {

/// A binary could not be listed (missing, not executable, hung, printed garbage).
/// The message names the binary and says what went wrong.
class CollectError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A process to start: argv (argv[0] is the executable path) and extra environment.
struct Command {
  std::vector<std::string> argv;
  std::vector<EnvVar> environment;  ///< added to the target's environment
  /// For a listing command: its exit code says nothing (Catch2 v2 exits with the number of
  /// tests it listed), so a non-zero exit is no error; parse_listing judges the output alone.
  bool listing_exit_code_ignored = false;
  /// For a listing command: a non-zero exit is no error when the output still is a valid
  /// listing (a custom main that lists, then returns non-zero); when it is not, the error names
  /// the exit code and quotes the output, as for any failed listing.
  bool listing_kept_despite_exit_code = false;
  /// For a listing command: when non-empty, the name of a file the command may write its
  /// listing to. collect_items creates a private directory, replaces every occurrence of
  /// `output_file_placeholder` in argv with the path of this file in it, and hands what the
  /// process wrote there (nothing when it wrote no file) to Framework::parse_listing_file.
  std::string output_file;
};

/// Stands for the path of Command::output_file in a listing command's argv.
inline constexpr std::string_view output_file_placeholder = "{output_file}";

/// How the process that ran a batch ended.
struct ProcessEnd {
  enum class Kind { exited, signaled, timed_out, start_failed, cancelled };
  Kind kind = Kind::exited;
  int exit_code = 0;
  int signal = 0;
  std::string error;           ///< for start_failed
  double seconds = 0;          ///< wall time of the process
  double timeout_seconds = 0;  ///< the limit that was hit, for timed_out
};

/// An item of a batch to be queued again; `item` points to the caller's item (see
/// Framework::parser).
struct NotStarted {
  const Item* item = nullptr;
  /// The adapter could not be sure of the item's result in this batch: run it in a process of
  /// its own. False for an item the process merely never reached.
  bool alone = false;
};

/// What is left when a batch's process has ended.
struct BatchEnd {
  std::vector<Result> results;  ///< items finished at the end (not yet returned by take_finished)
  /// Items to be queued again: those the process never reached, and those whose result the
  /// adapter could not be sure of (with NotStarted::alone set).
  std::vector<NotStarted> not_started;
};

/// Follows one batch's output stream. Not thread-safe; one per batch process.
class BatchParser {
 public:
  virtual ~BatchParser() = default;
  /// Feeds output as it arrives, in chunks of any size (lines may be split across chunks).
  virtual void feed(std::string_view chunk) = 0;
  /// Items that started since the last call, in order: the batch's own pointers (to the
  /// caller's items).
  virtual std::vector<const Item*> take_started() = 0;
  /// Items whose result is known since the last call.
  virtual std::vector<Result> take_finished() = 0;
  /// Called once, when the process has ended. The item that was running gets the outcome of
  /// the end (crashed with the signal, timeout, failed for a premature exit, skipped for an exit
  /// with the target's skip return code); items never started are returned in `not_started`,
  /// except when no item started at all and the process failed: then every item gets an error
  /// result (nothing would be gained by requeuing), or is skipped when the process exited with
  /// the skip return code. An exit with the skip return code after every item finished leaves
  /// their results alone.
  virtual BatchEnd finish(const ProcessEnd& end) = 0;
};

/// Per-batch scratch space the launcher gives the adapter (for report files and the like).
struct BatchContext {
  std::filesystem::path scratch_dir;  ///< exists, empty, private to the batch
  /// Every item the target listed, the batch's among them; empty when the caller does not know
  /// it. An adapter may then name a batch more briefly (a whole GoogleTest suite as `Suite.*`).
  std::span<const Item> listing;
};

/// A test framework adapter (GoogleTest, Catch2, ...). Stateless; shared by all threads.
class Framework {
 public:
  virtual ~Framework() = default;
  /// "gtest", "catch2", ...
  virtual std::string_view name() const = 0;
  /// The command that lists the target's items.
  virtual Command list_command(const Target& target) const = 0;
  /// Turns the listing command's output (stdout and stderr merged) into items.
  /// Throws CollectError (naming the binary) when the output is not a listing.
  /// Parsing may read only these fields of the Target: name, executable, labels, source_file,
  /// source_line, disabled, pass_regex, fail_regex, skip_regex; and nothing else (no
  /// environment, files or clock), so that equal output and equal fields give equal items. The
  /// same holds for parse_listing_file. collect_items reuses cached items on that promise: an
  /// adapter that reads another field must add it to parse_signature (parse_signature.hpp).
  virtual std::vector<Item> parse_listing(const Target& target, std::string_view output) const = 0;
  /// Turns the output of a listing command that names an output_file into items: `output` as
  /// for parse_listing, `file` the content of the output file, or nullopt when the process did
  /// not write it. Throws CollectError as parse_listing does. The default ignores the file.
  virtual std::vector<Item> parse_listing_file(const Target& target, std::string_view output,
                                               std::optional<std::string_view> file) const {
    static_cast<void>(file);
    return parse_listing(target, output);
  }
  /// The command that runs exactly `batch` (items of `target`, none disabled; no null pointers).
  virtual Command run_command(const Target& target, const std::vector<const Item*>& batch,
                              const BatchContext& context) const = 0;
  /// A parser for the output of `run_command(target, batch, context)`. The parser refers to the
  /// caller's items (and hands the same pointers back from take_started and in
  /// BatchEnd::not_started): they must outlive the parser, unmoved.
  virtual std::unique_ptr<BatchParser> parser(const Target& target, std::vector<const Item*> batch,
                                              const BatchContext& context) const = 0;
};

/// The adapter registered under `name`, or nullptr.
const Framework* find_framework(std::string_view name);

}  // namespace fanout::collector
