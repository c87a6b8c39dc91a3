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
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "microkernels/microkernels.h"

// p, or +0.0 where z < TWOPASS_EXTEXP_MIN_INPUT (-inf included, whose p is
// NaN); a NaN z keeps its NaN p. Branch-free.
static inline double zero_below_min_input(double p, float z) {
  union { double f; uint64_t i; } v = { p };
  v.i &= -(uint64_t) !(z < TWOPASS_EXTEXP_MIN_INPUT);
  return v.f;
}

void twopass_f32_vscaleextexp_ukernel__scalar_p5_u2(
    size_t batch,
    const float* input,
    float* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(output != NULL);

  const double vbeta = (double) params->beta;
  const float vlog2e = 0x1.715476p+0f;
  const float vmagic_bias = 0x1.8p+23f;
  const double vln2 = 0x1.62E42FEFA39EFp-1;
  const double vc5 = (double) 0x1.0F9F9Cp-7f;
  const double vc4 = (double) 0x1.573A1Ap-5f;
  const double vc3 = (double) 0x1.555A80p-3f;
  const double vc2 = (double) 0x1.FFFDC6p-2f;
  const double vc1 = (double) 0x1.FFFFF6p-1f;
  // 2^d = bits(d + 1.5 * 2^52 + 1023) << 52 for integer-valued d in [-1022, 1023].
  const double vmagic_bias_d = 0x1.80000000003FFp+52;
  const double vscalev = (double) params->scale;
  const double vscalee = (double) params->scale_exponent;

  for (; batch >= 2 * sizeof(float); batch -= 2 * sizeof(float)) {
    const float vx0 = input[0];
    const float vx1 = input[1];
    input += 2;

    const double vbx0 = (double) vx0 * vbeta;
    const double vbx1 = (double) vx1 * vbeta;
    const float vz0 = (float) vbx0;
    const float vz1 = (float) vbx1;

    const float vn0 = (vz0 * vlog2e + vmagic_bias) - vmagic_bias;
    const float vn1 = (vz1 * vlog2e + vmagic_bias) - vmagic_bias;

    const double vt0 = vbx0 - (double) vn0 * vln2;
    const double vt1 = vbx1 - (double) vn1 * vln2;

    double vp0 = vc5 * vt0 + vc4;
    double vp1 = vc5 * vt1 + vc4;
    vp0 = vp0 * vt0 + vc3;
    vp1 = vp1 * vt1 + vc3;
    vp0 = vp0 * vt0 + vc2;
    vp1 = vp1 * vt1 + vc2;
    vp0 = vp0 * vt0 + vc1;
    vp1 = vp1 * vt1 + vc1;
    vp0 = vp0 * vt0 + 1.0;
    vp1 = vp1 * vt1 + 1.0;
    // Products below the range (-inf included) give exactly 0; NaN is kept.
    vp0 = zero_below_min_input(vp0, vz0);
    vp1 = zero_below_min_input(vp1, vz1);

    double vd0 = (double) vn0 + vscalee;
    double vd1 = (double) vn1 + vscalee;
    // Never the case in softmax (d <= 0 there); NaN is kept.
    vd0 = vd0 > 1023.0 ? 1023.0 : vd0;
    vd1 = vd1 > 1023.0 ? 1023.0 : vd1;
    union { double f; uint64_t i; } vs0 = { vd0 + vmagic_bias_d };
    union { double f; uint64_t i; } vs1 = { vd1 + vmagic_bias_d };
    // 2^d, or 0 for d <= -1023 and NaN (branch-free: d is often very negative).
    vs0.i = (vs0.i << 52) & -(uint64_t) (vd0 > -1023.0);
    vs1.i = (vs1.i << 52) & -(uint64_t) (vd1 > -1023.0);

    output[0] = (float) (vp0 * vscalev * vs0.f);
    output[1] = (float) (vp1 * vscalev * vs1.f);
    output += 2;
  }
  for (; batch != 0; batch -= sizeof(float)) {
    const float vx = *input++;

    const double vbx = (double) vx * vbeta;
    const float vz = (float) vbx;
    const float vn = (vz * vlog2e + vmagic_bias) - vmagic_bias;
    const double vt = vbx - (double) vn * vln2;
    double vp = vc5 * vt + vc4;
    vp = vp * vt + vc3;
    vp = vp * vt + vc2;
    vp = vp * vt + vc1;
    vp = vp * vt + 1.0;
    vp = zero_below_min_input(vp, vz);

    double vd = (double) vn + vscalee;
    vd = vd > 1023.0 ? 1023.0 : vd;
    union { double f; uint64_t i; } vs = { vd + vmagic_bias_d };
    vs.i = (vs.i << 52) & -(uint64_t) (vd > -1023.0);

    *output++ = (float) (vp * vscalev * vs.f);
  }
}
