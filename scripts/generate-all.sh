#!/bin/sh
# Regenerates every microkernel variant (microkernels/grid.py) and the lists
# derived from them. The one entry point: CI runs it and fails on any diff.
set -e
cd "$(dirname "$0")/.."
python3 scripts/generate-microkernels.py
