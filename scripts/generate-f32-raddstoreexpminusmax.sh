#!/bin/sh
# Generates the microkernel variants of one family from its templates, then
# the lists derived from microkernels/gen/. Run from anywhere.
set -e
cd "$(dirname "$0")/.."

T=microkernels/f32-raddstoreexpminusmax/avx512f-rr1-p5-scalef.c.in
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=16 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-avx512f-rr1-p5-scalef-u16.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=32 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-avx512f-rr1-p5-scalef-u32.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=32 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddstoreexpminusmax-avx512f-rr1-p5-scalef-u32-acc2.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-avx512f-rr1-p5-scalef-u64.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddstoreexpminusmax-avx512f-rr1-p5-scalef-u64-acc2.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddstoreexpminusmax-avx512f-rr1-p5-scalef-u64-acc4.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=128 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-avx512f-rr1-p5-scalef-u128.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=128 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddstoreexpminusmax-avx512f-rr1-p5-scalef-u128-acc2.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=128 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddstoreexpminusmax-avx512f-rr1-p5-scalef-u128-acc4.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=192 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-avx512f-rr1-p5-scalef-u192.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=192 -D ACCUMULATORS=3 -o microkernels/gen/f32-raddstoreexpminusmax-avx512f-rr1-p5-scalef-u192-acc3.c

T=microkernels/f32-raddstoreexpminusmax/avx2-p5.c.in
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=8 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-avx2-p5-u8.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=16 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-avx2-p5-u16.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=16 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddstoreexpminusmax-avx2-p5-u16-acc2.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=32 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-avx2-p5-u32.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=32 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddstoreexpminusmax-avx2-p5-u32-acc2.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=32 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddstoreexpminusmax-avx2-p5-u32-acc4.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-avx2-p5-u64.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddstoreexpminusmax-avx2-p5-u64-acc2.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddstoreexpminusmax-avx2-p5-u64-acc4.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=96 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-avx2-p5-u96.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=96 -D ACCUMULATORS=3 -o microkernels/gen/f32-raddstoreexpminusmax-avx2-p5-u96-acc3.c

T=microkernels/f32-raddstoreexpminusmax/scalar-p5.c.in
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=1 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-scalar-p5-u1.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=2 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-scalar-p5-u2.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=2 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddstoreexpminusmax-scalar-p5-u2-acc2.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=4 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddstoreexpminusmax-scalar-p5-u4.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=4 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddstoreexpminusmax-scalar-p5-u4-acc2.c
python3 scripts/xngen.py $T -D STORE=1 -D ELEMENT_TILE=4 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddstoreexpminusmax-scalar-p5-u4-acc4.c

python3 scripts/generate-ukernel-lists.py
