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
// DATATYPE=f16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load and the float result rounded once to f16 (nearest
// even, NaN kept) on store (microkernels/convert/avx2.h). The remainder goes
// through a local buffer.
// Non-temporal variant, for outputs far larger than the caches: full
// vectors are written with VMOVNTPS, which skips the read-for-ownership of
// each output line and keeps y from evicting x. One masked ordinary store
// first brings the output to a 32-byte boundary; an SFENCE at the end
// orders the weakly-ordered stores before whatever the caller does next.
// 16-bit outputs: each full vector is 16 bytes once converted, written
// with MOVNTDQ after a head (through the local buffer) to the first
// 16-byte boundary.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/convert/avx2.h"
#include "microkernels/exp/avx2-p5.h"
#include "microkernels/microkernels.h"

void twopass_f16_vscaleextexp_ukernel__avx2_p5_nt_u32(
    size_t batch,
    const uint16_t* input,
    uint16_t* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(output != NULL);
  // The head reaches a streaming boundary only from an element-aligned
  // output (the operator rejects others at setup).
  assert((uintptr_t) output % sizeof(uint16_t) == 0);

  const __m256 vbeta = _mm256_set1_ps(params->beta);
  const struct twopass_avx2_p5 k = twopass_avx2_p5_constants();
  const __m256 vmin_exponent = _mm256_set1_ps(TWOPASS_EXTEXP_MIN_EXPONENT);
  const __m256 vscalev = _mm256_set1_ps(params->scale);
  const __m256 vscalee = _mm256_set1_ps(params->scale_exponent);

  // The elements before the output's first 16-byte boundary.
  const size_t head_bytes = (0 - (uintptr_t) output) % 16;
  if (head_bytes != 0 && batch != 0) {
    const size_t masked = head_bytes < batch ? head_bytes : batch;
    assert(masked >= 1 * sizeof(uint16_t));
    assert(masked <= 7 * sizeof(uint16_t));

    // Through a local buffer: nothing past the row is touched.
    const __m256 vx = twopass_avx2_load_tail_f16(input, masked);

    const __m256 vz = _mm256_mul_ps(vx, vbeta);
    const __m256 verr = _mm256_fmsub_ps(vx, vbeta, vz);
    __m256 vn;
    const __m256 vp = twopass_avx2_p5_extexp(&k, vz, &verr, vmin_exponent, &vn);

    const __m256 vs = twopass_avx2_exp2(_mm256_add_ps(vn, vscalee));
    const __m256 vy = _mm256_mul_ps(_mm256_mul_ps(vp, vscalev), vs);

    twopass_avx2_store_tail_f16(output, masked, vy);
    input += masked / sizeof(uint16_t);
    output += masked / sizeof(uint16_t);
    batch -= masked;
  }
  for (; batch >= 32 * sizeof(uint16_t); batch -= 32 * sizeof(uint16_t)) {
    const __m256 vx0 = twopass_avx2_load_f16(input + 0);
    const __m256 vx1 = twopass_avx2_load_f16(input + 8);
    const __m256 vx2 = twopass_avx2_load_f16(input + 16);
    const __m256 vx3 = twopass_avx2_load_f16(input + 24);
    input += 32;

    // z = beta*x exactly, as z + err: err is added to the reduced argument.
    const __m256 vz0 = _mm256_mul_ps(vx0, vbeta);
    const __m256 vz1 = _mm256_mul_ps(vx1, vbeta);
    const __m256 vz2 = _mm256_mul_ps(vx2, vbeta);
    const __m256 vz3 = _mm256_mul_ps(vx3, vbeta);
    const __m256 verr0 = _mm256_fmsub_ps(vx0, vbeta, vz0);
    const __m256 verr1 = _mm256_fmsub_ps(vx1, vbeta, vz1);
    const __m256 verr2 = _mm256_fmsub_ps(vx2, vbeta, vz2);
    const __m256 verr3 = _mm256_fmsub_ps(vx3, vbeta, vz3);

    const __m256 vn0 = twopass_avx2_p5_round(&k, vz0);
    const __m256 vn1 = twopass_avx2_p5_round(&k, vz1);
    const __m256 vn2 = twopass_avx2_p5_round(&k, vz2);
    const __m256 vn3 = twopass_avx2_p5_round(&k, vz3);
    __m256 vt0 = twopass_avx2_p5_reduce(&k, vn0, vz0);
    __m256 vt1 = twopass_avx2_p5_reduce(&k, vn1, vz1);
    __m256 vt2 = twopass_avx2_p5_reduce(&k, vn2, vz2);
    __m256 vt3 = twopass_avx2_p5_reduce(&k, vn3, vz3);
    vt0 = _mm256_add_ps(vt0, verr0);
    vt1 = _mm256_add_ps(vt1, verr1);
    vt2 = _mm256_add_ps(vt2, verr2);
    vt3 = _mm256_add_ps(vt3, verr3);
    const __m256 vq0 = twopass_avx2_p5_poly(&k, vt0);
    const __m256 vq1 = twopass_avx2_p5_poly(&k, vt1);
    const __m256 vq2 = twopass_avx2_p5_poly(&k, vt2);
    const __m256 vq3 = twopass_avx2_p5_poly(&k, vt3);
    const __m256 vp0 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq0, vt0), vn0, vmin_exponent);
    const __m256 vp1 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq1, vt1), vn1, vmin_exponent);
    const __m256 vp2 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq2, vt2), vn2, vmin_exponent);
    const __m256 vp3 = twopass_avx2_zero_below(twopass_avx2_p5_finish(&k, vq3, vt3), vn3, vmin_exponent);

    const __m256 vs0 = twopass_avx2_exp2(_mm256_add_ps(vn0, vscalee));
    const __m256 vs1 = twopass_avx2_exp2(_mm256_add_ps(vn1, vscalee));
    const __m256 vs2 = twopass_avx2_exp2(_mm256_add_ps(vn2, vscalee));
    const __m256 vs3 = twopass_avx2_exp2(_mm256_add_ps(vn3, vscalee));
    const __m256 vy0 = _mm256_mul_ps(_mm256_mul_ps(vp0, vscalev), vs0);
    const __m256 vy1 = _mm256_mul_ps(_mm256_mul_ps(vp1, vscalev), vs1);
    const __m256 vy2 = _mm256_mul_ps(_mm256_mul_ps(vp2, vscalev), vs2);
    const __m256 vy3 = _mm256_mul_ps(_mm256_mul_ps(vp3, vscalev), vs3);

    twopass_avx2_stream_f16(output + 0, vy0);
    twopass_avx2_stream_f16(output + 8, vy1);
    twopass_avx2_stream_f16(output + 16, vy2);
    twopass_avx2_stream_f16(output + 24, vy3);
    output += 32;
  }

  for (; batch >= 8 * sizeof(uint16_t); batch -= 8 * sizeof(uint16_t)) {
    const __m256 vx = twopass_avx2_load_f16(input);
    input += 8;

    const __m256 vz = _mm256_mul_ps(vx, vbeta);
    const __m256 verr = _mm256_fmsub_ps(vx, vbeta, vz);
    __m256 vn;
    const __m256 vp = twopass_avx2_p5_extexp(&k, vz, &verr, vmin_exponent, &vn);

    const __m256 vs = twopass_avx2_exp2(_mm256_add_ps(vn, vscalee));
    const __m256 vy = _mm256_mul_ps(_mm256_mul_ps(vp, vscalev), vs);

    twopass_avx2_stream_f16(output, vy);
    output += 8;
  }
  if (batch != 0) {
    const size_t masked = batch;
    assert(masked >= 1 * sizeof(uint16_t));
    assert(masked <= 7 * sizeof(uint16_t));

    // Through a local buffer: nothing past the row is touched.
    const __m256 vx = twopass_avx2_load_tail_f16(input, masked);

    const __m256 vz = _mm256_mul_ps(vx, vbeta);
    const __m256 verr = _mm256_fmsub_ps(vx, vbeta, vz);
    __m256 vn;
    const __m256 vp = twopass_avx2_p5_extexp(&k, vz, &verr, vmin_exponent, &vn);

    const __m256 vs = twopass_avx2_exp2(_mm256_add_ps(vn, vscalee));
    const __m256 vy = _mm256_mul_ps(_mm256_mul_ps(vp, vscalev), vs);

    twopass_avx2_store_tail_f16(output, masked, vy);
  }
  _mm_sfence();
}
