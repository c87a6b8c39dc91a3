#!/bin/sh
# Regenerates every microkernel variant (microkernels/grid.py) and the lists
# derived from them, then the test files that share a template. The one entry
# point: CI runs it and fails on any diff.
set -e
cd "$(dirname "$0")/.."
python3 scripts/generate-microkernels.py
sh scripts/generate-tests.sh
