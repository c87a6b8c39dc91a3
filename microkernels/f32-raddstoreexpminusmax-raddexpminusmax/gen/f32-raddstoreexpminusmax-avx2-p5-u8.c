// Auto-generated file. Do not edit!
//   Template: microkernels/f32-raddstoreexpminusmax-raddexpminusmax/avx2-p5.c.in
//   Generator: scripts/xngen.py
//
// Three-pass softmax, pass 2, AVX2 + FMA: y = exp(beta*x - max), sum += y.
// STORE=0 gives raddexpminusmax, the same sum without storing y.
// The argument beta*x - max is formed by one FMA (one rounding), as in the
// AVX-512F kernel, with the same reduction and polynomial. AVX2 has no
// VSCALEFPS: z <= 0 here (up to the rounding of max), so n = round(z*log2(e))
// stays in the normal range wherever the result is kept, and 2^n is built
// with a magic bias that also does the rounding: the bits of
// z*log2(e) + 0x1.8000FEp23 shifted left by 23 are 2^n (valid for n <= 127).
// y = 2^n * p(t) is evaluated as s + (t*s) * (c1 + t*(c2 + ...)).
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

// Adds the 8 float lanes of vacc to the 8 double lanes (vsum_lo, vsum_hi).
static inline void flush_to_double(__m256 vacc, __m256d* vsum_lo, __m256d* vsum_hi) {
  *vsum_lo = _mm256_add_pd(*vsum_lo, _mm256_cvtps_pd(_mm256_castps256_ps128(vacc)));
  *vsum_hi = _mm256_add_pd(*vsum_hi, _mm256_cvtps_pd(_mm256_extractf128_ps(vacc, 1)));
}

void twopass_f32_raddstoreexpminusmax_ukernel__avx2_p5_u8(
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

  // 7 ones then 7 zeros: loading 8 entries at &mask_table[7 - k] gives a mask of k lanes.
  static const int32_t mask_table[14] = {-1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0};

  const __m256 vbeta = _mm256_set1_ps(params->beta);
  const __m256 vminus_max = _mm256_set1_ps(-params->max);
  const __m256 vlog2e = _mm256_set1_ps(0x1.715476p+0f);
  // 1.5 * 2^23 + 127: rounds z*log2(e) to an integer and biases it for the exponent field.
  const __m256 vmagic_bias = _mm256_set1_ps(0x1.8000FEp23f);
  const __m256 vminus_ln2_hi = _mm256_set1_ps(-0x1.62E43p-1f);
  const __m256 vminus_ln2_lo = _mm256_set1_ps(0x1.05C61p-29f);
  const __m256 vc5 = _mm256_set1_ps(0x1.0F9F9Cp-7f);
  const __m256 vc4 = _mm256_set1_ps(0x1.573A1Ap-5f);
  const __m256 vc3 = _mm256_set1_ps(0x1.555A80p-3f);
  const __m256 vc2 = _mm256_set1_ps(0x1.FFFDC6p-2f);
  const __m256 vc1 = _mm256_set1_ps(0x1.FFFFF6p-1f);
  // Below this exp(z) is not a normal float: the result is flushed to 0,
  // which also makes z = -inf give exactly 0 (instead of NaN from -inf + inf).
  // LT_OQ is false for NaN, so NaN is kept.
  const __m256 vdenorm_cutoff = _mm256_set1_ps(-0x1.5D589Ep6f);

  __m256d vsum_lo = _mm256_setzero_pd();
  __m256d vsum_hi = _mm256_setzero_pd();
  // Windows of 64 tiles: 64 additions per float lane.
  while (batch >= 8 * sizeof(float)) {
    size_t tiles = batch / (8 * sizeof(float));
    tiles = tiles < 64 ? tiles : 64;
    batch -= tiles * (8 * sizeof(float));
    __m256 vacc0 = _mm256_setzero_ps();
    do {
      const __m256 vz0 = _mm256_fmadd_ps(_mm256_loadu_ps(input + 0), vbeta, vminus_max);
      input += 8;

      __m256 vn0 = _mm256_fmadd_ps(vz0, vlog2e, vmagic_bias);

      const __m256 vs0 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(vn0), 23));
      vn0 = _mm256_sub_ps(vn0, vmagic_bias);

      __m256 vt0 = _mm256_fmadd_ps(vn0, vminus_ln2_hi, vz0);
      vt0 = _mm256_fmadd_ps(vn0, vminus_ln2_lo, vt0);

      __m256 vp0 = _mm256_fmadd_ps(vc5, vt0, vc4);
      vp0 = _mm256_fmadd_ps(vp0, vt0, vc3);
      vp0 = _mm256_fmadd_ps(vp0, vt0, vc2);
      vp0 = _mm256_fmadd_ps(vp0, vt0, vc1);

      vt0 = _mm256_mul_ps(vt0, vs0);
      __m256 vy0 = _mm256_fmadd_ps(vt0, vp0, vs0);
      vy0 = _mm256_andnot_ps(_mm256_cmp_ps(vz0, vdenorm_cutoff, _CMP_LT_OQ), vy0);

      _mm256_storeu_ps(output + 0, vy0);
      output += 8;

      vacc0 = _mm256_add_ps(vacc0, vy0);
    } while (--tiles != 0);
    flush_to_double(vacc0, &vsum_lo, &vsum_hi);
  }

  __m256 vacc0 = _mm256_setzero_ps();
  if (batch != 0) {
    assert(batch >= 1 * sizeof(float));
    assert(batch <= 7 * sizeof(float));
    const __m256i vmask = _mm256_loadu_si256((const __m256i*) ((uintptr_t) &mask_table[7] - batch));

    // Masked loads and stores never touch memory past the row.
    const __m256 vz = _mm256_fmadd_ps(_mm256_maskload_ps(input, vmask), vbeta, vminus_max);

    __m256 vn = _mm256_fmadd_ps(vz, vlog2e, vmagic_bias);
    const __m256 vs = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(vn), 23));
    vn = _mm256_sub_ps(vn, vmagic_bias);
    __m256 vt = _mm256_fmadd_ps(vn, vminus_ln2_hi, vz);
    vt = _mm256_fmadd_ps(vn, vminus_ln2_lo, vt);
    __m256 vp = _mm256_fmadd_ps(vc5, vt, vc4);
    vp = _mm256_fmadd_ps(vp, vt, vc3);
    vp = _mm256_fmadd_ps(vp, vt, vc2);
    vp = _mm256_fmadd_ps(vp, vt, vc1);
    vt = _mm256_mul_ps(vt, vs);
    __m256 vy = _mm256_fmadd_ps(vt, vp, vs);
    vy = _mm256_andnot_ps(_mm256_cmp_ps(vz, vdenorm_cutoff, _CMP_LT_OQ), vy);

    _mm256_maskstore_ps(output, vmask, vy);
    // Masked-off lanes (x read as 0) must not contribute.
    vacc0 = _mm256_add_ps(vacc0, _mm256_and_ps(vy, _mm256_castsi256_ps(vmask)));
  }
  flush_to_double(vacc0, &vsum_lo, &vsum_hi);

  const __m256d vsum = _mm256_add_pd(vsum_lo, vsum_hi);
  __m128d vsum2 = _mm_add_pd(_mm256_castpd256_pd128(vsum), _mm256_extractf128_pd(vsum, 1));
  vsum2 = _mm_add_sd(vsum2, _mm_unpackhi_pd(vsum2, vsum2));
  *sum = (float) _mm_cvtsd_f64(vsum2);
}
