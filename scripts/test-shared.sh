#!/bin/sh
# The shared build as the README names it (-DBUILD_SHARED_LIBS=ON) in
# build-shared/: everything builds (the tests, benchmarks and fuzzers link
# twopass_static, the delegate carries the library inside it), and ctest runs
# the tests whose linking differs from the static build: the examples (they
# link libtwopass.so, and example-install checks its exports and SONAME), and
# the operator error and alignment tests as a smoke test of the static twin.
# The full ctest of this build passes too (about 3 minutes more); CI runs the
# part above to stay within its time.
#
#   scripts/test-shared.sh          # the part CI runs
#   scripts/test-shared.sh --all    # every test of the shared build
set -e
cd "$(dirname "$0")/.."
cmake -S . -B build-shared -G Ninja -DBUILD_SHARED_LIBS=ON
cmake --build build-shared
if [ "${1:-}" = "--all" ]; then
  ctest --test-dir build-shared --output-on-failure -j "$(nproc)"
else
  ctest --test-dir build-shared --output-on-failure -j "$(nproc)" \
    -R 'example|SoftmaxOperatorErrors|SoftmaxOperatorAlignment|UKERNEL_TABLE'
fi
