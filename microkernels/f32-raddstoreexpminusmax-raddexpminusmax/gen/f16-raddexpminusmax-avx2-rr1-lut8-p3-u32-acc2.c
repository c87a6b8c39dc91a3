// Auto-generated file. Do not edit!
//   Template: microkernels/f32-raddstoreexpminusmax-raddexpminusmax/avx2.c.in
//   Generator: scripts/xngen.py
//
// Three-pass softmax, pass 2, AVX2 + FMA: y = exp(beta*x - max), sum += y.
// STORE=0 gives raddexpminusmax, the same sum without storing y.
// The argument z = beta*x - max is formed by one FMA (one rounding), as in
// the AVX-512F kernel; z <= 0 here (up to the rounding of max).
// EXP picks the exp core, microkernels/exp/avx2-<EXP>.h (its name tokens):
//   p5           degree-5 polynomial, two-constant reduction; 2^n from a
//                magic bias that also rounds n (z <= 0 keeps n normal
//                wherever the result is kept); 10 FMA-pipe operations
//   rr1-lut8-p3  2^(j/8) from an 8-entry table (VPERMD), degree 3 over
//                |t| <= ln2/16, one-constant reduction; 7
// Both evaluate y = s + (t*s) * q(t) with s the power of two, and flush
// results below the smallest normal float (-inf included) to 0.
//
// Each float lane sum takes at most k additions (or one tile's, if more)
// before it is flushed into double lane sums. A float sum that already holds
// a large term (the peak of a row) rounds every small addition the same way;
// each rounding is at most 2^-24 of the partial sum, so k additions cost at
// most k * 2^-24 of the sum, for any input. A flush costs about 8 cycles, so
// k follows the contract each kernel serves: k = 64 (3.8e-6) for softmax's
// 1e-5, k = 16 (9.5e-7) for log-softmax's 2e-6, whose error is the sum's.
// DATATYPE=f16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load and (vscaleexpminusmax) the float result rounded once to
// f16 on store (microkernels/convert/avx2.h); the remainder goes
// through a local buffer.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/convert/avx2.h"
#include "microkernels/exp/avx2-rr1-lut8-p3.h"
#include "microkernels/microkernels.h"

// Adds the 8 float lanes of vacc to the 8 double lanes (vsum_lo, vsum_hi).
static inline void flush_to_double(__m256 vacc, __m256d* vsum_lo, __m256d* vsum_hi) {
  *vsum_lo = _mm256_add_pd(*vsum_lo, _mm256_cvtps_pd(_mm256_castps256_ps128(vacc)));
  *vsum_hi = _mm256_add_pd(*vsum_hi, _mm256_cvtps_pd(_mm256_extractf128_ps(vacc, 1)));
}

void twopass_f16_raddexpminusmax_ukernel__avx2_rr1_lut8_p3_u32_acc2(
    size_t batch,
    const uint16_t* input,
    float* sum,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(params != NULL);
  assert(sum != NULL);

  // 7 ones then 7 zeros: loading 8 entries at &mask_table[7 - k] gives a mask of k lanes.
  static const int32_t mask_table[14] = {-1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0};

  const __m256 vbeta = _mm256_set1_ps(params->beta);
  const __m256 vminus_max = _mm256_set1_ps(-params->max);
  const struct twopass_avx2_rr1_lut8_p3 k = twopass_avx2_rr1_lut8_p3_constants();
  // Below this exp(z) is not a normal float: the result is flushed to 0,
  // which also makes z = -inf give exactly 0 (instead of NaN from -inf + inf).
  // LT_OQ is false for NaN, so NaN is kept.
  const __m256 vdenorm_cutoff = _mm256_set1_ps(-0x1.5D589Ep6f);

  __m256d vsum_lo = _mm256_setzero_pd();
  __m256d vsum_hi = _mm256_setzero_pd();
  // Windows of 7 tiles: 15 additions per float lane.
  while (batch >= 32 * sizeof(uint16_t)) {
    size_t tiles = batch / (32 * sizeof(uint16_t));
    tiles = tiles < 7 ? tiles : 7;
    batch -= tiles * (32 * sizeof(uint16_t));
    __m256 vacc0 = _mm256_setzero_ps();
    __m256 vacc1 = _mm256_setzero_ps();
    do {
      const __m256 vz0 = _mm256_fmadd_ps(twopass_avx2_load_f16(input + 0), vbeta, vminus_max);
      const __m256 vz1 = _mm256_fmadd_ps(twopass_avx2_load_f16(input + 8), vbeta, vminus_max);
      const __m256 vz2 = _mm256_fmadd_ps(twopass_avx2_load_f16(input + 16), vbeta, vminus_max);
      const __m256 vz3 = _mm256_fmadd_ps(twopass_avx2_load_f16(input + 24), vbeta, vminus_max);
      input += 32;

      const __m256 vbiased0 = twopass_avx2_rr1_lut8_p3_biased_round(&k, vz0);
      const __m256 vbiased1 = twopass_avx2_rr1_lut8_p3_biased_round(&k, vz1);
      const __m256 vbiased2 = twopass_avx2_rr1_lut8_p3_biased_round(&k, vz2);
      const __m256 vbiased3 = twopass_avx2_rr1_lut8_p3_biased_round(&k, vz3);
      const __m256 vs0 = twopass_avx2_rr1_lut8_p3_exp2_biased(&k, vbiased0);
      const __m256 vs1 = twopass_avx2_rr1_lut8_p3_exp2_biased(&k, vbiased1);
      const __m256 vs2 = twopass_avx2_rr1_lut8_p3_exp2_biased(&k, vbiased2);
      const __m256 vs3 = twopass_avx2_rr1_lut8_p3_exp2_biased(&k, vbiased3);
      const __m256 vt0 = twopass_avx2_rr1_lut8_p3_reduce_biased(&k, vbiased0, vz0);
      const __m256 vt1 = twopass_avx2_rr1_lut8_p3_reduce_biased(&k, vbiased1, vz1);
      const __m256 vt2 = twopass_avx2_rr1_lut8_p3_reduce_biased(&k, vbiased2, vz2);
      const __m256 vt3 = twopass_avx2_rr1_lut8_p3_reduce_biased(&k, vbiased3, vz3);
      const __m256 vq0 = twopass_avx2_rr1_lut8_p3_poly(&k, vt0);
      const __m256 vq1 = twopass_avx2_rr1_lut8_p3_poly(&k, vt1);
      const __m256 vq2 = twopass_avx2_rr1_lut8_p3_poly(&k, vt2);
      const __m256 vq3 = twopass_avx2_rr1_lut8_p3_poly(&k, vt3);
      const __m256 vy0 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq0, vt0, vs0), vz0, vdenorm_cutoff);
      const __m256 vy1 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq1, vt1, vs1), vz1, vdenorm_cutoff);
      const __m256 vy2 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq2, vt2, vs2), vz2, vdenorm_cutoff);
      const __m256 vy3 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq3, vt3, vs3), vz3, vdenorm_cutoff);

      vacc0 = _mm256_add_ps(vacc0, vy0);
      vacc1 = _mm256_add_ps(vacc1, vy1);
      vacc0 = _mm256_add_ps(vacc0, vy2);
      vacc1 = _mm256_add_ps(vacc1, vy3);
    } while (--tiles != 0);
    vacc0 = _mm256_add_ps(vacc0, vacc1);
    flush_to_double(vacc0, &vsum_lo, &vsum_hi);
  }

  __m256 vacc0 = _mm256_setzero_ps();
  for (; batch >= 8 * sizeof(uint16_t); batch -= 8 * sizeof(uint16_t)) {
    const __m256 vz = _mm256_fmadd_ps(twopass_avx2_load_f16(input), vbeta, vminus_max);
    input += 8;

    const __m256 vy = twopass_avx2_rr1_lut8_p3_exp(&k, vz, vdenorm_cutoff);

    vacc0 = _mm256_add_ps(vacc0, vy);
  }
  if (batch != 0) {
    assert(batch >= 1 * sizeof(uint16_t));
    assert(batch <= 7 * sizeof(uint16_t));
    const __m256i vmask = _mm256_loadu_si256((const __m256i*) &mask_table[7 - (batch >> 1)]);
    const __m256 vz = _mm256_fmadd_ps(twopass_avx2_load_tail_f16(input, batch), vbeta, vminus_max);

    const __m256 vy = twopass_avx2_rr1_lut8_p3_exp(&k, vz, vdenorm_cutoff);

    // Masked-off lanes (x read as 0) must not contribute.
    vacc0 = _mm256_add_ps(vacc0, _mm256_and_ps(vy, _mm256_castsi256_ps(vmask)));
  }
  flush_to_double(vacc0, &vsum_lo, &vsum_hi);

  const __m256d vsum = _mm256_add_pd(vsum_lo, vsum_hi);
  __m128d vsum2 = _mm_add_pd(_mm256_castpd256_pd128(vsum), _mm256_extractf128_pd(vsum, 1));
  vsum2 = _mm_add_sd(vsum2, _mm_unpackhi_pd(vsum2, vsum2));
  *sum = (float) _mm_cvtsd_f64(vsum2);
}
