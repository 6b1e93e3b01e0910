#include "transport/process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fanout::transport {
namespace {

using namespace std::chrono_literals;
using Kind = ProcessExit::Kind;

ProcessSpec shell(const std::string& script) {
  return ProcessSpec{{"/bin/sh", "-c", script}};
}

// A fresh directory under the system temp directory, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fanout-process-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// True while `pid` exists and is not a zombie (a killed orphan may stay a zombie if nobody reaps).
bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content;
  if (!std::getline(stat, content)) return false;
  const auto after_name = content.rfind(')');
  return after_name != std::string::npos && after_name + 2 < content.size() &&
         content[after_name + 2] != 'Z';
}

// Waits (generously) for `pid` to disappear.
bool dies_within(pid_t pid, std::chrono::seconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (alive(pid)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

pid_t read_pid(const std::filesystem::path& file) {
  std::ifstream in(file);
  pid_t pid = 0;
  in >> pid;
  return pid;
}

TEST(RunCaptured, MergesStdoutAndStderrInOrder) {
  const auto run = run_captured(shell("echo one; echo two >&2; echo three"));
  EXPECT_EQ(run.exit.kind, Kind::exited);
  EXPECT_EQ(run.exit.exit_code, 0);
  EXPECT_EQ(run.output, "one\ntwo\nthree\n");
  EXPECT_EQ(run.dropped_bytes, 0u);
}

TEST(RunCaptured, ReportsExitCode) {
  const auto run = run_captured(shell("exit 7"));
  EXPECT_EQ(run.exit.kind, Kind::exited);
  EXPECT_EQ(run.exit.exit_code, 7);
  EXPECT_EQ(run.exit.signal, 0);
}

TEST(RunCaptured, ReportsDeathBySignal) {
  const auto run = run_captured(shell("ulimit -c 0; kill -SEGV $$"));
  EXPECT_EQ(run.exit.kind, Kind::signaled);
  EXPECT_EQ(run.exit.signal, SIGSEGV);
}

TEST(RunCaptured, PassesArgumentsWithoutAShellAndKeepsArgv0) {
  const auto run = run_captured(ProcessSpec{{"printf", "%s|", "a b", "c'd", "$HOME"}});
  EXPECT_EQ(run.exit.kind, Kind::exited);
  EXPECT_EQ(run.output, "a b|c'd|$HOME|");

  const auto argv0 = run_captured(shell("tr '\\0' '\\n' < /proc/$$/cmdline | head -n 1"));
  EXPECT_EQ(argv0.output, "/bin/sh\n");
  const auto looked_up =
      run_captured(ProcessSpec{{"sh", "-c", "tr '\\0' '\\n' < /proc/$$/cmdline | head -n 1"}});
  EXPECT_EQ(looked_up.output, "sh\n");
}

TEST(RunCaptured, StdinIsDevNull) {
  auto spec = ProcessSpec{{"cat"}};
  spec.timeout = 20s;
  const auto run = run_captured(spec);
  EXPECT_EQ(run.exit.kind, Kind::exited);
  EXPECT_EQ(run.exit.exit_code, 0);
  EXPECT_EQ(run.output, "");
}

TEST(RunCaptured, TimeoutKillsTheWholeGroupIncludingGrandchildren) {
  TempDir dir;
  const auto pid_file = dir.path() / "grandchild.pid";
  auto spec = shell("sleep 30 & echo $! > '" + pid_file.string() + "'; echo started; wait");
  spec.timeout = 1500ms;
  const auto begin = std::chrono::steady_clock::now();
  const auto run = run_captured(spec);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 10s);
  EXPECT_EQ(run.exit.kind, Kind::timed_out);
  EXPECT_EQ(run.exit.signal, SIGKILL);
  EXPECT_EQ(run.output, "started\n");
  const pid_t grandchild = read_pid(pid_file);
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(dies_within(grandchild, 5s));
}

TEST(RunCaptured, GrandchildHoldingThePipeDoesNotDelayTheExit) {
  const auto begin = std::chrono::steady_clock::now();
  const auto run = run_captured(shell("sleep 30 & echo $!; echo hi"));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  EXPECT_EQ(run.exit.kind, Kind::exited);
  EXPECT_EQ(run.exit.exit_code, 0);
  const auto newline = run.output.find('\n');
  ASSERT_NE(newline, std::string::npos);
  EXPECT_EQ(run.output.substr(newline + 1), "hi\n");
  const pid_t grandchild = std::atoi(run.output.substr(0, newline).c_str());
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(dies_within(grandchild, 5s));
}

TEST(RunCaptured, ProcessThatLeftTheGroupCannotHoldThePipeOpenForever) {
  TempDir dir;
  const auto pid_file = dir.path() / "escaped.pid";
  // The script waits until its child has left the group (and still holds stdout), then exits.
  const auto script = "setsid sh -c 'echo $$ > \"$0\"; exec sleep 30' '" + pid_file.string() +
                      "' & while [ ! -s '" + pid_file.string() + "' ]; do sleep 0.01; done";
  const auto begin = std::chrono::steady_clock::now();
  const auto run = run_captured(shell(script));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  EXPECT_EQ(run.exit.kind, Kind::exited);
  const pid_t escaped = read_pid(pid_file);
  ASSERT_GT(escaped, 0);
  EXPECT_TRUE(alive(escaped));  // outside our group by design: it survives, and we did not wait
  ::kill(escaped, SIGKILL);
}

TEST(RunCaptured, MissingBinaryIsAStartFailureNamingThePath) {
  const auto run = run_captured(ProcessSpec{{"/nonexistent-fanout-dir/prog", "x"}});
  EXPECT_EQ(run.exit.kind, Kind::start_failed);
  EXPECT_NE(run.exit.error.find("/nonexistent-fanout-dir/prog"), std::string::npos)
      << run.exit.error;
  EXPECT_NE(run.exit.error.find(std::strerror(ENOENT)), std::string::npos) << run.exit.error;

  const auto bare = run_captured(ProcessSpec{{"fanout-no-such-program-anywhere"}});
  EXPECT_EQ(bare.exit.kind, Kind::start_failed);
  EXPECT_NE(bare.exit.error.find("fanout-no-such-program-anywhere"), std::string::npos)
      << bare.exit.error;
}

TEST(RunCaptured, NonExecutableFileIsAStartFailureNamingThePath) {
  TempDir dir;
  const auto file = dir.path() / "not-executable";
  std::ofstream(file) << "#!/bin/sh\necho should not run\n";
  std::filesystem::permissions(
      file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto run = run_captured(ProcessSpec{{file.string()}});
  EXPECT_EQ(run.exit.kind, Kind::start_failed);
  EXPECT_NE(run.exit.error.find(file.string()), std::string::npos) << run.exit.error;
  EXPECT_NE(run.exit.error.find(std::strerror(EACCES)), std::string::npos) << run.exit.error;
  EXPECT_EQ(run.output, "");
}

TEST(RunCaptured, MissingWorkingDirectoryIsAStartFailureNamingIt) {
  auto spec = ProcessSpec{{"/bin/sh", "-c", "true"}};
  spec.working_directory = "/nonexistent-fanout-working-dir";
  const auto run = run_captured(spec);
  EXPECT_EQ(run.exit.kind, Kind::start_failed);
  EXPECT_NE(run.exit.error.find("/nonexistent-fanout-working-dir"), std::string::npos)
      << run.exit.error;
}

TEST(RunCaptured, AppliesEnvironmentOverridesOnTopOfTheInheritedOnes) {
  auto spec = shell("printf '%s;%s' \"$FANOUT_TEST_VALUE\" \"$PATH\"");
  spec.environment = {{"FANOUT_TEST_VALUE", "first"}, {"FANOUT_TEST_VALUE", "hello world"}};
  const auto run = run_captured(spec);
  const char* path = std::getenv("PATH");
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(run.output, std::string("hello world;") + path);
}

TEST(RunCaptured, UnsetVariablesAreAbsentNotEmpty) {
  ASSERT_EQ(::setenv("FANOUT_TEST_INHERITED", "here", 1), 0);
  auto spec = shell("printf '%s' \"${FANOUT_TEST_INHERITED-absent}\"");
  const auto inherited = run_captured(spec);
  spec.unset_environment = {"FANOUT_TEST_INHERITED"};
  const auto unset = run_captured(spec);
  ::unsetenv("FANOUT_TEST_INHERITED");
  EXPECT_EQ(inherited.output, "here");
  EXPECT_EQ(unset.exit.kind, Kind::exited) << unset.exit.error;
  EXPECT_EQ(unset.output, "absent");
}

TEST(RunCaptured, RunsInTheWorkingDirectory) {
  TempDir dir;
  auto spec = ProcessSpec{{"pwd", "-P"}};
  spec.working_directory = dir.path();
  const auto run = run_captured(spec);
  EXPECT_EQ(run.exit.kind, Kind::exited);
  EXPECT_EQ(run.output, std::filesystem::canonical(dir.path()).string() + "\n");
}

TEST(RunCaptured, TruncatesOutputAndCountsTheDroppedBytes) {
  const auto run = run_captured(shell("head -c 300000 /dev/zero"), 1000);
  EXPECT_EQ(run.exit.kind, Kind::exited);
  EXPECT_EQ(run.output, std::string(1000, '\0'));
  EXPECT_EQ(run.dropped_bytes, 299000u);
}

TEST(RunCaptured, SignalsIgnoredByTheLauncherAreNotInherited) {
  const auto previous = ::signal(SIGPIPE, SIG_IGN);
  const auto run = run_captured(shell("grep SigIgn /proc/$$/status"));
  ::signal(SIGPIPE, previous);
  EXPECT_EQ(run.output, "SigIgn:\t0000000000000000\n");
}

TEST(RunCaptured, ChildStartsWithNoSignalBlockedOrIgnoredWhateverTheLauncherDoes) {
  const auto previous_handler = ::signal(SIGINT, SIG_IGN);
  sigset_t blocked;
  sigset_t previous_mask;
  ::sigemptyset(&blocked);
  ::sigaddset(&blocked, SIGTERM);
  ::sigaddset(&blocked, SIGUSR1);
  ::pthread_sigmask(SIG_BLOCK, &blocked, &previous_mask);
  const auto run = run_captured(ProcessSpec{{"grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"}});
  ::pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
  ::signal(SIGINT, previous_handler);
  EXPECT_EQ(run.output, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST(RunCaptured, ChildLeadsANewProcessGroup) {
  // Fields 1 and 5 of /proc/<pid>/stat: pid and process group id (`read` and `set` are builtins).
  const auto run = run_captured(shell("read -r s < /proc/$$/stat; set -- $s; echo $1 $5"));
  ASSERT_EQ(run.exit.kind, Kind::exited);
  std::istringstream fields(run.output);
  pid_t pid = 0;
  pid_t group = 0;
  ASSERT_TRUE(fields >> pid >> group) << run.output;
  EXPECT_GT(pid, 0);
  EXPECT_EQ(group, pid);
  EXPECT_NE(group, ::getpgrp());
}

TEST(RunCaptured, ChildHasOnlyDevNullAndTheOutputPipeOpen) {
  const int leaked = ::open("/dev/null", O_RDONLY);  // not close-on-exec
  ASSERT_GE(leaked, 3);
  const auto run =
      run_captured(shell("readlink /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2; [ -e /proc/$$/fd/" +
                         std::to_string(leaked) + " ] && echo leaked; true"));
  ::close(leaked);
  ASSERT_EQ(run.exit.kind, Kind::exited);
  std::istringstream lines(run.output);
  std::string in, out, err, extra;
  ASSERT_TRUE(std::getline(lines, in) && std::getline(lines, out) && std::getline(lines, err))
      << run.output;
  EXPECT_EQ(in, "/dev/null");
  EXPECT_EQ(out.rfind("pipe:", 0), 0u) << out;
  EXPECT_EQ(err, out);
  EXPECT_FALSE(std::getline(lines, extra)) << "unexpected: " << extra;
}

TEST(RunCaptured, WorkingDirectoryThatIsAFileIsAStartFailureNamingBoth) {
  TempDir dir;
  const auto file = dir.path() / "plain-file";
  std::ofstream(file) << "not a directory\n";
  auto spec = ProcessSpec{{"/bin/sh", "-c", "echo should not run"}};
  spec.working_directory = file;
  const auto run = run_captured(spec);
  EXPECT_EQ(run.exit.kind, Kind::start_failed);
  EXPECT_NE(run.exit.error.find("/bin/sh"), std::string::npos) << run.exit.error;
  EXPECT_NE(run.exit.error.find(file.string()), std::string::npos) << run.exit.error;
  EXPECT_NE(run.exit.error.find(std::strerror(ENOTDIR)), std::string::npos) << run.exit.error;
  EXPECT_LT(run.exit.cpu_seconds, 0);
  EXPECT_EQ(run.output, "");
}

// Spins until its own user + system CPU time (fields 14 and 15 of /proc/<pid>/stat, in clock
// ticks) reaches 0.3 s, however busy the machine; the loop uses shell builtins only.
const std::string spin_for_cpu_script =
    "limit=$(( $(getconf CLK_TCK) * 3 / 10 )); "
    "while read -r s < /proc/$$/stat; set -- $s; [ $(( ${14} + ${15} )) -lt $limit ]; do :; done";

TEST(RunCaptured, ReportsTheCpuTimeOfABusyProcess) {
  auto spec = shell(spin_for_cpu_script);
  spec.timeout = 60s;
  const auto run = run_captured(spec);
  ASSERT_EQ(run.exit.kind, Kind::exited) << run.output;
  EXPECT_GE(run.exit.cpu_seconds, 0.2);
}

TEST(RunCaptured, CpuTimeIncludesTheDescendantsTheProcessWaitedFor) {
  auto spec = shell("sh -c '" + spin_for_cpu_script + "'; echo done");
  spec.timeout = 60s;
  const auto run = run_captured(spec);
  ASSERT_EQ(run.exit.kind, Kind::exited) << run.output;
  EXPECT_EQ(run.output, "done\n");
  EXPECT_GE(run.exit.cpu_seconds, 0.2);
}

TEST(RunCaptured, SleepingProcessUsesAlmostNoCpuTime) {
  const auto run = run_captured(ProcessSpec{{"sleep", "0.3"}});
  ASSERT_EQ(run.exit.kind, Kind::exited) << run.output;
  EXPECT_GE(run.exit.cpu_seconds, 0.0);
  EXPECT_LT(run.exit.cpu_seconds, 0.1);
  EXPECT_GE(run.exit.elapsed, std::chrono::nanoseconds(250ms));
}

TEST(ProcessSet, TellsTheCpuTimeOfARunningProcessAndNothingOnceItEnded) {
  boost::asio::io_context io;
  ProcessSet set(io);
  // Spins for 0.3 s of CPU, says so, then sleeps: measured while it still runs.
  auto spec = shell(spin_for_cpu_script + "; echo spun; sleep 2");
  spec.timeout = 60s;
  double while_running = -1;
  bool ended = false;
  ProcessId id = 0;
  id = set.start(
      spec,
      [&](std::string_view chunk) {
        if (chunk.find("spun") != std::string_view::npos) {
          while_running = set.cpu_seconds(id);
          set.cancel(id);
        }
      },
      [&](const ProcessExit&) { ended = true; });
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!ended && std::chrono::steady_clock::now() < deadline) io.run_for(100ms);
  ASSERT_TRUE(ended);
  EXPECT_GE(while_running, 0.2);
  EXPECT_LT(set.cpu_seconds(id), 0);   // ended
  EXPECT_LT(set.cpu_seconds(999), 0);  // never started
}

// Runs `io` until every process of `set` has been reported, failing after a generous bound.
void run_until_idle(boost::asio::io_context& io, const ProcessSet& set) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (set.running() > 0 && std::chrono::steady_clock::now() < deadline) {
    io.run_for(100ms);
  }
  EXPECT_EQ(set.running(), 0u);
}

TEST(ProcessSet, CallsOnExitExactlyOnceAfterTheLastOutput) {
  boost::asio::io_context io;
  ProcessSet set(io);
  std::size_t bytes = 0;
  int exits = 0;
  bool output_after_exit = false;
  set.start(
      shell("head -c 1000000 /dev/zero; echo tail >&2"),
      [&](std::string_view chunk) {
        if (exits > 0) output_after_exit = true;
        bytes += chunk.size();
      },
      [&](const ProcessExit& exit) {
        ++exits;
        EXPECT_EQ(exit.kind, Kind::exited);
        EXPECT_GT(exit.elapsed.count(), 0);
      });
  EXPECT_EQ(set.running(), 1u);
  run_until_idle(io, set);
  io.restart();
  io.run_for(200ms);  // anything late would show up now
  EXPECT_EQ(exits, 1);
  EXPECT_FALSE(output_after_exit);
  EXPECT_EQ(bytes, 1000000u + 5u);
}

TEST(ProcessSet, TellsTheEndOnceBeforeTheExitAndStillDeliversAllOutput) {
  boost::asio::io_context io;
  ProcessSet set(io);
  std::size_t bytes = 0;
  int ends = 0;
  int exits_before_end = 0;
  int exits = 0;
  set.start(
      shell("head -c 1000000 /dev/zero; echo tail"),
      [&](std::string_view chunk) { bytes += chunk.size(); },
      [&](const ProcessExit& exit) {
        ++exits;
        EXPECT_EQ(exit.kind, Kind::exited);
      },
      [&] {
        ++ends;
        exits_before_end += exits;
      });
  run_until_idle(io, set);
  EXPECT_EQ(ends, 1);
  EXPECT_EQ(exits, 1);
  EXPECT_EQ(exits_before_end, 0);
  EXPECT_EQ(bytes, 1000000u + 5u);
}

TEST(ProcessSet, NeverTellsTheEndOfAProcessThatDidNotStart) {
  boost::asio::io_context io;
  ProcessSet set(io);
  int ends = 0;
  int exits = 0;
  set.start(
      ProcessSpec{{"/nonexistent-fanout-binary"}}, [](std::string_view) {},
      [&](const ProcessExit&) { ++exits; }, [&] { ++ends; });
  run_until_idle(io, set);
  EXPECT_EQ(exits, 1);
  EXPECT_EQ(ends, 0);
}

TEST(ProcessSet, OutputArrivesWhileTheProcessStillRuns) {
  boost::asio::io_context io;
  ProcessSet set(io);
  std::string seen;
  std::optional<Kind> kind;
  ProcessId id = 0;
  id = set.start(
      shell("echo started; sleep 30"),
      [&](std::string_view chunk) {
        if (seen.empty()) set.cancel(id);  // only possible before the exit
        seen += chunk;
      },
      [&](const ProcessExit& exit) { kind = exit.kind; });
  run_until_idle(io, set);
  EXPECT_EQ(seen, "started\n");
  EXPECT_EQ(kind, Kind::cancelled) << "the output came only with the end of the process";
}

TEST(ProcessSet, ReportsStartFailureAsynchronously) {
  boost::asio::io_context io;
  ProcessSet set(io);
  int exits = 0;
  ProcessExit reported;
  set.start(
      ProcessSpec{{"/nonexistent-fanout-binary"}}, [](std::string_view) {},
      [&](const ProcessExit& exit) {
        ++exits;
        reported = exit;
      });
  EXPECT_EQ(exits, 0);
  EXPECT_EQ(set.running(), 1u);
  run_until_idle(io, set);
  EXPECT_EQ(exits, 1);
  EXPECT_EQ(reported.kind, Kind::start_failed);
  EXPECT_NE(reported.error.find("/nonexistent-fanout-binary"), std::string::npos);
  EXPECT_LT(reported.cpu_seconds, 0);  // unknown
}

TEST(ProcessSet, CancelKillsOneProcessAndReportsItCancelled) {
  boost::asio::io_context io;
  ProcessSet set(io);
  std::map<ProcessId, ProcessExit> exits;
  const auto slow = set.start(
      shell("sleep 30"), [](std::string_view) {}, [&](const ProcessExit& e) { exits[0] = e; });
  set.start(
      shell("exit 3"), [](std::string_view) {}, [&](const ProcessExit& e) { exits[1] = e; });
  set.cancel(slow);
  const auto begin = std::chrono::steady_clock::now();
  run_until_idle(io, set);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 10s);
  ASSERT_EQ(exits.size(), 2u);
  EXPECT_EQ(exits[0].kind, Kind::cancelled);
  EXPECT_EQ(exits[1].kind, Kind::exited);
  EXPECT_EQ(exits[1].exit_code, 3);
}

TEST(ProcessSet, CancelAllKillsEveryGroup) {
  TempDir dir;
  boost::asio::io_context io;
  ProcessSet set(io);
  std::vector<Kind> kinds;
  const auto pid_file = [&dir](int i) { return dir.path() / (std::to_string(i) + ".pid"); };
  for (int i = 0; i < 3; ++i) {
    set.start(
        shell("sleep 30 & echo $! > '" + pid_file(i).string() + "'; wait"), [](std::string_view) {},
        [&](const ProcessExit& e) { kinds.push_back(e.kind); });
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline &&
         !(read_pid(pid_file(0)) > 0 && read_pid(pid_file(1)) > 0 && read_pid(pid_file(2)) > 0)) {
    io.run_for(20ms);  // the scripts start their grandchildren
  }
  set.cancel_all();
  run_until_idle(io, set);
  EXPECT_EQ(kinds, std::vector<Kind>(3, Kind::cancelled));
  for (int i = 0; i < 3; ++i) {
    const pid_t grandchild = read_pid(pid_file(i));
    ASSERT_GT(grandchild, 0);
    EXPECT_TRUE(dies_within(grandchild, 5s));
  }
}

TEST(ProcessSet, FiftyConcurrentProcessesAreEachReportedOnce) {
  boost::asio::io_context io;
  ProcessSet set(io);
  constexpr int count = 50;
  std::vector<std::string> outputs(count);
  std::vector<int> exits(count, 0);
  std::vector<int> codes(count, -1);
  for (int i = 0; i < count; ++i) {
    set.start(
        shell("echo item-" + std::to_string(i) + "; exit " + std::to_string(i % 7)),
        [&outputs, i](std::string_view chunk) { outputs[i] += chunk; },
        [&exits, &codes, i](const ProcessExit& e) {
          ++exits[i];
          codes[i] = e.exit_code;
        });
  }
  EXPECT_EQ(set.running(), static_cast<std::size_t>(count));
  run_until_idle(io, set);
  for (int i = 0; i < count; ++i) {
    EXPECT_EQ(exits[i], 1) << i;
    EXPECT_EQ(codes[i], i % 7) << i;
    EXPECT_EQ(outputs[i], "item-" + std::to_string(i) + "\n") << i;
  }
}

TEST(ProcessSet, DestructorKillsRunningProcessGroupsWithoutCallingBack) {
  TempDir dir;
  const auto pid_file = dir.path() / "grandchild.pid";
  boost::asio::io_context io;
  int exits = 0;
  {
    ProcessSet set(io);
    set.start(
        shell("sleep 30 & echo $! > '" + pid_file.string() + "'; wait"), [](std::string_view) {},
        [&](const ProcessExit&) { ++exits; });
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (read_pid(pid_file) <= 0 && std::chrono::steady_clock::now() < deadline) {
      io.run_for(20ms);
    }
  }
  io.restart();
  io.run_for(100ms);
  EXPECT_EQ(exits, 0);
  const pid_t grandchild = read_pid(pid_file);
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(dies_within(grandchild, 5s));
}

TEST(ProcessSet, SetMayBeDestroyedFromOnExit) {
  boost::asio::io_context io;
  auto set = std::make_unique<ProcessSet>(io);
  int exits = 0;
  set->start(
      shell("exit 0"), [](std::string_view) {},
      [&](const ProcessExit&) {
        ++exits;
        set.reset();
      });
  set->start(
      shell("sleep 30"), [](std::string_view) {}, [&](const ProcessExit&) { ++exits; });
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (set && std::chrono::steady_clock::now() < deadline) io.run_for(100ms);
  EXPECT_EQ(set, nullptr);
  io.restart();
  io.run_for(100ms);
  EXPECT_EQ(exits, 1);
}

TEST(ProcessSet, KillAllProcessGroupsReachesEverySet) {
  boost::asio::io_context io;
  ProcessSet set(io);
  ProcessExit reported;
  set.start(
      shell("sleep 30"), [](std::string_view) {}, [&](const ProcessExit& e) { reported = e; });
  kill_all_process_groups();
  run_until_idle(io, set);
  EXPECT_EQ(reported.kind, Kind::signaled);
  EXPECT_EQ(reported.signal, SIGKILL);
}

TEST(ProcessSet, TimedOutProcessReportsTimeoutNotSignal) {
  boost::asio::io_context io;
  ProcessSet set(io);
  ProcessExit reported;
  std::string output;
  auto spec = shell("echo before; sleep 30; echo after");
  spec.timeout = 1s;
  set.start(
      spec, [&](std::string_view chunk) { output += chunk; },
      [&](const ProcessExit& e) { reported = e; });
  run_until_idle(io, set);
  EXPECT_EQ(reported.kind, Kind::timed_out);
  EXPECT_EQ(output, "before\n");
  EXPECT_GE(reported.elapsed, std::chrono::nanoseconds(1s));
}

TEST(RunCaptured, UsableFromSeveralThreadsAtOnce) {
  std::vector<CapturedRun> runs(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    threads.emplace_back(
        [&runs, i] { runs[i] = run_captured(shell("echo " + std::to_string(i))); });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].exit.kind, Kind::exited);
    EXPECT_EQ(runs[i].output, std::to_string(i) + "\n");
  }
}

}  // namespace
}  // namespace fanout::transport

namespace fanout::transport {
namespace {

// Processes that print more than a pipe holds, started one after the other as workers do:
// every exit must be reaped without blocking the loop that drains the others' pipes.
TEST(ProcessSet, ChainsOfProcessesPrintingMoreThanAPipeHoldsAllFinish) {
  boost::asio::io_context io;
  ProcessSet set(io);
  constexpr int chains = 2;
  constexpr int per_chain = 60;
  int finished = 0;
  std::size_t bytes = 0;
  std::function<void(int)> start_next = [&](int left) {
    if (left == 0) return;
    set.start(
        shell("head -c 200000 /dev/zero"), [&](std::string_view chunk) { bytes += chunk.size(); },
        [&, left](const ProcessExit& e) {
          EXPECT_EQ(e.kind, ProcessExit::Kind::exited);
          ++finished;
          start_next(left - 1);
        });
  };
  for (int i = 0; i < chains; ++i) start_next(per_chain);
  const auto started = std::chrono::steady_clock::now();
  run_until_idle(io, set);
  EXPECT_EQ(finished, chains * per_chain);
  EXPECT_EQ(bytes, static_cast<std::size_t>(chains * per_chain) * 200000u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
}

}  // namespace
}  // namespace fanout::transport
