// Auto-generated file. Do not edit!
//   Template: microkernels/f32-vscaleextexp/avx512f-p5-scalef.c.in
//   Generator: scripts/xngen.py
//
// Pass 2 of the two-pass softmax, AVX-512F:
// y = exp(beta*x) * scale_value * 2^scale_exponent = (p * scale_value) * 2^(n + scale_exponent),
// with exp(beta*x) = p * 2^n as in raddextexp. VSCALEFPS applies 2^(n + scale_exponent)
// in one instruction and saturates to 0 instead of overflowing a float exponent.
// BETA1=1 makes the unit-beta variant (name token beta1) that plain softmax
// gets at plan time: it computes exp(x), never reads params->beta and skips
// the two-product, as beta*x = x is exact.
// Non-temporal variant, for outputs far larger than the caches: full
// vectors are written with VMOVNTPS, which skips the read-for-ownership of
// each output line (16 instead of 20 bytes of traffic per element) and keeps
// y from evicting x. One masked ordinary store first brings the output to a
// 64-byte boundary; an SFENCE at the end orders the weakly-ordered stores
// before whatever the caller does next (e.g. another thread reading y).
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/exp/avx512f-p5-scalef.h"
#include "microkernels/microkernels.h"

void twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_beta1_nt_u128(
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

  const struct twopass_avx512f_p5 k = twopass_avx512f_p5_constants();
  const __m512 vmin_input = _mm512_set1_ps(TWOPASS_EXTEXP_MIN_INPUT);
  const __m512 vscalev = _mm512_set1_ps(params->scale);
  const __m512 vscalee = _mm512_set1_ps(params->scale_exponent);

  // The elements before the output's first 64-byte boundary.
  const size_t head_elements = ((0 - (uintptr_t) output) % 64) / sizeof(float);
  if (head_elements != 0) {
    const size_t processed = head_elements < (batch >> 2) ? head_elements : (batch >> 2);
    const __mmask16 vmask = _cvtu32_mask16((UINT32_C(1) << processed) - 1);
    const __m512 vx = _mm512_maskz_loadu_ps(vmask, input);
    input += processed;

    const __m512 vz = vx;
    __m512 vn;
    const __m512 vp = twopass_avx512f_p5_extexp(&k, TWOPASS_AVX512F_ALL_LANES, vz, NULL, vmin_input, &vn);
    const __m512 vy = _mm512_scalef_ps(_mm512_mul_ps(vp, vscalev), _mm512_add_ps(vn, vscalee));

    _mm512_mask_storeu_ps(output, vmask, vy);
    output += processed;
    batch -= processed * sizeof(float);
  }
  for (; batch >= 128 * sizeof(float); batch -= 128 * sizeof(float)) {
    const __m512 vx0 = _mm512_loadu_ps(input + 0);
    const __m512 vx1 = _mm512_loadu_ps(input + 16);
    const __m512 vx2 = _mm512_loadu_ps(input + 32);
    const __m512 vx3 = _mm512_loadu_ps(input + 48);
    const __m512 vx4 = _mm512_loadu_ps(input + 64);
    const __m512 vx5 = _mm512_loadu_ps(input + 80);
    const __m512 vx6 = _mm512_loadu_ps(input + 96);
    const __m512 vx7 = _mm512_loadu_ps(input + 112);
    input += 128;

    const __m512 vz0 = vx0;
    const __m512 vz1 = vx1;
    const __m512 vz2 = vx2;
    const __m512 vz3 = vx3;
    const __m512 vz4 = vx4;
    const __m512 vz5 = vx5;
    const __m512 vz6 = vx6;
    const __m512 vz7 = vx7;

    const __m512 vn0 = twopass_avx512f_p5_round(&k, vz0);
    const __m512 vn1 = twopass_avx512f_p5_round(&k, vz1);
    const __m512 vn2 = twopass_avx512f_p5_round(&k, vz2);
    const __m512 vn3 = twopass_avx512f_p5_round(&k, vz3);
    const __m512 vn4 = twopass_avx512f_p5_round(&k, vz4);
    const __m512 vn5 = twopass_avx512f_p5_round(&k, vz5);
    const __m512 vn6 = twopass_avx512f_p5_round(&k, vz6);
    const __m512 vn7 = twopass_avx512f_p5_round(&k, vz7);
    __m512 vt0 = twopass_avx512f_p5_reduce(&k, vn0, vz0);
    __m512 vt1 = twopass_avx512f_p5_reduce(&k, vn1, vz1);
    __m512 vt2 = twopass_avx512f_p5_reduce(&k, vn2, vz2);
    __m512 vt3 = twopass_avx512f_p5_reduce(&k, vn3, vz3);
    __m512 vt4 = twopass_avx512f_p5_reduce(&k, vn4, vz4);
    __m512 vt5 = twopass_avx512f_p5_reduce(&k, vn5, vz5);
    __m512 vt6 = twopass_avx512f_p5_reduce(&k, vn6, vz6);
    __m512 vt7 = twopass_avx512f_p5_reduce(&k, vn7, vz7);
    const __m512 vq0 = twopass_avx512f_p5_poly(&k, vt0);
    const __m512 vq1 = twopass_avx512f_p5_poly(&k, vt1);
    const __m512 vq2 = twopass_avx512f_p5_poly(&k, vt2);
    const __m512 vq3 = twopass_avx512f_p5_poly(&k, vt3);
    const __m512 vq4 = twopass_avx512f_p5_poly(&k, vt4);
    const __m512 vq5 = twopass_avx512f_p5_poly(&k, vt5);
    const __m512 vq6 = twopass_avx512f_p5_poly(&k, vt6);
    const __m512 vq7 = twopass_avx512f_p5_poly(&k, vt7);
    const __m512 vp0 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz0, vmin_input, vq0, vt0);
    const __m512 vp1 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz1, vmin_input, vq1, vt1);
    const __m512 vp2 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz2, vmin_input, vq2, vt2);
    const __m512 vp3 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz3, vmin_input, vq3, vt3);
    const __m512 vp4 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz4, vmin_input, vq4, vt4);
    const __m512 vp5 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz5, vmin_input, vq5, vt5);
    const __m512 vp6 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz6, vmin_input, vq6, vt6);
    const __m512 vp7 = twopass_avx512f_p5_finish(&k, TWOPASS_AVX512F_ALL_LANES, vz7, vmin_input, vq7, vt7);

    const __m512 vy0 = _mm512_scalef_ps(_mm512_mul_ps(vp0, vscalev), _mm512_add_ps(vn0, vscalee));
    const __m512 vy1 = _mm512_scalef_ps(_mm512_mul_ps(vp1, vscalev), _mm512_add_ps(vn1, vscalee));
    const __m512 vy2 = _mm512_scalef_ps(_mm512_mul_ps(vp2, vscalev), _mm512_add_ps(vn2, vscalee));
    const __m512 vy3 = _mm512_scalef_ps(_mm512_mul_ps(vp3, vscalev), _mm512_add_ps(vn3, vscalee));
    const __m512 vy4 = _mm512_scalef_ps(_mm512_mul_ps(vp4, vscalev), _mm512_add_ps(vn4, vscalee));
    const __m512 vy5 = _mm512_scalef_ps(_mm512_mul_ps(vp5, vscalev), _mm512_add_ps(vn5, vscalee));
    const __m512 vy6 = _mm512_scalef_ps(_mm512_mul_ps(vp6, vscalev), _mm512_add_ps(vn6, vscalee));
    const __m512 vy7 = _mm512_scalef_ps(_mm512_mul_ps(vp7, vscalev), _mm512_add_ps(vn7, vscalee));

    _mm512_stream_ps(output + 0, vy0);
    _mm512_stream_ps(output + 16, vy1);
    _mm512_stream_ps(output + 32, vy2);
    _mm512_stream_ps(output + 48, vy3);
    _mm512_stream_ps(output + 64, vy4);
    _mm512_stream_ps(output + 80, vy5);
    _mm512_stream_ps(output + 96, vy6);
    _mm512_stream_ps(output + 112, vy7);
    output += 128;
  }
  while (batch != 0) {
    const size_t elements = batch >> 2;
    const __mmask16 vmask = elements >= 16
        ? (__mmask16) 0xFFFF : _cvtu32_mask16((UINT32_C(1) << elements) - 1);
    const size_t processed = elements >= 16 ? 16 : elements;
    const __m512 vx = _mm512_maskz_loadu_ps(vmask, input);
    input += processed;

    const __m512 vz = vx;
    __m512 vn;
    const __m512 vp = twopass_avx512f_p5_extexp(&k, TWOPASS_AVX512F_ALL_LANES, vz, NULL, vmin_input, &vn);
    const __m512 vy = _mm512_scalef_ps(_mm512_mul_ps(vp, vscalev), _mm512_add_ps(vn, vscalee));

    _mm512_mask_storeu_ps(output, vmask, vy);
    output += processed;
    batch -= processed * sizeof(float);
  }
  _mm_sfence();
}
