#!/bin/sh
# Builds twopass and runs every test (ctest: microkernels, operators, examples).
set -e
cd "$(dirname "$0")/.."
sh scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
