#include "collector/executable.hpp"

#include <utility>

#include "collector/batch_end.hpp"
#include "collector/executable_regex.hpp"
#include "collector/text.hpp"

namespace fanout::collector {
namespace {

constexpr std::size_t max_quoted_line = 200;

// Compiles `sources`; the first that fails is described in `error`.
std::vector<CmakeRegex> compile(const std::vector<std::string>& sources, std::string_view kind,
                                std::string& error) {
  std::vector<CmakeRegex> expressions;
  for (const std::string& source : sources) {
    try {
      expressions.emplace_back(source);
    } catch (const CmakeRegexError& e) {
      if (error.empty()) {
        error = std::string(kind) + " \"" + source + "\" is not a valid regular expression (" +
                e.what() + ")";
      }
    }
  }
  return expressions;
}

// The line of `text` holding the last byte before `end` (the line a match ended in).
std::string_view line_before(std::string_view text, std::size_t end) {
  if (end > 0 && text[end - 1] == '\n') --end;
  const std::size_t newline = text.rfind('\n', end == 0 ? 0 : end - 1);
  const std::size_t begin = newline == std::string_view::npos || newline >= end ? 0 : newline + 1;
  const std::size_t stop = text.find('\n', begin);
  return text.substr(begin, stop == std::string_view::npos ? std::string_view::npos : stop - begin);
}

}  // namespace

Command ExecutableFramework::list_command(const Target&) const {
  Command command;
  command.argv = {"true"};
  return command;
}

std::vector<Item> ExecutableFramework::parse_listing(const Target& target, std::string_view) const {
  std::string error;
  compile(target.pass_regex, "PASS_REGULAR_EXPRESSION", error);
  compile(target.fail_regex, "FAIL_REGULAR_EXPRESSION", error);
  compile(target.skip_regex, "SKIP_REGULAR_EXPRESSION", error);
  if (!error.empty()) throw CollectError("test " + target.name + ": " + error);
  Item item;
  item.target = target.name;
  item.name = target.name;
  item.case_name = target.name;
  item.id = make_item_id(target.name, item.name);
  item.file = target.source_file.string();
  item.line = target.source_line;
  item.disabled = target.disabled;
  item.labels = target.labels;
  return {std::move(item)};
}

Command ExecutableFramework::run_command(const Target& target, const std::vector<const Item*>&,
                                         const BatchContext&) const {
  Command command;
  command.argv.push_back(target.executable.string());
  command.argv.insert(command.argv.end(), target.extra_args.begin(), target.extra_args.end());
  return command;
}

std::unique_ptr<BatchParser> ExecutableFramework::parser(const Target& target,
                                                         std::vector<const Item*> batch,
                                                         const BatchContext&) const {
  return std::make_unique<ExecutableBatchParser>(target, std::move(batch));
}

const ExecutableFramework& executable_framework() {
  static const ExecutableFramework instance;
  return instance;
}

ExecutableBatchParser::ExecutableBatchParser(const Target& target, std::vector<const Item*> batch,
                                             ParserLimits limits)
    : tracker_(target, std::move(batch), limits),
      skip_return_code_(target.skip_return_code),
      will_fail_(target.will_fail) {
  pass_.expressions = compile(target.pass_regex, "PASS_REGULAR_EXPRESSION", bad_regex_);
  pass_.sources = target.pass_regex;
  fail_.expressions = compile(target.fail_regex, "FAIL_REGULAR_EXPRESSION", bad_regex_);
  fail_.sources = target.fail_regex;
  skip_.expressions = compile(target.skip_regex, "SKIP_REGULAR_EXPRESSION", bad_regex_);
  skip_.sources = target.skip_regex;
  searched_ =
      !pass_.expressions.empty() || !fail_.expressions.empty() || !skip_.expressions.empty();
  if (!tracker_.items().empty()) tracker_.start(0);
}

std::vector<const Item*> ExecutableBatchParser::take_started() {
  return tracker_.take_started();
}

void ExecutableBatchParser::feed(std::string_view chunk) {
  if (ended_ || chunk.empty()) return;
  tracker_.output(chunk);
  if (searched_) output_.feed(chunk);
}

void ExecutableBatchParser::search_output() {
  output_.finish();
  const std::string_view text = output_.text();
  for (Patterns* patterns : {&pass_, &fail_, &skip_}) {
    for (std::size_t i = 0; i < patterns->expressions.size() && !patterns->matched; ++i) {
      if (const auto end = patterns->expressions[i].search(text)) {
        patterns->matched = "\"" + patterns->sources[i] + "\" matched \"" +
                            shorten(line_before(text, *end), max_quoted_line) + "\"";
      }
    }
  }
}

BatchEnd ExecutableBatchParser::finish(const ProcessEnd& end) {
  if (ended_) return {};
  ended_ = true;
  if (tracker_.running() && end.kind == ProcessEnd::Kind::exited) {
    if (searched_) search_output();
    const std::string code = "exited with code " + std::to_string(end.exit_code);
    if (!bad_regex_.empty()) {
      tracker_.finish_running(Outcome::error, bad_regex_);
    } else if (exited_with_skip_code(end, skip_return_code_)) {
      tracker_.finish_running(Outcome::skipped, skip_code_message(end));
    } else if (skip_.matched) {
      tracker_.finish_running(Outcome::skipped, "SKIP_REGULAR_EXPRESSION " + *skip_.matched);
    } else {
      bool passed = pass_.expressions.empty() ? end.exit_code == 0 : pass_.matched.has_value();
      std::string why = pass_.expressions.empty() ? code
                        : passed                  ? "PASS_REGULAR_EXPRESSION " + *pass_.matched
                                 : "the output did not match PASS_REGULAR_EXPRESSION";
      if (fail_.matched) {
        passed = false;
        why = "FAIL_REGULAR_EXPRESSION " + *fail_.matched;
      }
      if (will_fail_) {
        why = passed ? "expected to fail (WILL_FAIL), but " + why
                     : "failed as expected (WILL_FAIL): " + why;
        passed = !passed;
      }
      tracker_.finish_running(passed ? Outcome::passed : Outcome::failed,
                              passed && !will_fail_ ? "" : why);
    }
  }
  return tracker_.finish(end, true);
}

}  // namespace fanout::collector
