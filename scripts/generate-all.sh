#!/bin/sh
# Regenerates every microkernel family and the lists derived from them.
set -e
cd "$(dirname "$0")/.."
for script in scripts/generate-f32-*.sh; do
  sh "$script"
done
sh scripts/generate-tests.sh
