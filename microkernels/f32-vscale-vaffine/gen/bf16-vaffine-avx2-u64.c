// Auto-generated file. Do not edit!
//   Template: microkernels/f32-vscale-vaffine/avx2.c.in
//   Generator: scripts/xngen.py
//
// y = x * scale (vscale), or y = fma(x, scale, shift) + bias with BIAS=1 (vaffine), AVX2 + FMA.
// The remainder uses masked loads and stores: nothing past the row is touched.
// DATATYPE=bf16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load and the float result rounded once to bf16 (nearest
// even, NaN kept) on store (microkernels/convert/avx2.h); the remainder goes
// through a local buffer instead.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/convert/avx2.h"
#include "microkernels/microkernels.h"

void twopass_bf16_vaffine_ukernel__avx2_u64(
    size_t batch,
    const uint16_t* input,
    uint16_t* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(output != NULL);

  const __m256 vscale = _mm256_set1_ps(params->scale);
  const __m256 vshift = _mm256_set1_ps(params->shift);
  const __m256 vbias = _mm256_set1_ps(params->bias);
  for (; batch >= 64 * sizeof(uint16_t); batch -= 64 * sizeof(uint16_t)) {
    const __m256 vx0 = twopass_avx2_load_bf16(input + 0);
    const __m256 vx1 = twopass_avx2_load_bf16(input + 8);
    const __m256 vx2 = twopass_avx2_load_bf16(input + 16);
    const __m256 vx3 = twopass_avx2_load_bf16(input + 24);
    const __m256 vx4 = twopass_avx2_load_bf16(input + 32);
    const __m256 vx5 = twopass_avx2_load_bf16(input + 40);
    const __m256 vx6 = twopass_avx2_load_bf16(input + 48);
    const __m256 vx7 = twopass_avx2_load_bf16(input + 56);
    input += 64;

    twopass_avx2_store_bf16(output + 0, _mm256_add_ps(_mm256_fmadd_ps(vx0, vscale, vshift), vbias));
    twopass_avx2_store_bf16(output + 8, _mm256_add_ps(_mm256_fmadd_ps(vx1, vscale, vshift), vbias));
    twopass_avx2_store_bf16(output + 16, _mm256_add_ps(_mm256_fmadd_ps(vx2, vscale, vshift), vbias));
    twopass_avx2_store_bf16(output + 24, _mm256_add_ps(_mm256_fmadd_ps(vx3, vscale, vshift), vbias));
    twopass_avx2_store_bf16(output + 32, _mm256_add_ps(_mm256_fmadd_ps(vx4, vscale, vshift), vbias));
    twopass_avx2_store_bf16(output + 40, _mm256_add_ps(_mm256_fmadd_ps(vx5, vscale, vshift), vbias));
    twopass_avx2_store_bf16(output + 48, _mm256_add_ps(_mm256_fmadd_ps(vx6, vscale, vshift), vbias));
    twopass_avx2_store_bf16(output + 56, _mm256_add_ps(_mm256_fmadd_ps(vx7, vscale, vshift), vbias));
    output += 64;
  }
  for (; batch >= 8 * sizeof(uint16_t); batch -= 8 * sizeof(uint16_t)) {
    const __m256 vx = twopass_avx2_load_bf16(input);
    input += 8;
    twopass_avx2_store_bf16(output, _mm256_add_ps(_mm256_fmadd_ps(vx, vscale, vshift), vbias));
    output += 8;
  }
  if (batch != 0) {
    assert(batch >= 1 * sizeof(uint16_t));
    assert(batch <= 7 * sizeof(uint16_t));
    const __m256 vx = twopass_avx2_load_tail_bf16(input, batch);
    twopass_avx2_store_tail_bf16(output, batch, _mm256_add_ps(_mm256_fmadd_ps(vx, vscale, vshift), vbias));
  }
}
