// Auto-generated file. Do not edit!
//   Template: microkernels/f32-vscale-vaffine/scalar.c.in
//   Generator: scripts/xngen.py
//
// y = x * scale (vscale), or y = fma(x, scale, shift) + bias with BIAS=1 (vaffine), portable C.
// The fused step of vaffine, x*scale + shift, rounds once, like an FMA,
// without an FMA instruction or a library call: x*scale is exact in double,
// and the double sum x*scale + shift is rounded to float correctly except when it lies exactly halfway between two
// floats without being exact; that (rare) case is detected and the double
// moved one ulp toward the exact sum (round to odd) before the final rounding.
// DATATYPE=bf16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load and the float result rounded once to bf16
// (nearest even, NaN kept) on store (microkernels/convert/scalar.h).
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "microkernels/convert/scalar.h"
#include "microkernels/microkernels.h"

// fma(a, b, c) with one rounding (round to nearest even).
static inline float fma_exact(float a, float b, float c) {
  const double vab = (double) a * (double) b;  // exact: 24 + 24 bits
  const double vc = (double) c;
  union { double f; uint64_t i; } vsum = { vab + vc };
  // A float halfway point (or a float) has at least its 28 low bits clear.
  if ((vsum.i & UINT64_C(0x0FFFFFFF)) == 0) {
    // TwoSum: the exact rounding error of vab + vc (NaN for infinities).
    const double vbb = vsum.f - vab;
    const double verr = (vab - (vsum.f - vbb)) + (vc - vbb);
    if (verr > 0.0 || verr < 0.0) {
      if ((verr > 0.0) == (vsum.f > 0.0)) {
        vsum.i += 1;  // away from zero
      } else {
        vsum.i -= 1;  // toward zero
      }
    }
  }
  return (float) vsum.f;
}

void twopass_bf16_vaffine_ukernel__scalar_u1(
    size_t batch,
    const uint16_t* input,
    uint16_t* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(output != NULL);

  const float scale = params->scale;
  const float shift = params->shift;
  const float bias = params->bias;

  for (; batch != 0; batch -= sizeof(uint16_t)) {
    const float vx = twopass_bf16_to_f32(*input++);
    *output++ = twopass_bf16_from_f32(fma_exact(vx, scale, shift) + bias);
  }
}
