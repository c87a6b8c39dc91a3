#!/bin/sh
# Generates the microkernel variants of one family from its templates, then
# the lists derived from microkernels/gen/. Run from anywhere.
set -e
cd "$(dirname "$0")/.."

# Every tile comes twice: the general kernel (exact two-product beta*x) and
# its BETA1=1 twin for beta = 1, which the operator picks at plan time.
# Tiles and accumulator counts: the paper's sweep (Dukhan & Ablavatski, 2020),
# every accumulator count 1..6 that divides the vector count, plus small tiles.
T=microkernels/f32-raddextexp/avx512f-p5-scalef.c.in
python3 scripts/xngen.py $T -D ELEMENT_TILE=16 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u16.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=16 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u16.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=32 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u32.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=32 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u32.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=32 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u32-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=32 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u32-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=64 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u64.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u64.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=64 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u64-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u64-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=64 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u64-acc4.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u64-acc4.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=128 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u128.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=128 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u128.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=128 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u128-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=128 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u128-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=128 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u128-acc4.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=128 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u128-acc4.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=144 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u144.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=144 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u144.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=144 -D ACCUMULATORS=3 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u144-acc3.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=144 -D ACCUMULATORS=3 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u144-acc3.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=160 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u160.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=160 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u160.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=160 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u160-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=160 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u160-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=160 -D ACCUMULATORS=5 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u160-acc5.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=160 -D ACCUMULATORS=5 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u160-acc5.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=192 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u192.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=192 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u192.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=192 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u192-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=192 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u192-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=192 -D ACCUMULATORS=3 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u192-acc3.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=192 -D ACCUMULATORS=3 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u192-acc3.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=192 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u192-acc4.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=192 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u192-acc4.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=192 -D ACCUMULATORS=6 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-u192-acc6.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=192 -D ACCUMULATORS=6 -o microkernels/gen/f32-raddextexp-avx512f-p5-scalef-beta1-u192-acc6.c

T=microkernels/f32-raddextexp/avx2-p5.c.in
python3 scripts/xngen.py $T -D ELEMENT_TILE=8 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-u8.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=8 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u8.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=16 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-u16.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=16 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u16.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=16 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx2-p5-u16-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=16 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u16-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=32 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-u32.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=32 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u32.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=32 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx2-p5-u32-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=32 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u32-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=32 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx2-p5-u32-acc4.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=32 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u32-acc4.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=64 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-u64.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u64.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=64 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx2-p5-u64-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u64-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=64 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx2-p5-u64-acc4.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=64 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u64-acc4.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=72 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-u72.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=72 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u72.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=72 -D ACCUMULATORS=3 -o microkernels/gen/f32-raddextexp-avx2-p5-u72-acc3.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=72 -D ACCUMULATORS=3 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u72-acc3.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=80 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-u80.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=80 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u80.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=80 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx2-p5-u80-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=80 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u80-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=80 -D ACCUMULATORS=5 -o microkernels/gen/f32-raddextexp-avx2-p5-u80-acc5.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=80 -D ACCUMULATORS=5 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u80-acc5.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=96 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-u96.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=96 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u96.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=96 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx2-p5-u96-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=96 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u96-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=96 -D ACCUMULATORS=3 -o microkernels/gen/f32-raddextexp-avx2-p5-u96-acc3.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=96 -D ACCUMULATORS=3 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u96-acc3.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=96 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx2-p5-u96-acc4.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=96 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u96-acc4.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=96 -D ACCUMULATORS=6 -o microkernels/gen/f32-raddextexp-avx2-p5-u96-acc6.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=96 -D ACCUMULATORS=6 -o microkernels/gen/f32-raddextexp-avx2-p5-beta1-u96-acc6.c

T=microkernels/f32-raddextexp/scalar-p5.c.in
python3 scripts/xngen.py $T -D ELEMENT_TILE=1 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-scalar-p5-u1.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=1 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-scalar-p5-beta1-u1.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=2 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-scalar-p5-u2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=2 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-scalar-p5-beta1-u2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=2 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-scalar-p5-u2-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=2 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-scalar-p5-beta1-u2-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=4 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-scalar-p5-u4.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=4 -D ACCUMULATORS=1 -o microkernels/gen/f32-raddextexp-scalar-p5-beta1-u4.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=4 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-scalar-p5-u4-acc2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=4 -D ACCUMULATORS=2 -o microkernels/gen/f32-raddextexp-scalar-p5-beta1-u4-acc2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=4 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-scalar-p5-u4-acc4.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=4 -D ACCUMULATORS=4 -o microkernels/gen/f32-raddextexp-scalar-p5-beta1-u4-acc4.c

python3 scripts/generate-ukernel-lists.py
