#!/bin/sh
# Generates the microkernel variants of one family from its templates, then
# the lists derived from microkernels/gen/. Run from anywhere.
set -e
cd "$(dirname "$0")/.."

T=microkernels/f32-rmax/avx512f.c.in
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=16 -D ACCUMULATORS=1 -o microkernels/gen/f32-rmax-avx512f-u16.c
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=32 -D ACCUMULATORS=2 -o microkernels/gen/f32-rmax-avx512f-u32-acc2.c
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=64 -D ACCUMULATORS=4 -o microkernels/gen/f32-rmax-avx512f-u64-acc4.c
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=128 -D ACCUMULATORS=4 -o microkernels/gen/f32-rmax-avx512f-u128-acc4.c

T=microkernels/f32-rmax/avx2.c.in
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=8 -D ACCUMULATORS=1 -o microkernels/gen/f32-rmax-avx2-u8.c
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=16 -D ACCUMULATORS=2 -o microkernels/gen/f32-rmax-avx2-u16-acc2.c
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=32 -D ACCUMULATORS=4 -o microkernels/gen/f32-rmax-avx2-u32-acc4.c
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=64 -D ACCUMULATORS=4 -o microkernels/gen/f32-rmax-avx2-u64-acc4.c

T=microkernels/f32-rmax/scalar.c.in
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=1 -D ACCUMULATORS=1 -o microkernels/gen/f32-rmax-scalar-u1.c
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=2 -D ACCUMULATORS=2 -o microkernels/gen/f32-rmax-scalar-u2-acc2.c
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=4 -D ACCUMULATORS=2 -o microkernels/gen/f32-rmax-scalar-u4-acc2.c
python3 scripts/xngen.py $T -D OP=MAX -D ELEMENT_TILE=4 -D ACCUMULATORS=4 -o microkernels/gen/f32-rmax-scalar-u4-acc4.c

python3 scripts/generate-ukernel-lists.py
