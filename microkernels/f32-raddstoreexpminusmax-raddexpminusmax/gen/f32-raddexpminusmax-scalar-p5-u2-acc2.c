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
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "microkernels/microkernels.h"

// (float) y, or +0.0f where z < cutoff (-inf included); a NaN z keeps its NaN y. Branch-free.
static inline float flush_below_cutoff(double y, double z, double cutoff) {
  union { float f; uint32_t i; } v = { (float) y };
  v.i &= -(uint32_t) !(z < cutoff);
  return v.f;
}

void twopass_f32_raddexpminusmax_ukernel__scalar_p5_u2_acc2(
    size_t batch,
    const float* input,
    float* sum,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(params != NULL);
  assert(sum != NULL);

  const double vbeta = (double) params->beta;
  const double vminus_max = -(double) params->max;
  const double vlog2e = 0x1.71547652B82FEp+0;
  // 1.5 * 2^52 + 1023: rounds z*log2(e) to an integer and biases it for the exponent field.
  const double vmagic_bias = 0x1.80000000003FFp+52;
  const double vln2 = 0x1.62E42FEFA39EFp-1;
  const double vc5 = (double) 0x1.0F9F9Cp-7f;
  const double vc4 = (double) 0x1.573A1Ap-5f;
  const double vc3 = (double) 0x1.555A80p-3f;
  const double vc2 = (double) 0x1.FFFDC6p-2f;
  const double vc1 = (double) 0x1.FFFFF6p-1f;
  const double vdenorm_cutoff = (double) -0x1.5D589Ep6f;
  // Larger arguments overflow anyway; the clamp keeps 2^n within the double exponent range.
  const double vmax_input = 200.0;

  double vacc0 = 0.0;
  double vacc1 = 0.0;
  for (; batch >= 2 * sizeof(float); batch -= 2 * sizeof(float)) {
    double vz0 = (double) input[0] * vbeta + vminus_max;
    double vz1 = (double) input[1] * vbeta + vminus_max;
    input += 2;

    // NaN compares false and is kept.
    vz0 = vz0 > vmax_input ? vmax_input : vz0;
    vz1 = vz1 > vmax_input ? vmax_input : vz1;

    union { double f; uint64_t i; } vn0 = { vz0 * vlog2e + vmagic_bias };
    union { double f; uint64_t i; } vn1 = { vz1 * vlog2e + vmagic_bias };
    union { double f; uint64_t i; } vs0 = { 0.0 };
    union { double f; uint64_t i; } vs1 = { 0.0 };
    vs0.i = vn0.i << 52;
    vs1.i = vn1.i << 52;
    vn0.f -= vmagic_bias;
    vn1.f -= vmagic_bias;

    const double vt0 = vz0 - vn0.f * vln2;
    const double vt1 = vz1 - vn1.f * vln2;

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

    const float vy0 = flush_below_cutoff(vp0 * vs0.f, vz0, vdenorm_cutoff);
    const float vy1 = flush_below_cutoff(vp1 * vs1.f, vz1, vdenorm_cutoff);

    vacc0 += (double) vy0;
    vacc1 += (double) vy1;
  }
  vacc0 += vacc1;

  for (; batch != 0; batch -= sizeof(float)) {
    double vz = (double) *input++ * vbeta + vminus_max;
    vz = vz > vmax_input ? vmax_input : vz;

    union { double f; uint64_t i; } vn = { vz * vlog2e + vmagic_bias };
    union { double f; uint64_t i; } vs = { 0.0 };
    vs.i = vn.i << 52;
    vn.f -= vmagic_bias;
    const double vt = vz - vn.f * vln2;
    double vp = vc5 * vt + vc4;
    vp = vp * vt + vc3;
    vp = vp * vt + vc2;
    vp = vp * vt + vc1;
    vp = vp * vt + 1.0;
    const float vy = flush_below_cutoff(vp * vs.f, vz, vdenorm_cutoff);

    vacc0 += (double) vy;
  }
  *sum = (float) vacc0;
}
