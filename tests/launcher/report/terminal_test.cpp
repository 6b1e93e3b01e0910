#include "launcher/report/terminal.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "golden.hpp"
#include "scenario.hpp"

namespace fanout::launcher::report {
namespace {

using ::testing::HasSubstr;
using testing::make_item;
using testing::make_result;
using testing::make_target;
using ::testing::Not;

using Play = void (*)(Reporter&);

const std::vector<std::pair<const char*, Play>> scenarios = {
    {"every_outcome", testing::play_every_outcome},
    {"bad_bytes", testing::play_bad_bytes},
    {"interrupted", testing::play_interrupted},
    {"collection_error", testing::play_collection_error},
    {"fixture_failures", testing::play_fixture_failures},
};

TerminalOptions plain() {
  return {.live = false, .color = false, .width = 80};
}
TerminalOptions live(int width) {
  return {.live = true, .color = false, .width = width, .redraw_interval = {}};
}

std::string run(Play play, TerminalOptions options) {
  std::ostringstream out;
  TerminalReporter reporter(out, std::move(options));
  play(reporter);
  return out.str();
}

std::string last_line(const std::string& text) {
  if (text.empty() || text.back() != '\n') return "<no final newline>";
  const auto start = text.rfind('\n', text.size() - 2);
  return text.substr(start == std::string::npos ? 0 : start + 1,
                     text.size() - 1 - (start == std::string::npos ? 0 : start + 1));
}

/// Sets or unsets an environment variable for the scope, restoring it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

/// A pseudo-terminal pair; `ok()` is false where the system has none.
class Pty {
 public:
  Pty() {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0) return;
    const char* name = ::ptsname(master_);
    if (name) slave_ = ::open(name, O_RDWR | O_NOCTTY);
  }
  ~Pty() {
    if (slave_ >= 0) ::close(slave_);
    if (master_ >= 0) ::close(master_);
  }
  bool ok() const { return slave_ >= 0; }
  int slave() const { return slave_; }

 private:
  int master_ = -1;
  int slave_ = -1;
};

// The bad-bytes scenario is left out of the golden files (its raw output would make them
// binary); PassesTestOutputThroughButKeepsHeadersOnOneLine covers it.
TEST(TerminalReporter, GoldenPlain) {
  std::string all;
  for (const auto& [name, play] : scenarios) {
    if (play == testing::play_bad_bytes) continue;
    all += std::string("=== ") + name + "\n" + run(play, plain());
  }
  testing::expect_golden(all, "terminal_plain.txt");
}

TEST(TerminalReporter, GoldenLive) {
  std::string all;
  for (const auto& [name, play] : scenarios) {
    if (play == testing::play_bad_bytes) continue;
    all += std::string("=== ") + name + "\n" + testing::visible_controls(run(play, live(72)));
  }
  testing::expect_golden(all, "terminal_live.txt");
}

TEST(TerminalReporter, GoldenColor) {
  TerminalOptions options = plain();
  options.color = true;
  options.slowest = 2;
  testing::expect_golden(testing::visible_controls(run(testing::play_every_outcome, options)),
                         "terminal_color.txt");
}

TEST(TerminalReporter, LastLineIsExactlyTheCounts) {
  const std::vector<std::string> expected = {
      "2 passed, 4 failed, 1 skipped",  // flaky apart; failed + timeout + crashed + error
      "0 passed, 1 failed, 0 skipped", "1 passed, 0 failed, 0 skipped",
      "1 passed, 0 failed, 0 skipped",
      "1 passed, 1 failed, 0 skipped",  // fixture failures are noted above, not counted here
  };
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    for (bool is_live : {false, true}) {
      for (bool color : {false, true}) {
        TerminalOptions options = is_live ? live(50) : plain();
        options.color = color;
        EXPECT_EQ(last_line(run(scenarios[i].second, options)), expected[i])
            << scenarios[i].first << " live=" << is_live << " color=" << color;
      }
    }
  }
}

TEST(TerminalReporter, PlainModeWritesNoControlSequencesWithoutColor) {
  for (const auto& [name, play] : scenarios) {
    if (play == testing::play_bad_bytes) continue;  // the test's own output has ESC in it
    const std::string text = run(play, plain());
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << name;
    EXPECT_EQ(text.find('\r'), std::string::npos) << name;
  }
}

TEST(TerminalReporter, PassesTestOutputThroughButKeepsHeadersOnOneLine) {
  struct Recorder : Reporter {
    std::string output;
    void item_finished(const collector::Item&, const collector::Result& r) override {
      output = r.output;
    }
  } recorder;
  testing::play_bad_bytes(recorder);
  for (bool is_live : {false, true}) {
    const std::string text = run(testing::play_bad_bytes, is_live ? live(80) : plain());
    const std::string header =
        "FAILED  bytes/Bytes.Print<int> (0.00 s): expected \"<ok>\" & got "
        "\\x1b[1m\xEF\xBF\xBD\\x1b[0m then newline\n";
    EXPECT_THAT(text, HasSubstr(header + recorder.output + "\n")) << "live=" << is_live;
    EXPECT_THAT(text, HasSubstr("  FAILED  bytes/Bytes.Print<int>: expected \"<ok>\" & got "
                                "\\x1b[1m\xEF\xBF\xBD\\x1b[0m then newline\n"));
  }
}

TEST(TerminalReporter, PlainModePrintsFailuresWithTheirOutput) {
  const std::string text = run(testing::play_every_outcome, plain());
  EXPECT_THAT(text, HasSubstr("PASSED  unit_tests/Math.Add (0.01 s)\n"));
  EXPECT_THAT(text, HasSubstr("FAILED  unit_tests/Math.Div (0.12 s): tests/math_test.cpp:22: "
                              "Expected equality of these values\n[ RUN      ] Math.Div\n"));
  EXPECT_THAT(text, HasSubstr("CRASHED crashy/crashy (0.50 s): crashed (SIGSEGV)\n"
                              "about to dereference null\n"));
  // Passing and skipped items do not show their output.
  EXPECT_THAT(text, Not(HasSubstr("[  SKIPPED ] Math.Sqrt")));
}

TEST(TerminalReporter, LiveProgressLineFitsTheWidth) {
  for (int width : {20, 40, 60, 200}) {
    const std::string text = run(testing::play_every_outcome, live(width));
    const std::string redraw = "\r\x1b[K";
    std::size_t lines = 0;
    bool some_cut = false;
    for (std::size_t at = text.find(redraw); at != std::string::npos;) {
      const std::size_t next = text.find(redraw, at + redraw.size());
      const std::string segment = text.substr(at + redraw.size(), next - at - redraw.size());
      at = next;
      if (segment.empty() || segment.find('\n') != std::string::npos) continue;
      ++lines;
      EXPECT_LE(segment.size(), static_cast<std::size_t>(width - 1)) << segment;
      some_cut = some_cut || segment.ends_with("...");
    }
    EXPECT_GT(lines, 5u) << "width " << width;
    EXPECT_EQ(some_cut, width < 200) << "width " << width;
  }
}

TEST(TerminalReporter, LiveModeThrottlesRedrawsButNeverFailures) {
  using namespace std::chrono_literals;
  auto now = std::chrono::steady_clock::time_point{};
  std::ostringstream out;
  TerminalReporter reporter(
      out, {.live = true, .width = 80, .redraw_interval = 100ms, .clock = [&] { return now; }});
  const auto count_draws = [&] {
    const std::string text = out.str();
    std::size_t n = 0;
    for (auto at = text.find("\r\x1b[K["); at != std::string::npos;
         at = text.find("\r\x1b[K[", at + 1)) {
      ++n;
    }
    return n;
  };
  const auto a = make_item("t", "S", "a");
  const auto b = make_item("t", "S", "b");
  reporter.run_started({.total_items = 2});
  EXPECT_EQ(count_draws(), 1u);
  now += 10ms;
  reporter.item_started(a);
  now += 40ms;
  reporter.item_started(b);
  EXPECT_EQ(count_draws(), 1u);  // within 100 ms of the first draw
  now += 60ms;
  reporter.item_finished(a, make_result(a, collector::Outcome::passed, 0.1));
  EXPECT_EQ(count_draws(), 2u);
  EXPECT_THAT(out.str(), HasSubstr("[1/2] 1 passed, 0 failed, 0 skipped | t/S.b"));
  now += 1ms;
  reporter.item_finished(b, make_result(b, collector::Outcome::failed, 0.1, "boom", "out\n"));
  EXPECT_EQ(count_draws(), 3u);  // a failure is shown at once, and the line redrawn after it
  EXPECT_THAT(out.str(), HasSubstr("\r\x1b[KFAILED  t/S.b (0.10 s): boom\nout\n\r\x1b[K[2/2] "
                                   "1 passed, 1 failed, 0 skipped"));
  now += 1ms;
  reporter.run_finished({});
  EXPECT_EQ(count_draws(), 3u);
  EXPECT_THAT(out.str(), HasSubstr("0 failed, 0 skipped\n"));  // the Summary's counts
}

/// A stream buffer that counts how often its stream is flushed.
class CountingBuffer : public std::stringbuf {
 public:
  int syncs = 0;

 protected:
  int sync() override {
    ++syncs;
    return std::stringbuf::sync();
  }
};

TEST(TerminalReporter, PlainModeFlushesWhenIdleNotPerItem) {
  CountingBuffer buffer;
  std::ostream out(&buffer);
  TerminalReporter reporter(out, plain());
  reporter.run_started({.total_items = 3});
  for (const char* name : {"a", "b", "c"}) {
    const auto item = make_item("t", "S", name);
    reporter.item_started(item);
    reporter.item_finished(item, make_result(item, collector::Outcome::passed, 0.1));
  }
  EXPECT_EQ(buffer.syncs, 0);
  EXPECT_THAT(buffer.str(), HasSubstr("PASSED  t/S.c (0.10 s)\n"));
  reporter.flush();
  EXPECT_EQ(buffer.syncs, 1);
  reporter.run_finished({});
  EXPECT_EQ(buffer.syncs, 2);
}

TEST(TerminalReporter, LiveLineListsRunningItemsInStartOrder) {
  std::ostringstream out;
  TerminalReporter reporter(out, live(200));
  const auto a = make_item("t", "S", "a");
  const auto b = make_item("t", "S", "b");
  const auto c = make_item("t", "S", "c");
  reporter.run_started({.total_items = 3});
  reporter.item_started(a);
  reporter.item_started(b);
  reporter.item_started(c);
  reporter.item_started(b);  // announced twice: listed once
  EXPECT_THAT(out.str(), HasSubstr("| t/S.a, t/S.b, t/S.c"));
  reporter.item_finished(b, make_result(b, collector::Outcome::passed, 0.1));
  EXPECT_THAT(out.str(), HasSubstr("[1/3] 1 passed, 0 failed, 0 skipped | t/S.a, t/S.c"));
  reporter.item_finished(a, make_result(a, collector::Outcome::passed, 0.1));
  reporter.item_finished(c, make_result(c, collector::Outcome::passed, 0.1));
  EXPECT_TRUE(out.str().ends_with("[3/3] 3 passed, 0 failed, 0 skipped")) << out.str();
}

TEST(TerminalReporter, ColorOnlyOnLabelsAndNeverOnTheLastLine) {
  TerminalOptions options = plain();
  options.color = true;
  const std::string text = run(testing::play_every_outcome, options);
  EXPECT_THAT(text, HasSubstr("\x1b[32mPASSED\x1b[0m  unit_tests/Math.Add"));
  EXPECT_THAT(text, HasSubstr("\x1b[31mFAILED\x1b[0m  unit_tests/Math.Div"));
  EXPECT_THAT(text, HasSubstr("\x1b[33mSKIPPED\x1b[0m unit_tests/Math.Sqrt"));
  EXPECT_EQ(last_line(text).find('\x1b'), std::string::npos);
}

TEST(TerminalReporter, SlowestListsTheLongestItemsFirst) {
  TerminalOptions options = plain();
  options.slowest = 2;
  std::string text = run(testing::play_every_outcome, options);
  EXPECT_THAT(text, HasSubstr("slowest 2 items:\n  30.00 s  unit_tests/Net.Connect\n"
                              "  1.25 s  unit_tests/Net.Retry\nwall time"));
  options.slowest = 0;
  text = run(testing::play_every_outcome, options);
  EXPECT_THAT(text, Not(HasSubstr("slowest")));
}

TEST(TerminalReporter, SlowestKeepsTheLongestOfManyWhateverTheOrderAndTiesByName) {
  TerminalOptions options = plain();
  options.slowest = 3;
  std::ostringstream out;
  TerminalReporter reporter(out, options);
  const std::vector<std::pair<std::string, double>> finished = {
      {"e", 0.5}, {"a", 0.1}, {"h", 2.0}, {"b", 0.5}, {"c", 3.0}, {"d", 0.2},
      {"g", 2.0}, {"f", 0.3}, {"i", 0.5}, {"j", 0.0}, {"k", 2.5}, {"l", 1.0}};
  for (const auto& [name, seconds] : finished) {
    const auto item = make_item("t", "S", name);
    reporter.item_finished(item, make_result(item, collector::Outcome::passed, seconds));
  }
  reporter.run_finished({});
  EXPECT_THAT(out.str(), HasSubstr("slowest 3 items:\n  3.00 s  t/S.c\n  2.50 s  t/S.k\n"
                                   "  2.00 s  t/S.g\n"));
}

TEST(TerminalReporter, SummaryListsFailuresCollectionErrorsAndNotes) {
  const std::string every = run(testing::play_every_outcome, plain());
  EXPECT_THAT(every, HasSubstr("failures:\n  FAILED  unit_tests/Math.Div: "));
  EXPECT_THAT(every, HasSubstr("  TIMEOUT unit_tests/Net.Connect: timed out after 30 s\n"));
  EXPECT_THAT(every, HasSubstr("collection errors:\n  broken (/build/tests/broken): "));
  EXPECT_THAT(every, HasSubstr("wall time 31.50 s; 1 flaky; 1 collection error\n"));
  const std::string interrupted = run(testing::play_interrupted, plain());
  EXPECT_THAT(interrupted, HasSubstr("wall time 2.75 s; 1 not run; interrupted\n"));
}

TEST(TerminalReporter, FailedFixtureCommandsArePrintedWithTheirOutputAndListedWithTheFailures) {
  for (bool is_live : {false, true}) {
    const std::string text = run(testing::play_fixture_failures, is_live ? live(80) : plain());
    EXPECT_THAT(text, HasSubstr("TIMEOUT fixture db setup: timed out after 2 s\n"
                                "starting <db> & waiting\n"))
        << "live=" << is_live;
    EXPECT_THAT(text, HasSubstr("failures:\n"
                                "  TIMEOUT fixture db setup: timed out after 2 s\n"
                                "  FAILED  needs_db/Db.Query: fixture 'db' setup failed: timed out "
                                "after 2 s\n"
                                "  FAILED  fixture db cleanup (stop_db): exited with code 4\n"
                                "  NOT RUN fixture cache cleanup: interrupted\n"))
        << "live=" << is_live;
    EXPECT_THAT(text, HasSubstr("; 3 fixture failures; interrupted\n")) << "live=" << is_live;
    EXPECT_THAT(text, HasSubstr("slowest 1 item:\n  0.02 s  free/Free.Works\n"))
        << "an item that never ran is not among the slowest; live=" << is_live;
  }
}

TEST(TerminalWidth, UsesTheTerminalSizeThenColumns) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    ScopedEnv columns("COLUMNS", "77");
    EXPECT_EQ(terminal_width(fds[1]), 77);
  }
  {
    ScopedEnv columns("COLUMNS", "wide");
    EXPECT_EQ(terminal_width(fds[1]), 80);
  }
  {
    ScopedEnv columns("COLUMNS", nullptr);
    EXPECT_EQ(terminal_width(fds[1]), 80);
  }
  ::close(fds[0]);
  ::close(fds[1]);

  Pty pty;
  if (!pty.ok()) GTEST_SKIP() << "no pseudo-terminals here";
  winsize size{};
  size.ws_col = 123;
  size.ws_row = 40;
  ASSERT_EQ(::ioctl(pty.slave(), TIOCSWINSZ, &size), 0);
  ScopedEnv columns("COLUMNS", "77");
  EXPECT_EQ(terminal_width(pty.slave()), 123);
}

TEST(ColorWanted, OnlyOnATerminalWithoutNoColor) {
  ScopedEnv term("TERM", "xterm");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    ScopedEnv no_color("NO_COLOR", nullptr);
    EXPECT_FALSE(color_wanted(fds[1]));
  }
  ::close(fds[0]);
  ::close(fds[1]);

  Pty pty;
  if (!pty.ok()) GTEST_SKIP() << "no pseudo-terminals here";
  {
    ScopedEnv no_color("NO_COLOR", nullptr);
    EXPECT_TRUE(color_wanted(pty.slave()));
  }
  {
    ScopedEnv no_color("NO_COLOR", "");  // set but empty: ignored, as no-color.org says
    EXPECT_TRUE(color_wanted(pty.slave()));
  }
  {
    ScopedEnv no_color("NO_COLOR", "1");
    EXPECT_FALSE(color_wanted(pty.slave()));
  }
  {
    ScopedEnv no_color("NO_COLOR", nullptr);
    ScopedEnv dumb("TERM", "dumb");
    EXPECT_FALSE(color_wanted(pty.slave()));
  }
}

}  // namespace
}  // namespace fanout::launcher::report
