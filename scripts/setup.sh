#!/bin/sh
# Installs what twopass needs on Debian bookworm (as root, or with sudo), on
# a bare system too: a debootstrap --variant=minbase root has no compiler, no
# Python, no git and no pkg-config (scripts/fresh-machine-check.sh runs the
# README's commands in one). Idempotent: installs only what is missing.
#
#   scripts/setup.sh           everything: the README's commands and .ci/run
#   scripts/setup.sh compare   only the CMake build, its tests and benchmarks,
#                              and scripts/compare.sh (which calls this)
#
# Both also create the virtual environment build/venv (Debian's python3 -m
# venv) with the PyPI packages of scripts/requirements.txt (the Python package's
# build backend and tests), delegate/test/requirements.txt (the TFLite
# delegate's tests) and, where it exists, scripts/requirements-peers.txt, all
# pinned; pip runs only when those files changed since the last install
# (build/venv/.requirements.sha256). `all` also makes build/tflite214-venv
# (tflite-runtime 2.14, the delegate's second test leg).
set -e
cd "$(dirname "$0")/.."

# The CMake build, tests and benchmarks, and the comparison's plot.
# ocl-icd-opencl-dev: Debian's dnnl CMake config (bench/) needs OpenCL's headers
# and loader, only a Recommends of libdnnl-dev (skipped by --no-install-recommends).
# pkg-config: the Makefile consumer of ctest's example-install.
# python3-venv: build/venv; ca-certificates: pip's HTTPS to PyPI.
# libfp16-dev: <fp16.h>, the scalar f16 conversions (microkernels/convert/).
compare="build-essential cmake ninja-build pkg-config python3 python3-matplotlib libfp16-dev
  libxnnpack-dev libpthreadpool-dev libcpuinfo-dev libgtest-dev libbenchmark-dev
  libdnnl-dev ocl-icd-opencl-dev python3-venv ca-certificates"
# .ci/run also regenerates the kernels (git diff) and builds with Bazel.
ci="git bazel-bootstrap default-jdk-headless"

case "${1:-all}" in
  all) packages="$compare $ci" ;;
  compare) packages="$compare" ;;
  *) echo "usage: $0 [all|compare]" >&2; exit 2 ;;
esac

missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup.sh: installing$missing" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # shellcheck disable=SC2086  # one word per package
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# TWOPASS_NO_VENV=1: the Debian packages only (compare.sh --no-python-peers).
[ -z "${TWOPASS_NO_VENV:-}" ] || exit 0

# ---- build/venv: the pinned PyPI packages ------------------------------------------
venv=build/venv
# The package's build and tests, the TFLite delegate's tests (scripts/test.sh)
# and, where it exists, the comparison's peers (scripts/compare.sh).
requirements="scripts/requirements.txt delegate/test/requirements.txt"
[ -f scripts/requirements-peers.txt ] && requirements="$requirements scripts/requirements-peers.txt"
# The stamp: the requirement files and the interpreter they were installed for.
# shellcheck disable=SC2086  # one word per file
stamp="$( (cat $requirements; /usr/bin/python3 --version) | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c '' 2>/dev/null; then
  echo "setup.sh: creating $venv" >&2
  rm -rf "$venv"
  mkdir -p build
  /usr/bin/python3 -m venv "$venv"
fi
if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$stamp" ]; then
  rm -f "$venv/.requirements.sha256"
  # One resolution for all the files, so that their pins must agree.
  args=""
  for file in $requirements; do
    args="$args -r $file"
  done
  echo "setup.sh: installing$args into $venv" >&2
  # shellcheck disable=SC2086  # -r FILE pairs
  "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q $args
  echo "$stamp" >"$venv/.requirements.sha256"
fi

# The TFLite delegate's second leg (scripts/test-delegate.sh): tflite-runtime
# 2.14, the oldest runtime layout it supports, in a venv of its own (numpy < 2).
if [ "${1:-all}" = all ]; then
  legacy=build/tflite214-venv
  legacy_stamp="$( (cat delegate/test/requirements-tflite-runtime.txt; /usr/bin/python3 --version) |
    sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$legacy/.requirements.sha256" 2>/dev/null)" != "$legacy_stamp" ]; then
    echo "setup.sh: creating $legacy" >&2
    rm -rf "$legacy"
    /usr/bin/python3 -m venv "$legacy"
    "$legacy/bin/python" -m pip install --disable-pip-version-check --no-input -q \
      -r delegate/test/requirements-tflite-runtime.txt
    echo "$legacy_stamp" >"$legacy/.requirements.sha256"
  fi
fi
