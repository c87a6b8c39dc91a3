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
// DATATYPE=f16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load; the sum is the float pair of the f32
// kernel (microkernels/convert/avx512f.h).
// 16-bit masked loads and stores need AVX512BW: the remainder goes through a
// local buffer instead.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/convert/avx512f.h"
#include "microkernels/exp/avx512f-p5-scalef.h"
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

void twopass_f16_raddextexp_ukernel__avx512f_p5_scalef_beta1_u64_acc4(
    size_t batch,
    const uint16_t* input,
    float* sum,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(sum != NULL);

  const struct twopass_avx512f_p5 k = twopass_avx512f_p5_constants();
  const __m512 vmin_input = _mm512_set1_ps(TWOPASS_EXTEXP_MIN_INPUT);

  __m512 vsum_e = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
  __m512d vsum_lo = _mm512_setzero_pd();
  __m512d vsum_hi = _mm512_setzero_pd();
  // Windows of 13 tiles: 16 additions per float lane.
  while (batch >= 64 * sizeof(uint16_t)) {
    size_t tiles = batch / (64 * sizeof(uint16_t));
    tiles = tiles < 13 ? tiles : 13;
    batch -= tiles * (64 * sizeof(uint16_t));
    __m512 vaccv0 = _mm512_setzero_ps();
    __m512 vaccv1 = _mm512_setzero_ps();
    __m512 vaccv2 = _mm512_setzero_ps();
    __m512 vaccv3 = _mm512_setzero_ps();
    __m512 vacce0 = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    __m512 vacce1 = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    __m512 vacce2 = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    __m512 vacce3 = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    do {
      const __m512 vx0 = twopass_avx512f_load_f16(input + 0);
      const __m512 vx1 = twopass_avx512f_load_f16(input + 16);
      const __m512 vx2 = twopass_avx512f_load_f16(input + 32);
      const __m512 vx3 = twopass_avx512f_load_f16(input + 48);
      input += 64;

      const __m512 vz0 = vx0;
      const __m512 vz1 = vx1;
      const __m512 vz2 = vx2;
      const __m512 vz3 = vx3;

      const __m512 vn0 = twopass_avx512f_p5_round(&k, vz0);
      const __m512 vn1 = twopass_avx512f_p5_round(&k, vz1);
      const __m512 vn2 = twopass_avx512f_p5_round(&k, vz2);
      const __m512 vn3 = twopass_avx512f_p5_round(&k, vz3);
      __m512 vt0 = twopass_avx512f_p5_reduce(&k, vn0, vz0);
      __m512 vt1 = twopass_avx512f_p5_reduce(&k, vn1, vz1);
      __m512 vt2 = twopass_avx512f_p5_reduce(&k, vn2, vz2);
      __m512 vt3 = twopass_avx512f_p5_reduce(&k, vn3, vz3);
      const __m512 vq0 = twopass_avx512f_p5_poly(&k, vt0);
      const __m512 vq1 = twopass_avx512f_p5_poly(&k, vt1);
      const __m512 vq2 = twopass_avx512f_p5_poly(&k, vt2);
      const __m512 vq3 = twopass_avx512f_p5_poly(&k, vt3);
      const __m512 vp0 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz0, vmin_input, vq0, vt0);
      const __m512 vp1 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz1, vmin_input, vq1, vt1);
      const __m512 vp2 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz2, vmin_input, vq2, vt2);
      const __m512 vp3 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz3, vmin_input, vq3, vt3);

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
        const __m512 vmax_e = _mm512_max_ps(vn3, vacce3);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce3, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn3, vmax_e);
        vaccv3 = _mm512_scalef_ps(vaccv3, vdelta_acce);
        vaccv3 = _mm512_add_ps(vaccv3, _mm512_scalef_ps(vp3, vdelta_e));
        vacce3 = vmax_e;
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
    {
      const __m512 vmax_e = _mm512_max_ps(vacce0, vacce3);
      vaccv0 = _mm512_add_ps(
          _mm512_scalef_ps(vaccv0, _mm512_sub_ps(vacce0, vmax_e)),
          _mm512_scalef_ps(vaccv3, _mm512_sub_ps(vacce3, vmax_e)));
      vacce0 = vmax_e;
    }
    flush_to_double(vaccv0, vacce0, &vsum_e, &vsum_lo, &vsum_hi);
  }

  __m512 vaccv0 = _mm512_setzero_ps();
  __m512 vacce0 = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
  // One vector at a time, then the remainder under a mask. Masked-off lanes
  // keep their accumulator exponent, so they cannot rescale it.
  while (batch != 0) {
    const size_t elements = batch >> 1;
    const __mmask16 vmask = elements >= 16
        ? (__mmask16) 0xFFFF : _cvtu32_mask16((UINT32_C(1) << elements) - 1);
    const size_t processed = elements >= 16 ? 16 : elements;
    const __m512 vx = twopass_avx512f_load_tail_f16(input, processed);
    input += processed;
    batch -= processed * sizeof(uint16_t);

    const __m512 vz = vx;
    __m512 vn;
    const __m512 vp = twopass_avx512f_p5_extexp(&k, vmask, vz, NULL, vmin_input, &vn);

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
