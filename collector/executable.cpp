#include "collector/executable.hpp"

#include <utility>

#include "collector/text.hpp"

namespace fanout::collector {
namespace {

constexpr std::size_t max_quoted_line = 200;

// Compiles `sources`; the first that fails is described in `error`.
std::vector<std::regex> compile(const std::vector<std::string>& sources, std::string_view kind,
                                std::string& error) {
  std::vector<std::regex> expressions;
  for (const std::string& source : sources) {
    try {
      expressions.emplace_back(source, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      if (error.empty()) {
        error = std::string(kind) + " \"" + source + "\" is not a valid regular expression (" +
                e.what() + ")";
      }
    }
  }
  return expressions;
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
      will_fail_(target.will_fail),
      lines_(limits.max_line) {
  pass_.expressions = compile(target.pass_regex, "PASS_REGULAR_EXPRESSION", bad_regex_);
  pass_.sources = target.pass_regex;
  fail_.expressions = compile(target.fail_regex, "FAIL_REGULAR_EXPRESSION", bad_regex_);
  fail_.sources = target.fail_regex;
  skip_.expressions = compile(target.skip_regex, "SKIP_REGULAR_EXPRESSION", bad_regex_);
  skip_.sources = target.skip_regex;
  if (!tracker_.items().empty()) tracker_.start(0);
}

std::vector<const Item*> ExecutableBatchParser::take_started() {
  return tracker_.take_started();
}

void ExecutableBatchParser::feed(std::string_view chunk) {
  if (ended_ || chunk.empty()) return;
  tracker_.output(chunk);
  lines_.feed(chunk, [this](std::string_view line, bool, bool) { on_line(line); });
}

void ExecutableBatchParser::on_line(std::string_view line) {
  line = strip_cr(line);
  for (Patterns* patterns : {&pass_, &fail_, &skip_}) {
    if (patterns->matched) continue;
    for (std::size_t i = 0; i < patterns->expressions.size(); ++i) {
      if (std::regex_search(line.begin(), line.end(), patterns->expressions[i])) {
        patterns->matched =
            "\"" + patterns->sources[i] + "\" matched \"" + shorten(line, max_quoted_line) + "\"";
        break;
      }
    }
  }
}

BatchEnd ExecutableBatchParser::finish(const ProcessEnd& end) {
  if (ended_) return {};
  ended_ = true;
  lines_.finish([this](std::string_view line, bool, bool) { on_line(line); });
  if (tracker_.running() && end.kind == ProcessEnd::Kind::exited) {
    const std::string code = "exited with code " + std::to_string(end.exit_code);
    if (!bad_regex_.empty()) {
      tracker_.finish_running(Outcome::error, bad_regex_);
    } else if (skip_return_code_ && *skip_return_code_ == end.exit_code) {
      tracker_.finish_running(Outcome::skipped, code + " (the skip return code)");
    } else if (skip_.matched) {
      tracker_.finish_running(Outcome::skipped, "SKIP_REGULAR_EXPRESSION " + *skip_.matched);
    } else {
      bool passed = pass_.expressions.empty() ? end.exit_code == 0 : pass_.matched.has_value();
      std::string why = pass_.expressions.empty() ? code
                        : passed                  ? "PASS_REGULAR_EXPRESSION " + *pass_.matched
                                 : "no output line matched PASS_REGULAR_EXPRESSION";
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
