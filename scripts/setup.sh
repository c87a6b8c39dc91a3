#!/bin/sh
# Installs what twopass needs on Debian bookworm (run as root). Idempotent.
set -e
export DEBIAN_FRONTEND=noninteractive
packages="build-essential cmake ninja-build python3 python3-matplotlib git
  libxnnpack-dev libpthreadpool-dev libcpuinfo-dev libgtest-dev libbenchmark-dev libdnnl-dev ocl-icd-opencl-dev
  bazel-bootstrap default-jdk-headless"
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends $missing
fi
