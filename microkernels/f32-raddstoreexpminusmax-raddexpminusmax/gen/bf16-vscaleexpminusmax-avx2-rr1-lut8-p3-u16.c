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
//
// SCALE=1 gives vscaleexpminusmax, the last pass of a three-pass softmax that
// recomputes the exps instead of reloading them: y = exp(beta*x - max) * scale,
// stored, no sum (the scale is the row's 1/sum). It is what 16-bit rows need,
// whose output cannot hold the unrounded exps for a later vscale.
// DATATYPE=bf16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load and (vscaleexpminusmax) the float result rounded once to
// bf16 on store (microkernels/convert/avx2.h); the remainder goes
// through a local buffer.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/convert/avx2.h"
#include "microkernels/exp/avx2-rr1-lut8-p3.h"
#include "microkernels/microkernels.h"

void twopass_bf16_vscaleexpminusmax_ukernel__avx2_rr1_lut8_p3_u16(
    size_t batch,
    const uint16_t* input,
    uint16_t* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(params != NULL);
  assert(output != NULL);

  const __m256 vbeta = _mm256_set1_ps(params->beta);
  const __m256 vminus_max = _mm256_set1_ps(-params->max);
  const __m256 vscale = _mm256_set1_ps(params->scale);
  const struct twopass_avx2_rr1_lut8_p3 k = twopass_avx2_rr1_lut8_p3_constants();
  // Below this exp(z) is not a normal float: the result is flushed to 0,
  // which also makes z = -inf give exactly 0 (instead of NaN from -inf + inf).
  // LT_OQ is false for NaN, so NaN is kept.
  const __m256 vdenorm_cutoff = _mm256_set1_ps(-0x1.5D589Ep6f);

  for (; batch >= 16 * sizeof(uint16_t); batch -= 16 * sizeof(uint16_t)) {
    const __m256 vz0 = _mm256_fmadd_ps(twopass_avx2_load_bf16(input + 0), vbeta, vminus_max);
    const __m256 vz1 = _mm256_fmadd_ps(twopass_avx2_load_bf16(input + 8), vbeta, vminus_max);
    input += 16;

    const __m256 vbiased0 = twopass_avx2_rr1_lut8_p3_biased_round(&k, vz0);
    const __m256 vbiased1 = twopass_avx2_rr1_lut8_p3_biased_round(&k, vz1);
    const __m256 vs0 = twopass_avx2_rr1_lut8_p3_exp2_biased(&k, vbiased0);
    const __m256 vs1 = twopass_avx2_rr1_lut8_p3_exp2_biased(&k, vbiased1);
    const __m256 vt0 = twopass_avx2_rr1_lut8_p3_reduce_biased(&k, vbiased0, vz0);
    const __m256 vt1 = twopass_avx2_rr1_lut8_p3_reduce_biased(&k, vbiased1, vz1);
    const __m256 vq0 = twopass_avx2_rr1_lut8_p3_poly(&k, vt0);
    const __m256 vq1 = twopass_avx2_rr1_lut8_p3_poly(&k, vt1);
    const __m256 vy0 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq0, vt0, vs0), vz0, vdenorm_cutoff);
    const __m256 vy1 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq1, vt1, vs1), vz1, vdenorm_cutoff);

    twopass_avx2_store_bf16(output + 0, _mm256_mul_ps(vy0, vscale));
    twopass_avx2_store_bf16(output + 8, _mm256_mul_ps(vy1, vscale));
    output += 16;
  }
  for (; batch >= 8 * sizeof(uint16_t); batch -= 8 * sizeof(uint16_t)) {
    const __m256 vz = _mm256_fmadd_ps(twopass_avx2_load_bf16(input), vbeta, vminus_max);
    input += 8;

    const __m256 vy = twopass_avx2_rr1_lut8_p3_exp(&k, vz, vdenorm_cutoff);
    twopass_avx2_store_bf16(output, _mm256_mul_ps(vy, vscale));
    output += 8;
  }
  if (batch != 0) {
    assert(batch >= 1 * sizeof(uint16_t));
    assert(batch <= 7 * sizeof(uint16_t));
    const __m256 vz = _mm256_fmadd_ps(twopass_avx2_load_tail_bf16(input, batch), vbeta, vminus_max);
    const __m256 vy = twopass_avx2_rr1_lut8_p3_exp(&k, vz, vdenorm_cutoff);
    twopass_avx2_store_tail_bf16(output, batch, _mm256_mul_ps(vy, vscale));
  }
}
