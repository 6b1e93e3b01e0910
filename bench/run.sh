#!/usr/bin/env bash
# Fanout benchmark: builds synthetic GoogleTest suites and times, interleaved and side by side,
# `ctest -j N` (tests registered with gtest_discover_tests), `fanout -j N` (cold: no history;
# warm: with history) and the floor each suite cannot beat. Prints medians and ratios.
#
#   bench/run.sh [--quick] [--fanout PATH] [-j N] [--runs R] [--work DIR] [--timeout S]
#
#   --quick        small suites and one run each: a smoke test (about 20 s on 2 cores; pass
#                  --fanout to skip building fanout)
#   --fanout PATH  the fanout binary to measure (default: build this tree, Release, into
#                  WORK/fanout-build)
#   -j N           workers for ctest, fanout and the floor (default: nproc)
#   --runs R       timed rounds; the median is reported (default 3, quick 1). In a round every
#                  contender runs once, except that on the tiny suite, where one run takes
#                  milliseconds and a ctest run seconds, fanout and the floor run 9 times in a row
#                  (the median of many samples, not of 3 taken between long ctest runs)
#   --work DIR     where projects are generated and built (default /tmp/fanout-bench)
#   --timeout S    a timed command still running after S seconds counts as hung and is killed
#                  (default 600)
#
# Suites (full size; --quick shrinks each):
#   tiny   3 binaries x 1,000 trivial TESTs: process start-up dominates. Floor: every binary run
#          once whole, N at a time (what per-item reporting cannot beat).
#   mixed  2 binaries: 4 tests busy-spinning 1-2 s among 300 of 5 ms. Floor:
#          max(longest test, sum of test times / N), from the known durations.
#   scale  4 binaries that print a 25,000-test GoogleTest listing each (100,000 items) and
#          report the tests --gtest_filter names (exactly, or a whole suite as S.*) as passed. Timed with /usr/bin/time -v:
#          `fanout --list`, a run whose -R matches nothing, and a run of all 100,000 items.
#
# Each suite is one CMake project built once: its test binaries are defined, and registered with
# gtest_discover_tests(), in the subdirectory suite/, so `ctest --test-dir BUILD/suite` runs
# exactly the discovered per-case tests; the top directory registers the same binaries with
# add_distributed_tests(), so `fanout --test-dir BUILD` runs the same cases from its manifest.
# Benchmarks are not tests: nothing here asserts a time. Exit status is non-zero only when
# something could not be built, or a run failed its tests or hung.
set -euo pipefail
export LC_ALL=C # a decimal point in $EPOCHREALTIME and in awk's numbers

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=/tmp/fanout-bench
fanout=""
jobs=$(nproc)
runs=""
quick=0
limit=600

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --fanout) fanout=$2; shift ;;
    --fanout=*) fanout=${1#*=} ;;
    -j) jobs=$2; shift ;;
    -j*) jobs=${1#-j} ;;
    --runs) runs=$2; shift ;;
    --work) work=$2; shift ;;
    --timeout) limit=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$1' (see --help)" >&2; exit 4 ;;
  esac
  shift
done
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: -j needs a positive number" >&2; exit 4; }
[[ "$limit" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: --timeout needs a number of seconds" >&2; exit 4; }

# Sizes of the suites.
if [[ $quick == 1 ]]; then
  : "${runs:=1}"
  tiny_samples=1
  tiny_binaries=3 tiny_files=1 tiny_suites_per_file=1 # 3 x 100 tests
  mixed_long_ms=(400 300 250 200) mixed_short=60 mixed_short_ms=5
  scale_binaries=2 scale_items=5000
else
  : "${runs:=3}"
  tiny_samples=9
  tiny_binaries=3 tiny_files=5 tiny_suites_per_file=2 # 3 x 1,000 tests
  mixed_long_ms=(2000 1600 1300 1000) mixed_short=300 mixed_short_ms=5
  scale_binaries=4 scale_items=25000
fi
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: --runs needs a positive number" >&2; exit 4; }

timer=/usr/bin/time
if [[ ! -x $timer ]]; then
  echo "bench/run.sh: $timer is missing (Debian: apt-get install -y time)" >&2
  exit 4
fi
for tool in cmake ninja ctest xargs awk; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool not found" >&2; exit 4; }
done

mkdir -p "$work"
work=$(cd "$work" && pwd)
logs=$work/logs
times=$work/times
rm -rf "$logs" "$times"
mkdir -p "$logs" "$times"

note() { printf '== %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# fanout itself

if [[ -z "$fanout" ]]; then
  note "building fanout (Release) in $work/fanout-build"
  cmake -S "$repo" -B "$work/fanout-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DFANOUT_BUILD_TESTS=OFF >"$logs/fanout-configure.log" 2>&1 ||
    { echo "bench/run.sh: configuring fanout failed, see $logs/fanout-configure.log" >&2; exit 1; }
  cmake --build "$work/fanout-build" --target fanout -j "$jobs" >"$logs/fanout-build.log" 2>&1 ||
    { echo "bench/run.sh: building fanout failed, see $logs/fanout-build.log" >&2; exit 1; }
  fanout=$work/fanout-build/fanout
fi
[[ -f "$fanout" && -x "$fanout" ]] || { echo "bench/run.sh: '$fanout' is not executable" >&2; exit 4; }
fanout=$(cd "$(dirname "$fanout")" && pwd)/$(basename "$fanout")

# ---------------------------------------------------------------------------------------------
# Generated projects

# Writes the top CMakeLists.txt of a suite: the binaries come from suite/, the top directory
# registers each of them (the remaining arguments) with Fanout.
write_top_cmake() {
  local dir=$1 name=$2
  shift 2
  {
    echo "# Generated by bench/run.sh."
    echo "cmake_minimum_required(VERSION 3.20)"
    echo "project(bench_$name LANGUAGES CXX)"
    echo "list(APPEND CMAKE_MODULE_PATH \"$repo/cmake/Modules\")"
    echo "include(FanoutTests)"
    echo "enable_testing()"
    echo "# The binaries, registered for ctest with gtest_discover_tests (ctest --test-dir BUILD/suite)."
    echo "add_subdirectory(suite)"
    echo "# The same binaries for fanout (fanout --test-dir BUILD)."
    local target
    for target in "$@"; do
      echo "add_distributed_tests($target FRAMEWORK gtest)"
    done
  } >"$dir/CMakeLists.txt"
}

# A GoogleTest environment that, when BENCH_EXEC_LOG names a file, appends one line per test
# process: "<pid> <tests it ran> <start> <end>" (wall clock, microseconds, from before the first
# test to after the last). Only the diagnostic runs set it, never the timed ones.
write_probe() {
  cat >"$1/probe.cpp" <<'EOF'
// Generated by bench/run.sh: when BENCH_EXEC_LOG is set, records each test process.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {
long long now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

class ExecProbe : public ::testing::Environment {
 public:
  void SetUp() override { start_ = now_us(); }
  void TearDown() override {
    const char* path = std::getenv("BENCH_EXEC_LOG");
    if (path == nullptr || *path == '\0') return;
    char line[128];
    const int n = std::snprintf(line, sizeof line, "%d %d %lld %lld\n", static_cast<int>(getpid()),
                                ::testing::UnitTest::GetInstance()->test_to_run_count(), start_,
                                now_us());
    const int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0) return;
    if (write(fd, line, static_cast<size_t>(n)) != n) std::perror("BENCH_EXEC_LOG");
    close(fd);
  }

 private:
  long long start_ = 0;
};
[[maybe_unused]] ::testing::Environment* const probe =
    ::testing::AddGlobalTestEnvironment(new ExecProbe);
}  // namespace
EOF
}

# tiny: trivial tests written with nested macros, so that 200 tests are a few lines to compile.
generate_tiny() {
  local dir=$1 b f s targets=()
  mkdir -p "$dir/suite"
  write_probe "$dir/suite"
  cat >"$dir/suite/tiny.hpp" <<'EOF'
// Generated by bench/run.sh: TINY_HUNDRED(S, C) defines the trivial tests S.C00 ... S.C99.
#pragma once
#include <gtest/gtest.h>
#define TINY_TEST(suite, name) \
  TEST(suite, name) { EXPECT_EQ(sizeof(#name) % 3, sizeof(#name) % 3); }
#define TINY_TEN(s, p)                                                        \
  TINY_TEST(s, p##0) TINY_TEST(s, p##1) TINY_TEST(s, p##2) TINY_TEST(s, p##3) \
  TINY_TEST(s, p##4) TINY_TEST(s, p##5) TINY_TEST(s, p##6) TINY_TEST(s, p##7) \
  TINY_TEST(s, p##8) TINY_TEST(s, p##9)
#define TINY_HUNDRED(s, p)                                                \
  TINY_TEN(s, p##0) TINY_TEN(s, p##1) TINY_TEN(s, p##2) TINY_TEN(s, p##3) \
  TINY_TEN(s, p##4) TINY_TEN(s, p##5) TINY_TEN(s, p##6) TINY_TEN(s, p##7) \
  TINY_TEN(s, p##8) TINY_TEN(s, p##9)
EOF
  {
    echo "# Generated by bench/run.sh."
    echo "find_package(GTest REQUIRED)"
    echo "include(GoogleTest)"
  } >"$dir/suite/CMakeLists.txt"
  for ((b = 1; b <= tiny_binaries; b++)); do
    local sources=(probe.cpp)
    for ((f = 1; f <= tiny_files; f++)); do
      {
        echo "// Generated by bench/run.sh."
        echo "#include \"tiny.hpp\""
        for ((s = 1; s <= tiny_suites_per_file; s++)); do
          echo "TINY_HUNDRED(Tiny${b}_${f}_${s}, Case)"
        done
      } >"$dir/suite/tiny${b}_${f}.cpp"
      sources+=("tiny${b}_${f}.cpp")
    done
    {
      echo "add_executable(tiny$b ${sources[*]})"
      echo "target_link_libraries(tiny$b PRIVATE GTest::gtest_main)"
      echo "target_compile_options(tiny$b PRIVATE -O0)"
      echo "gtest_discover_tests(tiny$b DISCOVERY_TIMEOUT 60)"
    } >>"$dir/suite/CMakeLists.txt"
    targets+=("tiny$b")
  done
  write_top_cmake "$dir" tiny "${targets[@]}"
}

# mixed: long tests and short ones, all busy-spinning on the wall clock (so they use a core like
# real tests do, and last a known time).
generate_mixed() {
  local dir=$1 i part
  mkdir -p "$dir/suite"
  write_probe "$dir/suite"
  cat >"$dir/suite/spin.hpp" <<'EOF'
// Generated by bench/run.sh: keeps a core busy for a given wall time.
#pragma once
#include <gtest/gtest.h>

#include <chrono>
inline unsigned long spin_ms(int ms) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  unsigned long turns = 0;
  while (std::chrono::steady_clock::now() < end) ++turns;
  return turns;
}
#define SPIN_TEST(suite, name, ms) \
  TEST(suite, name) { EXPECT_GT(spin_ms(ms), 0UL); }
EOF
  local half=$((mixed_short / 2)) count=${#mixed_long_ms[@]}
  for part in a b; do
    {
      echo "// Generated by bench/run.sh."
      echo "#include \"spin.hpp\""
      # Long tests alternate between the two binaries: a gets the 1st and 3rd, b the others.
      for ((i = 0; i < count; i++)); do
        if [[ ($part == a && $((i % 2)) == 0) || ($part == b && $((i % 2)) == 1) ]]; then
          echo "SPIN_TEST(Long_$part, Spin${mixed_long_ms[i]}ms, ${mixed_long_ms[i]})"
        fi
      done
      for ((i = 0; i < half; i++)); do
        echo "SPIN_TEST(Short_$part, Case$i, $mixed_short_ms)"
      done
    } >"$dir/suite/mixed_$part.cpp"
  done
  cat >"$dir/suite/CMakeLists.txt" <<'EOF'
# Generated by bench/run.sh.
find_package(GTest REQUIRED)
include(GoogleTest)
foreach(part a b)
  add_executable(mixed_${part} mixed_${part}.cpp probe.cpp)
  target_link_libraries(mixed_${part} PRIVATE GTest::gtest_main)
  gtest_discover_tests(mixed_${part} DISCOVERY_TIMEOUT 60)
endforeach()
EOF
  write_top_cmake "$dir" mixed mixed_a mixed_b
}

# scale: binaries that list many tests without compiling them (only fanout runs these).
generate_scale() {
  local dir=$1 b targets=()
  mkdir -p "$dir/suite"
  cat >"$dir/suite/lister.cpp" <<'EOF'
// Generated by bench/run.sh: a stand-in for a GoogleTest binary with BENCH_ITEMS tests.
// --gtest_list_tests prints the listing (100 tests per suite); --gtest_filter=A.b:C.d runs
// those names, and a pattern S.* every test of suite S, reporting each as passed in
// GoogleTest's format; nothing else runs.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  const char* prefix = BENCH_PREFIX;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--gtest_list_tests") == 0) {
      for (int t = 0; t < BENCH_ITEMS; ++t) {
        if (t % 100 == 0) std::printf("%s%04d.\n", prefix, t / 100);
        std::printf("  Case%02d\n", t % 100);
      }
      return 0;
    }
  }
  std::vector<std::string> names;
  const char* flag = "--gtest_filter=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], flag, std::strlen(flag)) != 0) continue;
    const std::string list = argv[i] + std::strlen(flag);
    for (std::size_t start = 0; start <= list.size();) {
      std::size_t end = list.find(':', start);
      if (end == std::string::npos) end = list.size();
      const std::string name = list.substr(start, end - start);
      start = end + 1;
      if (name.empty()) continue;
      if (name.size() < 2 || name.compare(name.size() - 2, 2, ".*") != 0) {
        names.push_back(name);
        continue;
      }
      const std::string suite = name.substr(0, name.size() - 2);
      if (suite.rfind(prefix, 0) != 0) continue;
      const int number = std::atoi(suite.c_str() + std::strlen(prefix));
      for (int t = number * 100; t < (number + 1) * 100 && t < BENCH_ITEMS; ++t) {
        char listed[96];
        std::snprintf(listed, sizeof listed, "%s.Case%02d", suite.c_str(), t % 100);
        names.push_back(listed);
      }
    }
  }
  std::printf("[==========] Running %zu tests.\n", names.size());
  for (const auto& name : names) {
    std::printf("[ RUN      ] %s\n[       OK ] %s (0 ms)\n", name.c_str(), name.c_str());
  }
  std::printf("[==========] %zu tests ran. (0 ms total)\n[  PASSED  ] %zu tests.\n",
              names.size(), names.size());
  return 0;
}
EOF
  echo "# Generated by bench/run.sh." >"$dir/suite/CMakeLists.txt"
  for ((b = 1; b <= scale_binaries; b++)); do
    cat >>"$dir/suite/CMakeLists.txt" <<EOF
add_executable(scale$b lister.cpp)
target_compile_definitions(scale$b PRIVATE BENCH_ITEMS=$scale_items BENCH_PREFIX="Scale${b}_")
EOF
    targets+=("scale$b")
  done
  write_top_cmake "$dir" scale "${targets[@]}"
}

# Generates the suite's sources (kept when unchanged, so a second run does not rebuild),
# configures and builds it.
prepare_suite() {
  local name=$1 src=$work/$1/src build=$work/$1/build fresh=$work/$1/src.new
  rm -rf "$fresh"
  mkdir -p "$fresh"
  "generate_$name" "$fresh"
  if [[ -d "$src" ]] && diff -r "$src" "$fresh" >/dev/null 2>&1; then
    rm -rf "$fresh"
  else
    rm -rf "$src" "$build"
    mv "$fresh" "$src"
  fi
  note "building suite '$name' in $build"
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE= >"$logs/$name-configure.log" 2>&1 ||
    { echo "bench/run.sh: configuring $name failed, see $logs/$name-configure.log" >&2; exit 1; }
  cmake --build "$build" -j "$jobs" >"$logs/$name-build.log" 2>&1 ||
    { echo "bench/run.sh: building $name failed, see $logs/$name-build.log" >&2; exit 1; }
}

# ---------------------------------------------------------------------------------------------
# Timing

# A run that fails or hangs is reported, and its time kept, but it makes the script fail.
failures=0

fail() {
  echo "bench/run.sh: $*" >&2
  echo "$*" >>"$work/failures.txt"
  failures=$((failures + 1))
}

# Kills this script's other direct children (the command being timed) after $1 seconds. It
# sleeps beside the timed command; starting it (a fork, and an exec of sleep) takes a core for a
# millisecond or two, so the caller waits that out before its clock starts: on 2 cores it
# otherwise slowed the first milliseconds of runs that take only ~15 ms.
start_watchdog() {
  local parent=$$
  (
    sleep "$1"
    touch "$work/hung"
    for pid in $(pgrep -P "$parent"); do
      if [[ $pid != "$BASHPID" ]]; then kill -KILL "$pid"; fi
    done
  ) >/dev/null 2>&1 &
  watchdog=$!
  sleep 0.02
}
stop_watchdog() {
  local pid
  for pid in $(pgrep -P "$watchdog"); do kill "$pid" 2>/dev/null || true; done
  kill "$watchdog" 2>/dev/null || true
  wait "$watchdog" 2>/dev/null || true
}

# Runs the remaining arguments with output to $logs/<key>.<run>.log and appends the wall time in
# seconds to $times/<key>. The clock is bash's own, read without starting a process.
timed() {
  local key=$1 run=$2
  shift 2
  local log=$logs/$key.$run.log start end status=0
  rm -f "$work/hung"
  start_watchdog "$limit"
  start=$EPOCHREALTIME
  "$@" >"$log" 2>&1 || status=$?
  end=$EPOCHREALTIME
  stop_watchdog
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f\n", b - a }' >>"$times/$key"
  if [[ -e $work/hung ]]; then
    fail "$key, run $run: hung, killed after $limit s (see $log)"
  elif [[ $status != 0 ]]; then
    fail "$key, run $run: exited with $status (see $log)"
  fi
}

# The median of numbers, one a line, on stdin; median FILE: of the numbers in FILE.
median_of_stdin() {
  sort -g | awk '{ v[NR] = $1 }
    END { if (NR == 0) print 0; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
median() { median_of_stdin <"$1"; }

run_fanout() { "$fanout" --test-dir "$1" -j "$jobs" "${@:2}"; }
run_ctest() { ctest --test-dir "$1/suite" -j "$jobs"; }
# Every binary (the arguments after the build dir) run once whole, N at a time: binary i goes to
# slot i mod N, each slot runs its binaries one after another. (Like xargs -P, without the extra
# exec per binary that xargs needs to run its input as commands; the binaries are alike.)
run_whole() {
  local binaries=("${@:2}") slot i pids=() status=0
  for ((slot = 0; slot < jobs && slot < ${#binaries[@]}; slot++)); do
    (
      for ((i = slot; i < ${#binaries[@]}; i += jobs)); do "${binaries[i]}" >/dev/null || exit 1; done
    ) &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || status=$?; done
  return $status
}

# fanout without history or listing cache: both are moved aside for the run, then put back.
run_fanout_cold() {
  local state=$1/.fanout aside=$work/aside status=0
  rm -rf "$aside"
  mkdir -p "$aside"
  if [[ -e $state/history.json ]]; then mv "$state/history.json" "$aside/"; fi
  if [[ -e $state/cache ]]; then mv "$state/cache" "$aside/"; fi
  run_fanout "$@" || status=$?
  rm -rf "$state/history.json" "$state/cache"
  if [[ -e $aside/history.json ]]; then mv "$aside/history.json" "$state/"; fi
  if [[ -e $aside/cache ]]; then mv "$aside/cache" "$state/"; fi
  return $status
}

# Times the contenders of a suite, interleaved: every round runs each of them once, starting
# with a different one each round.
time_suite() {
  local name=$1 build=$work/$1/build binaries=()
  mapfile -t binaries < <(find "$build/suite" -maxdepth 1 -type f -executable | sort)
  local contenders=(ctest fanout_cold fanout_warm whole)
  if [[ $name == tiny ]]; then contenders+=(fanout_warm_junit); fi
  # Untimed first runs: history for the warm runs, ctest's cost data, a warm page cache.
  run_fanout "$build" >"$logs/$name.prime-fanout.log" 2>&1 || true
  run_ctest "$build" >"$logs/$name.prime-ctest.log" 2>&1 || true
  local round i c n=${#contenders[@]} samples=1 k
  if [[ $name == tiny ]]; then samples=$tiny_samples; fi
  for ((round = 1; round <= runs; round++)); do
    note "timing '$name', round $round of $runs"
    for ((i = 0; i < n; i++)); do
      c=${contenders[(i + round - 1) % n]}
      if [[ $c == ctest ]]; then
        timed "$name.ctest" "$round" run_ctest "$build"
        continue
      fi
      for ((k = 1; k <= samples; k++)); do
        case $c in
          fanout_cold) timed "$name.fanout_cold" "$round.$k" run_fanout_cold "$build" ;;
          fanout_warm) timed "$name.fanout_warm" "$round.$k" run_fanout "$build" ;;
          fanout_warm_junit)
            timed "$name.fanout_warm_junit" "$round.$k" run_fanout "$build" --junit "$work/$name/junit.xml" ;;
          whole) timed "$name.whole" "$round.$k" run_whole "$build" "${binaries[@]}" ;;
        esac
      done
    done
  done
}

# One cold and one warm fanout run with BENCH_EXEC_LOG set: how many processes ran how many
# tests, how long fanout took to start the first one, and how busy the test processes kept the
# slots (their summed wall time over jobs x fanout's wall time).
probe_batches() {
  local name=$1 build=$work/$1/build kind log summary start end
  for kind in cold warm; do
    log=$work/$name/exec-$kind.txt
    rm -f "$log"
    start=${EPOCHREALTIME/./}
    if [[ $kind == cold ]]; then
      BENCH_EXEC_LOG=$log run_fanout_cold "$build" >/dev/null 2>&1 || true
    else
      BENCH_EXEC_LOG=$log run_fanout "$build" >/dev/null 2>&1 || true
    fi
    end=${EPOCHREALTIME/./}
    touch "$log"
    summary=$(sort -k2,2n "$log" | awk -v t0="$start" -v t1="$end" -v j="$jobs" '
      { n[NR] = $2; total += $2; busy += $4 - $3; if (NR == 1 || $3 < first) first = $3 }
      END { if (NR == 0) { print "no processes recorded"; exit }
            printf "%d processes for %d tests (per process: min %d, median %d, max %d); " \
                   "first test after %.0f ms; slots busy %.0f%% of %.0f ms", NR, total, n[1],
                   n[int((NR + 1) / 2)], n[NR], (first - t0) / 1000, 100 * busy / (j * (t1 - t0)),
                   (t1 - t0) / 1000 }')
    echo "$name, $kind: $summary" >>"$work/batches.txt"
  done
}

# /usr/bin/time -v of one command, killed when it takes longer than $limit seconds (status 137):
# prints "<wall seconds> <max RSS in MB>" (the largest process of the tree, fanout here).
measure() {
  local log=$1 status=0
  shift
  "$timer" -v -o "$log.time" timeout -s KILL "$limit" "$@" >"$log" 2>&1 || status=$?
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
                                        for (i = 1; i <= n; i++) s = s * 60 + p[i]; wall = s }
              /Maximum resident set size/ { rss = $2 / 1024 }
              END { printf "%.3f %.1f\n", wall, rss }' "$log.time"
  return $status
}

scale_labels=(list_cold list_warm nomatch_cold nomatch_warm run_cold run_warm)

# The scale suite: --list, -R matching nothing, a full run. *_cold: without listing cache or
# history; *_warm: with what the run before left (run_warm follows run_cold).
# Appends "<label> <wall> <rss>" rows to $times/scale.
time_scale() {
  local build=$work/scale/build round label status row args
  for ((round = 1; round <= runs; round++)); do
    note "timing 'scale', round $round of $runs"
    for label in "${scale_labels[@]}"; do
      case $label in
        list_*) args=(--list) ;;
        nomatch_*) args=(-R '^no item has this name$') ;;
        *) args=() ;;
      esac
      if [[ $label == *_cold ]]; then rm -rf "$build/.fanout/cache" "$build/.fanout/history.json"; fi
      status=0
      row=$(measure "$logs/scale.$label.$round.log" "$fanout" --test-dir "$build" -j "$jobs" \
        "${args[@]}") || status=$?
      # A run whose -R selects nothing exits with 5 ("no tests collected"), as it should.
      if [[ $status == 137 ]]; then
        fail "scale $label, run $round: hung, killed after $limit s (see $logs/scale.$label.$round.log)"
      elif [[ $status != 0 && ! ($label == nomatch_* && $status == 5) ]]; then
        fail "scale $label, run $round: exited with $status (see $logs/scale.$label.$round.log)"
      fi
      echo "$label $row" >>"$times/scale"
    done
  done
}

# ---------------------------------------------------------------------------------------------
# Report

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
print_row() { printf '  %-38s %9s %11s %11s\n' "$@"; }

# report_suite NAME FLOOR FLOOR_LABEL DESCRIPTION [WHOLE_NOMINAL]: the optional last argument is
# what running each binary whole should take by the known test durations; the measured time
# above it tells how much the machine's load stretched this suite's runs.
report_suite() {
  local name=$1 floor=$2 key label m ctest_median
  ctest_median=$(median "$times/$name.ctest")
  echo
  local samples=""
  if [[ $name == tiny && $tiny_samples -gt 1 ]]; then
    samples=" (fanout and the floor: of $((runs * tiny_samples)), $tiny_samples a round)"
  fi
  echo "Suite '$name' ($4), -j $jobs, median of $runs$samples:"
  print_row "runner" "seconds" "ctest/this" "this/floor"
  for key in ctest fanout_cold fanout_warm fanout_warm_junit whole; do
    [[ -s $times/$name.$key ]] || continue
    case $key in
      ctest) label="ctest -j $jobs (gtest_discover_tests)" ;;
      fanout_cold) label="fanout -j $jobs, cold (no history)" ;;
      fanout_warm) label="fanout -j $jobs, warm (history)" ;;
      fanout_warm_junit) label="fanout -j $jobs, warm, --junit" ;;
      whole) label="each binary once whole, -P $jobs" ;;
    esac
    m=$(median "$times/$name.$key")
    print_row "$label" "$(printf '%.4f' "$m")" "$(ratio "$ctest_median" "$m")" "$(ratio "$m" "$floor")"
  done
  if [[ -n ${5:-} ]]; then
    print_row "(the same, by the test durations)" "$(printf '%.4f' "$5")" "$(ratio "$ctest_median" "$5")" \
      "$(ratio "$5" "$floor")"
  fi
  print_row "floor: $3" "$(printf '%.4f' "$floor")" "$(ratio "$ctest_median" "$floor")" "1.00"
}

report_scale() {
  local total=$((scale_binaries * scale_items)) label text wall rss
  echo
  echo "Suite 'scale' ($scale_binaries binaries, $total items), -j $jobs, median of $runs (/usr/bin/time -v):"
  printf '  %-48s %9s %11s\n' "fanout" "seconds" "max RSS MB"
  for label in "${scale_labels[@]}"; do
    case $label in
      list_cold) text="--list, cold (no listing cache)" ;;
      list_warm) text="--list, warm (listing cache)" ;;
      nomatch_cold) text="-R <matches nothing>, cold" ;;
      nomatch_warm) text="-R <matches nothing>, warm" ;;
      run_cold) text="run all $total items, cold" ;;
      run_warm) text="run all $total items, warm (cache, history)" ;;
    esac
    wall=$(awk -v l="$label" '$1 == l { print $2 }' "$times/scale" | median_of_stdin)
    rss=$(awk -v l="$label" '$1 == l { print $3 }' "$times/scale" | median_of_stdin)
    printf '  %-48s %9.3f %11.1f\n' "$text" "$wall" "$rss"
  done
}

# ---------------------------------------------------------------------------------------------

note "work dir $work; fanout $fanout; -j $jobs; $runs run(s) each"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for suite in tiny mixed scale; do prepare_suite "$suite"; done
rm -f "$work/batches.txt" "$work/failures.txt"
time_suite tiny
time_suite mixed
probe_batches tiny
probe_batches mixed
time_scale

# Floors. tiny: every binary run whole. mixed: from the known test durations.
tiny_floor=$(median "$times/tiny.whole")
# mixed_a holds the 1st and 3rd long tests, mixed_b the others, each half the short ones; run
# whole, binary i goes to slot i mod N.
mixed_whole=$(printf '%s\n' "${mixed_long_ms[@]}" |
  awk -v n="$mixed_short" -v ms="$mixed_short_ms" -v j="$jobs" '{ part[(NR - 1) % 2] += $1 }
    END { a = part[0] + int(n / 2) * ms; b = part[1] + int(n / 2) * ms
          w = (j >= 2) ? (a > b ? a : b) : a + b; printf "%.3f", w / 1000 }')
mixed_floor=$(printf '%s\n' "${mixed_long_ms[@]}" |
  awk -v n="$mixed_short" -v ms="$mixed_short_ms" -v j="$jobs" '{ sum += $1; if ($1 > max) max = $1 }
    END { sum += n * ms; f = sum / j; if (max > f) f = max; printf "%.3f", f / 1000 }')

{
  echo
  echo "Fanout benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) cores," \
    "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
    "load average at start: $load_before"
  echo "fanout: $fanout ($("$fanout" --version 2>/dev/null || echo 'version unknown')); $(ctest --version | head -1)"
  report_suite tiny "$tiny_floor" "each binary whole" \
    "$tiny_binaries binaries x $((tiny_files * tiny_suites_per_file * 100)) trivial tests"
  report_suite mixed "$mixed_floor" "max(longest, sum/$jobs)" \
    "${#mixed_long_ms[@]} tests of ${mixed_long_ms[*]} ms, $mixed_short of $mixed_short_ms ms" "$mixed_whole"
  report_scale
  echo
  echo "Test processes fanout started (a probe in the test binaries; separate, untimed runs):"
  sed 's/^/  /' "$work/batches.txt"
  if [[ -s $work/failures.txt ]]; then
    echo
    echo "FAILED runs (their times are in the medians above, and are not meaningful):"
    sed 's/^/  /' "$work/failures.txt"
  fi
  echo
  echo "ctest/this: how many times faster than ctest; this/floor: how far above the floor."
  echo "Logs of every run: $logs"
} | tee "$work/results.txt"

if [[ $failures != 0 ]]; then exit 1; fi
