#!/bin/sh
# Runs the AVX-512F microkernel and operator tests on a host without AVX-512,
# with the intrinsics emulated by SIMDe (Debian's libsimde-dev) plus
# plain-C versions of the few SIMDe 0.7.4 lacks (scripts/avx512-emulation.h).
# A copy of the checkout is built in BUILD_DIR (default build-avx512-emulated)
# with the AVX-512F kernels compiled for AVX2 against that header, and the
# library's hardware probe told that AVX-512F is there; only tests with
# "avx512f" in their names run. It checks the kernels' logic, not their
# speed or their encoding: on a real AVX-512 host the normal test suite runs
# them natively.
set -e
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR=${1:-build-avx512-emulated}
SRC="$BUILD_DIR/src"
[ -f /usr/include/simde/x86/avx512.h ] || {
  echo "libsimde-dev is missing: apt-get install libsimde-dev" >&2; exit 1; }

rm -rf "$SRC"
mkdir -p "$SRC"
git ls-files -z | xargs -0 tar -cf - | tar -xf - -C "$SRC"
cd "$SRC"
for f in microkernels/*/gen/*avx512f*.c microkernels/exp/avx512f*.h microkernels/convert/avx512f*.h; do
  sed -i "s|#include <immintrin.h>|#include \"$ROOT/scripts/avx512-emulation.h\"|" "$f"
done
sed -i 's/if (cpuinfo_has_x86_avx512f()) {/if (1) {  \/\/ emulated/' operators/hardware.c
sed -i 's/set(TWOPASS_ISA_FLAGS_AVX512F -mavx512f)/set(TWOPASS_ISA_FLAGS_AVX512F -mavx2 -mfma -Wno-psabi)/' \
  CMakeLists.txt
# The tests ask the same hardware layer (testing/isa.h), so this one patch
# tells both the operators and the tests that AVX-512F is there.
grep -q "emulated" operators/hardware.c || {
  echo "the patch point moved: update this script" >&2; exit 1; }

cd "$ROOT"
TESTS="f32-raddextexp f32-expminusmax f32-vaffine f32-vscale
  f32-vscaleextexp f32-rminmax x16-raddextexp x16-vscaleextexp x16-vaffine
  page-guard-microkernel softmax-operator softmax-operator-contract"
cmake -S "$SRC" -B "$BUILD_DIR/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DTWOPASS_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$BUILD_DIR/build" --target $(for t in $TESTS; do printf '%s-test ' "$t"; done)
status=0
for t in $TESTS; do
  printf '%s: ' "$t"
  "$BUILD_DIR/build/test/$t-test" --gtest_filter='*avx512f*' --gtest_brief=1 >"$BUILD_DIR/$t.log" 2>&1 \
    && tail -n 1 "$BUILD_DIR/$t.log" || { status=1; echo FAILED; grep -E '^\[  FAILED' "$BUILD_DIR/$t.log" | head; }
done
exit $status
