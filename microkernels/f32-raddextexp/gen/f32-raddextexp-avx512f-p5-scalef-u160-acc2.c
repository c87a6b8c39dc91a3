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

void twopass_f32_raddextexp_ukernel__avx512f_p5_scalef_u160_acc2(
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
  const struct twopass_avx512f_p5 k = twopass_avx512f_p5_constants();
  const __m512 vmin_input = _mm512_set1_ps(TWOPASS_EXTEXP_MIN_INPUT);

  __m512 vsum_e = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
  __m512d vsum_lo = _mm512_setzero_pd();
  __m512d vsum_hi = _mm512_setzero_pd();
  // Windows of 3 tiles: 16 additions per float lane.
  while (batch >= 160 * sizeof(float)) {
    size_t tiles = batch / (160 * sizeof(float));
    tiles = tiles < 3 ? tiles : 3;
    batch -= tiles * (160 * sizeof(float));
    __m512 vaccv0 = _mm512_setzero_ps();
    __m512 vaccv1 = _mm512_setzero_ps();
    __m512 vacce0 = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    __m512 vacce1 = _mm512_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
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
      const __m512 vx9 = _mm512_loadu_ps(input + 144);
      input += 160;

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
      const __m512 vz9 = _mm512_mul_ps(vx9, vbeta);
      const __m512 verr0 = _mm512_fmsub_ps(vx0, vbeta, vz0);
      const __m512 verr1 = _mm512_fmsub_ps(vx1, vbeta, vz1);
      const __m512 verr2 = _mm512_fmsub_ps(vx2, vbeta, vz2);
      const __m512 verr3 = _mm512_fmsub_ps(vx3, vbeta, vz3);
      const __m512 verr4 = _mm512_fmsub_ps(vx4, vbeta, vz4);
      const __m512 verr5 = _mm512_fmsub_ps(vx5, vbeta, vz5);
      const __m512 verr6 = _mm512_fmsub_ps(vx6, vbeta, vz6);
      const __m512 verr7 = _mm512_fmsub_ps(vx7, vbeta, vz7);
      const __m512 verr8 = _mm512_fmsub_ps(vx8, vbeta, vz8);
      const __m512 verr9 = _mm512_fmsub_ps(vx9, vbeta, vz9);

      const __m512 vn0 = twopass_avx512f_p5_round(&k, vz0);
      const __m512 vn1 = twopass_avx512f_p5_round(&k, vz1);
      const __m512 vn2 = twopass_avx512f_p5_round(&k, vz2);
      const __m512 vn3 = twopass_avx512f_p5_round(&k, vz3);
      const __m512 vn4 = twopass_avx512f_p5_round(&k, vz4);
      const __m512 vn5 = twopass_avx512f_p5_round(&k, vz5);
      const __m512 vn6 = twopass_avx512f_p5_round(&k, vz6);
      const __m512 vn7 = twopass_avx512f_p5_round(&k, vz7);
      const __m512 vn8 = twopass_avx512f_p5_round(&k, vz8);
      const __m512 vn9 = twopass_avx512f_p5_round(&k, vz9);
      __m512 vt0 = twopass_avx512f_p5_reduce(&k, vn0, vz0);
      __m512 vt1 = twopass_avx512f_p5_reduce(&k, vn1, vz1);
      __m512 vt2 = twopass_avx512f_p5_reduce(&k, vn2, vz2);
      __m512 vt3 = twopass_avx512f_p5_reduce(&k, vn3, vz3);
      __m512 vt4 = twopass_avx512f_p5_reduce(&k, vn4, vz4);
      __m512 vt5 = twopass_avx512f_p5_reduce(&k, vn5, vz5);
      __m512 vt6 = twopass_avx512f_p5_reduce(&k, vn6, vz6);
      __m512 vt7 = twopass_avx512f_p5_reduce(&k, vn7, vz7);
      __m512 vt8 = twopass_avx512f_p5_reduce(&k, vn8, vz8);
      __m512 vt9 = twopass_avx512f_p5_reduce(&k, vn9, vz9);
      vt0 = _mm512_add_ps(vt0, verr0);
      vt1 = _mm512_add_ps(vt1, verr1);
      vt2 = _mm512_add_ps(vt2, verr2);
      vt3 = _mm512_add_ps(vt3, verr3);
      vt4 = _mm512_add_ps(vt4, verr4);
      vt5 = _mm512_add_ps(vt5, verr5);
      vt6 = _mm512_add_ps(vt6, verr6);
      vt7 = _mm512_add_ps(vt7, verr7);
      vt8 = _mm512_add_ps(vt8, verr8);
      vt9 = _mm512_add_ps(vt9, verr9);
      const __m512 vq0 = twopass_avx512f_p5_poly(&k, vt0);
      const __m512 vq1 = twopass_avx512f_p5_poly(&k, vt1);
      const __m512 vq2 = twopass_avx512f_p5_poly(&k, vt2);
      const __m512 vq3 = twopass_avx512f_p5_poly(&k, vt3);
      const __m512 vq4 = twopass_avx512f_p5_poly(&k, vt4);
      const __m512 vq5 = twopass_avx512f_p5_poly(&k, vt5);
      const __m512 vq6 = twopass_avx512f_p5_poly(&k, vt6);
      const __m512 vq7 = twopass_avx512f_p5_poly(&k, vt7);
      const __m512 vq8 = twopass_avx512f_p5_poly(&k, vt8);
      const __m512 vq9 = twopass_avx512f_p5_poly(&k, vt9);
      const __m512 vp0 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz0, vmin_input, vq0, vt0);
      const __m512 vp1 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz1, vmin_input, vq1, vt1);
      const __m512 vp2 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz2, vmin_input, vq2, vt2);
      const __m512 vp3 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz3, vmin_input, vq3, vt3);
      const __m512 vp4 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz4, vmin_input, vq4, vt4);
      const __m512 vp5 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz5, vmin_input, vq5, vt5);
      const __m512 vp6 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz6, vmin_input, vq6, vt6);
      const __m512 vp7 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz7, vmin_input, vq7, vt7);
      const __m512 vp8 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz8, vmin_input, vq8, vt8);
      const __m512 vp9 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz9, vmin_input, vq9, vt9);

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
        const __m512 vmax_e = _mm512_max_ps(vn2, vacce0);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce0, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn2, vmax_e);
        vaccv0 = _mm512_scalef_ps(vaccv0, vdelta_acce);
        vaccv0 = _mm512_add_ps(vaccv0, _mm512_scalef_ps(vp2, vdelta_e));
        vacce0 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn3, vacce1);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce1, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn3, vmax_e);
        vaccv1 = _mm512_scalef_ps(vaccv1, vdelta_acce);
        vaccv1 = _mm512_add_ps(vaccv1, _mm512_scalef_ps(vp3, vdelta_e));
        vacce1 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn4, vacce0);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce0, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn4, vmax_e);
        vaccv0 = _mm512_scalef_ps(vaccv0, vdelta_acce);
        vaccv0 = _mm512_add_ps(vaccv0, _mm512_scalef_ps(vp4, vdelta_e));
        vacce0 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn5, vacce1);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce1, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn5, vmax_e);
        vaccv1 = _mm512_scalef_ps(vaccv1, vdelta_acce);
        vaccv1 = _mm512_add_ps(vaccv1, _mm512_scalef_ps(vp5, vdelta_e));
        vacce1 = vmax_e;
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
        const __m512 vmax_e = _mm512_max_ps(vn8, vacce0);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce0, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn8, vmax_e);
        vaccv0 = _mm512_scalef_ps(vaccv0, vdelta_acce);
        vaccv0 = _mm512_add_ps(vaccv0, _mm512_scalef_ps(vp8, vdelta_e));
        vacce0 = vmax_e;
      }
      {
        const __m512 vmax_e = _mm512_max_ps(vn9, vacce1);
        const __m512 vdelta_acce = _mm512_sub_ps(vacce1, vmax_e);
        const __m512 vdelta_e = _mm512_sub_ps(vn9, vmax_e);
        vaccv1 = _mm512_scalef_ps(vaccv1, vdelta_acce);
        vaccv1 = _mm512_add_ps(vaccv1, _mm512_scalef_ps(vp9, vdelta_e));
        vacce1 = vmax_e;
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
    __m512 vn;
    const __m512 vp = twopass_avx512f_p5_extexp(&k, vmask, vz, &verr, vmin_input, &vn);

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
