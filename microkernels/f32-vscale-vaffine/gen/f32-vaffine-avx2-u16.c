// Auto-generated file. Do not edit!
//   Template: microkernels/f32-vscale-vaffine/avx2.c.in
//   Generator: scripts/xngen.py
//
// y = x * scale (vscale), or y = fma(x, scale, shift) + bias with BIAS=1 (vaffine), AVX2 + FMA.
// The remainder uses masked loads and stores: nothing past the row is touched.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/microkernels.h"

void twopass_f32_vaffine_ukernel__avx2_u16(
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

  const __m256 vscale = _mm256_set1_ps(params->scale);
  const __m256 vshift = _mm256_set1_ps(params->shift);
  const __m256 vbias = _mm256_set1_ps(params->bias);
  for (; batch >= 16 * sizeof(float); batch -= 16 * sizeof(float)) {
    const __m256 vx0 = _mm256_loadu_ps(input + 0);
    const __m256 vx1 = _mm256_loadu_ps(input + 8);
    input += 16;

    _mm256_storeu_ps(output + 0, _mm256_add_ps(_mm256_fmadd_ps(vx0, vscale, vshift), vbias));
    _mm256_storeu_ps(output + 8, _mm256_add_ps(_mm256_fmadd_ps(vx1, vscale, vshift), vbias));
    output += 16;
  }
  for (; batch >= 8 * sizeof(float); batch -= 8 * sizeof(float)) {
    const __m256 vx = _mm256_loadu_ps(input);
    input += 8;
    _mm256_storeu_ps(output, _mm256_add_ps(_mm256_fmadd_ps(vx, vscale, vshift), vbias));
    output += 8;
  }
  if (batch != 0) {
    assert(batch >= 1 * sizeof(float));
    assert(batch <= 7 * sizeof(float));
    const __m256i vmask = _mm256_loadu_si256((const __m256i*) ((uintptr_t) &mask_table[7] - batch));
    const __m256 vx = _mm256_maskload_ps(input, vmask);
    _mm256_maskstore_ps(output, vmask, _mm256_add_ps(_mm256_fmadd_ps(vx, vscale, vshift), vbias));
  }
}
