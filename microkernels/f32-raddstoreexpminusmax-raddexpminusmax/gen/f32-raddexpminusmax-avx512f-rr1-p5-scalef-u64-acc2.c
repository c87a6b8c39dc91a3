// Auto-generated file. Do not edit!
//   Template: microkernels/f32-raddstoreexpminusmax-raddexpminusmax/avx512f-rr1-p5-scalef.c.in
//   Generator: scripts/xngen.py
//
// Three-pass softmax, pass 2, AVX-512F: y = exp(beta*x - max), sum += y.
// STORE=0 gives raddexpminusmax, the same sum without storing y.
// The argument beta*x - max is formed by one FMA (one rounding), so the
// rounding of max shifts every exponent by the same amount and cancels in
// the normalization.
//
// Each float lane sum takes at most k additions (or one tile's, if more)
// before it is flushed into double lane sums. A float sum that already holds
// a large term (the peak of a row) rounds every small addition the same way;
// each rounding is at most 2^-24 of the partial sum, so k additions cost at
// most k * 2^-24 of the sum, for any input. A flush costs about 8 cycles, so
// k follows the contract each kernel serves: k = 64 (3.8e-6) for softmax's
// 1e-5, k = 16 (9.5e-7) for log-softmax's 2e-6, whose error is the sum's.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/microkernels.h"

// Adds the 16 float lanes of vacc to the 16 double lanes (vsum_lo, vsum_hi).
static inline void flush_to_double(__m512 vacc, __m512d* vsum_lo, __m512d* vsum_hi) {
  *vsum_lo = _mm512_add_pd(*vsum_lo, _mm512_cvtps_pd(_mm512_castps512_ps256(vacc)));
  *vsum_hi = _mm512_add_pd(*vsum_hi, _mm512_cvtps_pd(
      _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(vacc), 1))));
}

void twopass_f32_raddexpminusmax_ukernel__avx512f_rr1_p5_scalef_u64_acc2(
    size_t batch,
    const float* input,
    float* sum,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(params != NULL);
  assert(sum != NULL);

  const __m512 vbeta = _mm512_set1_ps(params->beta);
  const __m512 vminus_max = _mm512_set1_ps(-params->max);
  const __m512 vlog2e = _mm512_set1_ps(0x1.715476p+0f);
  // One-constant range reduction ("rr1"): here |n| <= 126, so the error of
  // fl(ln2) adds at most 126 * 1.9e-9 = 2.4e-7 to t, and saves an FMA.
  const __m512 vminus_ln2 = _mm512_set1_ps(-0x1.62E430p-1f);
  const __m512 vc5 = _mm512_set1_ps(0x1.0F9F9Cp-7f);
  const __m512 vc4 = _mm512_set1_ps(0x1.573A1Ap-5f);
  const __m512 vc3 = _mm512_set1_ps(0x1.555A80p-3f);
  const __m512 vc2 = _mm512_set1_ps(0x1.FFFDC6p-2f);
  const __m512 vc1 = _mm512_set1_ps(0x1.FFFFF6p-1f);
  const __m512 vone = _mm512_set1_ps(1.0f);
  // Below this exp(z) is not a normal float: the result is flushed to 0,
  // which also makes z = -inf give exactly 0 (instead of NaN from -inf + inf).
  const __m512 vdenorm_cutoff = _mm512_set1_ps(-0x1.5D589Ep6f);

  __m512d vsum_lo = _mm512_setzero_pd();
  __m512d vsum_hi = _mm512_setzero_pd();
  // Windows of 7 tiles: 15 additions per float lane.
  while (batch >= 64 * sizeof(float)) {
    size_t tiles = batch / (64 * sizeof(float));
    tiles = tiles < 7 ? tiles : 7;
    batch -= tiles * (64 * sizeof(float));
    __m512 vacc0 = _mm512_setzero_ps();
    __m512 vacc1 = _mm512_setzero_ps();
    do {
      const __m512 vz0 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 0), vbeta, vminus_max);
      const __m512 vz1 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 16), vbeta, vminus_max);
      const __m512 vz2 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 32), vbeta, vminus_max);
      const __m512 vz3 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 48), vbeta, vminus_max);
      input += 64;

      const __m512 vn0 = _mm512_roundscale_ps(_mm512_mul_ps(vz0, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn1 = _mm512_roundscale_ps(_mm512_mul_ps(vz1, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn2 = _mm512_roundscale_ps(_mm512_mul_ps(vz2, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn3 = _mm512_roundscale_ps(_mm512_mul_ps(vz3, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);

      const __m512 vt0 = _mm512_fmadd_ps(vn0, vminus_ln2, vz0);
      const __m512 vt1 = _mm512_fmadd_ps(vn1, vminus_ln2, vz1);
      const __m512 vt2 = _mm512_fmadd_ps(vn2, vminus_ln2, vz2);
      const __m512 vt3 = _mm512_fmadd_ps(vn3, vminus_ln2, vz3);

      __m512 vp0 = _mm512_fmadd_ps(vc5, vt0, vc4);
      __m512 vp1 = _mm512_fmadd_ps(vc5, vt1, vc4);
      __m512 vp2 = _mm512_fmadd_ps(vc5, vt2, vc4);
      __m512 vp3 = _mm512_fmadd_ps(vc5, vt3, vc4);
      vp0 = _mm512_fmadd_ps(vp0, vt0, vc3);
      vp1 = _mm512_fmadd_ps(vp1, vt1, vc3);
      vp2 = _mm512_fmadd_ps(vp2, vt2, vc3);
      vp3 = _mm512_fmadd_ps(vp3, vt3, vc3);
      vp0 = _mm512_fmadd_ps(vp0, vt0, vc2);
      vp1 = _mm512_fmadd_ps(vp1, vt1, vc2);
      vp2 = _mm512_fmadd_ps(vp2, vt2, vc2);
      vp3 = _mm512_fmadd_ps(vp3, vt3, vc2);
      vp0 = _mm512_fmadd_ps(vp0, vt0, vc1);
      vp1 = _mm512_fmadd_ps(vp1, vt1, vc1);
      vp2 = _mm512_fmadd_ps(vp2, vt2, vc1);
      vp3 = _mm512_fmadd_ps(vp3, vt3, vc1);
      vp0 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz0, vdenorm_cutoff, _CMP_NLT_UQ), vp0, vt0, vone);
      vp1 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz1, vdenorm_cutoff, _CMP_NLT_UQ), vp1, vt1, vone);
      vp2 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz2, vdenorm_cutoff, _CMP_NLT_UQ), vp2, vt2, vone);
      vp3 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz3, vdenorm_cutoff, _CMP_NLT_UQ), vp3, vt3, vone);

      const __m512 vy0 = _mm512_scalef_ps(vp0, vn0);
      const __m512 vy1 = _mm512_scalef_ps(vp1, vn1);
      const __m512 vy2 = _mm512_scalef_ps(vp2, vn2);
      const __m512 vy3 = _mm512_scalef_ps(vp3, vn3);

      vacc0 = _mm512_add_ps(vacc0, vy0);
      vacc1 = _mm512_add_ps(vacc1, vy1);
      vacc0 = _mm512_add_ps(vacc0, vy2);
      vacc1 = _mm512_add_ps(vacc1, vy3);
    } while (--tiles != 0);
    vacc0 = _mm512_add_ps(vacc0, vacc1);
    flush_to_double(vacc0, &vsum_lo, &vsum_hi);
  }

  __m512 vacc0 = _mm512_setzero_ps();
  while (batch != 0) {
    const size_t elements = batch >> 2;
    const __mmask16 vmask = elements >= 16
        ? (__mmask16) 0xFFFF : _cvtu32_mask16((UINT32_C(1) << elements) - 1);
    const size_t processed = elements >= 16 ? 16 : elements;
    // Masked-off lanes get z = 0: a huge -max there would make n = +inf and
    // VSCALEFPS(0, +inf) = NaN.
    const __m512 vz = _mm512_maskz_fmadd_ps(vmask, _mm512_maskz_loadu_ps(vmask, input), vbeta, vminus_max);
    input += processed;

    const __m512 vn = _mm512_roundscale_ps(_mm512_mul_ps(vz, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 vt = _mm512_fmadd_ps(vn, vminus_ln2, vz);
    __m512 vp = _mm512_fmadd_ps(vc5, vt, vc4);
    vp = _mm512_fmadd_ps(vp, vt, vc3);
    vp = _mm512_fmadd_ps(vp, vt, vc2);
    vp = _mm512_fmadd_ps(vp, vt, vc1);
    vp = _mm512_maskz_fmadd_ps(vmask & _mm512_cmp_ps_mask(vz, vdenorm_cutoff, _CMP_NLT_UQ), vp, vt, vone);
    const __m512 vy = _mm512_scalef_ps(vp, vn);

    vacc0 = _mm512_add_ps(vacc0, vy);
    batch -= processed * sizeof(float);
  }
  flush_to_double(vacc0, &vsum_lo, &vsum_hi);
  *sum = (float) _mm512_reduce_add_pd(_mm512_add_pd(vsum_lo, vsum_hi));
}
