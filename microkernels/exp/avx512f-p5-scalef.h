// The exp core of every AVX-512F kernel, one vector at a time: the templates
// call it inside their unrolling, so a cheaper exp is a change here.
//
// exp(z) = p(t) * 2^n with n = round(z * log2(e)), t = z - n*ln2 and p the
// degree-5 minimax polynomial for exp(t) on [-ln(2)/2, ln(2)/2] (Dukhan &
// Ablavatski, 2020). VSCALEFPS applies 2^n (or any 2^d) in one instruction
// and saturates to 0 or inf instead of overflowing a float exponent.
#pragma once

#include <immintrin.h>

// The main loops call the steps of the cores below one at a time for all
// the vectors of a tile (interleaved, as the AVX2 kernels, where one
// dependency chain per vector measured 2-4% slower).

// Every lane of a vector (the main loops; remainders pass their mask).
#define TWOPASS_AVX512F_ALL_LANES ((__mmask16) 0xFFFF)

// The constants, set once per kernel call (registers across the loops).
struct twopass_avx512f_p5 {
  __m512 log2e;
  __m512 minus_ln2_hi;  // Cody-Waite split of -ln(2)
  __m512 minus_ln2_lo;
  __m512 minus_ln2;     // one constant, for |n| <= 126
  __m512 c5, c4, c3, c2, c1;
  __m512 one;
};

static inline struct twopass_avx512f_p5 twopass_avx512f_p5_constants(void) {
  struct twopass_avx512f_p5 k;
  k.log2e = _mm512_set1_ps(0x1.715476p+0f);
  k.minus_ln2_hi = _mm512_set1_ps(-0x1.62E43p-1f);
  k.minus_ln2_lo = _mm512_set1_ps(0x1.05C61p-29f);
  k.minus_ln2 = _mm512_set1_ps(-0x1.62E430p-1f);
  k.c5 = _mm512_set1_ps(0x1.0F9F9Cp-7f);
  k.c4 = _mm512_set1_ps(0x1.573A1Ap-5f);
  k.c3 = _mm512_set1_ps(0x1.555A80p-3f);
  k.c2 = _mm512_set1_ps(0x1.FFFDC6p-2f);
  k.c1 = _mm512_set1_ps(0x1.FFFFF6p-1f);
  k.one = _mm512_set1_ps(1.0f);
  return k;
}

// n = round(z * log2(e)), as a float.
static inline __m512 twopass_avx512f_p5_round(const struct twopass_avx512f_p5* k, __m512 vz) {
  return _mm512_roundscale_ps(_mm512_mul_ps(vz, k->log2e),
                              _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

// t = z - n*ln2 in two steps (Cody-Waite): exact enough for the |n| of any
// finite z (extended exponent).
static inline __m512 twopass_avx512f_p5_reduce(const struct twopass_avx512f_p5* k, __m512 vn,
                                               __m512 vz) {
  const __m512 vt = _mm512_fmadd_ps(vn, k->minus_ln2_hi, vz);
  return _mm512_fmadd_ps(vn, k->minus_ln2_lo, vt);
}

// t = z - n*ln2 with one constant ("rr1"): for |n| <= 126 the error of
// fl(ln2) adds at most 126 * 1.9e-9 = 2.4e-7 to t, and it saves an FMA.
static inline __m512 twopass_avx512f_p5_reduce_rr1(const struct twopass_avx512f_p5* k,
                                                   __m512 vn, __m512 vz) {
  return _mm512_fmadd_ps(vn, k->minus_ln2, vz);
}

// q(t) = c1 + t*(c2 + t*(c3 + t*(c4 + t*c5))): exp(t) = 1 + t*q(t).
static inline __m512 twopass_avx512f_p5_poly(const struct twopass_avx512f_p5* k, __m512 vt) {
  __m512 vq = _mm512_fmadd_ps(k->c5, vt, k->c4);
  vq = _mm512_fmadd_ps(vq, vt, k->c3);
  vq = _mm512_fmadd_ps(vq, vt, k->c2);
  return _mm512_fmadd_ps(vq, vt, k->c1);
}

// p = 1 + t*q(t) in the lanes of `keep`, +0 in the others: lanes outside the
// row, and z < vlimit (-inf included); NLT_UQ keeps NaN lanes, so NaN
// propagates.
static inline __m512 twopass_avx512f_p5_finish(const struct twopass_avx512f_p5* k,
                                               __mmask16 vlanes, __m512 vz, __m512 vlimit,
                                               __m512 vq, __m512 vt) {
  const __mmask16 vkeep = vlanes & _mm512_cmp_ps_mask(vz, vlimit, _CMP_NLT_UQ);
  return _mm512_maskz_fmadd_ps(vkeep, vq, vt, k->one);
}

// Extended exponent: exp(z + err) = p * 2^n for any finite z, with p in
// about [0.7, 1.5] and n returned in *vn; err (the rounding error of a
// product z = fl(beta*x), or NULL when z is exact) is added to t. p is +0
// outside `vlanes` and where z < vmin_input.
static inline __m512 twopass_avx512f_p5_extexp(const struct twopass_avx512f_p5* k,
                                               __mmask16 vlanes, __m512 vz, const __m512* verr,
                                               __m512 vmin_input, __m512* vn) {
  *vn = twopass_avx512f_p5_round(k, vz);
  __m512 vt = twopass_avx512f_p5_reduce(k, *vn, vz);
  if (verr != NULL) {
    vt = _mm512_add_ps(vt, *verr);
  }
  return twopass_avx512f_p5_finish(k, vlanes, vz, vmin_input, twopass_avx512f_p5_poly(k, vt), vt);
}

// exp(z) for z <= 0 (up to the rounding of a maximum), with the one-constant
// reduction (|n| <= 126 here). +0 outside `vlanes` and
// for z < vcutoff (the smallest normal float, -inf included); NaN is kept.
static inline __m512 twopass_avx512f_p5_rr1_exp(const struct twopass_avx512f_p5* k,
                                                __mmask16 vlanes, __m512 vz, __m512 vcutoff) {
  const __m512 vn = twopass_avx512f_p5_round(k, vz);
  const __m512 vt = twopass_avx512f_p5_reduce_rr1(k, vn, vz);
  const __m512 vp =
      twopass_avx512f_p5_finish(k, vlanes, vz, vcutoff, twopass_avx512f_p5_poly(k, vt), vt);
  return _mm512_scalef_ps(vp, vn);
}
