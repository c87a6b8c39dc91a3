// Auto-generated file. Do not edit!
//   Template: microkernels/f32-raddstoreexpminusmax-raddexpminusmax/scalar-p5.c.in
//   Generator: scripts/xngen.py
//
// Three-pass softmax, pass 2, portable C: y = exp(beta*x - max), sum += y.
// STORE=0 gives raddexpminusmax, the same sum without storing y.
// Without an FMA instruction (and without library calls) the argument
// beta*x - max is formed in double: beta*x is exact there and the difference
// is rounded once, to double, so the argument is at least as accurate as the
// single FMA of the vector kernels. The reduction, the same degree-5
// polynomial and 2^n (magic bias 1.5 * 2^52 + 1023: n is rounded and moved
// into the exponent field together) are evaluated in double and y is rounded
// to float once. As in the vector kernels, y is flushed to 0 where the
// argument is below -0x1.5D589Ep6 (exp not a normal float; -inf included),
// NaN is kept, and arguments above 200 (only possible when max is not the
// maximum) give +inf. The sums are accumulated in double: a scalar kernel has
// one lane per accumulator, and a float sum over a long row would lose the
// accuracy that the vector kernels get from many lanes.
//
// SCALE=1 gives vscaleexpminusmax, the last pass of a three-pass softmax that
// recomputes the exps instead of reloading them: y = exp(beta*x - max) * scale
// (the product rounded once more, in float), stored, no sum (the scale is the
// row's 1/sum). It is what 16-bit rows need, whose output cannot hold the
// unrounded exps for a later vscale.
// DATATYPE=f16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load and (vscaleexpminusmax) the float result rounded once to
// f16 on store (microkernels/convert/scalar.h).
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "microkernels/convert/scalar.h"
#include "microkernels/exp/scalar-p5.h"
#include "microkernels/microkernels.h"

void twopass_f16_vscaleexpminusmax_ukernel__scalar_p5_u4(
    size_t batch,
    const uint16_t* input,
    uint16_t* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(params != NULL);
  assert(output != NULL);

  const double vbeta = (double) params->beta;
  const double vminus_max = -(double) params->max;
  const double vdenorm_cutoff = (double) -0x1.5D589Ep6f;
  // Larger arguments overflow anyway; the clamp keeps 2^n within the double exponent range.
  const double vmax_input = 200.0;
  const float vscale = params->scale;

  for (; batch >= 4 * sizeof(uint16_t); batch -= 4 * sizeof(uint16_t)) {
    double vz0 = (double) twopass_f16_to_f32(input[0]) * vbeta + vminus_max;
    double vz1 = (double) twopass_f16_to_f32(input[1]) * vbeta + vminus_max;
    double vz2 = (double) twopass_f16_to_f32(input[2]) * vbeta + vminus_max;
    double vz3 = (double) twopass_f16_to_f32(input[3]) * vbeta + vminus_max;
    input += 4;

    // NaN compares false and is kept.
    vz0 = vz0 > vmax_input ? vmax_input : vz0;
    vz1 = vz1 > vmax_input ? vmax_input : vz1;
    vz2 = vz2 > vmax_input ? vmax_input : vz2;
    vz3 = vz3 > vmax_input ? vmax_input : vz3;

    const float vy0 = twopass_scalar_p5_exp(vz0, vdenorm_cutoff);
    const float vy1 = twopass_scalar_p5_exp(vz1, vdenorm_cutoff);
    const float vy2 = twopass_scalar_p5_exp(vz2, vdenorm_cutoff);
    const float vy3 = twopass_scalar_p5_exp(vz3, vdenorm_cutoff);

    output[0] = twopass_f16_from_f32(vy0 * vscale);
    output[1] = twopass_f16_from_f32(vy1 * vscale);
    output[2] = twopass_f16_from_f32(vy2 * vscale);
    output[3] = twopass_f16_from_f32(vy3 * vscale);
    output += 4;
  }

  for (; batch != 0; batch -= sizeof(uint16_t)) {
    double vz = (double) twopass_f16_to_f32(*input++) * vbeta + vminus_max;
    vz = vz > vmax_input ? vmax_input : vz;

    const float vy = twopass_scalar_p5_exp(vz, vdenorm_cutoff);

    *output++ = twopass_f16_from_f32(vy * vscale);
  }
}
