// Auto-generated file. Do not edit!
//   Template: microkernels/f32-raddextexp/avx2.c.in
//   Generator: scripts/xngen.py
//
// Pass 1 of the two-pass softmax (Dukhan & Ablavatski, 2020), AVX2 + FMA.
//
// Same algorithm as avx512f-p5-scalef.c.in: exp(beta*x) = p * 2^n (the AVX2
// exp core, microkernels/exp/avx2-p5.h), and every accumulator lane keeps a
// pair (v, e) meaning v * 2^e. AVX2 has no VSCALEFPS, so the factors 2^d
// (d <= 0, integer-valued) are built by hand (twopass_avx2_exp2):
//   d = max(d, -127)          (constant second: a NaN d becomes -127)
//   s = bits(d + 0x1.8000FEp23) << 23
// which is 2^d exactly for d >= -126 and +0.0 for d = -127. The lost terms
// (below 2^-126 relative to the accumulator's exponent) are negligible.
// A NaN element has a NaN p, which survives any multiplication by s, so NaN
// (and +inf, whose p is NaN too) reaches the sum.
//
// Each accumulator takes the maximum exponent of all the vectors it receives
// in one tile and is rescaled once: as every scale factor is an exact power of
// two, this gives the same sums as rescaling after every vector.
//
// Each float lane value takes at most 16 additions (or one tile's, if more)
// before it is flushed into a lane pair (double value, float exponent). A
// float sum that already holds a large term (the peak of a row) rounds every
// small addition the same way; each rounding is at most 2^-24 of the partial
// sum, so k additions cost at most k * 2^-24 of the sum, for any input.
// BETA1=1 makes the unit-beta variant (name token beta1) that plain softmax
// gets at plan time: it computes exp(x), never reads params->beta and skips
// the two-product, as beta*x = x is exact.
// EXP=rr2-lut8-p3: this variant's exp core is microkernels/exp/avx2-rr2-lut8-p3.h:
// exp(z) = m * 2^n with n = floor(k/8), k = round(z * 8/ln2), m = 2^((k mod 8)/8) * p(t)
// in about [0.95, 1.92]; products below TWOPASS_EXTEXP_MIN_INPUT are zeroed by
// comparing z itself (n does not tell the boundary apart).
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/exp/avx2-rr2-lut8-p3.h"
#include "microkernels/microkernels.h"

// Adds the lane pairs (vaccv, vacce) to the lane pairs (vsum_lo:vsum_hi, vsum_e),
// whose values are doubles. A NaN exponent comes with a NaN value, which
// survives every rescaling.
static inline void flush_to_double(__m256 vaccv, __m256 vacce,
                                   __m256* vsum_e, __m256d* vsum_lo, __m256d* vsum_hi) {
  const __m256 vmax_e = _mm256_max_ps(*vsum_e, vacce);
  const __m256 vsum_scale = twopass_avx2_exp2(_mm256_sub_ps(*vsum_e, vmax_e));
  const __m256 vacc = _mm256_mul_ps(vaccv, twopass_avx2_exp2(_mm256_sub_ps(vacce, vmax_e)));
  *vsum_lo = _mm256_fmadd_pd(*vsum_lo, _mm256_cvtps_pd(_mm256_castps256_ps128(vsum_scale)),
                             _mm256_cvtps_pd(_mm256_castps256_ps128(vacc)));
  *vsum_hi = _mm256_fmadd_pd(*vsum_hi, _mm256_cvtps_pd(_mm256_extractf128_ps(vsum_scale, 1)),
                             _mm256_cvtps_pd(_mm256_extractf128_ps(vacc, 1)));
  *vsum_e = vmax_e;
}

void twopass_f32_raddextexp_ukernel__avx2_rr2_lut8_p3_u32_acc2(
    size_t batch,
    const float* input,
    float* sum,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(sum != NULL);

  // 7 ones then 7 zeros: loading 8 entries at &mask_table[7 - k] gives a mask of k lanes.
  static const int32_t mask_table[14] = {-1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0};

  const __m256 vbeta = _mm256_set1_ps(params->beta);
  const struct twopass_avx2_rr2_lut8_p3 k = twopass_avx2_rr2_lut8_p3_constants();
  const __m256 vmin_input = _mm256_set1_ps(TWOPASS_EXTEXP_MIN_INPUT);

  __m256 vsum_e = _mm256_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
  __m256d vsum_lo = _mm256_setzero_pd();
  __m256d vsum_hi = _mm256_setzero_pd();
  // Windows of 7 tiles: 15 additions per float lane.
  while (batch >= 32 * sizeof(float)) {
    size_t tiles = batch / (32 * sizeof(float));
    tiles = tiles < 7 ? tiles : 7;
    batch -= tiles * (32 * sizeof(float));
    __m256 vaccv0 = _mm256_setzero_ps();
    __m256 vaccv1 = _mm256_setzero_ps();
    __m256 vacce0 = _mm256_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    __m256 vacce1 = _mm256_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    do {
      const __m256 vx0 = _mm256_loadu_ps(input + 0);
      const __m256 vx1 = _mm256_loadu_ps(input + 8);
      const __m256 vx2 = _mm256_loadu_ps(input + 16);
      const __m256 vx3 = _mm256_loadu_ps(input + 24);
      input += 32;

      // z = beta*x exactly, as z + err: err is added to the reduced argument.
      const __m256 vz0 = _mm256_mul_ps(vx0, vbeta);
      const __m256 vz1 = _mm256_mul_ps(vx1, vbeta);
      const __m256 vz2 = _mm256_mul_ps(vx2, vbeta);
      const __m256 vz3 = _mm256_mul_ps(vx3, vbeta);
      const __m256 verr0 = _mm256_fmsub_ps(vx0, vbeta, vz0);
      const __m256 verr1 = _mm256_fmsub_ps(vx1, vbeta, vz1);
      const __m256 verr2 = _mm256_fmsub_ps(vx2, vbeta, vz2);
      const __m256 verr3 = _mm256_fmsub_ps(vx3, vbeta, vz3);

      const __m256 vk0 = twopass_avx2_rr2_lut8_p3_round(&k, vz0);
      const __m256 vk1 = twopass_avx2_rr2_lut8_p3_round(&k, vz1);
      const __m256 vk2 = twopass_avx2_rr2_lut8_p3_round(&k, vz2);
      const __m256 vk3 = twopass_avx2_rr2_lut8_p3_round(&k, vz3);
      __m256 vn0;
      const __m256 vl0 = twopass_avx2_rr2_lut8_p3_split(&k, vk0, &vn0);
      __m256 vn1;
      const __m256 vl1 = twopass_avx2_rr2_lut8_p3_split(&k, vk1, &vn1);
      __m256 vn2;
      const __m256 vl2 = twopass_avx2_rr2_lut8_p3_split(&k, vk2, &vn2);
      __m256 vn3;
      const __m256 vl3 = twopass_avx2_rr2_lut8_p3_split(&k, vk3, &vn3);
      __m256 vt0 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk0, vz0);
      __m256 vt1 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk1, vz1);
      __m256 vt2 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk2, vz2);
      __m256 vt3 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk3, vz3);
      vt0 = _mm256_add_ps(vt0, verr0);
      vt1 = _mm256_add_ps(vt1, verr1);
      vt2 = _mm256_add_ps(vt2, verr2);
      vt3 = _mm256_add_ps(vt3, verr3);
      const __m256 vq0 = twopass_avx2_rr2_lut8_p3_poly(&k, vt0);
      const __m256 vq1 = twopass_avx2_rr2_lut8_p3_poly(&k, vt1);
      const __m256 vq2 = twopass_avx2_rr2_lut8_p3_poly(&k, vt2);
      const __m256 vq3 = twopass_avx2_rr2_lut8_p3_poly(&k, vt3);
      const __m256 vp0 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq0, vt0, vl0), vz0, vmin_input);
      const __m256 vp1 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq1, vt1, vl1), vz1, vmin_input);
      const __m256 vp2 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq2, vt2, vl2), vz2, vmin_input);
      const __m256 vp3 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq3, vt3, vl3), vz3, vmin_input);

      // New exponent of each accumulator: the maximum of its own and of its vectors' n.
      __m256 vmax_e0 = _mm256_max_ps(vacce0, vn0);
      __m256 vmax_e1 = _mm256_max_ps(vacce1, vn1);
      vmax_e0 = _mm256_max_ps(vmax_e0, vn2);
      vmax_e1 = _mm256_max_ps(vmax_e1, vn3);

      // Scale factors 2^delta of the exponent deltas (<= 0, or NaN: 0).
      const __m256 vaccs0 = twopass_avx2_exp2(_mm256_sub_ps(vacce0, vmax_e0));
      const __m256 vaccs1 = twopass_avx2_exp2(_mm256_sub_ps(vacce1, vmax_e1));
      const __m256 vs0 = twopass_avx2_exp2(_mm256_sub_ps(vn0, vmax_e0));
      const __m256 vs1 = twopass_avx2_exp2(_mm256_sub_ps(vn1, vmax_e1));
      const __m256 vs2 = twopass_avx2_exp2(_mm256_sub_ps(vn2, vmax_e0));
      const __m256 vs3 = twopass_avx2_exp2(_mm256_sub_ps(vn3, vmax_e1));

      vaccv0 = _mm256_mul_ps(vaccv0, vaccs0);
      vaccv1 = _mm256_mul_ps(vaccv1, vaccs1);
      vaccv0 = _mm256_fmadd_ps(vp0, vs0, vaccv0);
      vaccv1 = _mm256_fmadd_ps(vp1, vs1, vaccv1);
      vaccv0 = _mm256_fmadd_ps(vp2, vs2, vaccv0);
      vaccv1 = _mm256_fmadd_ps(vp3, vs3, vaccv1);
      vacce0 = vmax_e0;
      vacce1 = vmax_e1;
    } while (--tiles != 0);
    // Merge the accumulators into the first one.
    {
      __m256 vmax_e = _mm256_max_ps(vacce0, vacce1);
      const __m256 vaccs0 = twopass_avx2_exp2(_mm256_sub_ps(vacce0, vmax_e));
      const __m256 vaccs1 = twopass_avx2_exp2(_mm256_sub_ps(vacce1, vmax_e));
      vaccv0 = _mm256_mul_ps(vaccv0, vaccs0);
      vaccv0 = _mm256_fmadd_ps(vaccv1, vaccs1, vaccv0);
      vacce0 = vmax_e;
    }
    flush_to_double(vaccv0, vacce0, &vsum_e, &vsum_lo, &vsum_hi);
  }

  __m256 vaccv0 = _mm256_setzero_ps();
  __m256 vacce0 = _mm256_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
  for (; batch >= 8 * sizeof(float); batch -= 8 * sizeof(float)) {
    const __m256 vx = _mm256_loadu_ps(input);
    input += 8;

    const __m256 vz = _mm256_mul_ps(vx, vbeta);
    const __m256 verr = _mm256_fmsub_ps(vx, vbeta, vz);
    __m256 vn;
    const __m256 vp = twopass_avx2_rr2_lut8_p3_extexp(&k, vz, &verr, vmin_input, &vn);

    const __m256 vmax_e = _mm256_max_ps(vacce0, vn);
    const __m256 vaccs = twopass_avx2_exp2(_mm256_sub_ps(vacce0, vmax_e));
    const __m256 vs = twopass_avx2_exp2(_mm256_sub_ps(vn, vmax_e));
    vaccv0 = _mm256_mul_ps(vaccv0, vaccs);
    vaccv0 = _mm256_fmadd_ps(vp, vs, vaccv0);
    vacce0 = vmax_e;
  }
  if (batch != 0) {
    assert(batch >= 1 * sizeof(float));
    assert(batch <= 7 * sizeof(float));
    const __m256i vmask = _mm256_loadu_si256((const __m256i*) ((uintptr_t) &mask_table[7] - batch));

    // Masked-off lanes read 0 and never touch memory past the row.
    const __m256 vx = _mm256_maskload_ps(input, vmask);

    const __m256 vz = _mm256_mul_ps(vx, vbeta);
    const __m256 verr = _mm256_fmsub_ps(vx, vbeta, vz);
    __m256 vn;
    __m256 vp = twopass_avx2_rr2_lut8_p3_extexp(&k, vz, &verr, vmin_input, &vn);
    // Masked-off lanes contribute p = 0 at the accumulator's own exponent, so
    // they change neither the value nor the exponent of the accumulator.
    vp = _mm256_and_ps(vp, _mm256_castsi256_ps(vmask));
    vn = _mm256_blendv_ps(vacce0, vn, _mm256_castsi256_ps(vmask));

    const __m256 vmax_e = _mm256_max_ps(vacce0, vn);
    const __m256 vaccs = twopass_avx2_exp2(_mm256_sub_ps(vacce0, vmax_e));
    const __m256 vs = twopass_avx2_exp2(_mm256_sub_ps(vn, vmax_e));
    vaccv0 = _mm256_mul_ps(vaccv0, vaccs);
    vaccv0 = _mm256_fmadd_ps(vp, vs, vaccv0);
    vacce0 = vmax_e;
  }

  flush_to_double(vaccv0, vacce0, &vsum_e, &vsum_lo, &vsum_hi);

  // Merge the lanes: rescale every lane to the largest exponent, then add.
  // One maximum for all lanes (a lane-wise butterfly would let a NaN lane give
  // lanes different maxima). A NaN lane exponent only occurs with a NaN lane
  // value, which survives the rescaling, so NaN propagates.
  __m128 vmax_e4 = _mm_max_ps(_mm256_castps256_ps128(vsum_e), _mm256_extractf128_ps(vsum_e, 1));
  vmax_e4 = _mm_max_ps(vmax_e4, _mm_movehl_ps(vmax_e4, vmax_e4));
  vmax_e4 = _mm_max_ss(vmax_e4, _mm_movehdup_ps(vmax_e4));
  const __m256 vscale = twopass_avx2_exp2(_mm256_sub_ps(vsum_e, _mm256_broadcastss_ps(vmax_e4)));
  const __m256d vsum = _mm256_add_pd(
      _mm256_mul_pd(vsum_lo, _mm256_cvtps_pd(_mm256_castps256_ps128(vscale))),
      _mm256_mul_pd(vsum_hi, _mm256_cvtps_pd(_mm256_extractf128_ps(vscale, 1))));
  __m128d vsum2 = _mm_add_pd(_mm256_castpd256_pd128(vsum), _mm256_extractf128_pd(vsum, 1));
  vsum2 = _mm_add_sd(vsum2, _mm_unpackhi_pd(vsum2, vsum2));
  sum[0] = (float) _mm_cvtsd_f64(vsum2);
  sum[1] = _mm_cvtss_f32(vmax_e4);
}
