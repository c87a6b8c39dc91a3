// Auto-generated file. Do not edit!
//   Template: microkernels/f32-rmax-rmin/avx512f.c.in
//   Generator: scripts/xngen.py
//
// Reduce-max (OP=MAX) or reduce-min (OP=MIN) of a row, AVX-512F.
// The remainder is loaded under a mask, its empty lanes filled with the
// identity (-inf for max, +inf for min).
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/microkernels.h"

void twopass_f32_rmin_ukernel__avx512f_u128_acc4(
    size_t batch,
    const float* input,
    float* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(output != NULL);

  const __m512 videntity = _mm512_set1_ps(+INFINITY);
  __m512 vacc0 = videntity;
  __m512 vacc1 = videntity;
  __m512 vacc2 = videntity;
  __m512 vacc3 = videntity;
  for (; batch >= 128 * sizeof(float); batch -= 128 * sizeof(float)) {
    vacc0 = _mm512_min_ps(vacc0, _mm512_loadu_ps(input + 0));
    vacc1 = _mm512_min_ps(vacc1, _mm512_loadu_ps(input + 16));
    vacc2 = _mm512_min_ps(vacc2, _mm512_loadu_ps(input + 32));
    vacc3 = _mm512_min_ps(vacc3, _mm512_loadu_ps(input + 48));
    vacc0 = _mm512_min_ps(vacc0, _mm512_loadu_ps(input + 64));
    vacc1 = _mm512_min_ps(vacc1, _mm512_loadu_ps(input + 80));
    vacc2 = _mm512_min_ps(vacc2, _mm512_loadu_ps(input + 96));
    vacc3 = _mm512_min_ps(vacc3, _mm512_loadu_ps(input + 112));
    input += 128;
  }
  vacc0 = _mm512_min_ps(vacc0, vacc1);
  vacc0 = _mm512_min_ps(vacc0, vacc2);
  vacc0 = _mm512_min_ps(vacc0, vacc3);
  for (; batch >= 16 * sizeof(float); batch -= 16 * sizeof(float)) {
    vacc0 = _mm512_min_ps(vacc0, _mm512_loadu_ps(input));
    input += 16;
  }
  if (batch != 0) {
    const __mmask16 vmask = _cvtu32_mask16((UINT32_C(1) << (batch >> 2)) - 1);
    vacc0 = _mm512_min_ps(vacc0, _mm512_mask_loadu_ps(videntity, vmask, input));
  }
  *output = _mm512_reduce_min_ps(vacc0);
}
