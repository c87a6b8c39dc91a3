#!/bin/sh
# Generates the microkernel test files that share a template (families whose
# tests differ only in names). Run from anywhere.
set -e
cd "$(dirname "$0")/.."

T=test/f32-rminmax.cc.in
python3 scripts/xngen.py $T -D OP=rmax -o test/f32-rmax.cc
python3 scripts/xngen.py $T -D OP=rmin -o test/f32-rmin.cc

T=test/f32-raddexpminusmax.cc.in
python3 scripts/xngen.py $T -D OP=raddexpminusmax -o test/f32-raddexpminusmax.cc
python3 scripts/xngen.py $T -D OP=raddstoreexpminusmax -o test/f32-raddstoreexpminusmax.cc
