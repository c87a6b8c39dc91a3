#!/bin/sh
# Installs what scripts/ci-reliability.sh needs on Debian bookworm (run as
# root), on top of scripts/setup.sh: clang with its sanitizer and libFuzzer
# runtimes, llvm-symbolizer for readable sanitizer reports, valgrind, and
# SIMDe for scripts/test-avx512-emulated.sh.
# Idempotent: installs only what is missing.
set -e
cd "$(dirname "$0")/.."
sh scripts/setup.sh
export DEBIAN_FRONTEND=noninteractive
packages="clang libclang-rt-14-dev llvm valgrind libsimde-dev"
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing
fi
