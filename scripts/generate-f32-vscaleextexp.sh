#!/bin/sh
# Generates the microkernel variants of one family from its templates, then
# the lists derived from microkernels/gen/. Run from anywhere.
set -e
cd "$(dirname "$0")/.."

# Every tile comes twice: the general kernel (exact two-product beta*x) and
# its BETA1=1 twin for beta = 1, which the operator picks at plan time.
T=microkernels/f32-vscaleextexp/avx512f-p5-scalef.c.in
python3 scripts/xngen.py $T -D ELEMENT_TILE=16 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-u16.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=16 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-beta1-u16.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=32 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-u32.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=32 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-beta1-u32.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=64 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-u64.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=64 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-beta1-u64.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=128 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-u128.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=128 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-beta1-u128.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=144 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-u144.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=144 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-beta1-u144.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=160 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-u160.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=160 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-beta1-u160.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=192 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-u192.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=192 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-beta1-u192.c
# Non-temporal stores, for outputs beyond the last-level cache.
python3 scripts/xngen.py $T -D ELEMENT_TILE=32 -D NONTEMPORAL=1 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-nt-u32.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=32 -D NONTEMPORAL=1 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-beta1-nt-u32.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=64 -D NONTEMPORAL=1 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-nt-u64.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=64 -D NONTEMPORAL=1 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-beta1-nt-u64.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=128 -D NONTEMPORAL=1 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-nt-u128.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=128 -D NONTEMPORAL=1 -o microkernels/gen/f32-vscaleextexp-avx512f-p5-scalef-beta1-nt-u128.c

T=microkernels/f32-vscaleextexp/avx2-p5.c.in
python3 scripts/xngen.py $T -D ELEMENT_TILE=8 -o microkernels/gen/f32-vscaleextexp-avx2-p5-u8.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=8 -o microkernels/gen/f32-vscaleextexp-avx2-p5-beta1-u8.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=16 -o microkernels/gen/f32-vscaleextexp-avx2-p5-u16.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=16 -o microkernels/gen/f32-vscaleextexp-avx2-p5-beta1-u16.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=32 -o microkernels/gen/f32-vscaleextexp-avx2-p5-u32.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=32 -o microkernels/gen/f32-vscaleextexp-avx2-p5-beta1-u32.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=64 -o microkernels/gen/f32-vscaleextexp-avx2-p5-u64.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=64 -o microkernels/gen/f32-vscaleextexp-avx2-p5-beta1-u64.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=72 -o microkernels/gen/f32-vscaleextexp-avx2-p5-u72.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=72 -o microkernels/gen/f32-vscaleextexp-avx2-p5-beta1-u72.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=80 -o microkernels/gen/f32-vscaleextexp-avx2-p5-u80.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=80 -o microkernels/gen/f32-vscaleextexp-avx2-p5-beta1-u80.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=96 -o microkernels/gen/f32-vscaleextexp-avx2-p5-u96.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=96 -o microkernels/gen/f32-vscaleextexp-avx2-p5-beta1-u96.c
# Non-temporal stores, for outputs beyond the last-level cache.
python3 scripts/xngen.py $T -D ELEMENT_TILE=32 -D NONTEMPORAL=1 -o microkernels/gen/f32-vscaleextexp-avx2-p5-nt-u32.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=32 -D NONTEMPORAL=1 -o microkernels/gen/f32-vscaleextexp-avx2-p5-beta1-nt-u32.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=64 -D NONTEMPORAL=1 -o microkernels/gen/f32-vscaleextexp-avx2-p5-nt-u64.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=64 -D NONTEMPORAL=1 -o microkernels/gen/f32-vscaleextexp-avx2-p5-beta1-nt-u64.c

T=microkernels/f32-vscaleextexp/scalar-p5.c.in
python3 scripts/xngen.py $T -D ELEMENT_TILE=1 -o microkernels/gen/f32-vscaleextexp-scalar-p5-u1.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=1 -o microkernels/gen/f32-vscaleextexp-scalar-p5-beta1-u1.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=2 -o microkernels/gen/f32-vscaleextexp-scalar-p5-u2.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=2 -o microkernels/gen/f32-vscaleextexp-scalar-p5-beta1-u2.c
python3 scripts/xngen.py $T -D ELEMENT_TILE=4 -o microkernels/gen/f32-vscaleextexp-scalar-p5-u4.c
python3 scripts/xngen.py $T -D BETA1=1 -D ELEMENT_TILE=4 -o microkernels/gen/f32-vscaleextexp-scalar-p5-beta1-u4.c

python3 scripts/generate-ukernel-lists.py
