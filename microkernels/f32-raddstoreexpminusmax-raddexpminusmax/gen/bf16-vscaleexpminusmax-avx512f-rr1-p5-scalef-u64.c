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
//
// SCALE=1 gives vscaleexpminusmax, the last pass of a three-pass softmax that
// recomputes the exps instead of reloading them: y = exp(beta*x - max) * scale,
// stored, no sum (the scale is the row's 1/sum). It is what 16-bit rows need,
// whose output cannot hold the unrounded exps for a later vscale.
// DATATYPE=bf16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load and (vscaleexpminusmax) the float result rounded once to
// bf16 on store (microkernels/convert/avx512f.h). 16-bit masked loads and
// stores need AVX512BW: the remainder goes through a local buffer instead.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/convert/avx512f.h"
#include "microkernels/exp/avx512f-p5-scalef.h"
#include "microkernels/microkernels.h"

void twopass_bf16_vscaleexpminusmax_ukernel__avx512f_rr1_p5_scalef_u64(
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

  const __m512 vbeta = _mm512_set1_ps(params->beta);
  const __m512 vminus_max = _mm512_set1_ps(-params->max);
  const __m512 vscale = _mm512_set1_ps(params->scale);
  const struct twopass_avx512f_p5 k = twopass_avx512f_p5_constants();
  // Below this exp(z) is not a normal float: the result is flushed to 0,
  // which also makes z = -inf give exactly 0 (instead of NaN from -inf + inf).
  const __m512 vdenorm_cutoff = _mm512_set1_ps(-0x1.5D589Ep6f);

  for (; batch >= 64 * sizeof(uint16_t); batch -= 64 * sizeof(uint16_t)) {
    const __m512 vz0 = _mm512_fmadd_ps(twopass_avx512f_load_bf16(input + 0), vbeta, vminus_max);
    const __m512 vz1 = _mm512_fmadd_ps(twopass_avx512f_load_bf16(input + 16), vbeta, vminus_max);
    const __m512 vz2 = _mm512_fmadd_ps(twopass_avx512f_load_bf16(input + 32), vbeta, vminus_max);
    const __m512 vz3 = _mm512_fmadd_ps(twopass_avx512f_load_bf16(input + 48), vbeta, vminus_max);
    input += 64;

    const __m512 vn0 = twopass_avx512f_p5_round(&k, vz0);
    const __m512 vn1 = twopass_avx512f_p5_round(&k, vz1);
    const __m512 vn2 = twopass_avx512f_p5_round(&k, vz2);
    const __m512 vn3 = twopass_avx512f_p5_round(&k, vz3);
    const __m512 vt0 = twopass_avx512f_p5_reduce_rr1(&k, vn0, vz0);
    const __m512 vt1 = twopass_avx512f_p5_reduce_rr1(&k, vn1, vz1);
    const __m512 vt2 = twopass_avx512f_p5_reduce_rr1(&k, vn2, vz2);
    const __m512 vt3 = twopass_avx512f_p5_reduce_rr1(&k, vn3, vz3);
    const __m512 vq0 = twopass_avx512f_p5_poly(&k, vt0);
    const __m512 vq1 = twopass_avx512f_p5_poly(&k, vt1);
    const __m512 vq2 = twopass_avx512f_p5_poly(&k, vt2);
    const __m512 vq3 = twopass_avx512f_p5_poly(&k, vt3);
    const __m512 vp0 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz0, vdenorm_cutoff, vq0, vt0);
    const __m512 vp1 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz1, vdenorm_cutoff, vq1, vt1);
    const __m512 vp2 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz2, vdenorm_cutoff, vq2, vt2);
    const __m512 vp3 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz3, vdenorm_cutoff, vq3, vt3);
    const __m512 vy0 = _mm512_scalef_ps(vp0, vn0);
    const __m512 vy1 = _mm512_scalef_ps(vp1, vn1);
    const __m512 vy2 = _mm512_scalef_ps(vp2, vn2);
    const __m512 vy3 = _mm512_scalef_ps(vp3, vn3);

    twopass_avx512f_store_bf16(output + 0, _mm512_mul_ps(vy0, vscale));
    twopass_avx512f_store_bf16(output + 16, _mm512_mul_ps(vy1, vscale));
    twopass_avx512f_store_bf16(output + 32, _mm512_mul_ps(vy2, vscale));
    twopass_avx512f_store_bf16(output + 48, _mm512_mul_ps(vy3, vscale));
    output += 64;
  }
  while (batch != 0) {
    const size_t elements = batch >> 1;
    const __mmask16 vmask = elements >= 16
        ? (__mmask16) 0xFFFF : _cvtu32_mask16((UINT32_C(1) << elements) - 1);
    const size_t processed = elements >= 16 ? 16 : elements;
    // Masked-off lanes get z = 0: a huge -max there would make n = +inf and
    // VSCALEFPS(0, +inf) = NaN.
    const __m512 vz = _mm512_maskz_fmadd_ps(vmask, twopass_avx512f_load_tail_bf16(input, processed), vbeta, vminus_max);
    input += processed;

    const __m512 vy = _mm512_mul_ps(twopass_avx512f_p5_rr1_exp(&k, vmask, vz, vdenorm_cutoff), vscale);

    twopass_avx512f_store_tail_bf16(output, processed, vy);
    output += processed;
    batch -= processed * sizeof(uint16_t);
  }
}
