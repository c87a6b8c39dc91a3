// The exp core of every AVX2 + FMA kernel, one vector at a time: the
// templates call it inside their unrolling, so a cheaper exp is a change here.
//
// exp(z) = p(t) * 2^n with n = round(z * log2(e)), t = z - n*ln2 (Cody-Waite
// split of ln2 in two constants) and p the degree-5 minimax polynomial for
// exp(t) on [-ln(2)/2, ln(2)/2] (Dukhan & Ablavatski, 2020). AVX2 has no
// VSCALEFPS: 2^n is built from the bits of n + 0x1.8000FEp23 (1.5 * 2^23 to
// round, + 127 for the exponent field) shifted left by 23.
#pragma once

#include <immintrin.h>

// The constants, set once per kernel call (registers across the loops).
struct twopass_avx2_p5 {
  __m256 log2e;
  __m256 minus_ln2_hi;
  __m256 minus_ln2_lo;
  __m256 c5, c4, c3, c2, c1;
  __m256 one;
  __m256 magic_bias;  // 1.5 * 2^23 + 127
};

static inline struct twopass_avx2_p5 twopass_avx2_p5_constants(void) {
  struct twopass_avx2_p5 k;
  k.log2e = _mm256_set1_ps(0x1.715476p+0f);
  k.minus_ln2_hi = _mm256_set1_ps(-0x1.62E43p-1f);
  k.minus_ln2_lo = _mm256_set1_ps(0x1.05C61p-29f);
  k.c5 = _mm256_set1_ps(0x1.0F9F9Cp-7f);
  k.c4 = _mm256_set1_ps(0x1.573A1Ap-5f);
  k.c3 = _mm256_set1_ps(0x1.555A80p-3f);
  k.c2 = _mm256_set1_ps(0x1.FFFDC6p-2f);
  k.c1 = _mm256_set1_ps(0x1.FFFFF6p-1f);
  k.one = _mm256_set1_ps(1.0f);
  k.magic_bias = _mm256_set1_ps(0x1.8000FEp23f);
  return k;
}

// The steps of the cores below, for main loops that interleave the vectors of
// a tile step by step (one dependency chain per vector otherwise, measured
// 2-4% slower on Zen 3).

// n = round(z * log2(e)), as a float (extended exponent: any finite z).
static inline __m256 twopass_avx2_p5_round(const struct twopass_avx2_p5* k, __m256 vz) {
  return _mm256_round_ps(_mm256_mul_ps(vz, k->log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

// n + 1.5 * 2^23 + 127: z * log2(e) rounded to an integer n and biased for
// the exponent field by one FMA (three-pass: n in the normal range).
static inline __m256 twopass_avx2_p5_biased_round(const struct twopass_avx2_p5* k, __m256 vz) {
  return _mm256_fmadd_ps(vz, k->log2e, k->magic_bias);
}

// 2^n from the biased n (k unused: the same signature as every core's).
static inline __m256 twopass_avx2_p5_exp2_biased(const struct twopass_avx2_p5* k,
                                                 __m256 vbiased) {
  (void) k;
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(vbiased), 23));
}

// n from the biased n.
static inline __m256 twopass_avx2_p5_unbias(const struct twopass_avx2_p5* k, __m256 vbiased) {
  return _mm256_sub_ps(vbiased, k->magic_bias);
}

// t = z - n*ln2 in two steps: exact enough for the |n| of any finite z.
static inline __m256 twopass_avx2_p5_reduce(const struct twopass_avx2_p5* k, __m256 vn,
                                            __m256 vz) {
  const __m256 vt = _mm256_fmadd_ps(vn, k->minus_ln2_hi, vz);
  return _mm256_fmadd_ps(vn, k->minus_ln2_lo, vt);
}

// t = z - n*ln2 from the biased n.
static inline __m256 twopass_avx2_p5_reduce_biased(const struct twopass_avx2_p5* k,
                                                   __m256 vbiased, __m256 vz) {
  return twopass_avx2_p5_reduce(k, twopass_avx2_p5_unbias(k, vbiased), vz);
}

// q(t) = c1 + t*(c2 + t*(c3 + t*(c4 + t*c5))): exp(t) = 1 + t*q(t).
static inline __m256 twopass_avx2_p5_poly(const struct twopass_avx2_p5* k, __m256 vt) {
  __m256 vq = _mm256_fmadd_ps(k->c5, vt, k->c4);
  vq = _mm256_fmadd_ps(vq, vt, k->c3);
  vq = _mm256_fmadd_ps(vq, vt, k->c2);
  return _mm256_fmadd_ps(vq, vt, k->c1);
}

// p = 1 + t*q(t).
static inline __m256 twopass_avx2_p5_finish(const struct twopass_avx2_p5* k, __m256 vq,
                                            __m256 vt) {
  return _mm256_fmadd_ps(vq, vt, k->one);
}

// 2^n * p(t) = s + (t*s) * q(t), from s = 2^n.
static inline __m256 twopass_avx2_p5_scale_finish(__m256 vq, __m256 vt, __m256 vs) {
  return _mm256_fmadd_ps(_mm256_mul_ps(vt, vs), vq, vs);
}

// v where z >= limit, +0 where z < limit (-inf included); LT_OQ is false for
// NaN, so NaN lanes keep v.
static inline __m256 twopass_avx2_zero_below(__m256 v, __m256 vz, __m256 vlimit) {
  return _mm256_andnot_ps(_mm256_cmp_ps(vz, vlimit, _CMP_LT_OQ), v);
}

// 2^d for integer-valued d <= 127: exact for d >= -126, +0 for d <= -127 or
// NaN (the constant second in MAXPS: a NaN d becomes -127).
static inline __m256 twopass_avx2_exp2(__m256 vd) {
  vd = _mm256_max_ps(vd, _mm256_set1_ps(-127.0f));
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(
      _mm256_add_ps(vd, _mm256_set1_ps(0x1.8000FEp23f))), 23));
}

// Extended exponent: exp(z + err) = p * 2^n for any finite z, with p in
// about [0.7, 1.5] and n returned in *vn; err (the rounding error of a
// product z = fl(beta*x), or NULL when z is exact) is added to the reduced
// argument. p is +0 where n < vmin_exponent (TWOPASS_EXTEXP_MIN_EXPONENT:
// the same as z < TWOPASS_EXTEXP_MIN_INPUT; -inf included); NaN (and +inf,
// whose t is NaN) give a NaN p. Testing n, which the caller keeps anyway,
// instead of z frees z's register after the reduction: the unrolled loops
// then keep their accumulators in registers (measured 5% faster on Zen 3).
static inline __m256 twopass_avx2_p5_extexp(const struct twopass_avx2_p5* k, __m256 vz,
                                            const __m256* verr, __m256 vmin_exponent,
                                            __m256* vn) {
  *vn = twopass_avx2_p5_round(k, vz);
  __m256 vt = twopass_avx2_p5_reduce(k, *vn, vz);
  if (verr != NULL) {
    vt = _mm256_add_ps(vt, *verr);
  }
  return twopass_avx2_zero_below(twopass_avx2_p5_finish(k, twopass_avx2_p5_poly(k, vt), vt),
                                 *vn, vmin_exponent);
}

// exp(z) for z <= 0 (up to the rounding of a maximum): n stays in the normal
// range wherever the result is kept, so the magic bias that rounds n also
// builds 2^n; y = s + (t*s) * q(t). Results for z < vcutoff (the smallest
// normal float, -inf included) are +0; NaN is kept.
static inline __m256 twopass_avx2_p5_exp(const struct twopass_avx2_p5* k, __m256 vz,
                                         __m256 vcutoff) {
  const __m256 vbiased = twopass_avx2_p5_biased_round(k, vz);
  const __m256 vs = twopass_avx2_p5_exp2_biased(k, vbiased);
  const __m256 vt = twopass_avx2_p5_reduce_biased(k, vbiased, vz);
  const __m256 vy = twopass_avx2_p5_scale_finish(twopass_avx2_p5_poly(k, vt), vt, vs);
  return twopass_avx2_zero_below(vy, vz, vcutoff);
}
