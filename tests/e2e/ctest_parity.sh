#!/usr/bin/env bash
# Acceptance test of the ctest drop-in: on a subset of GoogleTest's own test suite (the sources
# Debian ships in /usr/src/googletest), fanout's verdict must agree with ctest's, test by test.
# A CTest test passes (or is skipped) for ctest iff every item fanout ran for it passed or was
# skipped, and fanout ran at least one.
#
# Usage: ctest_parity.sh FANOUT_BINARY [options]
#   --ctest-only     configure, build and run the ctest half only (no fanout needed)
#   --hard           also compare tests whose own main() defeats splitting into items
#                    (gtest_environment_test, gtest_no_test_unittest: they abort or fail when
#                    asked to list their tests, yet ctest passes them)
#   --work-dir DIR   build in DIR and keep it (re-runs reuse the build); default: a temporary
#                    directory, removed when the comparison agrees
#   --keep           keep the temporary directory
# Environment: GOOGLETEST_SOURCE_DIR (default /usr/src/googletest), CMAKE, CTEST (default from
# PATH), PARITY_JOBS (default 2).
# Exit status: 0 agreement, 1 disagreement, 2 could not compare (missing tools, build failure,
# no report).
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

fanout=""
ctest_only=0
hard=0
work_dir=""
keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ctest-only) ctest_only=1 ;;
    --hard) hard=1 ;;
    --work-dir) [[ $# -ge 2 ]] || usage; work_dir="$2"; shift ;;
    --keep) keep=1 ;;
    -h | --help) usage ;;
    -*) echo "ctest_parity: unknown option $1" >&2; usage ;;
    *) [[ -z "$fanout" ]] || usage; fanout="$1" ;;
  esac
  shift
done

source_dir="${GOOGLETEST_SOURCE_DIR:-/usr/src/googletest}"
cmake="${CMAKE:-cmake}"
ctest="${CTEST:-ctest}"
jobs="${PARITY_JOBS:-2}"

fail_setup() {
  echo "ctest_parity: $*" >&2
  exit 2
}
[[ $ctest_only -eq 1 || -n "$fanout" ]] || usage
if [[ $ctest_only -eq 0 ]]; then
  [[ -x "$fanout" ]] || fail_setup "fanout binary '$fanout' is not executable"
  fanout="$(cd "$(dirname "$fanout")" && pwd)/$(basename "$fanout")"
fi
[[ -f "$source_dir/CMakeLists.txt" ]] ||
  fail_setup "no GoogleTest sources in '$source_dir' (apt-get install googletest, or set GOOGLETEST_SOURCE_DIR)"
for tool in "$cmake" "$ctest" ninja python3; do
  command -v "$tool" > /dev/null || fail_setup "'$tool' not found on PATH"
done

# The subset: small binaries that build in about two minutes on two cores, and cover passing,
# skipped (in the test and in a global environment), typed and value-parameterized tests, death
# tests, and a Python-driven test that ctest runs whole.
build_targets=(gtest_skip_test gtest_skip_in_environment_setup_test gtest-typed-test_test
  googletest-param-test-test gtest_prod_test googletest-message-test
  gtest-death-test_ex_catch_test gtest_premature_exit_test)
optional_tests=(gtest_skip_check_output_test) # registered only when CMake found Python
if [[ $hard -eq 1 ]]; then
  build_targets+=(gtest_environment_test gtest_no_test_unittest)
fi

if [[ -z "$work_dir" ]]; then
  work_dir="$(mktemp -d "${TMPDIR:-/tmp}/fanout-ctest-parity-XXXXXX")"
  temporary=1
else
  mkdir -p "$work_dir"
  work_dir="$(cd "$work_dir" && pwd)"
  temporary=0
fi
build_dir="$work_dir/build"
echo "ctest_parity: working in $work_dir"

"$cmake" -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -Dgtest_build_tests=ON > "$work_dir/configure.log" 2>&1 ||
  fail_setup "configuring GoogleTest failed; see $work_dir/configure.log"
"$cmake" --build "$build_dir" -j "$jobs" --target "${build_targets[@]}" > "$work_dir/build.log" 2>&1 ||
  fail_setup "building the test binaries failed; see $work_dir/build.log"

# The tests to compare: the built ones, plus the optional ones this configuration registered.
declare -A registered=()
while read -r name; do
  registered["$name"]=1
done < <("$ctest" --test-dir "$build_dir" -N 2> /dev/null |
  sed -n 's/^ *Test *#[0-9]*: \([^ ]*\).*$/\1/p')
tests=()
for name in "${build_targets[@]}"; do
  [[ -n "${registered[$name]:-}" ]] ||
    fail_setup "ctest does not list '$name' (GoogleTest's test names changed?)"
  tests+=("$name")
done
for name in "${optional_tests[@]}"; do
  if [[ -n "${registered[$name]:-}" ]]; then
    tests+=("$name")
  else
    echo "ctest_parity: '$name' is not registered here; not compared"
  fi
done
# shellcheck disable=SC2016 # the sed expression is literal
alternatives="$(printf '%s|' "${tests[@]}" | sed 's/[][\.$(){}?+*^]/\\&/g; s/|$//')"

echo "ctest_parity: ctest -R '^($alternatives)\$'"
set +e
"$ctest" --test-dir "$build_dir" -j "$jobs" -R "^($alternatives)\$" \
  --output-junit "$work_dir/ctest.xml" > "$work_dir/ctest.log" 2>&1
ctest_status=$?
set -e
[[ -s "$work_dir/ctest.xml" ]] ||
  fail_setup "ctest wrote no JUnit report (exit $ctest_status); see $work_dir/ctest.log"

fanout_report=""
if [[ $ctest_only -eq 0 ]]; then
  echo "ctest_parity: fanout --from-ctest -R '^($alternatives)(/|\$)'"
  set +e
  "$fanout" --test-dir "$build_dir" --from-ctest -j "$jobs" -R "^($alternatives)(/|\$)" \
    --junit "$work_dir/fanout.xml" > "$work_dir/fanout.log" 2>&1
  fanout_status=$?
  set -e
  if [[ ! -s "$work_dir/fanout.xml" ]]; then
    tail -n 30 "$work_dir/fanout.log" >&2
    fail_setup "fanout wrote no JUnit report (exit $fanout_status); see $work_dir/fanout.log"
  fi
  fanout_report="$work_dir/fanout.xml"
fi

set +e
python3 - "$work_dir/ctest.xml" "$fanout_report" "${tests[@]}" << 'EOF'
import sys
import xml.etree.ElementTree as ET

ctest_file, fanout_file, tests = sys.argv[1], sys.argv[2], sys.argv[3:]

def ctest_verdicts(path):
    """CTest's JUnit: one testcase per test; status run / fail / notrun / disabled."""
    verdicts = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        status = case.get("status", "")
        skipped = case.find("skipped")
        if status == "run" and case.find("failure") is None:
            verdict = "pass"
        elif status == "notrun" and skipped is not None and \
                skipped.get("message", "").startswith("SKIP_"):
            verdict = "skip"
        elif status == "disabled":
            verdict = "disabled"
        elif status == "notrun":
            verdict = "not run"
        else:
            verdict = "fail"
        verdicts[case.get("name")] = verdict
    return verdicts

def fanout_items(path):
    """Fanout's JUnit: one testsuite per target (CTest test), one testcase per item."""
    items = {}
    for suite in ET.parse(path).getroot().iter("testsuite"):
        counts = items.setdefault(suite.get("name"), {"pass": 0, "fail": 0, "skip": 0})
        for case in suite.iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                counts["fail"] += 1
            elif case.find("skipped") is not None:
                counts["skip"] += 1
            else:
                counts["pass"] += 1
    return items

ctest = ctest_verdicts(ctest_file)
fanout = fanout_items(fanout_file) if fanout_file else None
width = max(len(name) for name in tests + ["CTest test"])
if fanout is None:
    print(f"{'CTest test':<{width}}  ctest")
    for name in tests:
        print(f"{name:<{width}}  {ctest.get(name, 'missing')}")
    missing = [name for name in tests if name not in ctest]
    sys.exit(1 if missing else 0)

print(f"{'CTest test':<{width}}  {'ctest':<8}  {'fanout':<8}  items (pass/fail/skip)  agree")
disagreements = 0
for name in tests:
    verdict = ctest.get(name, "missing")
    counts = fanout.get(name)
    if counts is None:
        mine, shown = "missing", "-"
    else:
        total = sum(counts.values())
        mine = "fail" if counts["fail"] or total == 0 else \
            ("skip" if counts["skip"] == total else "pass")
        shown = f"{counts['pass']}/{counts['fail']}/{counts['skip']}"
    if verdict == "disabled":
        agree = mine in ("skip", "missing")
    else:
        agree = (verdict in ("pass", "skip")) == (mine in ("pass", "skip"))
    disagreements += not agree
    print(f"{name:<{width}}  {verdict:<8}  {mine:<8}  {shown:<22}  {'yes' if agree else 'NO'}")
print(f"{len(tests) - disagreements} of {len(tests)} tests agree")
sys.exit(1 if disagreements else 0)
EOF
compare_status=$?
set -e
if [[ $compare_status -ne 0 && $compare_status -ne 1 ]]; then
  fail_setup "the comparison itself failed (exit $compare_status)"
fi
if [[ $compare_status -eq 0 && $temporary -eq 1 && $keep -eq 0 ]]; then
  rm -rf "$work_dir"
else
  echo "ctest_parity: reports and logs kept in $work_dir"
fi
exit "$compare_status"
