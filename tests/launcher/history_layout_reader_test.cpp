#include "launcher/history_layout_reader.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "launcher/history.hpp"
#include "launcher/history_file.hpp"

namespace fanout::launcher {
namespace {

using collector::Outcome;

/// A history with a bit of everything the writer writes.
History sample_history() {
  History history;
  const auto record = [&](const std::string& id, Outcome outcome, double seconds, double cpu) {
    history.record(id, collector::Result{.item_id = id, .outcome = outcome, .seconds = seconds},
                   cpu);
  };
  record("unit/Math.Add", Outcome::passed, 0.0012, 0.0011);
  record("unit/Math.Add", Outcome::flaky, 0.0014, -1);
  record("unit/Never.Timed", Outcome::error, 0, -1);
  record("unit/Odd \"name\"\\ \n\x01 é 日本", Outcome::crashed, 2, 1.5);
  record("unit/Slow", Outcome::timeout, 30, 0);
  record("", Outcome::skipped, 1e-9, 3e-8);
  history.mark_unsplittable("legacy");
  return history;
}

std::string text_of(const History& history) {
  return format_history_file(history.items(), history.targets());
}

/// Whether `a` and `b` hold the same entries.
void expect_same(const HistoryFileContents& a, const HistoryFileContents& b) {
  ASSERT_EQ(a.items.size(), b.items.size());
  a.items.for_each([&](std::string_view id, const ItemHistory& expected) {
    const ItemHistory* item = b.items.find(id);
    ASSERT_NE(item, nullptr) << id;
    EXPECT_EQ(item->mean_seconds, expected.mean_seconds) << id;
    EXPECT_EQ(item->runs, expected.runs) << id;
    EXPECT_EQ(item->last_outcome, expected.last_outcome) << id;
    EXPECT_EQ(item->flaky, expected.flaky) << id;
    EXPECT_EQ(item->cpu_seconds, expected.cpu_seconds) << id;
    EXPECT_EQ(item->cpu_runs, expected.cpu_runs) << id;
  });
  ASSERT_EQ(a.targets.size(), b.targets.size());
  for (const auto& [name, target] : a.targets) {
    ASSERT_TRUE(b.targets.contains(name)) << name;
    EXPECT_EQ(b.targets.at(name).unsplittable, target.unsplittable) << name;
  }
}

/// `text` read through the JSON tree: a leading space keeps the layout reader out.
HistoryFileContents read_as_json(const std::string& text) {
  return parse_history_file(" " + text);
}

TEST(HistoryLayoutReader, ReadsWhatTheWriterWritesAsAJsonParserWould) {
  const std::string text = text_of(sample_history());
  ASSERT_FALSE(read_saved_layout(" " + text));
  const std::optional<HistoryFileContents> fast = read_saved_layout(text);
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->items.size(), 5u);
  expect_same(read_as_json(text), *fast);
  expect_same(*fast, parse_history_file(text));

  const std::optional<HistoryFileContents> empty = read_saved_layout(text_of(History()));
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->items.empty());
  EXPECT_TRUE(empty->targets.empty());
}

TEST(HistoryLayoutReader, ReadsOptionalMembersEscapesAndAnyJsonNumber) {
  const std::string text = R"({
  "version": 1,
  "items": {
    "t/\u00e9\/\"x\"\t\u001f": {"mean_seconds":1E2,"runs":0,"last_outcome":"not-run"},
    "t/b": {"mean_seconds":0.5e-3,"runs":18446744073709551615,"last_outcome":"failed","cpu_seconds":2.50,"cpu_runs":0},
    "t/c": {"mean_seconds":1e400,"runs":1,"last_outcome":"passed","flaky":3,"cpu_seconds":1e-400},
    "t/d": {"mean_seconds":123456789012345678901234567890,"runs":1,"last_outcome":"passed","flaky":0,"cpu_seconds":0.1000000000000000055511151231257827,"cpu_runs":2}
  },
  "targets": {
    "a": {"unsplittable":false},
    "b": {"unsplittable":true}
  }
}
)";
  const std::optional<HistoryFileContents> contents = read_saved_layout(text);
  ASSERT_TRUE(contents);
  ASSERT_EQ(contents->items.size(), 4u);
  const ItemHistory* a = contents->items.find("t/\xC3\xA9/\"x\"\t\x1f");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->mean_seconds, 100);
  EXPECT_EQ(a->last_outcome, Outcome::not_run);
  EXPECT_EQ(a->flaky, 0u);
  EXPECT_LT(a->cpu_seconds, 0);
  const ItemHistory* b = contents->items.find("t/b");
  EXPECT_EQ(b->mean_seconds, 0.5e-3);
  EXPECT_EQ(b->runs, 18446744073709551615u);
  EXPECT_LT(b->cpu_seconds, 0) << "cpu_runs 0: never measured";
  EXPECT_EQ(b->cpu_runs, 0u);
  const ItemHistory* c = contents->items.find("t/c");
  EXPECT_TRUE(std::isinf(c->mean_seconds));
  EXPECT_EQ(c->flaky, 3u);
  EXPECT_EQ(c->cpu_seconds, 0);
  EXPECT_EQ(c->cpu_runs, 1u) << "cpu_seconds without cpu_runs counts one run";
  const ItemHistory* d = contents->items.find("t/d");
  EXPECT_EQ(d->mean_seconds, 123456789012345678901234567890.0);
  EXPECT_EQ(d->cpu_seconds, 0.1);
  EXPECT_EQ(d->cpu_runs, 2u);
  EXPECT_FALSE(contents->targets.at("a").unsplittable);
  EXPECT_TRUE(contents->targets.at("b").unsplittable);
  expect_same(read_as_json(text), *contents);
}

TEST(HistoryLayoutReader, LeavesAnyOtherTextToTheJsonReader) {
  const std::string good = text_of(sample_history());
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
  };
  // Valid history files in another layout, or with what only the JSON reader decides on.
  const std::vector<std::string> valid = {
      replaced("\n  \"items\"", "\n \"items\""),
      replaced(R"("runs":2,)", R"("runs":2.0,)"),
      replaced(R"("runs":2,)", R"("runs": 2,)"),
      replaced(R"("mean_seconds":30,)", R"("mean_seconds":-0,)"),
      replaced(R"("mean_seconds":30,"runs":1,)", R"("runs":1,"mean_seconds":30,)"),
      replaced(R"("error","flaky":0})", R"("error","flaky":0,"later":[1]})"),
      replaced(R"({"unsplittable":true})", R"({"unsplittable":true,"why":"x"})"),
      replaced(R"({"unsplittable":true})", R"({})"),
      replaced("\"unit/Slow\"", "\"unit/Math.Add\""),  // a repeated id: the last one counts
      replaced("\"unit/Slow\"", "\"unit/\\ud83d\\ude00\""),
      replaced("\n}\n", "\n}"),
      replaced("\n}\n", "\n}\n\n"),
  };
  for (const std::string& text : valid) {
    EXPECT_FALSE(read_saved_layout(text)) << text;
    EXPECT_NO_THROW(parse_history_file(text)) << text;
  }
  const HistoryFileContents repeated = parse_history_file(valid[8]);
  EXPECT_EQ(repeated.items.find("unit/Math.Add")->last_outcome, Outcome::timeout);

  // Files no reader accepts.
  const std::vector<std::string> invalid = {
      replaced("\"version\": 1", "\"version\": 2"),
      replaced(R"("last_outcome":"timeout")", R"("last_outcome":"slow")"),
      replaced(R"("runs":2,)", R"("runs":-2,)"),
      replaced(R"("runs":2,)", R"("runs":18446744073709551616,)"),
      replaced(R"("mean_seconds":30,)", R"("mean_seconds":.5,)"),
      replaced(R"("mean_seconds":30,)", R"("mean_seconds":1.,)"),
      replaced(R"("mean_seconds":30,)", R"("mean_seconds":01,)"),
      replaced(R"("mean_seconds":30,)", R"("mean_seconds":1e,)"),
      replaced("\"unit/Slow\"", "\"unit/\x01\""),
      replaced("\"unit/Slow\"", "\"unit/\xC3\""),
      replaced("\"unit/Slow\"", "\"unit/\xED\xA0\x80\""),  // a surrogate in UTF-8
      replaced("\"unit/Slow\"", "\"unit/\\x\""),
      replaced("\n}\n", "\n}\nx"),
      good.substr(0, good.size() / 2),
  };
  for (const std::string& text : invalid) {
    EXPECT_FALSE(read_saved_layout(text)) << text;
    EXPECT_THROW(parse_history_file(text), HistoryFileError) << text;
  }
}

TEST(HistoryFileText, FindsTheFirstSpecialCharacterWhereverItIs) {
  // Lengths around the eight characters looked at together, specials at every position.
  for (std::size_t length = 0; length <= 20; ++length) {
    const std::string plain(length, 'a');
    EXPECT_EQ(find_special_in_string(plain.data(), plain.data() + length, true) - plain.data(),
              static_cast<std::ptrdiff_t>(length));
    for (std::size_t at = 0; at < length; ++at) {
      for (const char c : {'"', '\\', '\x01', '\x1f', '\0', ' ', '\x7f', '~', '\x80', '\xff'}) {
        std::string text = plain;
        text[at] = c;
        const auto byte = static_cast<unsigned char>(c);
        const bool special = byte < 0x20 || c == '"' || c == '\\';
        for (const bool stop_at_utf8 : {false, true}) {
          const std::size_t expected = special || (stop_at_utf8 && byte >= 0x80) ? at : length;
          EXPECT_EQ(static_cast<std::size_t>(
                        find_special_in_string(text.data(), text.data() + length, stop_at_utf8) -
                        text.data()),
                    expected)
              << "length " << length << ", " << int(byte) << " at " << at;
        }
      }
    }
  }
}

}  // namespace
}  // namespace fanout::launcher
