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
// Non-temporal variant, for outputs far larger than the caches: full
// vectors are written with VMOVNTPS, which skips the read-for-ownership of
// each output line and keeps y from evicting x. One masked ordinary store
// first brings the output to a 32-byte boundary; an SFENCE at the end
// orders the weakly-ordered stores before whatever the caller does next.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/exp/avx2-p5.h"
#include "microkernels/microkernels.h"

void twopass_f32_vscaleextexp_ukernel__avx2_p5_nt_u64(
    size_t batch,
    const float* input,
    float* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(output != NULL);
  // The head reaches a streaming boundary only from an element-aligned
  // output (the operator rejects others at setup).
  assert((uintptr_t) output % sizeof(float) == 0);

  // 7 ones then 7 zeros: loading 8 entries at &mask_table[7 - k] gives a mask of k lanes.
  static const int32_t mask_table[14] = {-1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0};

  const __m256 vbeta = _mm256_set1_ps(params->beta);
  const struct twopass_avx2_p5 k = twopass_avx2_p5_constants();
  const __m256 vmin_exponent = _mm256_set1_ps(TWOPASS_EXTEXP_MIN_EXPONENT);
  const __m256 vscalev = _mm256_set1_ps(params->scale);
  const __m256 vscalee = _mm256_set1_ps(params->scale_exponent);

  // The elements before the output's first 32-byte boundary.
  const size_t head_bytes = (0 - (uintptr_t) output) % 32;
  if (head_bytes != 0 && batch != 0) {
    const size_t masked = head_bytes < batch ? head_bytes : batch;
    assert(masked >= 1 * sizeof(float));
    assert(masked <= 7 * sizeof(float));
    const __m256i vmask = _mm256_loadu_si256((const __m256i*) ((uintptr_t) &mask_table[7] - masked));

    // Masked loads and stores never touch memory past the row.
    const __m256 vx = _mm256_maskload_ps(input, vmask);

    const __m256 vz = _mm256_mul_ps(vx, vbeta);
    const __m256 verr = _mm256_fmsub_ps(vx, vbeta, vz);
    __m256 vn;
    const __m256 vp = twopass_avx2_p5_extexp(&k, vz, &verr, vmin_exponent, &vn);

    const __m256 vs = twopass_avx2_exp2(_mm256_add_ps(vn, vscalee));
    const __m256 vy = _mm256_mul_ps(_mm256_mul_ps(vp, vscalev), vs);

    _mm256_maskstore_ps(output, vmask, vy);
    input += masked / sizeof(float);
    output += masked / sizeof(float);
    batch -= masked;
  }
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

    const __m256 vn0 = twopass_avx2_p5_round(&k, vz0);
    const __m256 vn1 = twopass_avx2_p5_round(&k, vz1);
    const __m256 vn2 = twopass_avx2_p5_round(&k, vz2);
    const __m256 vn3 = twopass_avx2_p5_round(&k, vz3);
    const __m256 vn4 = twopass_avx2_p5_round(&k, vz4);
    const __m256 vn5 = twopass_avx2_p5_round(&k, vz5);
    const __m256 vn6 = twopass_avx2_p5_round(&k, vz6);
    const __m256 vn7 = twopass_avx2_p5_round(&k, vz7);
    __m256 vt0 = twopass_avx2_p5_reduce(&k, vn0, vz0);
    __m256 vt1 = twopass_avx2_p5_reduce(&k, vn1, vz1);
    __m256 vt2 = twopass_avx2_p5_reduce(&k, vn2, vz2);
    __m256 vt3 = twopass_avx2_p5_reduce(&k, vn3, vz3);
    __m256 vt4 = twopass_avx2_p5_reduce(&k, vn4, vz4);
    __m256 vt5 = twopass_avx2_p5_reduce(&k, vn5, vz5);
    __m256 vt6 = twopass_avx2_p5_reduce(&k, vn6, vz6);
    __m256 vt7 = twopass_avx2_p5_reduce(&k, vn7, vz7);
    vt0 = _mm256_add_ps(vt0, verr0);
    vt1 = _mm256_add_ps(vt1, verr1);
    vt2 = _mm256_add_ps(vt2, verr2);
    vt3 = _mm256_add_ps(vt3, verr3);
    vt4 = _mm256_add_ps(vt4, verr4);
    vt5 = _mm256_add_ps(vt5, verr5);
    vt6 = _mm256_add_ps(vt6, verr6);
    vt7 = _mm256_add_ps(vt7, verr7);
    const __m256 vq0 = twopass_avx2_p5_poly(&k, vt0);
    const __m256 vq1 = twopass_avx2_p5_poly(&k, vt1);
    const __m256 vq2 = twopass_avx2_p5_poly(&k, vt2);
    const __m256 vq3 = twopass_avx2_p5_poly(&k, vt3);
    const __m256 vq4 = twopass_avx2_p5_poly(&k, vt4);
    const __m256 vq5 = twopass_avx2_p5_poly(&k, vt5);
    const __m256 vq6 = twopass_avx2_p5_poly(&k, vt6);
    const __m256 vq7 = twopass_avx2_p5_poly(&k, vt7);
    const __m256 vp0 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq0, vt0), vn0, vmin_exponent);
    const __m256 vp1 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq1, vt1), vn1, vmin_exponent);
    const __m256 vp2 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq2, vt2), vn2, vmin_exponent);
    const __m256 vp3 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq3, vt3), vn3, vmin_exponent);
    const __m256 vp4 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq4, vt4), vn4, vmin_exponent);
    const __m256 vp5 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq5, vt5), vn5, vmin_exponent);
    const __m256 vp6 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq6, vt6), vn6, vmin_exponent);
    const __m256 vp7 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq7, vt7), vn7, vmin_exponent);

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

    _mm256_stream_ps(output + 0, vy0);
    _mm256_stream_ps(output + 8, vy1);
    _mm256_stream_ps(output + 16, vy2);
    _mm256_stream_ps(output + 24, vy3);
    _mm256_stream_ps(output + 32, vy4);
    _mm256_stream_ps(output + 40, vy5);
    _mm256_stream_ps(output + 48, vy6);
    _mm256_stream_ps(output + 56, vy7);
    output += 64;
  }

  for (; batch >= 8 * sizeof(float); batch -= 8 * sizeof(float)) {
    const __m256 vx = _mm256_loadu_ps(input);
    input += 8;

    const __m256 vz = _mm256_mul_ps(vx, vbeta);
    const __m256 verr = _mm256_fmsub_ps(vx, vbeta, vz);
    __m256 vn;
    const __m256 vp = twopass_avx2_p5_extexp(&k, vz, &verr, vmin_exponent, &vn);

    const __m256 vs = twopass_avx2_exp2(_mm256_add_ps(vn, vscalee));
    const __m256 vy = _mm256_mul_ps(_mm256_mul_ps(vp, vscalev), vs);

    _mm256_stream_ps(output, vy);
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
    const __m256 vp = twopass_avx2_p5_extexp(&k, vz, &verr, vmin_exponent, &vn);

    const __m256 vs = twopass_avx2_exp2(_mm256_add_ps(vn, vscalee));
    const __m256 vy = _mm256_mul_ps(_mm256_mul_ps(vp, vscalev), vs);

    _mm256_maskstore_ps(output, vmask, vy);
  }
  _mm_sfence();
}
