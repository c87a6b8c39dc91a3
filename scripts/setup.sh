#!/bin/sh
# Installs what twopass needs on Debian bookworm (as root, or with sudo), on
# a bare system too: a debootstrap --variant=minbase root has no compiler, no
# Python, no git and no pkg-config (scripts/fresh-machine-check.sh runs the
# README's commands in one). Idempotent: installs only what is missing.
#
#   scripts/setup.sh           everything: the README's commands and .ci/run
#   scripts/setup.sh compare   only the CMake build, its tests and benchmarks,
#                              and scripts/compare.sh (which calls this)
set -e

# The CMake build, tests and benchmarks, and the comparison's plot.
# ocl-icd-opencl-dev: Debian's dnnl CMake config (bench/) needs OpenCL's headers
# and loader, only a Recommends of libdnnl-dev (skipped by --no-install-recommends).
# pkg-config: the Makefile consumer of ctest's example-install.
compare="build-essential cmake ninja-build pkg-config python3 python3-matplotlib
  libxnnpack-dev libpthreadpool-dev libcpuinfo-dev libgtest-dev libbenchmark-dev
  libdnnl-dev ocl-icd-opencl-dev"
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
