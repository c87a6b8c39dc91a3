// An AVX2 + FMA exp for the extended-exponent kernels (raddextexp,
// vscaleextexp) over their whole range |z| <= 2^20, with a table of 2^(j/8)
// read with VPERMPS, so that the polynomial is over |t| <= ln2/16 and degree
// 3 is enough: 7 FMA-pipe operations per vector for exp(z) = m * 2^n instead
// of the p5 core's 8, but 12 operations in all instead of 9 (splitting k
// into n and j takes a conversion to integers, a shift, a conversion back
// and the permutation, where the p5 core's n is its rounded product). On the
// Zen 3 host the kernels on it measured 1.0-1.5x the time of the p5 ones
// (docs/performance.md, "A table exp for the two-pass kernels"): with the
// split removed (wrong results, timing only) they were 0.92x, so the split
// is what it costs. Kept as variants the sweep measures on every host.
//
// exp(z) = 2^n * m, k = round(fl(z * 8/ln2)), n = floor(k/8), j = k mod 8,
// m = 2^(j/8) * p(t), t = z - k*ln2/8, p(t) ~ exp(t): m is in about
// [0.95, 1.92], n is kept as a float beside it (never built as 2^n, so no
// overflow or underflow for any |z| <= 2^20).
//
// Rounding k. |k| reaches 1.21e7 at |z| = 2^20: more than the 2^22 (or, with
// a bias of 2^23, 2^23) integers that a magic bias can round in one binade,
// so the magic-bias trick of avx2-rr1-lut8-p3.h cannot keep k exactly here.
// Instead k = VROUNDPS(z * 8/ln2) (exact integer-valued float, kept for the
// reduction; NaN and +-inf stay NaN and +-inf), then its integer VCVTTPS2DQ
// (exact for |k| < 2^31, independent of MXCSR's rounding mode as k is
// already an integer): VPERMPS reads j = k mod 8 from the integer's low 3
// bits (two's complement: the right residue for negative k too), and
// n = floor(k/8) is the arithmetic shift right by 3, converted back to float.
//
// Reduction, two constants ("rr2"): t = fma(k, -ln2o8_hi, z), then
// t = fma(k, -ln2o8_lo, t), hi = fl(ln2/8) = 0x1.62E43p-4 (the p5 core's
// ln2_hi / 8), lo = ln2/8 - hi rounded (the p5 core's ln2_lo / 8). With FMA
// the product k*hi is not rounded; the exact z - k*hi is |t| + |k|*|lo| <=
// 0.075 + 1.21e7 * 2.4e-10 < 2^-3, so each FMA rounds by at most 2^-28
// absolute, and lo's own error (< 2^-57) times |k| adds 1e-10: |t| is off
// by at most 8e-9 for any |z| <= 2^20.
//
// Range of t. fl(z * 8/ln2) is off the exact z*8/ln2 by |z| * 1.5e-7 (the
// constant) plus half an ulp of the product, and rounding it to k adds up to
// 0.5: |t| <= (0.5 + 0.004) * ln2/8 = 0.0437 for |z| <= 2^12,
// 0.541 * ln2/8 = 0.0469 for |z| <= 2^16 and 0.862 * ln2/8 = 0.0747 for
// |z| <= 2^20 (the product's ulp is 1/2 at 2^22 <= |k| < 2^23, so it is
// rounded twice). The kernels add the two-product's error e of beta*x to t
// (|e| <= 2^-9 for |z| <= 2^16: |t| <= 0.0489, the polynomial's error
// 3.9e-8 there). k is rounded from z alone, so for beta != 1 |e| widens t
// by up to 2^-5 for 2^19 <= |z| < 2^20: |t| up to 0.106, where the
// polynomial is off by 4.5e-6 (computed; p5 at its widest: 1.5e-6). Only
// the general (not beta1) variants, only there; rounding k from z + e would
// take one more FMA per vector.
//
// Polynomial: p(t) = 1 + t*(c1 + t*(c2 + t*c3)), float coefficients
// searched (ulp by ulp from the Taylor ones) to minimize the maximum
// relative error over |t| <= 0.0469 while keeping it <= 8e-7 up to
// |t| = 0.0747: 7.4e-8 and 7.7e-7 there (Taylor: 2.1e-7 and 1.4e-6).
// Bound per exp, with the table's rounding (2^-24), the final FMA's (2^-24
// of m) and the polynomial's evaluation (~1e-8): 2.2e-7 for |z| <= 2^16,
// 9.2e-7 for |z| <= 2^20. The exp_whole_range tests measure it against
// expl (test/f32-raddextexp.cc, test/f32-vscaleextexp.cc).
//
// Special values: +inf and NaN give k = +inf or NaN, so t = z - k*hi is NaN
// (inf - inf) and m is NaN; their integer k is 0x80000000, so n is -2^28
// (finite: NaN travels in m, which survives every power-of-two scaling of
// the kernels). The kernels zero m where z < TWOPASS_EXTEXP_MIN_INPUT
// (twopass_avx2_zero_below on z: the boundary itself, -inf included).
#pragma once

#include <immintrin.h>

// The ISA's helpers: twopass_avx2_p5_scale_finish, twopass_avx2_zero_below.
#include "microkernels/exp/avx2-p5.h"

struct twopass_avx2_rr2_lut8_p3 {
  __m256 log2e_x8;         // 8/ln2
  __m256 minus_ln2_o8_hi;  // -ln2/8, high part
  __m256 minus_ln2_o8_lo;  // -ln2/8, low part
  __m256 c3, c2, c1;
  __m256 table;            // 2^(j/8), j = 0..7
};

static inline struct twopass_avx2_rr2_lut8_p3 twopass_avx2_rr2_lut8_p3_constants(void) {
  struct twopass_avx2_rr2_lut8_p3 k;
  k.log2e_x8 = _mm256_set1_ps(0x1.715476p+3f);
  k.minus_ln2_o8_hi = _mm256_set1_ps(-0x1.62E43p-4f);
  k.minus_ln2_o8_lo = _mm256_set1_ps(0x1.05C61p-32f);
  k.c3 = _mm256_set1_ps(0x1.5558B6p-3f);
  k.c2 = _mm256_set1_ps(0x1.000C56p-1f);
  k.c1 = _mm256_set1_ps(0x1.FFFFEEp-1f);
  k.table = _mm256_castsi256_ps(_mm256_setr_epi32(
      0x3F800000, 0x3F8B95C2, 0x3F9837F0, 0x3FA5FED7,
      0x3FB504F3, 0x3FC5672A, 0x3FD744FD, 0x3FEAC0C7));
  return k;
}

// The steps, for main loops that interleave the vectors of a tile.

// k = round(z * 8/ln2), as an integer-valued float (any finite z).
static inline __m256 twopass_avx2_rr2_lut8_p3_round(const struct twopass_avx2_rr2_lut8_p3* k,
                                                    __m256 vz) {
  return _mm256_round_ps(_mm256_mul_ps(vz, k->log2e_x8),
                         _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

// From k: 2^(j/8) (returned) and n = floor(k/8) as a float (*vn).
static inline __m256 twopass_avx2_rr2_lut8_p3_split(const struct twopass_avx2_rr2_lut8_p3* k,
                                                    __m256 vk, __m256* vn) {
  const __m256i vki = _mm256_cvttps_epi32(vk);
  *vn = _mm256_cvtepi32_ps(_mm256_srai_epi32(vki, 3));
  return _mm256_permutevar8x32_ps(k->table, vki);
}

// t = z - k*ln2/8 in two steps.
static inline __m256 twopass_avx2_rr2_lut8_p3_reduce(const struct twopass_avx2_rr2_lut8_p3* k,
                                                     __m256 vk, __m256 vz) {
  const __m256 vt = _mm256_fmadd_ps(vk, k->minus_ln2_o8_hi, vz);
  return _mm256_fmadd_ps(vk, k->minus_ln2_o8_lo, vt);
}

// q(t) = c1 + t*(c2 + t*c3): exp(t) ~ 1 + t*q(t).
static inline __m256 twopass_avx2_rr2_lut8_p3_poly(const struct twopass_avx2_rr2_lut8_p3* k,
                                                    __m256 vt) {
  return _mm256_fmadd_ps(_mm256_fmadd_ps(k->c3, vt, k->c2), vt, k->c1);
}

// Extended exponent: exp(z + err) = m * 2^n for |z| <= 2^20, n in *vn; err
// (the rounding error of a product z = fl(beta*x), or NULL when z is exact)
// is added to the reduced argument. m is +0 where z < vmin_input
// (TWOPASS_EXTEXP_MIN_INPUT; -inf included); NaN and +inf give a NaN m.
static inline __m256 twopass_avx2_rr2_lut8_p3_extexp(const struct twopass_avx2_rr2_lut8_p3* k,
                                                     __m256 vz, const __m256* verr,
                                                     __m256 vmin_input, __m256* vn) {
  const __m256 vk = twopass_avx2_rr2_lut8_p3_round(k, vz);
  const __m256 vs = twopass_avx2_rr2_lut8_p3_split(k, vk, vn);
  __m256 vt = twopass_avx2_rr2_lut8_p3_reduce(k, vk, vz);
  if (verr != NULL) {
    vt = _mm256_add_ps(vt, *verr);
  }
  const __m256 vm = twopass_avx2_p5_scale_finish(twopass_avx2_rr2_lut8_p3_poly(k, vt), vt, vs);
  return twopass_avx2_zero_below(vm, vz, vmin_input);
}
