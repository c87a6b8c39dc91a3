#!/bin/sh
# Generates the microkernel variants of one family from its templates, then
# the lists derived from microkernels/gen/. Run from anywhere.
set -e
cd "$(dirname "$0")/.."

T=microkernels/f32-vscale/avx512f.c.in
python3 scripts/xngen.py $T -D BIAS=0 -D ELEMENT_TILE=16 -o microkernels/gen/f32-vscale-avx512f-u16.c
python3 scripts/xngen.py $T -D BIAS=0 -D ELEMENT_TILE=32 -o microkernels/gen/f32-vscale-avx512f-u32.c
python3 scripts/xngen.py $T -D BIAS=0 -D ELEMENT_TILE=64 -o microkernels/gen/f32-vscale-avx512f-u64.c
python3 scripts/xngen.py $T -D BIAS=0 -D ELEMENT_TILE=128 -o microkernels/gen/f32-vscale-avx512f-u128.c

T=microkernels/f32-vscale/avx2.c.in
python3 scripts/xngen.py $T -D BIAS=0 -D ELEMENT_TILE=8 -o microkernels/gen/f32-vscale-avx2-u8.c
python3 scripts/xngen.py $T -D BIAS=0 -D ELEMENT_TILE=16 -o microkernels/gen/f32-vscale-avx2-u16.c
python3 scripts/xngen.py $T -D BIAS=0 -D ELEMENT_TILE=32 -o microkernels/gen/f32-vscale-avx2-u32.c
python3 scripts/xngen.py $T -D BIAS=0 -D ELEMENT_TILE=64 -o microkernels/gen/f32-vscale-avx2-u64.c

T=microkernels/f32-vscale/scalar.c.in
python3 scripts/xngen.py $T -D BIAS=0 -D ELEMENT_TILE=1 -o microkernels/gen/f32-vscale-scalar-u1.c
python3 scripts/xngen.py $T -D BIAS=0 -D ELEMENT_TILE=2 -o microkernels/gen/f32-vscale-scalar-u2.c
python3 scripts/xngen.py $T -D BIAS=0 -D ELEMENT_TILE=4 -o microkernels/gen/f32-vscale-scalar-u4.c

python3 scripts/generate-ukernel-lists.py
