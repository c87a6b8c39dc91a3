// A cheaper AVX2 + FMA exp for z <= 0 (the three-pass kernels), with 7
// FMA-pipe operations per vector instead of the p5 core's 10: a table of
// 2^(j/8) read with VPERMD, so the polynomial is over |t| <= ln(2)/16 and
// degree 3 is enough.
//
// exp(z) = 2^(k/8) * exp(t), k = round(z * 8/ln2), t = z - k*ln2/8 (one
// constant, "rr1": |k| <= 1008 wherever the result is kept, and fl(ln2/8)
// is 2.4e-10 off, so t is off by at most 2.4e-7), and
// 2^(k/8) = 2^floor(k/8) * 2^(j/8), j = k mod 8.
// exp(t) ~ 1 + t + t^2/2 + t^3/6: |t|^4/24 <= 1.5e-7 relative. Measured over
// every 16th float of [-87.3, 0] against expl: at most 3.6e-7 (the p5 core:
// see docs/performance.md).
//
// The magic bias 1.5 * 2^23 rounds z * 8/ln2 to the integer k in the low
// mantissa bits of v = z * 8/ln2 + 1.5 * 2^23; bits(v) << 20 is then
// k << 20 modulo 2^32 (the exponent and the leading mantissa bit shift out),
// whose bits 23 and up are floor(k/8) and bits 20..22 are j. VPERMD reads j
// from the low 3 bits of bits(v). The table holds bits(2^(j/8)) - (j << 20),
// so one integer addition of bits(v) << 20 gives the bits of 2^(k/8): normal
// for k >= -1008, i.e. z down to the cutoff below which the kernels give 0.
#pragma once

#include <immintrin.h>

// The ISA's helpers: twopass_avx2_p5_scale_finish, twopass_avx2_zero_below.
#include "microkernels/exp/avx2-p5.h"

struct twopass_avx2_rr1_lut8_p3 {
  __m256 log2e_x8;      // 8/ln2
  __m256 magic_bias;    // 1.5 * 2^23
  __m256 minus_ln2_o8;  // -ln2/8
  __m256 c3, c2;        // 1/6, 1/2
  __m256 one;
  __m256i table;        // bits(2^(j/8)) - (j << 20), j = 0..7
};

static inline struct twopass_avx2_rr1_lut8_p3 twopass_avx2_rr1_lut8_p3_constants(void) {
  struct twopass_avx2_rr1_lut8_p3 k;
  k.log2e_x8 = _mm256_set1_ps(0x1.715476p+3f);
  k.magic_bias = _mm256_set1_ps(0x1.8p23f);
  k.minus_ln2_o8 = _mm256_set1_ps(-0x1.62E430p-4f);
  k.c3 = _mm256_set1_ps(0x1.555556p-3f);
  k.c2 = _mm256_set1_ps(0x1.0p-1f);
  k.one = _mm256_set1_ps(1.0f);
  k.table = _mm256_setr_epi32(
      0x3F800000 - (0 << 20), 0x3F8B95C2 - (1 << 20), 0x3F9837F0 - (2 << 20),
      0x3FA5FED7 - (3 << 20), 0x3FB504F3 - (4 << 20), 0x3FC5672A - (5 << 20),
      0x3FD744FD - (6 << 20), 0x3FEAC0C7 - (7 << 20));
  return k;
}

// The steps, for main loops that interleave the vectors of a tile.

// v = z * 8/ln2 + 1.5 * 2^23: k in its low mantissa bits.
static inline __m256 twopass_avx2_rr1_lut8_p3_biased_round(
    const struct twopass_avx2_rr1_lut8_p3* k, __m256 vz) {
  return _mm256_fmadd_ps(vz, k->log2e_x8, k->magic_bias);
}

// 2^(k/8) from v.
static inline __m256 twopass_avx2_rr1_lut8_p3_exp2_biased(
    const struct twopass_avx2_rr1_lut8_p3* k, __m256 vbiased) {
  const __m256i vbits = _mm256_castps_si256(vbiased);
  const __m256i vl = _mm256_permutevar8x32_epi32(k->table, vbits);
  return _mm256_castsi256_ps(_mm256_add_epi32(vl, _mm256_slli_epi32(vbits, 20)));
}

// t = z - k*ln2/8, from v.
static inline __m256 twopass_avx2_rr1_lut8_p3_reduce_biased(
    const struct twopass_avx2_rr1_lut8_p3* k, __m256 vbiased, __m256 vz) {
  return _mm256_fmadd_ps(_mm256_sub_ps(vbiased, k->magic_bias), k->minus_ln2_o8, vz);
}

// q(t) = 1 + t*(1/2 + t/6): exp(t) ~ 1 + t*q(t).
static inline __m256 twopass_avx2_rr1_lut8_p3_poly(const struct twopass_avx2_rr1_lut8_p3* k,
                                                    __m256 vt) {
  return _mm256_fmadd_ps(_mm256_fmadd_ps(vt, k->c3, k->c2), vt, k->one);
}

// exp(z) for z <= 0 (up to the rounding of a maximum); +0 for z < vcutoff
// (-inf included); NaN kept.
static inline __m256 twopass_avx2_rr1_lut8_p3_exp(const struct twopass_avx2_rr1_lut8_p3* k,
                                                   __m256 vz, __m256 vcutoff) {
  const __m256 vbiased = twopass_avx2_rr1_lut8_p3_biased_round(k, vz);
  const __m256 vs = twopass_avx2_rr1_lut8_p3_exp2_biased(k, vbiased);
  const __m256 vt = twopass_avx2_rr1_lut8_p3_reduce_biased(k, vbiased, vz);
  const __m256 vy = twopass_avx2_p5_scale_finish(twopass_avx2_rr1_lut8_p3_poly(k, vt), vt, vs);
  return twopass_avx2_zero_below(vy, vz, vcutoff);
}
