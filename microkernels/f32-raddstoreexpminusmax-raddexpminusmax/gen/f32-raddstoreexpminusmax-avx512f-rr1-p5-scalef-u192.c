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

void twopass_f32_raddstoreexpminusmax_ukernel__avx512f_rr1_p5_scalef_u192(
    size_t batch,
    const float* input,
    float* output,
    float* sum,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(params != NULL);
  assert(output != NULL);
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
  // Windows of 5 tiles: 60 additions per float lane.
  while (batch >= 192 * sizeof(float)) {
    size_t tiles = batch / (192 * sizeof(float));
    tiles = tiles < 5 ? tiles : 5;
    batch -= tiles * (192 * sizeof(float));
    __m512 vacc0 = _mm512_setzero_ps();
    do {
      const __m512 vz0 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 0), vbeta, vminus_max);
      const __m512 vz1 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 16), vbeta, vminus_max);
      const __m512 vz2 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 32), vbeta, vminus_max);
      const __m512 vz3 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 48), vbeta, vminus_max);
      const __m512 vz4 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 64), vbeta, vminus_max);
      const __m512 vz5 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 80), vbeta, vminus_max);
      const __m512 vz6 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 96), vbeta, vminus_max);
      const __m512 vz7 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 112), vbeta, vminus_max);
      const __m512 vz8 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 128), vbeta, vminus_max);
      const __m512 vz9 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 144), vbeta, vminus_max);
      const __m512 vz10 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 160), vbeta, vminus_max);
      const __m512 vz11 = _mm512_fmadd_ps(_mm512_loadu_ps(input + 176), vbeta, vminus_max);
      input += 192;

      const __m512 vn0 = _mm512_roundscale_ps(_mm512_mul_ps(vz0, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn1 = _mm512_roundscale_ps(_mm512_mul_ps(vz1, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn2 = _mm512_roundscale_ps(_mm512_mul_ps(vz2, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn3 = _mm512_roundscale_ps(_mm512_mul_ps(vz3, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn4 = _mm512_roundscale_ps(_mm512_mul_ps(vz4, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn5 = _mm512_roundscale_ps(_mm512_mul_ps(vz5, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn6 = _mm512_roundscale_ps(_mm512_mul_ps(vz6, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn7 = _mm512_roundscale_ps(_mm512_mul_ps(vz7, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn8 = _mm512_roundscale_ps(_mm512_mul_ps(vz8, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn9 = _mm512_roundscale_ps(_mm512_mul_ps(vz9, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn10 = _mm512_roundscale_ps(_mm512_mul_ps(vz10, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn11 = _mm512_roundscale_ps(_mm512_mul_ps(vz11, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);

      const __m512 vt0 = _mm512_fmadd_ps(vn0, vminus_ln2, vz0);
      const __m512 vt1 = _mm512_fmadd_ps(vn1, vminus_ln2, vz1);
      const __m512 vt2 = _mm512_fmadd_ps(vn2, vminus_ln2, vz2);
      const __m512 vt3 = _mm512_fmadd_ps(vn3, vminus_ln2, vz3);
      const __m512 vt4 = _mm512_fmadd_ps(vn4, vminus_ln2, vz4);
      const __m512 vt5 = _mm512_fmadd_ps(vn5, vminus_ln2, vz5);
      const __m512 vt6 = _mm512_fmadd_ps(vn6, vminus_ln2, vz6);
      const __m512 vt7 = _mm512_fmadd_ps(vn7, vminus_ln2, vz7);
      const __m512 vt8 = _mm512_fmadd_ps(vn8, vminus_ln2, vz8);
      const __m512 vt9 = _mm512_fmadd_ps(vn9, vminus_ln2, vz9);
      const __m512 vt10 = _mm512_fmadd_ps(vn10, vminus_ln2, vz10);
      const __m512 vt11 = _mm512_fmadd_ps(vn11, vminus_ln2, vz11);

      __m512 vp0 = _mm512_fmadd_ps(vc5, vt0, vc4);
      __m512 vp1 = _mm512_fmadd_ps(vc5, vt1, vc4);
      __m512 vp2 = _mm512_fmadd_ps(vc5, vt2, vc4);
      __m512 vp3 = _mm512_fmadd_ps(vc5, vt3, vc4);
      __m512 vp4 = _mm512_fmadd_ps(vc5, vt4, vc4);
      __m512 vp5 = _mm512_fmadd_ps(vc5, vt5, vc4);
      __m512 vp6 = _mm512_fmadd_ps(vc5, vt6, vc4);
      __m512 vp7 = _mm512_fmadd_ps(vc5, vt7, vc4);
      __m512 vp8 = _mm512_fmadd_ps(vc5, vt8, vc4);
      __m512 vp9 = _mm512_fmadd_ps(vc5, vt9, vc4);
      __m512 vp10 = _mm512_fmadd_ps(vc5, vt10, vc4);
      __m512 vp11 = _mm512_fmadd_ps(vc5, vt11, vc4);
      vp0 = _mm512_fmadd_ps(vp0, vt0, vc3);
      vp1 = _mm512_fmadd_ps(vp1, vt1, vc3);
      vp2 = _mm512_fmadd_ps(vp2, vt2, vc3);
      vp3 = _mm512_fmadd_ps(vp3, vt3, vc3);
      vp4 = _mm512_fmadd_ps(vp4, vt4, vc3);
      vp5 = _mm512_fmadd_ps(vp5, vt5, vc3);
      vp6 = _mm512_fmadd_ps(vp6, vt6, vc3);
      vp7 = _mm512_fmadd_ps(vp7, vt7, vc3);
      vp8 = _mm512_fmadd_ps(vp8, vt8, vc3);
      vp9 = _mm512_fmadd_ps(vp9, vt9, vc3);
      vp10 = _mm512_fmadd_ps(vp10, vt10, vc3);
      vp11 = _mm512_fmadd_ps(vp11, vt11, vc3);
      vp0 = _mm512_fmadd_ps(vp0, vt0, vc2);
      vp1 = _mm512_fmadd_ps(vp1, vt1, vc2);
      vp2 = _mm512_fmadd_ps(vp2, vt2, vc2);
      vp3 = _mm512_fmadd_ps(vp3, vt3, vc2);
      vp4 = _mm512_fmadd_ps(vp4, vt4, vc2);
      vp5 = _mm512_fmadd_ps(vp5, vt5, vc2);
      vp6 = _mm512_fmadd_ps(vp6, vt6, vc2);
      vp7 = _mm512_fmadd_ps(vp7, vt7, vc2);
      vp8 = _mm512_fmadd_ps(vp8, vt8, vc2);
      vp9 = _mm512_fmadd_ps(vp9, vt9, vc2);
      vp10 = _mm512_fmadd_ps(vp10, vt10, vc2);
      vp11 = _mm512_fmadd_ps(vp11, vt11, vc2);
      vp0 = _mm512_fmadd_ps(vp0, vt0, vc1);
      vp1 = _mm512_fmadd_ps(vp1, vt1, vc1);
      vp2 = _mm512_fmadd_ps(vp2, vt2, vc1);
      vp3 = _mm512_fmadd_ps(vp3, vt3, vc1);
      vp4 = _mm512_fmadd_ps(vp4, vt4, vc1);
      vp5 = _mm512_fmadd_ps(vp5, vt5, vc1);
      vp6 = _mm512_fmadd_ps(vp6, vt6, vc1);
      vp7 = _mm512_fmadd_ps(vp7, vt7, vc1);
      vp8 = _mm512_fmadd_ps(vp8, vt8, vc1);
      vp9 = _mm512_fmadd_ps(vp9, vt9, vc1);
      vp10 = _mm512_fmadd_ps(vp10, vt10, vc1);
      vp11 = _mm512_fmadd_ps(vp11, vt11, vc1);
      vp0 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz0, vdenorm_cutoff, _CMP_NLT_UQ), vp0, vt0, vone);
      vp1 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz1, vdenorm_cutoff, _CMP_NLT_UQ), vp1, vt1, vone);
      vp2 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz2, vdenorm_cutoff, _CMP_NLT_UQ), vp2, vt2, vone);
      vp3 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz3, vdenorm_cutoff, _CMP_NLT_UQ), vp3, vt3, vone);
      vp4 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz4, vdenorm_cutoff, _CMP_NLT_UQ), vp4, vt4, vone);
      vp5 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz5, vdenorm_cutoff, _CMP_NLT_UQ), vp5, vt5, vone);
      vp6 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz6, vdenorm_cutoff, _CMP_NLT_UQ), vp6, vt6, vone);
      vp7 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz7, vdenorm_cutoff, _CMP_NLT_UQ), vp7, vt7, vone);
      vp8 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz8, vdenorm_cutoff, _CMP_NLT_UQ), vp8, vt8, vone);
      vp9 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz9, vdenorm_cutoff, _CMP_NLT_UQ), vp9, vt9, vone);
      vp10 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz10, vdenorm_cutoff, _CMP_NLT_UQ), vp10, vt10, vone);
      vp11 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz11, vdenorm_cutoff, _CMP_NLT_UQ), vp11, vt11, vone);

      const __m512 vy0 = _mm512_scalef_ps(vp0, vn0);
      const __m512 vy1 = _mm512_scalef_ps(vp1, vn1);
      const __m512 vy2 = _mm512_scalef_ps(vp2, vn2);
      const __m512 vy3 = _mm512_scalef_ps(vp3, vn3);
      const __m512 vy4 = _mm512_scalef_ps(vp4, vn4);
      const __m512 vy5 = _mm512_scalef_ps(vp5, vn5);
      const __m512 vy6 = _mm512_scalef_ps(vp6, vn6);
      const __m512 vy7 = _mm512_scalef_ps(vp7, vn7);
      const __m512 vy8 = _mm512_scalef_ps(vp8, vn8);
      const __m512 vy9 = _mm512_scalef_ps(vp9, vn9);
      const __m512 vy10 = _mm512_scalef_ps(vp10, vn10);
      const __m512 vy11 = _mm512_scalef_ps(vp11, vn11);

      _mm512_storeu_ps(output + 0, vy0);
      _mm512_storeu_ps(output + 16, vy1);
      _mm512_storeu_ps(output + 32, vy2);
      _mm512_storeu_ps(output + 48, vy3);
      _mm512_storeu_ps(output + 64, vy4);
      _mm512_storeu_ps(output + 80, vy5);
      _mm512_storeu_ps(output + 96, vy6);
      _mm512_storeu_ps(output + 112, vy7);
      _mm512_storeu_ps(output + 128, vy8);
      _mm512_storeu_ps(output + 144, vy9);
      _mm512_storeu_ps(output + 160, vy10);
      _mm512_storeu_ps(output + 176, vy11);
      output += 192;

      vacc0 = _mm512_add_ps(vacc0, vy0);
      vacc0 = _mm512_add_ps(vacc0, vy1);
      vacc0 = _mm512_add_ps(vacc0, vy2);
      vacc0 = _mm512_add_ps(vacc0, vy3);
      vacc0 = _mm512_add_ps(vacc0, vy4);
      vacc0 = _mm512_add_ps(vacc0, vy5);
      vacc0 = _mm512_add_ps(vacc0, vy6);
      vacc0 = _mm512_add_ps(vacc0, vy7);
      vacc0 = _mm512_add_ps(vacc0, vy8);
      vacc0 = _mm512_add_ps(vacc0, vy9);
      vacc0 = _mm512_add_ps(vacc0, vy10);
      vacc0 = _mm512_add_ps(vacc0, vy11);
    } while (--tiles != 0);
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

    _mm512_mask_storeu_ps(output, vmask, vy);
    output += processed;
    vacc0 = _mm512_add_ps(vacc0, vy);
    batch -= processed * sizeof(float);
  }
  flush_to_double(vacc0, &vsum_lo, &vsum_hi);
  *sum = (float) _mm512_reduce_add_pd(_mm512_add_pd(vsum_lo, vsum_hi));
}
