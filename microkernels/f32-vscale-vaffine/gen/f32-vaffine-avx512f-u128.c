// Auto-generated file. Do not edit!
//   Template: microkernels/f32-vscale-vaffine/avx512f.c.in
//   Generator: scripts/xngen.py
//
// y = x * scale (vscale), or y = fma(x, scale, shift) + bias with BIAS=1 (vaffine), AVX-512F.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/microkernels.h"

void twopass_f32_vaffine_ukernel__avx512f_u128(
    size_t batch,
    const float* input,
    float* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(output != NULL);

  const __m512 vscale = _mm512_set1_ps(params->scale);
  const __m512 vshift = _mm512_set1_ps(params->shift);
  const __m512 vbias = _mm512_set1_ps(params->bias);
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

    _mm512_storeu_ps(output + 0, _mm512_add_ps(_mm512_fmadd_ps(vx0, vscale, vshift), vbias));
    _mm512_storeu_ps(output + 16, _mm512_add_ps(_mm512_fmadd_ps(vx1, vscale, vshift), vbias));
    _mm512_storeu_ps(output + 32, _mm512_add_ps(_mm512_fmadd_ps(vx2, vscale, vshift), vbias));
    _mm512_storeu_ps(output + 48, _mm512_add_ps(_mm512_fmadd_ps(vx3, vscale, vshift), vbias));
    _mm512_storeu_ps(output + 64, _mm512_add_ps(_mm512_fmadd_ps(vx4, vscale, vshift), vbias));
    _mm512_storeu_ps(output + 80, _mm512_add_ps(_mm512_fmadd_ps(vx5, vscale, vshift), vbias));
    _mm512_storeu_ps(output + 96, _mm512_add_ps(_mm512_fmadd_ps(vx6, vscale, vshift), vbias));
    _mm512_storeu_ps(output + 112, _mm512_add_ps(_mm512_fmadd_ps(vx7, vscale, vshift), vbias));
    output += 128;
  }
  for (; batch >= 16 * sizeof(float); batch -= 16 * sizeof(float)) {
    const __m512 vx = _mm512_loadu_ps(input);
    input += 16;
    _mm512_storeu_ps(output, _mm512_add_ps(_mm512_fmadd_ps(vx, vscale, vshift), vbias));
    output += 16;
  }
  if (batch != 0) {
    const __mmask16 vmask = _cvtu32_mask16((UINT32_C(1) << (batch >> 2)) - 1);
    const __m512 vx = _mm512_maskz_loadu_ps(vmask, input);
    _mm512_mask_storeu_ps(output, vmask, _mm512_add_ps(_mm512_fmadd_ps(vx, vscale, vshift), vbias));
  }
}
