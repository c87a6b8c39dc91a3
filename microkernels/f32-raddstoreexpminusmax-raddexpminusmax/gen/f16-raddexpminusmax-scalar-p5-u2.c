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
// DATATYPE=f16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load and (vscaleexpminusmax) the float result rounded once to
// f16 on store (microkernels/convert/scalar.h).
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "microkernels/convert/scalar.h"
#include "microkernels/exp/scalar-p5.h"
#include "microkernels/microkernels.h"

void twopass_f16_raddexpminusmax_ukernel__scalar_p5_u2(
    size_t batch,
    const uint16_t* input,
    float* sum,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(params != NULL);
  assert(sum != NULL);

  const double vbeta = (double) params->beta;
  const double vminus_max = -(double) params->max;
  const double vdenorm_cutoff = (double) -0x1.5D589Ep6f;
  // Larger arguments overflow anyway; the clamp keeps 2^n within the double exponent range.
  const double vmax_input = 200.0;

  double vacc0 = 0.0;
  for (; batch >= 2 * sizeof(uint16_t); batch -= 2 * sizeof(uint16_t)) {
    double vz0 = (double) twopass_f16_to_f32(input[0]) * vbeta + vminus_max;
    double vz1 = (double) twopass_f16_to_f32(input[1]) * vbeta + vminus_max;
    input += 2;

    // NaN compares false and is kept.
    vz0 = vz0 > vmax_input ? vmax_input : vz0;
    vz1 = vz1 > vmax_input ? vmax_input : vz1;

    const float vy0 = twopass_scalar_p5_exp(vz0, vdenorm_cutoff);
    const float vy1 = twopass_scalar_p5_exp(vz1, vdenorm_cutoff);

    vacc0 += (double) vy0;
    vacc0 += (double) vy1;
  }

  for (; batch != 0; batch -= sizeof(uint16_t)) {
    double vz = (double) twopass_f16_to_f32(*input++) * vbeta + vminus_max;
    vz = vz > vmax_input ? vmax_input : vz;

    const float vy = twopass_scalar_p5_exp(vz, vdenorm_cutoff);

    vacc0 += (double) vy;
  }
  *sum = (float) vacc0;
}
