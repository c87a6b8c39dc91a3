// Auto-generated file. Do not edit!
//   Template: microkernels/f32-vscale-vaffine/scalar.c.in
//   Generator: scripts/xngen.py
//
// y = x * scale (vscale), or y = fma(x, scale, shift) + bias with BIAS=1 (vaffine), portable C.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "microkernels/microkernels.h"

void twopass_f32_vscale_ukernel__scalar_u1(
    size_t batch,
    const float* input,
    float* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(output != NULL);

  const float scale = params->scale;

  for (; batch != 0; batch -= sizeof(float)) {
    const float vx = *input++;
    *output++ = vx * scale;
  }
}
