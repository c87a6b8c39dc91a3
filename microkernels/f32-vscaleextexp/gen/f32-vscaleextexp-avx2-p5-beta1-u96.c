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

void twopass_f32_vscaleextexp_ukernel__avx2_p5_beta1_u96(
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

  for (; batch >= 96 * sizeof(float); batch -= 96 * sizeof(float)) {
    const __m256 vx0 = _mm256_loadu_ps(input + 0);
    const __m256 vx1 = _mm256_loadu_ps(input + 8);
    const __m256 vx2 = _mm256_loadu_ps(input + 16);
    const __m256 vx3 = _mm256_loadu_ps(input + 24);
    const __m256 vx4 = _mm256_loadu_ps(input + 32);
    const __m256 vx5 = _mm256_loadu_ps(input + 40);
    const __m256 vx6 = _mm256_loadu_ps(input + 48);
    const __m256 vx7 = _mm256_loadu_ps(input + 56);
    const __m256 vx8 = _mm256_loadu_ps(input + 64);
    const __m256 vx9 = _mm256_loadu_ps(input + 72);
    const __m256 vx10 = _mm256_loadu_ps(input + 80);
    const __m256 vx11 = _mm256_loadu_ps(input + 88);
    input += 96;

    const __m256 vz0 = vx0;
    const __m256 vz1 = vx1;
    const __m256 vz2 = vx2;
    const __m256 vz3 = vx3;
    const __m256 vz4 = vx4;
    const __m256 vz5 = vx5;
    const __m256 vz6 = vx6;
    const __m256 vz7 = vx7;
    const __m256 vz8 = vx8;
    const __m256 vz9 = vx9;
    const __m256 vz10 = vx10;
    const __m256 vz11 = vx11;

    const __m256 vn0 = _mm256_round_ps(_mm256_mul_ps(vz0, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn1 = _mm256_round_ps(_mm256_mul_ps(vz1, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn2 = _mm256_round_ps(_mm256_mul_ps(vz2, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn3 = _mm256_round_ps(_mm256_mul_ps(vz3, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn4 = _mm256_round_ps(_mm256_mul_ps(vz4, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn5 = _mm256_round_ps(_mm256_mul_ps(vz5, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn6 = _mm256_round_ps(_mm256_mul_ps(vz6, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn7 = _mm256_round_ps(_mm256_mul_ps(vz7, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn8 = _mm256_round_ps(_mm256_mul_ps(vz8, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn9 = _mm256_round_ps(_mm256_mul_ps(vz9, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn10 = _mm256_round_ps(_mm256_mul_ps(vz10, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 vn11 = _mm256_round_ps(_mm256_mul_ps(vz11, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);

    __m256 vt0 = _mm256_fmadd_ps(vn0, vminus_ln2_hi, vz0);
    __m256 vt1 = _mm256_fmadd_ps(vn1, vminus_ln2_hi, vz1);
    __m256 vt2 = _mm256_fmadd_ps(vn2, vminus_ln2_hi, vz2);
    __m256 vt3 = _mm256_fmadd_ps(vn3, vminus_ln2_hi, vz3);
    __m256 vt4 = _mm256_fmadd_ps(vn4, vminus_ln2_hi, vz4);
    __m256 vt5 = _mm256_fmadd_ps(vn5, vminus_ln2_hi, vz5);
    __m256 vt6 = _mm256_fmadd_ps(vn6, vminus_ln2_hi, vz6);
    __m256 vt7 = _mm256_fmadd_ps(vn7, vminus_ln2_hi, vz7);
    __m256 vt8 = _mm256_fmadd_ps(vn8, vminus_ln2_hi, vz8);
    __m256 vt9 = _mm256_fmadd_ps(vn9, vminus_ln2_hi, vz9);
    __m256 vt10 = _mm256_fmadd_ps(vn10, vminus_ln2_hi, vz10);
    __m256 vt11 = _mm256_fmadd_ps(vn11, vminus_ln2_hi, vz11);
    vt0 = _mm256_fmadd_ps(vn0, vminus_ln2_lo, vt0);
    vt1 = _mm256_fmadd_ps(vn1, vminus_ln2_lo, vt1);
    vt2 = _mm256_fmadd_ps(vn2, vminus_ln2_lo, vt2);
    vt3 = _mm256_fmadd_ps(vn3, vminus_ln2_lo, vt3);
    vt4 = _mm256_fmadd_ps(vn4, vminus_ln2_lo, vt4);
    vt5 = _mm256_fmadd_ps(vn5, vminus_ln2_lo, vt5);
    vt6 = _mm256_fmadd_ps(vn6, vminus_ln2_lo, vt6);
    vt7 = _mm256_fmadd_ps(vn7, vminus_ln2_lo, vt7);
    vt8 = _mm256_fmadd_ps(vn8, vminus_ln2_lo, vt8);
    vt9 = _mm256_fmadd_ps(vn9, vminus_ln2_lo, vt9);
    vt10 = _mm256_fmadd_ps(vn10, vminus_ln2_lo, vt10);
    vt11 = _mm256_fmadd_ps(vn11, vminus_ln2_lo, vt11);

    __m256 vp0 = _mm256_fmadd_ps(vc5, vt0, vc4);
    __m256 vp1 = _mm256_fmadd_ps(vc5, vt1, vc4);
    __m256 vp2 = _mm256_fmadd_ps(vc5, vt2, vc4);
    __m256 vp3 = _mm256_fmadd_ps(vc5, vt3, vc4);
    __m256 vp4 = _mm256_fmadd_ps(vc5, vt4, vc4);
    __m256 vp5 = _mm256_fmadd_ps(vc5, vt5, vc4);
    __m256 vp6 = _mm256_fmadd_ps(vc5, vt6, vc4);
    __m256 vp7 = _mm256_fmadd_ps(vc5, vt7, vc4);
    __m256 vp8 = _mm256_fmadd_ps(vc5, vt8, vc4);
    __m256 vp9 = _mm256_fmadd_ps(vc5, vt9, vc4);
    __m256 vp10 = _mm256_fmadd_ps(vc5, vt10, vc4);
    __m256 vp11 = _mm256_fmadd_ps(vc5, vt11, vc4);
    vp0 = _mm256_fmadd_ps(vp0, vt0, vc3);
    vp1 = _mm256_fmadd_ps(vp1, vt1, vc3);
    vp2 = _mm256_fmadd_ps(vp2, vt2, vc3);
    vp3 = _mm256_fmadd_ps(vp3, vt3, vc3);
    vp4 = _mm256_fmadd_ps(vp4, vt4, vc3);
    vp5 = _mm256_fmadd_ps(vp5, vt5, vc3);
    vp6 = _mm256_fmadd_ps(vp6, vt6, vc3);
    vp7 = _mm256_fmadd_ps(vp7, vt7, vc3);
    vp8 = _mm256_fmadd_ps(vp8, vt8, vc3);
    vp9 = _mm256_fmadd_ps(vp9, vt9, vc3);
    vp10 = _mm256_fmadd_ps(vp10, vt10, vc3);
    vp11 = _mm256_fmadd_ps(vp11, vt11, vc3);
    vp0 = _mm256_fmadd_ps(vp0, vt0, vc2);
    vp1 = _mm256_fmadd_ps(vp1, vt1, vc2);
    vp2 = _mm256_fmadd_ps(vp2, vt2, vc2);
    vp3 = _mm256_fmadd_ps(vp3, vt3, vc2);
    vp4 = _mm256_fmadd_ps(vp4, vt4, vc2);
    vp5 = _mm256_fmadd_ps(vp5, vt5, vc2);
    vp6 = _mm256_fmadd_ps(vp6, vt6, vc2);
    vp7 = _mm256_fmadd_ps(vp7, vt7, vc2);
    vp8 = _mm256_fmadd_ps(vp8, vt8, vc2);
    vp9 = _mm256_fmadd_ps(vp9, vt9, vc2);
    vp10 = _mm256_fmadd_ps(vp10, vt10, vc2);
    vp11 = _mm256_fmadd_ps(vp11, vt11, vc2);
    vp0 = _mm256_fmadd_ps(vp0, vt0, vc1);
    vp1 = _mm256_fmadd_ps(vp1, vt1, vc1);
    vp2 = _mm256_fmadd_ps(vp2, vt2, vc1);
    vp3 = _mm256_fmadd_ps(vp3, vt3, vc1);
    vp4 = _mm256_fmadd_ps(vp4, vt4, vc1);
    vp5 = _mm256_fmadd_ps(vp5, vt5, vc1);
    vp6 = _mm256_fmadd_ps(vp6, vt6, vc1);
    vp7 = _mm256_fmadd_ps(vp7, vt7, vc1);
    vp8 = _mm256_fmadd_ps(vp8, vt8, vc1);
    vp9 = _mm256_fmadd_ps(vp9, vt9, vc1);
    vp10 = _mm256_fmadd_ps(vp10, vt10, vc1);
    vp11 = _mm256_fmadd_ps(vp11, vt11, vc1);
    vp0 = _mm256_fmadd_ps(vp0, vt0, vone);
    vp1 = _mm256_fmadd_ps(vp1, vt1, vone);
    vp2 = _mm256_fmadd_ps(vp2, vt2, vone);
    vp3 = _mm256_fmadd_ps(vp3, vt3, vone);
    vp4 = _mm256_fmadd_ps(vp4, vt4, vone);
    vp5 = _mm256_fmadd_ps(vp5, vt5, vone);
    vp6 = _mm256_fmadd_ps(vp6, vt6, vone);
    vp7 = _mm256_fmadd_ps(vp7, vt7, vone);
    vp8 = _mm256_fmadd_ps(vp8, vt8, vone);
    vp9 = _mm256_fmadd_ps(vp9, vt9, vone);
    vp10 = _mm256_fmadd_ps(vp10, vt10, vone);
    vp11 = _mm256_fmadd_ps(vp11, vt11, vone);
    // Products below the range (-inf included) give exactly 0; NaN is kept.
    vp0 = _mm256_andnot_ps(_mm256_cmp_ps(vz0, vmin_input, _CMP_LT_OQ), vp0);
    vp1 = _mm256_andnot_ps(_mm256_cmp_ps(vz1, vmin_input, _CMP_LT_OQ), vp1);
    vp2 = _mm256_andnot_ps(_mm256_cmp_ps(vz2, vmin_input, _CMP_LT_OQ), vp2);
    vp3 = _mm256_andnot_ps(_mm256_cmp_ps(vz3, vmin_input, _CMP_LT_OQ), vp3);
    vp4 = _mm256_andnot_ps(_mm256_cmp_ps(vz4, vmin_input, _CMP_LT_OQ), vp4);
    vp5 = _mm256_andnot_ps(_mm256_cmp_ps(vz5, vmin_input, _CMP_LT_OQ), vp5);
    vp6 = _mm256_andnot_ps(_mm256_cmp_ps(vz6, vmin_input, _CMP_LT_OQ), vp6);
    vp7 = _mm256_andnot_ps(_mm256_cmp_ps(vz7, vmin_input, _CMP_LT_OQ), vp7);
    vp8 = _mm256_andnot_ps(_mm256_cmp_ps(vz8, vmin_input, _CMP_LT_OQ), vp8);
    vp9 = _mm256_andnot_ps(_mm256_cmp_ps(vz9, vmin_input, _CMP_LT_OQ), vp9);
    vp10 = _mm256_andnot_ps(_mm256_cmp_ps(vz10, vmin_input, _CMP_LT_OQ), vp10);
    vp11 = _mm256_andnot_ps(_mm256_cmp_ps(vz11, vmin_input, _CMP_LT_OQ), vp11);

    const __m256 vd0 = _mm256_max_ps(_mm256_add_ps(vn0, vscalee), vmin_exponent);
    const __m256 vd1 = _mm256_max_ps(_mm256_add_ps(vn1, vscalee), vmin_exponent);
    const __m256 vd2 = _mm256_max_ps(_mm256_add_ps(vn2, vscalee), vmin_exponent);
    const __m256 vd3 = _mm256_max_ps(_mm256_add_ps(vn3, vscalee), vmin_exponent);
    const __m256 vd4 = _mm256_max_ps(_mm256_add_ps(vn4, vscalee), vmin_exponent);
    const __m256 vd5 = _mm256_max_ps(_mm256_add_ps(vn5, vscalee), vmin_exponent);
    const __m256 vd6 = _mm256_max_ps(_mm256_add_ps(vn6, vscalee), vmin_exponent);
    const __m256 vd7 = _mm256_max_ps(_mm256_add_ps(vn7, vscalee), vmin_exponent);
    const __m256 vd8 = _mm256_max_ps(_mm256_add_ps(vn8, vscalee), vmin_exponent);
    const __m256 vd9 = _mm256_max_ps(_mm256_add_ps(vn9, vscalee), vmin_exponent);
    const __m256 vd10 = _mm256_max_ps(_mm256_add_ps(vn10, vscalee), vmin_exponent);
    const __m256 vd11 = _mm256_max_ps(_mm256_add_ps(vn11, vscalee), vmin_exponent);
    const __m256 vs0 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd0, vmagic_bias)), 23));
    const __m256 vs1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd1, vmagic_bias)), 23));
    const __m256 vs2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd2, vmagic_bias)), 23));
    const __m256 vs3 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd3, vmagic_bias)), 23));
    const __m256 vs4 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd4, vmagic_bias)), 23));
    const __m256 vs5 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd5, vmagic_bias)), 23));
    const __m256 vs6 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd6, vmagic_bias)), 23));
    const __m256 vs7 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd7, vmagic_bias)), 23));
    const __m256 vs8 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd8, vmagic_bias)), 23));
    const __m256 vs9 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd9, vmagic_bias)), 23));
    const __m256 vs10 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd10, vmagic_bias)), 23));
    const __m256 vs11 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(_mm256_add_ps(vd11, vmagic_bias)), 23));
    const __m256 vy0 = _mm256_mul_ps(_mm256_mul_ps(vp0, vscalev), vs0);
    const __m256 vy1 = _mm256_mul_ps(_mm256_mul_ps(vp1, vscalev), vs1);
    const __m256 vy2 = _mm256_mul_ps(_mm256_mul_ps(vp2, vscalev), vs2);
    const __m256 vy3 = _mm256_mul_ps(_mm256_mul_ps(vp3, vscalev), vs3);
    const __m256 vy4 = _mm256_mul_ps(_mm256_mul_ps(vp4, vscalev), vs4);
    const __m256 vy5 = _mm256_mul_ps(_mm256_mul_ps(vp5, vscalev), vs5);
    const __m256 vy6 = _mm256_mul_ps(_mm256_mul_ps(vp6, vscalev), vs6);
    const __m256 vy7 = _mm256_mul_ps(_mm256_mul_ps(vp7, vscalev), vs7);
    const __m256 vy8 = _mm256_mul_ps(_mm256_mul_ps(vp8, vscalev), vs8);
    const __m256 vy9 = _mm256_mul_ps(_mm256_mul_ps(vp9, vscalev), vs9);
    const __m256 vy10 = _mm256_mul_ps(_mm256_mul_ps(vp10, vscalev), vs10);
    const __m256 vy11 = _mm256_mul_ps(_mm256_mul_ps(vp11, vscalev), vs11);

    _mm256_storeu_ps(output + 0, vy0);
    _mm256_storeu_ps(output + 8, vy1);
    _mm256_storeu_ps(output + 16, vy2);
    _mm256_storeu_ps(output + 24, vy3);
    _mm256_storeu_ps(output + 32, vy4);
    _mm256_storeu_ps(output + 40, vy5);
    _mm256_storeu_ps(output + 48, vy6);
    _mm256_storeu_ps(output + 56, vy7);
    _mm256_storeu_ps(output + 64, vy8);
    _mm256_storeu_ps(output + 72, vy9);
    _mm256_storeu_ps(output + 80, vy10);
    _mm256_storeu_ps(output + 88, vy11);
    output += 96;
  }

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
