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

void twopass_f32_raddexpminusmax_ukernel__scalar_p5_u1(
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
