// Auto-generated file. Do not edit!
//   Template: microkernels/f32-rmax-rmin/avx512f.c.in
//   Generator: scripts/xngen.py
//
// Reduce-max (OP=MAX) or reduce-min (OP=MIN) of a row, AVX-512F.
// The remainder is loaded under a mask, its empty lanes filled with the
// identity (-inf for max, +inf for min).
// DATATYPE=f16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load (microkernels/convert/avx512f.h); the result is a float.
// 16-bit masked loads need AVX512BW: the remainder goes through a local
// buffer, its empty lanes then set to the identity.
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/convert/avx512f.h"
#include "microkernels/microkernels.h"

void twopass_f16_rmin_ukernel__avx512f_u128_acc4(
    size_t batch,
    const uint16_t* input,
    float* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(output != NULL);

  const __m512 videntity = _mm512_set1_ps(+INFINITY);
  __m512 vacc0 = videntity;
  __m512 vacc1 = videntity;
  __m512 vacc2 = videntity;
  __m512 vacc3 = videntity;
  for (; batch >= 128 * sizeof(uint16_t); batch -= 128 * sizeof(uint16_t)) {
    vacc0 = _mm512_min_ps(vacc0, twopass_avx512f_load_f16(input + 0));
    vacc1 = _mm512_min_ps(vacc1, twopass_avx512f_load_f16(input + 16));
    vacc2 = _mm512_min_ps(vacc2, twopass_avx512f_load_f16(input + 32));
    vacc3 = _mm512_min_ps(vacc3, twopass_avx512f_load_f16(input + 48));
    vacc0 = _mm512_min_ps(vacc0, twopass_avx512f_load_f16(input + 64));
    vacc1 = _mm512_min_ps(vacc1, twopass_avx512f_load_f16(input + 80));
    vacc2 = _mm512_min_ps(vacc2, twopass_avx512f_load_f16(input + 96));
    vacc3 = _mm512_min_ps(vacc3, twopass_avx512f_load_f16(input + 112));
    input += 128;
  }
  vacc0 = _mm512_min_ps(vacc0, vacc1);
  vacc0 = _mm512_min_ps(vacc0, vacc2);
  vacc0 = _mm512_min_ps(vacc0, vacc3);
  for (; batch >= 16 * sizeof(uint16_t); batch -= 16 * sizeof(uint16_t)) {
    vacc0 = _mm512_min_ps(vacc0, twopass_avx512f_load_f16(input));
    input += 16;
  }
  if (batch != 0) {
    const size_t elements = batch >> 1;
    const __mmask16 vmask = _cvtu32_mask16((UINT32_C(1) << elements) - 1);
    const __m512 vx = twopass_avx512f_load_tail_f16(input, elements);
    vacc0 = _mm512_min_ps(vacc0, _mm512_mask_blend_ps(vmask, videntity, vx));
  }
  *output = _mm512_reduce_min_ps(vacc0);
}
