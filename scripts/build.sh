#!/bin/sh
# Configures and builds twopass (library, tests, benchmarks) in build/.
set -e
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
