// Auto-generated file. Do not edit!
//   Template: microkernels/f32-vscaleextexp/scalar-p5.c.in
//   Generator: scripts/xngen.py
//
// Pass 2 of the two-pass softmax, portable C:
// y = exp(beta*x) * scale_value * 2^scale_exponent = (p * scale_value) * 2^(n + scale_exponent),
// with exp(beta*x) = p * 2^n computed as in scalar-p5 raddextexp (exact
// product beta*x, reduction and polynomial in double, n as in the vector
// kernels). p * scale_value * 2^d is formed in double, where 2^d is exact for
// -1022 <= d <= 1023 (d is clamped at 1023; 2^d is 0 for d <= -1023 and for a
// NaN d), and rounded to float once: like VSCALEFPS, tiny results become
// denormals and huge ones +inf.
// BETA1=1 makes the unit-beta variant (name token beta1) that plain softmax
// gets at plan time: it computes exp(x), never reads params->beta and skips
// the two-product, as beta*x = x is exact.
// DATATYPE=bf16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load and the float result rounded once to bf16
// (nearest even, NaN kept) on store (microkernels/convert/scalar.h).
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "microkernels/convert/scalar.h"
#include "microkernels/exp/scalar-p5.h"
#include "microkernels/microkernels.h"

void twopass_bf16_vscaleextexp_ukernel__scalar_p5_u2(
    size_t batch,
    const uint16_t* input,
    uint16_t* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(output != NULL);

  const double vbeta = (double) params->beta;
  const double vscalev = (double) params->scale;
  const double vscalee = (double) params->scale_exponent;

  for (; batch >= 2 * sizeof(uint16_t); batch -= 2 * sizeof(uint16_t)) {
    const float vx0 = twopass_bf16_to_f32(input[0]);
    const float vx1 = twopass_bf16_to_f32(input[1]);
    input += 2;

    const double vbx0 = (double) vx0 * vbeta;
    const double vbx1 = (double) vx1 * vbeta;
    const float vz0 = (float) vbx0;
    const float vz1 = (float) vbx1;

    float vn0;
    float vn1;
    const double vp0 = twopass_scalar_p5_extexp(vbx0, vz0, TWOPASS_EXTEXP_MIN_INPUT, &vn0);
    const double vp1 = twopass_scalar_p5_extexp(vbx1, vz1, TWOPASS_EXTEXP_MIN_INPUT, &vn1);

    const double vs0 = twopass_scalar_exp2((double) vn0 + vscalee);
    const double vs1 = twopass_scalar_exp2((double) vn1 + vscalee);

    output[0] = twopass_bf16_from_f32((float) (vp0 * vscalev * vs0));
    output[1] = twopass_bf16_from_f32((float) (vp1 * vscalev * vs1));
    output += 2;
  }
  for (; batch != 0; batch -= sizeof(uint16_t)) {
    const float vx = twopass_bf16_to_f32(*input++);

    const double vbx = (double) vx * vbeta;
    const float vz = (float) vbx;
    float vn;
    const double vp = twopass_scalar_p5_extexp(vbx, vz, TWOPASS_EXTEXP_MIN_INPUT, &vn);

    const double vs = twopass_scalar_exp2((double) vn + vscalee);

    *output++ = twopass_bf16_from_f32((float) (vp * vscalev * vs));
  }
}
