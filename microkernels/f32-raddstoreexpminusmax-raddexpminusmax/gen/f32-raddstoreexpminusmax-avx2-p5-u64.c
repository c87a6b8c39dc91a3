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

void twopass_f32_raddstoreexpminusmax_ukernel__avx2_p5_u64(
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
  // Windows of 8 tiles: 64 additions per float lane.
  while (batch >= 64 * sizeof(float)) {
    size_t tiles = batch / (64 * sizeof(float));
    tiles = tiles < 8 ? tiles : 8;
    batch -= tiles * (64 * sizeof(float));
    __m256 vacc0 = _mm256_setzero_ps();
    do {
      const __m256 vz0 = _mm256_fmadd_ps(_mm256_loadu_ps(input + 0), vbeta, vminus_max);
      const __m256 vz1 = _mm256_fmadd_ps(_mm256_loadu_ps(input + 8), vbeta, vminus_max);
      const __m256 vz2 = _mm256_fmadd_ps(_mm256_loadu_ps(input + 16), vbeta, vminus_max);
      const __m256 vz3 = _mm256_fmadd_ps(_mm256_loadu_ps(input + 24), vbeta, vminus_max);
      const __m256 vz4 = _mm256_fmadd_ps(_mm256_loadu_ps(input + 32), vbeta, vminus_max);
      const __m256 vz5 = _mm256_fmadd_ps(_mm256_loadu_ps(input + 40), vbeta, vminus_max);
      const __m256 vz6 = _mm256_fmadd_ps(_mm256_loadu_ps(input + 48), vbeta, vminus_max);
      const __m256 vz7 = _mm256_fmadd_ps(_mm256_loadu_ps(input + 56), vbeta, vminus_max);
      input += 64;

      __m256 vn0 = _mm256_fmadd_ps(vz0, vlog2e, vmagic_bias);
      __m256 vn1 = _mm256_fmadd_ps(vz1, vlog2e, vmagic_bias);
      __m256 vn2 = _mm256_fmadd_ps(vz2, vlog2e, vmagic_bias);
      __m256 vn3 = _mm256_fmadd_ps(vz3, vlog2e, vmagic_bias);
      __m256 vn4 = _mm256_fmadd_ps(vz4, vlog2e, vmagic_bias);
      __m256 vn5 = _mm256_fmadd_ps(vz5, vlog2e, vmagic_bias);
      __m256 vn6 = _mm256_fmadd_ps(vz6, vlog2e, vmagic_bias);
      __m256 vn7 = _mm256_fmadd_ps(vz7, vlog2e, vmagic_bias);

      const __m256 vs0 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(vn0), 23));
      const __m256 vs1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(vn1), 23));
      const __m256 vs2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(vn2), 23));
      const __m256 vs3 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(vn3), 23));
      const __m256 vs4 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(vn4), 23));
      const __m256 vs5 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(vn5), 23));
      const __m256 vs6 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(vn6), 23));
      const __m256 vs7 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(vn7), 23));
      vn0 = _mm256_sub_ps(vn0, vmagic_bias);
      vn1 = _mm256_sub_ps(vn1, vmagic_bias);
      vn2 = _mm256_sub_ps(vn2, vmagic_bias);
      vn3 = _mm256_sub_ps(vn3, vmagic_bias);
      vn4 = _mm256_sub_ps(vn4, vmagic_bias);
      vn5 = _mm256_sub_ps(vn5, vmagic_bias);
      vn6 = _mm256_sub_ps(vn6, vmagic_bias);
      vn7 = _mm256_sub_ps(vn7, vmagic_bias);

      __m256 vt0 = _mm256_fmadd_ps(vn0, vminus_ln2_hi, vz0);
      __m256 vt1 = _mm256_fmadd_ps(vn1, vminus_ln2_hi, vz1);
      __m256 vt2 = _mm256_fmadd_ps(vn2, vminus_ln2_hi, vz2);
      __m256 vt3 = _mm256_fmadd_ps(vn3, vminus_ln2_hi, vz3);
      __m256 vt4 = _mm256_fmadd_ps(vn4, vminus_ln2_hi, vz4);
      __m256 vt5 = _mm256_fmadd_ps(vn5, vminus_ln2_hi, vz5);
      __m256 vt6 = _mm256_fmadd_ps(vn6, vminus_ln2_hi, vz6);
      __m256 vt7 = _mm256_fmadd_ps(vn7, vminus_ln2_hi, vz7);
      vt0 = _mm256_fmadd_ps(vn0, vminus_ln2_lo, vt0);
      vt1 = _mm256_fmadd_ps(vn1, vminus_ln2_lo, vt1);
      vt2 = _mm256_fmadd_ps(vn2, vminus_ln2_lo, vt2);
      vt3 = _mm256_fmadd_ps(vn3, vminus_ln2_lo, vt3);
      vt4 = _mm256_fmadd_ps(vn4, vminus_ln2_lo, vt4);
      vt5 = _mm256_fmadd_ps(vn5, vminus_ln2_lo, vt5);
      vt6 = _mm256_fmadd_ps(vn6, vminus_ln2_lo, vt6);
      vt7 = _mm256_fmadd_ps(vn7, vminus_ln2_lo, vt7);

      __m256 vp0 = _mm256_fmadd_ps(vc5, vt0, vc4);
      __m256 vp1 = _mm256_fmadd_ps(vc5, vt1, vc4);
      __m256 vp2 = _mm256_fmadd_ps(vc5, vt2, vc4);
      __m256 vp3 = _mm256_fmadd_ps(vc5, vt3, vc4);
      __m256 vp4 = _mm256_fmadd_ps(vc5, vt4, vc4);
      __m256 vp5 = _mm256_fmadd_ps(vc5, vt5, vc4);
      __m256 vp6 = _mm256_fmadd_ps(vc5, vt6, vc4);
      __m256 vp7 = _mm256_fmadd_ps(vc5, vt7, vc4);
      vp0 = _mm256_fmadd_ps(vp0, vt0, vc3);
      vp1 = _mm256_fmadd_ps(vp1, vt1, vc3);
      vp2 = _mm256_fmadd_ps(vp2, vt2, vc3);
      vp3 = _mm256_fmadd_ps(vp3, vt3, vc3);
      vp4 = _mm256_fmadd_ps(vp4, vt4, vc3);
      vp5 = _mm256_fmadd_ps(vp5, vt5, vc3);
      vp6 = _mm256_fmadd_ps(vp6, vt6, vc3);
      vp7 = _mm256_fmadd_ps(vp7, vt7, vc3);
      vp0 = _mm256_fmadd_ps(vp0, vt0, vc2);
      vp1 = _mm256_fmadd_ps(vp1, vt1, vc2);
      vp2 = _mm256_fmadd_ps(vp2, vt2, vc2);
      vp3 = _mm256_fmadd_ps(vp3, vt3, vc2);
      vp4 = _mm256_fmadd_ps(vp4, vt4, vc2);
      vp5 = _mm256_fmadd_ps(vp5, vt5, vc2);
      vp6 = _mm256_fmadd_ps(vp6, vt6, vc2);
      vp7 = _mm256_fmadd_ps(vp7, vt7, vc2);
      vp0 = _mm256_fmadd_ps(vp0, vt0, vc1);
      vp1 = _mm256_fmadd_ps(vp1, vt1, vc1);
      vp2 = _mm256_fmadd_ps(vp2, vt2, vc1);
      vp3 = _mm256_fmadd_ps(vp3, vt3, vc1);
      vp4 = _mm256_fmadd_ps(vp4, vt4, vc1);
      vp5 = _mm256_fmadd_ps(vp5, vt5, vc1);
      vp6 = _mm256_fmadd_ps(vp6, vt6, vc1);
      vp7 = _mm256_fmadd_ps(vp7, vt7, vc1);

      vt0 = _mm256_mul_ps(vt0, vs0);
      vt1 = _mm256_mul_ps(vt1, vs1);
      vt2 = _mm256_mul_ps(vt2, vs2);
      vt3 = _mm256_mul_ps(vt3, vs3);
      vt4 = _mm256_mul_ps(vt4, vs4);
      vt5 = _mm256_mul_ps(vt5, vs5);
      vt6 = _mm256_mul_ps(vt6, vs6);
      vt7 = _mm256_mul_ps(vt7, vs7);
      __m256 vy0 = _mm256_fmadd_ps(vt0, vp0, vs0);
      __m256 vy1 = _mm256_fmadd_ps(vt1, vp1, vs1);
      __m256 vy2 = _mm256_fmadd_ps(vt2, vp2, vs2);
      __m256 vy3 = _mm256_fmadd_ps(vt3, vp3, vs3);
      __m256 vy4 = _mm256_fmadd_ps(vt4, vp4, vs4);
      __m256 vy5 = _mm256_fmadd_ps(vt5, vp5, vs5);
      __m256 vy6 = _mm256_fmadd_ps(vt6, vp6, vs6);
      __m256 vy7 = _mm256_fmadd_ps(vt7, vp7, vs7);
      vy0 = _mm256_andnot_ps(_mm256_cmp_ps(vz0, vdenorm_cutoff, _CMP_LT_OQ), vy0);
      vy1 = _mm256_andnot_ps(_mm256_cmp_ps(vz1, vdenorm_cutoff, _CMP_LT_OQ), vy1);
      vy2 = _mm256_andnot_ps(_mm256_cmp_ps(vz2, vdenorm_cutoff, _CMP_LT_OQ), vy2);
      vy3 = _mm256_andnot_ps(_mm256_cmp_ps(vz3, vdenorm_cutoff, _CMP_LT_OQ), vy3);
      vy4 = _mm256_andnot_ps(_mm256_cmp_ps(vz4, vdenorm_cutoff, _CMP_LT_OQ), vy4);
      vy5 = _mm256_andnot_ps(_mm256_cmp_ps(vz5, vdenorm_cutoff, _CMP_LT_OQ), vy5);
      vy6 = _mm256_andnot_ps(_mm256_cmp_ps(vz6, vdenorm_cutoff, _CMP_LT_OQ), vy6);
      vy7 = _mm256_andnot_ps(_mm256_cmp_ps(vz7, vdenorm_cutoff, _CMP_LT_OQ), vy7);

      _mm256_storeu_ps(output + 0, vy0);
      _mm256_storeu_ps(output + 8, vy1);
      _mm256_storeu_ps(output + 16, vy2);
      _mm256_storeu_ps(output + 24, vy3);
      _mm256_storeu_ps(output + 32, vy4);
      _mm256_storeu_ps(output + 40, vy5);
      _mm256_storeu_ps(output + 48, vy6);
      _mm256_storeu_ps(output + 56, vy7);
      output += 64;

      vacc0 = _mm256_add_ps(vacc0, vy0);
      vacc0 = _mm256_add_ps(vacc0, vy1);
      vacc0 = _mm256_add_ps(vacc0, vy2);
      vacc0 = _mm256_add_ps(vacc0, vy3);
      vacc0 = _mm256_add_ps(vacc0, vy4);
      vacc0 = _mm256_add_ps(vacc0, vy5);
      vacc0 = _mm256_add_ps(vacc0, vy6);
      vacc0 = _mm256_add_ps(vacc0, vy7);
    } while (--tiles != 0);
    flush_to_double(vacc0, &vsum_lo, &vsum_hi);
  }

  __m256 vacc0 = _mm256_setzero_ps();
  for (; batch >= 8 * sizeof(float); batch -= 8 * sizeof(float)) {
    const __m256 vz = _mm256_fmadd_ps(_mm256_loadu_ps(input), vbeta, vminus_max);
    input += 8;

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

    _mm256_storeu_ps(output, vy);
    output += 8;
    vacc0 = _mm256_add_ps(vacc0, vy);
  }
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
