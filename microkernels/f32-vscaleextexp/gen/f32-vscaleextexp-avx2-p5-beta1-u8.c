// Auto-generated file. Do not edit!
//   Template: microkernels/f32-vscaleextexp/avx2-p5.c.in
//   Generator: scripts/xngen.py
//
// Pass 2 of the two-pass softmax, AVX2 + FMA:
// y = exp(beta*x) * scale_value * 2^scale_exponent = (p * scale_value) * 2^(n + scale_exponent),
// with exp(beta*x) = p * 2^n as in raddextexp. AVX2 has no VSCALEFPS: with
// d = n + scale_exponent (<= 0 when scale_exponent is minus the exponent that
// raddextexp returned), 2^d is built as bits(max(d, -127) + 0x1.8000FEp23) << 23,
// exact for -126 <= d <= 127 and 0 for d <= -127 (d > 127, never the case in
// softmax, is not supported). So, unlike VSCALEFPS, outputs below about 2^-126
// (denormals) become 0 or lose bits; a NaN d gives 0 unless the mantissa
// product is NaN (it is when scale_value is NaN).
// BETA1=1 makes the unit-beta variant (name token beta1) that plain softmax
// gets at plan time: it computes exp(x), never reads params->beta and skips
// the two-product, as beta*x = x is exact.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/microkernels.h"

void twopass_f32_vscaleextexp_ukernel__avx2_p5_beta1_u8(
    size_t batch,
    const float* input,
    float* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(output != NULL);

  // 7 ones then 7 zeros: loading 8 entries at &mask_table[7 - k] gives a mask of k lanes.
  static const int32_t mask_table[14] = {-1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0};

  const __m256 vlog2e = _mm256_set1_ps(0x1.715476p+0f);
  const __m256 vminus_ln2_hi = _mm256_set1_ps(-0x1.62E43p-1f);
  const __m256 vminus_ln2_lo = _mm256_set1_ps(0x1.05C61p-29f);
  const __m256 vc5 = _mm256_set1_ps(0x1.0F9F9Cp-7f);
  const __m256 vc4 = _mm256_set1_ps(0x1.573A1Ap-5f);
  const __m256 vc3 = _mm256_set1_ps(0x1.555A80p-3f);
  const __m256 vc2 = _mm256_set1_ps(0x1.FFFDC6p-2f);
  const __m256 vc1 = _mm256_set1_ps(0x1.FFFFF6p-1f);
  const __m256 vone = _mm256_set1_ps(1.0f);
  const __m256 vmin_input = _mm256_set1_ps(TWOPASS_EXTEXP_MIN_INPUT);
  const __m256 vmin_exponent = _mm256_set1_ps(-127.0f);
  const __m256 vmagic_bias = _mm256_set1_ps(0x1.8000FEp23f);
  const __m256 vscalev = _mm256_set1_ps(params->scale);
  const __m256 vscalee = _mm256_set1_ps(params->scale_exponent);

  for (; batch >= 8 * sizeof(float); batch -= 8 * sizeof(float)) {
    const __m256 vx = _mm256_loadu_ps(input);
    input += 8;

    const __m256 vz = vx;
    const __m256 vn = _mm256_round_ps(_mm256_mul_ps(vz, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 vt = _mm256_fmadd_ps(vn, vminus_ln2_hi, vz);
    vt = _mm256_fmadd_ps(vn, vminus_ln2_lo, vt);
    __m256 vp = _mm256_fmadd_ps(vc5, vt, vc4);
    vp = _mm256_fmadd_ps(vp, vt, vc3);
    vp = _mm256_fmadd_ps(vp, vt, vc2);
    vp = _mm256_fmadd_ps(vp, vt, vc1);
    vp = _mm256_fmadd_ps(vp, vt, vone);
    vp = _mm256_andnot_ps(_mm256_cmp_ps(vz, vmin_input, _CMP_LT_OQ), vp);

    const __m256 vd = _mm256_max_ps(_mm256_add_ps(vn, vscalee), vmin_exponent);
    const __m256 vs = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd, vmagic_bias)), 23));
    const __m256 vy = _mm256_mul_ps(_mm256_mul_ps(vp, vscalev), vs);

    _mm256_storeu_ps(output, vy);
    output += 8;
  }
  if (batch != 0) {
    const size_t masked = batch;
    assert(masked >= 1 * sizeof(float));
    assert(masked <= 7 * sizeof(float));
    const __m256i vmask = _mm256_loadu_si256((const __m256i*) ((uintptr_t) &mask_table[7] - masked));

    // Masked loads and stores never touch memory past the row.
    const __m256 vx = _mm256_maskload_ps(input, vmask);

    const __m256 vz = vx;
    const __m256 vn = _mm256_round_ps(_mm256_mul_ps(vz, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 vt = _mm256_fmadd_ps(vn, vminus_ln2_hi, vz);
    vt = _mm256_fmadd_ps(vn, vminus_ln2_lo, vt);
    __m256 vp = _mm256_fmadd_ps(vc5, vt, vc4);
    vp = _mm256_fmadd_ps(vp, vt, vc3);
    vp = _mm256_fmadd_ps(vp, vt, vc2);
    vp = _mm256_fmadd_ps(vp, vt, vc1);
    vp = _mm256_fmadd_ps(vp, vt, vone);
    vp = _mm256_andnot_ps(_mm256_cmp_ps(vz, vmin_input, _CMP_LT_OQ), vp);

    const __m256 vd = _mm256_max_ps(_mm256_add_ps(vn, vscalee), vmin_exponent);
    const __m256 vs = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd, vmagic_bias)), 23));
    const __m256 vy = _mm256_mul_ps(_mm256_mul_ps(vp, vscalev), vs);

    _mm256_maskstore_ps(output, vmask, vy);
  }
}
