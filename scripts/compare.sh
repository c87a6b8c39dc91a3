#!/bin/sh
# One command to compare twopass with XNNPACK and oneDNN on this machine:
#   1. installs the Debian packages that are missing (scripts/setup.sh compare,
#      which uses sudo when not root; skip with TWOPASS_NO_INSTALL=1),
#   2. builds the operator benchmark in build/ (TWOPASS_BUILD_DIR overrides),
#      configured as scripts/build.sh does when it is not configured yet,
#   3. runs scripts/compare.py: prints the table (N, twopass, XNNPACK, oneDNN,
#      floor, speedups), the 2-thread scaling and the goals, and writes a plot.
# A few minutes in all. Arguments go to scripts/compare.py (--quick, --sizes=...,
# --repetitions=N, --no-threads, --plot=PATH, --markdown, --timer; see --help);
# TWOPASS_QUICK=1 in the environment adds --quick.
set -e
cd "$(dirname "$0")/.."
BUILD_DIR=${TWOPASS_BUILD_DIR:-build}

step() { printf '\n==> %s\n' "$*" >&2; }

# ---- 1. Packages ---------------------------------------------------------------
# scripts/setup.sh's list for the build and the comparison (one list for both).
if [ -z "$TWOPASS_NO_INSTALL" ] && command -v dpkg >/dev/null 2>&1; then
  sh scripts/setup.sh compare >&2
fi

# ---- 2. Build ------------------------------------------------------------------
JOBS=$(nproc 2>/dev/null || echo 2)
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  step "Configuring $BUILD_DIR"
  GENERATOR=""
  command -v ninja >/dev/null 2>&1 && GENERATOR="-G Ninja"
  # shellcheck disable=SC2086  # GENERATOR is two words or none
  cmake -S . -B "$BUILD_DIR" $GENERATOR -DCMAKE_BUILD_TYPE=Release >&2
fi
step "Building softmax-operator-bench in $BUILD_DIR ($JOBS jobs)"
cmake --build "$BUILD_DIR" --target softmax-operator-bench -j "$JOBS" >&2

# ---- 3. Run --------------------------------------------------------------------
PYTHON=python3
# Debian's matplotlib lives with the system Python; prefer it for the plot.
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  PYTHON=/usr/bin/python3
fi
step "Running the comparison"
# TWOPASS_QUICK=1: the same run with fewer sizes and repetitions (compare.py --quick).
[ -z "$TWOPASS_QUICK" ] || set -- --quick "$@"
exec "$PYTHON" scripts/compare.py --build-dir "$BUILD_DIR" "$@"
