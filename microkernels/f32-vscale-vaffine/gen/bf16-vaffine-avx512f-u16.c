// Auto-generated file. Do not edit!
//   Template: microkernels/f32-vscale-vaffine/avx512f.c.in
//   Generator: scripts/xngen.py
//
// y = x * scale (vscale), or y = fma(x, scale, shift) + bias with BIAS=1 (vaffine), AVX-512F.
// DATATYPE=bf16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load and the float result rounded once to bf16
// (nearest even, NaN kept) on store (microkernels/convert/avx512f.h).
// 16-bit masked loads and stores need AVX512BW: the remainder goes through a
// local buffer instead.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/convert/avx512f.h"
#include "microkernels/microkernels.h"

void twopass_bf16_vaffine_ukernel__avx512f_u16(
    size_t batch,
    const uint16_t* input,
    uint16_t* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(output != NULL);

  const __m512 vscale = _mm512_set1_ps(params->scale);
  const __m512 vshift = _mm512_set1_ps(params->shift);
  const __m512 vbias = _mm512_set1_ps(params->bias);
  for (; batch >= 16 * sizeof(uint16_t); batch -= 16 * sizeof(uint16_t)) {
    const __m512 vx = twopass_avx512f_load_bf16(input);
    input += 16;
    twopass_avx512f_store_bf16(output, _mm512_add_ps(_mm512_fmadd_ps(vx, vscale, vshift), vbias));
    output += 16;
  }
  if (batch != 0) {
    const size_t elements = batch >> 1;
    const __m512 vx = twopass_avx512f_load_tail_bf16(input, elements);
    twopass_avx512f_store_tail_bf16(output, elements, _mm512_add_ps(_mm512_fmadd_ps(vx, vscale, vshift), vbias));
  }
}
