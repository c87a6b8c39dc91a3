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

void twopass_f32_vscaleextexp_ukernel__avx2_p5_u16(
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

  const __m256 vbeta = _mm256_set1_ps(params->beta);
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

  for (; batch >= 16 * sizeof(float); batch -= 16 * sizeof(float)) {
    const __m256 vx0 = _mm256_loadu_ps(input + 0);
    const __m256 vx1 = _mm256_loadu_ps(input + 8);
    input += 16;

    // z = beta*x exactly, as z + err: err is added to the reduced argument.
    const __m256 vz0 = _mm256_mul_ps(vx0, vbeta);
    const __m256 vz1 = _mm256_mul_ps(vx1, vbeta);
    const __m256 verr0 = _mm256_fmsub_ps(vx0, vbeta, vz0);
    const __m256 verr1 = _mm256_fmsub_ps(vx1, vbeta, vz1);

    const __m256 vn0 = _mm256_round_ps(_mm256_mul_ps(vz0, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn1 = _mm256_round_ps(_mm256_mul_ps(vz1, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);

    __m256 vt0 = _mm256_fmadd_ps(vn0, vminus_ln2_hi, vz0);
    __m256 vt1 = _mm256_fmadd_ps(vn1, vminus_ln2_hi, vz1);
    vt0 = _mm256_fmadd_ps(vn0, vminus_ln2_lo, vt0);
    vt1 = _mm256_fmadd_ps(vn1, vminus_ln2_lo, vt1);
    vt0 = _mm256_add_ps(vt0, verr0);
    vt1 = _mm256_add_ps(vt1, verr1);

    __m256 vp0 = _mm256_fmadd_ps(vc5, vt0, vc4);
    __m256 vp1 = _mm256_fmadd_ps(vc5, vt1, vc4);
    vp0 = _mm256_fmadd_ps(vp0, vt0, vc3);
    vp1 = _mm256_fmadd_ps(vp1, vt1, vc3);
    vp0 = _mm256_fmadd_ps(vp0, vt0, vc2);
    vp1 = _mm256_fmadd_ps(vp1, vt1, vc2);
    vp0 = _mm256_fmadd_ps(vp0, vt0, vc1);
    vp1 = _mm256_fmadd_ps(vp1, vt1, vc1);
    vp0 = _mm256_fmadd_ps(vp0, vt0, vone);
    vp1 = _mm256_fmadd_ps(vp1, vt1, vone);
    // Products below the range (-inf included) give exactly 0; NaN is kept.
    vp0 = _mm256_andnot_ps(_mm256_cmp_ps(vz0, vmin_input, _CMP_LT_OQ), vp0);
    vp1 = _mm256_andnot_ps(_mm256_cmp_ps(vz1, vmin_input, _CMP_LT_OQ), vp1);

    const __m256 vd0 = _mm256_max_ps(_mm256_add_ps(vn0, vscalee), vmin_exponent);
    const __m256 vd1 = _mm256_max_ps(_mm256_add_ps(vn1, vscalee), vmin_exponent);
    const __m256 vs0 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd0, vmagic_bias)), 23));
    const __m256 vs1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd1, vmagic_bias)), 23));
    const __m256 vy0 = _mm256_mul_ps(_mm256_mul_ps(vp0, vscalev), vs0);
    const __m256 vy1 = _mm256_mul_ps(_mm256_mul_ps(vp1, vscalev), vs1);

    _mm256_storeu_ps(output + 0, vy0);
    _mm256_storeu_ps(output + 8, vy1);
    output += 16;
  }

  for (; batch >= 8 * sizeof(float); batch -= 8 * sizeof(float)) {
    const __m256 vx = _mm256_loadu_ps(input);
    input += 8;

    const __m256 vz = _mm256_mul_ps(vx, vbeta);
    const __m256 verr = _mm256_fmsub_ps(vx, vbeta, vz);
    const __m256 vn = _mm256_round_ps(_mm256_mul_ps(vz, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 vt = _mm256_fmadd_ps(vn, vminus_ln2_hi, vz);
    vt = _mm256_fmadd_ps(vn, vminus_ln2_lo, vt);
    vt = _mm256_add_ps(vt, verr);
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

    const __m256 vz = _mm256_mul_ps(vx, vbeta);
    const __m256 verr = _mm256_fmsub_ps(vx, vbeta, vz);
    const __m256 vn = _mm256_round_ps(_mm256_mul_ps(vz, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 vt = _mm256_fmadd_ps(vn, vminus_ln2_hi, vz);
    vt = _mm256_fmadd_ps(vn, vminus_ln2_lo, vt);
    vt = _mm256_add_ps(vt, verr);
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
