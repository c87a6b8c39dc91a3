#!/bin/sh
# Reliability CI (docs/reliability.md). Run after
# scripts/setup-reliability.sh. Every job must pass; any sanitizer report,
# fuzzer crash or mismatch fails the script.
#
#   asan      clang -fsanitize=address,undefined -fno-sanitize-recover=all (assertions
#             on) in build-asan/: the whole project and every CTest test. Each gtest
#             executable runs once (in shards) instead of once per test case: the
#             same tests, without a sanitizer start-up per case; the run checks
#             that it ran as many gtest cases as CTest lists.
#   fuzz      each libFuzzer target (built by asan) for FUZZ_SECONDS from the seed
#             corpus, both at once; then, from an empty corpus, the softmax fuzzer
#             must find each planted bug of PLANTS within PLANT_SECONDS
#   tsan      clang -fsanitize=thread in build-tsan/: the concurrency test, then the
#             operator tests without their longest cases (pthreadpool's hand-off
#             annotated by test/concurrency/tsan-pthreadpool.cc)
#   valgrind  memcheck --error-exitcode=1 on a subset, with the binaries of the
#             ordinary build (VALGRIND_BUILD, default build/ of scripts/build.sh,
#             built if missing): page-guard, concurrency and operator-error tests,
#             fuzz corpus replays
#
# Environment:
#   JOBS=2                build and test parallelism
#   FUZZ_SECONDS=60       time per fuzzer
#   PLANT_SECONDS=60      time limit to find each planted bug
#   PLANTS="write_past_row neginf_plausible"
#   TWOPASS_FUZZ_IGNORE   known open issues whose rows the fuzzers do not check
#                         numerically (testing/reference.h: product-overflow,
#                         inexact-max); empty (the default) checks everything
#   RELIABILITY_JOBS="asan fuzz tsan valgrind"   the jobs to run
# Every job runs even when an earlier one failed (each in its own shell); the
# script fails at the end if any did, after a summary of the jobs' times.
set -eu
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$0")/.."

JOBS=${JOBS:-2}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
PLANT_SECONDS=${PLANT_SECONDS:-60}
PLANTS=${PLANTS:-"write_past_row neginf_plausible"}
RELIABILITY_JOBS=${RELIABILITY_JOBS:-"asan fuzz tsan valgrind"}
VALGRIND_BUILD=${VALGRIND_BUILD:-build}
TWOPASS_FUZZ_IGNORE=${TWOPASS_FUZZ_IGNORE:-}
export TWOPASS_FUZZ_IGNORE

# The C code (kernels, operators) also gets libFuzzer's coverage
# instrumentation, so that the fuzzers see the library's branches; the C++
# tests do not need it (and compile a third faster without it).
SANITIZE_COMMON="-gline-tables-only -O2 -fno-omit-frame-pointer"
ASAN_FLAGS="$SANITIZE_COMMON -fsanitize=address,undefined -fno-sanitize-recover=all"
# allocator_may_return_null: the operator tests check reshape's out_of_memory.
ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export ASAN_OPTIONS="$ASAN_OPTIONS:strict_init_order=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"

want() {
  case " $RELIABILITY_JOBS " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

# Runs every CTest test of build dir $1: each gtest executable once, split in
# two shards, JOBS at a time; the other tests through ctest.
run_all_tests() {
  python3 - "$1" "$JOBS" <<'PY'
import collections, json, os, re, subprocess, sys, time

build, jobs = sys.argv[1], int(sys.argv[2])
listing = json.loads(subprocess.check_output(
    ["ctest", "--test-dir", build, "--show-only=json-v1"]))
expected = collections.Counter()
workdir = {}
others = []
for test in listing["tests"]:
    command = test.get("command", [])
    if any(arg.startswith("--gtest_filter=") for arg in command):
        expected[command[0]] += 1
        for prop in test.get("properties", []):
            if prop["name"] == "WORKING_DIRECTORY":
                workdir[command[0]] = prop["value"]
    else:
        others.append(test["name"])

shards = 2
queue = [(exe, i) for exe in expected for i in range(shards)]
running, failed, ran = [], [], collections.Counter()
logdir = os.path.join(build, "reliability-logs")
os.makedirs(logdir, exist_ok=True)

def start(exe, shard):
    env = dict(os.environ, GTEST_TOTAL_SHARDS=str(shards), GTEST_SHARD_INDEX=str(shard))
    log_path = os.path.join(logdir, "%s.%d.log" % (os.path.basename(exe), shard))
    log = open(log_path, "w")
    process = subprocess.Popen([exe, "--gtest_also_run_disabled_tests", "--gtest_brief=1"],
                               cwd=workdir.get(exe), env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    return (process, exe, shard, log_path, time.time())

while queue or running:
    while queue and len(running) < jobs:
        running.append(start(*queue.pop(0)))
    time.sleep(0.05)
    for entry in list(running):
        process, exe, shard, log_path, t0 = entry
        if process.poll() is None:
            continue
        running.remove(entry)
        text = open(log_path, errors="replace").read()
        m = re.search(r"\[==========\] (\d+) tests? from", text)
        ran[exe] += int(m.group(1)) if m else 0
        name = "%s (shard %d/%d)" % (os.path.basename(exe), shard + 1, shards)
        print("%-52s %s %6.1f s" % (name, "ok  " if process.returncode == 0 else "FAIL",
                                     time.time() - t0), flush=True)
        if process.returncode != 0:
            failed.append(name)
            print(text[-6000:], flush=True)

for exe, count in expected.items():
    if ran[exe] != count:
        failed.append("%s ran %d tests, CTest lists %d" % (os.path.basename(exe), ran[exe], count))
if others:
    regex = "^(" + "|".join(re.escape(name) for name in others) + ")$"
    if subprocess.call(["ctest", "--test-dir", build, "--output-on-failure", "-j", str(jobs),
                        "-R", regex]) != 0:
        failed.append("ctest: " + ", ".join(others))
total = sum(expected.values()) + len(others)
if failed:
    print("FAILED:\n  " + "\n  ".join(failed))
    sys.exit(1)
print("all %d CTest tests passed (%d gtest cases in %d executables, %d other tests)"
      % (total, sum(expected.values()), len(expected), len(others)))
PY
}

# ---- AddressSanitizer + UndefinedBehaviorSanitizer ------------------------------------
build_asan() {
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_C_FLAGS="$ASAN_FLAGS -fsanitize=fuzzer-no-link" -DCMAKE_CXX_FLAGS="$ASAN_FLAGS" \
    -DTWOPASS_BUILD_BENCHMARKS=OFF -DTWOPASS_BUILD_FUZZERS=ON >/dev/null
  cmake --build build-asan -j "$JOBS"
}

job_asan() {
  build_asan
  run_all_tests build-asan
}

# ---- Fuzzers ----------------------------------------------------------------------------
job_fuzz() {
  build_asan
  pids=""
  for target in softmax-fuzzer lifecycle-fuzzer; do
    work=build-asan/fuzz-work/$target
    artifacts=build-asan/fuzz-artifacts/$target
    mkdir -p "$work" "$artifacts"
    echo "--- $target: ${FUZZ_SECONDS} s from fuzz/corpus/$target"
    build-asan/fuzz/$target -max_total_time="$FUZZ_SECONDS" -timeout=60 -rss_limit_mb=4096 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "fuzz/corpus/$target" \
      >"build-asan/$target.log" 2>&1 &
    pids="$pids $!"
  done
  status=0
  for pid in $pids; do wait "$pid" || status=1; done
  for target in softmax-fuzzer lifecycle-fuzzer; do
    log=build-asan/$target.log
    if grep -qE 'ERROR: libFuzzer|ERROR: AddressSanitizer|runtime error|twopass .*fuzz failure' "$log"; then
      tail -n 60 "$log"
      echo "$target found a failure: reproducer in build-asan/fuzz-artifacts/$target/"
      status=1
    fi
    echo "$target: $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") inputs," \
      "$(sed -n 's/^stat::new_units_added: *//p' "$log") new corpus units," \
      "$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log") inputs/s"
  done
  [ "$status" = 0 ] || exit 1
  # The checks can fail: each planted bug must be found from an empty corpus.
  for plant in $PLANTS; do
    work=build-asan/fuzz-plant/$plant
    rm -rf "$work"
    mkdir -p "$work"
    # Full-length inputs from the start (-len_control=0): with libFuzzer's
    # slowly growing length limit, the first thousands of inputs are too
    # short to reach the bytes that choose special values.
    if TWOPASS_FUZZ_PLANT=$plant build-asan/fuzz/softmax-fuzzer -max_total_time="$PLANT_SECONDS" \
        -len_control=0 -max_len=128 -timeout=60 -print_final_stats=1 -artifact_prefix="$work/" \
        "$work" >"$work.log" 2>&1; then
      tail -n 20 "$work.log"
      echo "planted bug $plant was NOT found in ${PLANT_SECONDS} s: the fuzzer's checks are broken"
      exit 1
    fi
    if ! grep -qE 'twopass fuzz failure|ERROR: AddressSanitizer' "$work.log"; then
      tail -n 40 "$work.log"
      echo "planted bug $plant: the fuzzer failed for another reason"
      exit 1
    fi
    echo "planted bug $plant found after" \
      "$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log") inputs:" \
      "$(grep -m1 -oE 'twopass fuzz failure: .{0,160}|ERROR: AddressSanitizer: [a-z-]+' "$work.log")"
  done
}

# ---- ThreadSanitizer --------------------------------------------------------------------
job_tsan() {
  TSAN_FLAGS="$SANITIZE_COMMON -fsanitize=thread"
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_C_FLAGS="$TSAN_FLAGS" -DCMAKE_CXX_FLAGS="$TSAN_FLAGS" \
    -DTWOPASS_BUILD_BENCHMARKS=OFF >/dev/null
  tsan_tests="operator-concurrency-test"
  for t in softmax-operator-test log-softmax-operator-test; do
    if [ -e "test/${t%-test}.cc" ]; then tsan_tests="$tsan_tests $t"; fi
  done
  # shellcheck disable=SC2086
  cmake --build build-tsan -j "$JOBS" --target $tsan_tests
  for t in $tsan_tests; do
    echo "--- $t under ThreadSanitizer"
    case $t in
      operator-concurrency-test) filter='*' ;;
      # The operator tests' threaded cases, without the million-element and
      # chunk-boundary sweeps (run under ASan and valgrind instead).
      *) filter='-*million*:*channels_around_chunks*:*large_inputs_with_beta*:*product_beyond_float_range*' ;;
    esac
    "build-tsan/test/$t" --gtest_brief=1 --gtest_filter="$filter"
  done
}

# ---- Valgrind memcheck ----------------------------------------------------------------
job_valgrind() {
  if [ "$VALGRIND_BUILD" = build ]; then
    log=$(mktemp)
    if ! sh scripts/build.sh >"$log" 2>&1; then
      tail -n 40 "$log"
      rm -f "$log"
      exit 1
    fi
    rm -f "$log"
  fi
  vb=$VALGRIND_BUILD
  for exe in test/page-guard-operator-test test/page-guard-microkernel-test \
      test/operator-concurrency-test fuzz/softmax-fuzzer-replay fuzz/lifecycle-fuzzer-replay; do
    if [ ! -x "$vb/$exe" ]; then
      echo "$vb/$exe is missing: is test/reliability.cmake included by test/CMakeLists.txt?"
      exit 1
    fi
  done
  memcheck() {
    echo "--- valgrind $*"
    valgrind --tool=memcheck --error-exitcode=1 --leak-check=full \
      --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
      --quiet "$@"
  }
  # Valgrind hides AVX-512 from the program: its AVX-512 cases skip themselves
  # and the operators run their AVX2 kernels.
  # (The other operator tests are left out: valgrind emulates the x87 in
  # double precision and stores a long-double infinity as LDBL_MAX, which
  # their long-double references do not expect; testing/reference.h does.)
  memcheck "$vb/test/page-guard-operator-test" --gtest_brief=1
  memcheck "$vb/test/page-guard-microkernel-test" --gtest_brief=1
  memcheck "$vb/test/operator-concurrency-test" --gtest_brief=1
  if [ -x "$vb/test/softmax-operator-errors-test" ]; then
    memcheck "$vb/test/softmax-operator-errors-test" --gtest_brief=1
  fi
  memcheck "$vb/fuzz/softmax-fuzzer-replay" fuzz/corpus/softmax-fuzzer
  memcheck "$vb/fuzz/lifecycle-fuzzer-replay" fuzz/corpus/lifecycle-fuzzer
}

# ---- Driver ------------------------------------------------------------------------------
if [ "${1:-}" = --job ]; then
  "job_$2"
  exit 0
fi
start_time=$(date +%s)
summary=""
failed=""
for job in asan fuzz tsan valgrind; do
  want "$job" || continue
  echo "=================== $job"
  job_start=$(date +%s)
  if sh "$SELF" --job "$job"; then result=passed; else result=FAILED; failed="$failed $job"; fi
  seconds=$(( $(date +%s) - job_start ))
  echo "=================== $job: $result in ${seconds} s"
  summary="${summary}$(printf '%-10s %-7s %5s s' "$job" "$result" "$seconds")
"
done
echo "=================== reliability jobs done in $(( $(date +%s) - start_time )) s"
printf '%s' "$summary"
if [ -n "$failed" ]; then
  echo "failed:$failed"
  exit 1
fi
