// Auto-generated file. Do not edit!
//   Template: microkernels/f32-raddextexp/avx512f-p5-scalef.c.in
//   Generator: scripts/xngen.py
//
// Pass 1 of the two-pass softmax (Dukhan & Ablavatski, 2020), AVX-512F.
//
// exp(beta*x) = p * 2^n with n = round(beta*x * log2(e)) and p = exp(t) in
// [0.7, 1.5] for the reduced argument t. Each accumulator lane keeps a pair
// (v, e) meaning v * 2^e; adding (p, n) rescales both to e' = max(e, n) with
// VSCALEFPS, whose factors 2^(<= 0) are exact and never overflow.
//
// Each float lane value takes at most 16 additions (or one tile's, if more)
// before it is flushed into a lane pair (double value, float exponent). A
// float sum that already holds a large term (the peak of a row) rounds every
// small addition the same way; each rounding is at most 2^-24 of the partial
// sum, so k additions cost at most k * 2^-24 of the sum, for any input.
// BETA1=1 makes the unit-beta variant (name token beta1) that plain softmax
// gets at plan time: it computes exp(x), never reads params->beta and skips
// the two-product, as beta*x = x is exact.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/microkernels.h"

static inline __m256 high_half(__m512 v) {
  return _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
}

// Adds the lane pairs (vaccv, vacce) to the lane pairs (vsum_lo:vsum_hi, vsum_e),
// whose values are doubles. The exponents are never NaN (see below); an
// infinite one gives a NaN value, which survives every rescaling.
static inline void flush_to_double(__m512 vaccv, __m512 vacce,
                                   __m512* vsum_e, __m512d* vsum_lo, __m512d* vsum_hi) {
  const __m512 vmax_e = _mm512_max_ps(vacce, *vsum_e);
  const __m512 vdelta_sum = _mm512_sub_ps(*vsum_e, vmax_e);
  const __m512 vdelta_acc = _mm512_sub_ps(vacce, vmax_e);
  *vsum_lo = _mm512_add_pd(
      _mm512_scalef_pd(*vsum_lo, _mm512_cvtps_pd(_mm512_castps512_ps256(vdelta_sum))),
      _mm512_scalef_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(vaccv)),
                       _mm512_cvtps_pd(_mm512_castps512_ps256(vdelta_acc))));
  *vsum_hi = _mm512_add_pd(
      _mm512_scalef_pd(*vsum_hi, _mm512_cvtps_pd(high_half(vdelta_sum))),
      _mm512_scalef_pd(_mm512_cvtps_pd(high_half(vaccv)), _mm512_cvtps_pd(high_half(vdelta_acc))));
  *vsum_e = vmax_e;
}

void twopass_f32_raddextexp_ukernel__avx512f_p5_scalef_u144_acc3(
    size_t batch,
    const float* input,
    float* sum,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(sum != NULL);

  const __m512 vbeta = _mm512_set1_ps(params->beta);
  const __m512 vlog2e = _mm512_set1_ps(0x1.715476p+0f);
  // Cody-Waite split of -ln(2).
  const __m512 vminus_ln2_hi = _mm512_set1_ps(-0x1.62E43p-1f);
  const __m512 vminus_ln2_lo = _mm512_set1_ps(0x1.05C61p-29f);
  // Degree-5 minimax polynomial for exp(t) on [-ln(2)/2, ln(2)/2].
  const __m512 vc5 = _mm512_set1_ps(0x1.0F9F9Cp-7f);
  const __m512 vc4 = _mm512_set1_ps(0x1.573A1Ap-5f);
  const __m512 vc3 = _mm512_set1_ps(0x1.555A80p-3f);
  const __m512 vc2 = _mm512_set1_ps(0x1.FFFDC6p-2f);
  const __m512 vc1 = _mm512_set1_ps(0x1.FFFFF6p-1f);
  const __m512 vone = _mm512_set1_ps(1.0f);
  const __m512 vmin_input = _mm512_set1_ps(TWOPASS_EXTEXP_MIN_INPUT);

  __m512 vsum_e = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
  __m512d vsum_lo = _mm512_setzero_pd();
  __m512d vsum_hi = _mm512_setzero_pd();
  // Windows of 4 tiles: 14 additions per float lane.
  while (batch >= 144 * sizeof(float)) {
    size_t tiles = batch / (144 * sizeof(float));
    tiles = tiles < 4 ? tiles : 4;
    batch -= tiles * (144 * sizeof(float));
    __m512 vaccv0 = _mm512_setzero_ps();
    __m512 vaccv1 = _mm512_setzero_ps();
    __m512 vaccv2 = _mm512_setzero_ps();
    __m512 vacce0 = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    __m512 vacce1 = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    __m512 vacce2 = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    do {
      const __m512 vx0 = _mm512_loadu_ps(input + 0);
      const __m512 vx1 = _mm512_loadu_ps(input + 16);
      const __m512 vx2 = _mm512_loadu_ps(input + 32);
      const __m512 vx3 = _mm512_loadu_ps(input + 48);
      const __m512 vx4 = _mm512_loadu_ps(input + 64);
      const __m512 vx5 = _mm512_loadu_ps(input + 80);
      const __m512 vx6 = _mm512_loadu_ps(input + 96);
      const __m512 vx7 = _mm512_loadu_ps(input + 112);
      const __m512 vx8 = _mm512_loadu_ps(input + 128);
      input += 144;

      // z = beta*x exactly, as z + err: err is added to the reduced argument.
      const __m512 vz0 = _mm512_mul_ps(vx0, vbeta);
      const __m512 vz1 = _mm512_mul_ps(vx1, vbeta);
      const __m512 vz2 = _mm512_mul_ps(vx2, vbeta);
      const __m512 vz3 = _mm512_mul_ps(vx3, vbeta);
      const __m512 vz4 = _mm512_mul_ps(vx4, vbeta);
      const __m512 vz5 = _mm512_mul_ps(vx5, vbeta);
      const __m512 vz6 = _mm512_mul_ps(vx6, vbeta);
      const __m512 vz7 = _mm512_mul_ps(vx7, vbeta);
      const __m512 vz8 = _mm512_mul_ps(vx8, vbeta);
      const __m512 verr0 = _mm512_fmsub_ps(vx0, vbeta, vz0);
      const __m512 verr1 = _mm512_fmsub_ps(vx1, vbeta, vz1);
      const __m512 verr2 = _mm512_fmsub_ps(vx2, vbeta, vz2);
      const __m512 verr3 = _mm512_fmsub_ps(vx3, vbeta, vz3);
      const __m512 verr4 = _mm512_fmsub_ps(vx4, vbeta, vz4);
      const __m512 verr5 = _mm512_fmsub_ps(vx5, vbeta, vz5);
      const __m512 verr6 = _mm512_fmsub_ps(vx6, vbeta, vz6);
      const __m512 verr7 = _mm512_fmsub_ps(vx7, vbeta, vz7);
      const __m512 verr8 = _mm512_fmsub_ps(vx8, vbeta, vz8);

      const __m512 vn0 = _mm512_roundscale_ps(_mm512_mul_ps(vz0, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn1 = _mm512_roundscale_ps(_mm512_mul_ps(vz1, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn2 = _mm512_roundscale_ps(_mm512_mul_ps(vz2, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn3 = _mm512_roundscale_ps(_mm512_mul_ps(vz3, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn4 = _mm512_roundscale_ps(_mm512_mul_ps(vz4, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn5 = _mm512_roundscale_ps(_mm512_mul_ps(vz5, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn6 = _mm512_roundscale_ps(_mm512_mul_ps(vz6, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn7 = _mm512_roundscale_ps(_mm512_mul_ps(vz7, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m512 vn8 = _mm512_roundscale_ps(_mm512_mul_ps(vz8, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);

      __m512 vt0 = _mm512_fmadd_ps(vn0, vminus_ln2_hi, vz0);
      __m512 vt1 = _mm512_fmadd_ps(vn1, vminus_ln2_hi, vz1);
      __m512 vt2 = _mm512_fmadd_ps(vn2, vminus_ln2_hi, vz2);
      __m512 vt3 = _mm512_fmadd_ps(vn3, vminus_ln2_hi, vz3);
      __m512 vt4 = _mm512_fmadd_ps(vn4, vminus_ln2_hi, vz4);
      __m512 vt5 = _mm512_fmadd_ps(vn5, vminus_ln2_hi, vz5);
      __m512 vt6 = _mm512_fmadd_ps(vn6, vminus_ln2_hi, vz6);
      __m512 vt7 = _mm512_fmadd_ps(vn7, vminus_ln2_hi, vz7);
      __m512 vt8 = _mm512_fmadd_ps(vn8, vminus_ln2_hi, vz8);
      vt0 = _mm512_fmadd_ps(vn0, vminus_ln2_lo, vt0);
      vt1 = _mm512_fmadd_ps(vn1, vminus_ln2_lo, vt1);
      vt2 = _mm512_fmadd_ps(vn2, vminus_ln2_lo, vt2);
      vt3 = _mm512_fmadd_ps(vn3, vminus_ln2_lo, vt3);
      vt4 = _mm512_fmadd_ps(vn4, vminus_ln2_lo, vt4);
      vt5 = _mm512_fmadd_ps(vn5, vminus_ln2_lo, vt5);
      vt6 = _mm512_fmadd_ps(vn6, vminus_ln2_lo, vt6);
      vt7 = _mm512_fmadd_ps(vn7, vminus_ln2_lo, vt7);
      vt8 = _mm512_fmadd_ps(vn8, vminus_ln2_lo, vt8);
      vt0 = _mm512_add_ps(vt0, verr0);
      vt1 = _mm512_add_ps(vt1, verr1);
      vt2 = _mm512_add_ps(vt2, verr2);
      vt3 = _mm512_add_ps(vt3, verr3);
      vt4 = _mm512_add_ps(vt4, verr4);
      vt5 = _mm512_add_ps(vt5, verr5);
      vt6 = _mm512_add_ps(vt6, verr6);
      vt7 = _mm512_add_ps(vt7, verr7);
      vt8 = _mm512_add_ps(vt8, verr8);

      __m512 vp0 = _mm512_fmadd_ps(vc5, vt0, vc4);
      __m512 vp1 = _mm512_fmadd_ps(vc5, vt1, vc4);
      __m512 vp2 = _mm512_fmadd_ps(vc5, vt2, vc4);
      __m512 vp3 = _mm512_fmadd_ps(vc5, vt3, vc4);
      __m512 vp4 = _mm512_fmadd_ps(vc5, vt4, vc4);
      __m512 vp5 = _mm512_fmadd_ps(vc5, vt5, vc4);
      __m512 vp6 = _mm512_fmadd_ps(vc5, vt6, vc4);
      __m512 vp7 = _mm512_fmadd_ps(vc5, vt7, vc4);
      __m512 vp8 = _mm512_fmadd_ps(vc5, vt8, vc4);
      vp0 = _mm512_fmadd_ps(vp0, vt0, vc3);
      vp1 = _mm512_fmadd_ps(vp1, vt1, vc3);
      vp2 = _mm512_fmadd_ps(vp2, vt2, vc3);
      vp3 = _mm512_fmadd_ps(vp3, vt3, vc3);
      vp4 = _mm512_fmadd_ps(vp4, vt4, vc3);
      vp5 = _mm512_fmadd_ps(vp5, vt5, vc3);
      vp6 = _mm512_fmadd_ps(vp6, vt6, vc3);
      vp7 = _mm512_fmadd_ps(vp7, vt7, vc3);
      vp8 = _mm512_fmadd_ps(vp8, vt8, vc3);
      vp0 = _mm512_fmadd_ps(vp0, vt0, vc2);
      vp1 = _mm512_fmadd_ps(vp1, vt1, vc2);
      vp2 = _mm512_fmadd_ps(vp2, vt2, vc2);
      vp3 = _mm512_fmadd_ps(vp3, vt3, vc2);
      vp4 = _mm512_fmadd_ps(vp4, vt4, vc2);
      vp5 = _mm512_fmadd_ps(vp5, vt5, vc2);
      vp6 = _mm512_fmadd_ps(vp6, vt6, vc2);
      vp7 = _mm512_fmadd_ps(vp7, vt7, vc2);
      vp8 = _mm512_fmadd_ps(vp8, vt8, vc2);
      vp0 = _mm512_fmadd_ps(vp0, vt0, vc1);
      vp1 = _mm512_fmadd_ps(vp1, vt1, vc1);
      vp2 = _mm512_fmadd_ps(vp2, vt2, vc1);
      vp3 = _mm512_fmadd_ps(vp3, vt3, vc1);
      vp4 = _mm512_fmadd_ps(vp4, vt4, vc1);
      vp5 = _mm512_fmadd_ps(vp5, vt5, vc1);
      vp6 = _mm512_fmadd_ps(vp6, vt6, vc1);
      vp7 = _mm512_fmadd_ps(vp7, vt7, vc1);
      vp8 = _mm512_fmadd_ps(vp8, vt8, vc1);
      // Products below the range (-inf included) contribute exactly 0;
      // NLT_UQ keeps NaN lanes, so NaN propagates.
      vp0 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz0, vmin_input, _CMP_NLT_UQ), vp0, vt0, vone);
      vp1 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz1, vmin_input, _CMP_NLT_UQ), vp1, vt1, vone);
      vp2 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz2, vmin_input, _CMP_NLT_UQ), vp2, vt2, vone);
      vp3 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz3, vmin_input, _CMP_NLT_UQ), vp3, vt3, vone);
      vp4 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz4, vmin_input, _CMP_NLT_UQ), vp4, vt4, vone);
      vp5 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz5, vmin_input, _CMP_NLT_UQ), vp5, vt5, vone);
      vp6 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz6, vmin_input, _CMP_NLT_UQ), vp6, vt6, vone);
      vp7 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz7, vmin_input, _CMP_NLT_UQ), vp7, vt7, vone);
      vp8 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz8, vmin_input, _CMP_NLT_UQ), vp8, vt8, vone);

      // MAXPS returns its second operand when either is NaN: a NaN n
      // keeps the (finite) accumulator exponent, and NaN reaches the value
      // through scalef(p, NaN). The exponent never becomes NaN, which
      // scalef(NaN, -inf) = +0 could otherwise wipe out later.
      {
        const __m512 vmax_e = _mm512_max_ps(vn0, vacce0);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce0, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn0, vmax_e);
        vaccv0 = _mm512_scalef_ps(vaccv0, vdelta_acce);
        vaccv0 = _mm512_add_ps(vaccv0, _mm512_scalef_ps(vp0, vdelta_e));
        vacce0 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn1, vacce1);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce1, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn1, vmax_e);
        vaccv1 = _mm512_scalef_ps(vaccv1, vdelta_acce);
        vaccv1 = _mm512_add_ps(vaccv1, _mm512_scalef_ps(vp1, vdelta_e));
        vacce1 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn2, vacce2);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce2, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn2, vmax_e);
        vaccv2 = _mm512_scalef_ps(vaccv2, vdelta_acce);
        vaccv2 = _mm512_add_ps(vaccv2, _mm512_scalef_ps(vp2, vdelta_e));
        vacce2 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn3, vacce0);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce0, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn3, vmax_e);
        vaccv0 = _mm512_scalef_ps(vaccv0, vdelta_acce);
        vaccv0 = _mm512_add_ps(vaccv0, _mm512_scalef_ps(vp3, vdelta_e));
        vacce0 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn4, vacce1);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce1, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn4, vmax_e);
        vaccv1 = _mm512_scalef_ps(vaccv1, vdelta_acce);
        vaccv1 = _mm512_add_ps(vaccv1, _mm512_scalef_ps(vp4, vdelta_e));
        vacce1 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn5, vacce2);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce2, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn5, vmax_e);
        vaccv2 = _mm512_scalef_ps(vaccv2, vdelta_acce);
        vaccv2 = _mm512_add_ps(vaccv2, _mm512_scalef_ps(vp5, vdelta_e));
        vacce2 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn6, vacce0);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce0, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn6, vmax_e);
        vaccv0 = _mm512_scalef_ps(vaccv0, vdelta_acce);
        vaccv0 = _mm512_add_ps(vaccv0, _mm512_scalef_ps(vp6, vdelta_e));
        vacce0 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn7, vacce1);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce1, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn7, vmax_e);
        vaccv1 = _mm512_scalef_ps(vaccv1, vdelta_acce);
        vaccv1 = _mm512_add_ps(vaccv1, _mm512_scalef_ps(vp7, vdelta_e));
        vacce1 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn8, vacce2);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce2, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn8, vmax_e);
        vaccv2 = _mm512_scalef_ps(vaccv2, vdelta_acce);
        vaccv2 = _mm512_add_ps(vaccv2, _mm512_scalef_ps(vp8, vdelta_e));
        vacce2 = vmax_e;
      }
    } while (--tiles != 0);
    // Merge the accumulators into the first one.
    {
      const __m512 vmax_e = _mm512_max_ps(vacce0, vacce1);
      vaccv0 = _mm512_add_ps(
          _mm512_scalef_ps(vaccv0, _mm512_sub_ps(vacce0, vmax_e)),
          _mm512_scalef_ps(vaccv1, _mm512_sub_ps(vacce1, vmax_e)));
      vacce0 = vmax_e;
    }
    {
      const __m512 vmax_e = _mm512_max_ps(vacce0, vacce2);
      vaccv0 = _mm512_add_ps(
          _mm512_scalef_ps(vaccv0, _mm512_sub_ps(vacce0, vmax_e)),
          _mm512_scalef_ps(vaccv2, _mm512_sub_ps(vacce2, vmax_e)));
      vacce0 = vmax_e;
    }
    flush_to_double(vaccv0, vacce0, &vsum_e, &vsum_lo, &vsum_hi);
  }

  __m512 vaccv0 = _mm512_setzero_ps();
  __m512 vacce0 = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
  // One vector at a time, then the remainder under a mask. Masked-off lanes
  // keep their accumulator exponent, so they cannot rescale it.
  while (batch != 0) {
    const size_t elements = batch >> 2;
    const __mmask16 vmask = elements >= 16
        ? (__mmask16) 0xFFFF : _cvtu32_mask16((UINT32_C(1) << elements) - 1);
    const __m512 vx = _mm512_maskz_loadu_ps(vmask, input);
    const size_t processed = elements >= 16 ? 16 : elements;
    input += processed;
    batch -= processed * sizeof(float);

    const __m512 vz = _mm512_mul_ps(vx, vbeta);
    const __m512 verr = _mm512_fmsub_ps(vx, vbeta, vz);
    const __m512 vn = _mm512_roundscale_ps(_mm512_mul_ps(vz, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 vt = _mm512_fmadd_ps(vn, vminus_ln2_hi, vz);
    vt = _mm512_fmadd_ps(vn, vminus_ln2_lo, vt);
    vt = _mm512_add_ps(vt, verr);
    __m512 vp = _mm512_fmadd_ps(vc5, vt, vc4);
    vp = _mm512_fmadd_ps(vp, vt, vc3);
    vp = _mm512_fmadd_ps(vp, vt, vc2);
    vp = _mm512_fmadd_ps(vp, vt, vc1);
    vp = _mm512_maskz_fmadd_ps(vmask & _mm512_cmp_ps_mask(vz, vmin_input, _CMP_NLT_UQ), vp, vt, vone);

    const __m512 vmax_e = _mm512_mask_max_ps(vacce0, vmask, vn, vacce0);
    const __m512 vdelta_acce = _mm512_sub_ps(vacce0, vmax_e);
    const __m512 vdelta_e = _mm512_sub_ps(vn, vmax_e);
    vaccv0 = _mm512_scalef_ps(vaccv0, vdelta_acce);
    vaccv0 = _mm512_add_ps(vaccv0, _mm512_maskz_scalef_ps(vmask, vp, vdelta_e));
    vacce0 = vmax_e;
  }

  flush_to_double(vaccv0, vacce0, &vsum_e, &vsum_lo, &vsum_hi);

  // Merge the lanes: rescale every lane to the largest exponent, then add.
  const float max_e = _mm512_reduce_max_ps(vsum_e);
  const __m512 vdelta = _mm512_sub_ps(vsum_e, _mm512_set1_ps(max_e));
  const __m512d vsum = _mm512_add_pd(
      _mm512_scalef_pd(vsum_lo, _mm512_cvtps_pd(_mm512_castps512_ps256(vdelta))),
      _mm512_scalef_pd(vsum_hi, _mm512_cvtps_pd(high_half(vdelta))));
  sum[0] = (float) _mm512_reduce_add_pd(vsum);
  sum[1] = max_e;
}
