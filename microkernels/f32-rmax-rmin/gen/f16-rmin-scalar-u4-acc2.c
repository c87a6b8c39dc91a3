// Auto-generated file. Do not edit!
//   Template: microkernels/f32-rmax-rmin/scalar.c.in
//   Generator: scripts/xngen.py
//
// Reduce-max (OP=MAX) or reduce-min (OP=MIN) of a row, portable C.
// Accumulators start at the identity (-inf for max, +inf for min);
// a ? b : c selections compile to MAXSS/MINSS-like branch-free code.
// DATATYPE=f16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load (microkernels/convert/scalar.h); the result is a float.
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "microkernels/convert/scalar.h"
#include "microkernels/microkernels.h"

void twopass_f16_rmin_ukernel__scalar_u4_acc2(
    size_t batch,
    const uint16_t* input,
    float* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(output != NULL);

  float vacc0 = +INFINITY;
  float vacc1 = +INFINITY;
  for (; batch >= 4 * sizeof(uint16_t); batch -= 4 * sizeof(uint16_t)) {
    const float vx0 = twopass_f16_to_f32(input[0]);
    const float vx1 = twopass_f16_to_f32(input[1]);
    const float vx2 = twopass_f16_to_f32(input[2]);
    const float vx3 = twopass_f16_to_f32(input[3]);
    input += 4;

    vacc0 = vacc0 < vx0 ? vacc0 : vx0;
    vacc1 = vacc1 < vx1 ? vacc1 : vx1;
    vacc0 = vacc0 < vx2 ? vacc0 : vx2;
    vacc1 = vacc1 < vx3 ? vacc1 : vx3;
  }
  vacc0 = vacc0 < vacc1 ? vacc0 : vacc1;
  for (; batch != 0; batch -= sizeof(uint16_t)) {
    const float vx = twopass_f16_to_f32(*input++);
    vacc0 = vacc0 < vx ? vacc0 : vx;
  }
  *output = vacc0;
}
