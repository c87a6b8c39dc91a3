// Auto-generated file. Do not edit!
//   Template: microkernels/f32-vscaleextexp/avx2.c.in
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

void twopass_f32_vscaleextexp_ukernel__avx2_rr2_lut8_p3_u64(
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
  const struct twopass_avx2_rr2_lut8_p3 k = twopass_avx2_rr2_lut8_p3_constants();
  const __m256 vmin_input = _mm256_set1_ps(TWOPASS_EXTEXP_MIN_INPUT);
  const __m256 vscalev = _mm256_set1_ps(params->scale);
  const __m256 vscalee = _mm256_set1_ps(params->scale_exponent);

  for (; batch >= 64 * sizeof(float); batch -= 64 * sizeof(float)) {
    const __m256 vx0 = _mm256_loadu_ps(input + 0);
    const __m256 vx1 = _mm256_loadu_ps(input + 8);
    const __m256 vx2 = _mm256_loadu_ps(input + 16);
    const __m256 vx3 = _mm256_loadu_ps(input + 24);
    const __m256 vx4 = _mm256_loadu_ps(input + 32);
    const __m256 vx5 = _mm256_loadu_ps(input + 40);
    const __m256 vx6 = _mm256_loadu_ps(input + 48);
    const __m256 vx7 = _mm256_loadu_ps(input + 56);
    input += 64;

    // z = beta*x exactly, as z + err: err is added to the reduced argument.
    const __m256 vz0 = _mm256_mul_ps(vx0, vbeta);
    const __m256 vz1 = _mm256_mul_ps(vx1, vbeta);
    const __m256 vz2 = _mm256_mul_ps(vx2, vbeta);
    const __m256 vz3 = _mm256_mul_ps(vx3, vbeta);
    const __m256 vz4 = _mm256_mul_ps(vx4, vbeta);
    const __m256 vz5 = _mm256_mul_ps(vx5, vbeta);
    const __m256 vz6 = _mm256_mul_ps(vx6, vbeta);
    const __m256 vz7 = _mm256_mul_ps(vx7, vbeta);
    const __m256 verr0 = _mm256_fmsub_ps(vx0, vbeta, vz0);
    const __m256 verr1 = _mm256_fmsub_ps(vx1, vbeta, vz1);
    const __m256 verr2 = _mm256_fmsub_ps(vx2, vbeta, vz2);
    const __m256 verr3 = _mm256_fmsub_ps(vx3, vbeta, vz3);
    const __m256 verr4 = _mm256_fmsub_ps(vx4, vbeta, vz4);
    const __m256 verr5 = _mm256_fmsub_ps(vx5, vbeta, vz5);
    const __m256 verr6 = _mm256_fmsub_ps(vx6, vbeta, vz6);
    const __m256 verr7 = _mm256_fmsub_ps(vx7, vbeta, vz7);

    const __m256 vk0 = twopass_avx2_rr2_lut8_p3_round(&k, vz0);
    const __m256 vk1 = twopass_avx2_rr2_lut8_p3_round(&k, vz1);
    const __m256 vk2 = twopass_avx2_rr2_lut8_p3_round(&k, vz2);
    const __m256 vk3 = twopass_avx2_rr2_lut8_p3_round(&k, vz3);
    const __m256 vk4 = twopass_avx2_rr2_lut8_p3_round(&k, vz4);
    const __m256 vk5 = twopass_avx2_rr2_lut8_p3_round(&k, vz5);
    const __m256 vk6 = twopass_avx2_rr2_lut8_p3_round(&k, vz6);
    const __m256 vk7 = twopass_avx2_rr2_lut8_p3_round(&k, vz7);
    __m256 vn0;
    const __m256 vl0 = twopass_avx2_rr2_lut8_p3_split(&k, vk0, &vn0);
    __m256 vn1;
    const __m256 vl1 = twopass_avx2_rr2_lut8_p3_split(&k, vk1, &vn1);
    __m256 vn2;
    const __m256 vl2 = twopass_avx2_rr2_lut8_p3_split(&k, vk2, &vn2);
    __m256 vn3;
    const __m256 vl3 = twopass_avx2_rr2_lut8_p3_split(&k, vk3, &vn3);
    __m256 vn4;
    const __m256 vl4 = twopass_avx2_rr2_lut8_p3_split(&k, vk4, &vn4);
    __m256 vn5;
    const __m256 vl5 = twopass_avx2_rr2_lut8_p3_split(&k, vk5, &vn5);
    __m256 vn6;
    const __m256 vl6 = twopass_avx2_rr2_lut8_p3_split(&k, vk6, &vn6);
    __m256 vn7;
    const __m256 vl7 = twopass_avx2_rr2_lut8_p3_split(&k, vk7, &vn7);
    __m256 vt0 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk0, vz0);
    __m256 vt1 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk1, vz1);
    __m256 vt2 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk2, vz2);
    __m256 vt3 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk3, vz3);
    __m256 vt4 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk4, vz4);
    __m256 vt5 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk5, vz5);
    __m256 vt6 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk6, vz6);
    __m256 vt7 = twopass_avx2_rr2_lut8_p3_reduce(&k, vk7, vz7);
    vt0 = _mm256_add_ps(vt0, verr0);
    vt1 = _mm256_add_ps(vt1, verr1);
    vt2 = _mm256_add_ps(vt2, verr2);
    vt3 = _mm256_add_ps(vt3, verr3);
    vt4 = _mm256_add_ps(vt4, verr4);
    vt5 = _mm256_add_ps(vt5, verr5);
    vt6 = _mm256_add_ps(vt6, verr6);
    vt7 = _mm256_add_ps(vt7, verr7);
    const __m256 vq0 = twopass_avx2_rr2_lut8_p3_poly(&k, vt0);
    const __m256 vq1 = twopass_avx2_rr2_lut8_p3_poly(&k, vt1);
    const __m256 vq2 = twopass_avx2_rr2_lut8_p3_poly(&k, vt2);
    const __m256 vq3 = twopass_avx2_rr2_lut8_p3_poly(&k, vt3);
    const __m256 vq4 = twopass_avx2_rr2_lut8_p3_poly(&k, vt4);
    const __m256 vq5 = twopass_avx2_rr2_lut8_p3_poly(&k, vt5);
    const __m256 vq6 = twopass_avx2_rr2_lut8_p3_poly(&k, vt6);
    const __m256 vq7 = twopass_avx2_rr2_lut8_p3_poly(&k, vt7);
    const __m256 vp0 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq0, vt0, vl0), vz0, vmin_input);
    const __m256 vp1 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq1, vt1, vl1), vz1, vmin_input);
    const __m256 vp2 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq2, vt2, vl2), vz2, vmin_input);
    const __m256 vp3 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq3, vt3, vl3), vz3, vmin_input);
    const __m256 vp4 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq4, vt4, vl4), vz4, vmin_input);
    const __m256 vp5 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq5, vt5, vl5), vz5, vmin_input);
    const __m256 vp6 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq6, vt6, vl6), vz6, vmin_input);
    const __m256 vp7 = twopass_avx2_zero_below(twopass_avx2_p5_scale_finish(vq7, vt7, vl7), vz7, vmin_input);

    const __m256 vs0 = twopass_avx2_exp2(_mm256_add_ps(vn0, vscalee));
    const __m256 vs1 = twopass_avx2_exp2(_mm256_add_ps(vn1, vscalee));
    const __m256 vs2 = twopass_avx2_exp2(_mm256_add_ps(vn2, vscalee));
    const __m256 vs3 = twopass_avx2_exp2(_mm256_add_ps(vn3, vscalee));
    const __m256 vs4 = twopass_avx2_exp2(_mm256_add_ps(vn4, vscalee));
    const __m256 vs5 = twopass_avx2_exp2(_mm256_add_ps(vn5, vscalee));
    const __m256 vs6 = twopass_avx2_exp2(_mm256_add_ps(vn6, vscalee));
    const __m256 vs7 = twopass_avx2_exp2(_mm256_add_ps(vn7, vscalee));
    const __m256 vy0 = _mm256_mul_ps(_mm256_mul_ps(vp0, vscalev), vs0);
    const __m256 vy1 = _mm256_mul_ps(_mm256_mul_ps(vp1, vscalev), vs1);
    const __m256 vy2 = _mm256_mul_ps(_mm256_mul_ps(vp2, vscalev), vs2);
    const __m256 vy3 = _mm256_mul_ps(_mm256_mul_ps(vp3, vscalev), vs3);
    const __m256 vy4 = _mm256_mul_ps(_mm256_mul_ps(vp4, vscalev), vs4);
    const __m256 vy5 = _mm256_mul_ps(_mm256_mul_ps(vp5, vscalev), vs5);
    const __m256 vy6 = _mm256_mul_ps(_mm256_mul_ps(vp6, vscalev), vs6);
    const __m256 vy7 = _mm256_mul_ps(_mm256_mul_ps(vp7, vscalev), vs7);

    _mm256_storeu_ps(output + 0, vy0);
    _mm256_storeu_ps(output + 8, vy1);
    _mm256_storeu_ps(output + 16, vy2);
    _mm256_storeu_ps(output + 24, vy3);
    _mm256_storeu_ps(output + 32, vy4);
    _mm256_storeu_ps(output + 40, vy5);
    _mm256_storeu_ps(output + 48, vy6);
    _mm256_storeu_ps(output + 56, vy7);
    output += 64;
  }

  for (; batch >= 8 * sizeof(float); batch -= 8 * sizeof(float)) {
    const __m256 vx = _mm256_loadu_ps(input);
    input += 8;

    const __m256 vz = _mm256_mul_ps(vx, vbeta);
    const __m256 verr = _mm256_fmsub_ps(vx, vbeta, vz);
    __m256 vn;
    const __m256 vp = twopass_avx2_rr2_lut8_p3_extexp(&k, vz, &verr, vmin_input, &vn);

    const __m256 vs = twopass_avx2_exp2(_mm256_add_ps(vn, vscalee));
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
    __m256 vn;
    const __m256 vp = twopass_avx2_rr2_lut8_p3_extexp(&k, vz, &verr, vmin_input, &vn);

    const __m256 vs = twopass_avx2_exp2(_mm256_add_ps(vn, vscalee));
    const __m256 vy = _mm256_mul_ps(_mm256_mul_ps(vp, vscalev), vs);

    _mm256_maskstore_ps(output, vmask, vy);
  }
}
