// Auto-generated file. Do not edit!
//   Template: microkernels/f32-raddextexp/scalar-p5.c.in
//   Generator: scripts/xngen.py
//
// Pass 1 of the two-pass softmax (Dukhan & Ablavatski, 2020), portable C.
//
// Same algorithm and constants as avx512f-p5-scalef.c.in and avx2-p5.c.in:
// exp(beta*x) = p * 2^n with n = round(z * log2(e)), z = fl(beta*x), and
// every accumulator keeps a pair (v, e) meaning v * 2^e. Without an FMA
// instruction (and without library calls), the exact product beta*x, which
// the vector kernels keep as z + fma(x, beta, -z), is a double (24 + 24 bits
// fit in 53), and the reduced argument t = beta*x - n*ln(2) and the
// polynomial are evaluated in double. The values v (and p) are doubles too:
// a scalar kernel has one lane per accumulator, and a float sum over a long
// row would lose the accuracy that the vector kernels get from many lanes.
// n is rounded with the 1.5 * 2^23 magic bias: the same n as the vector
// kernels while |z * log2(e)| <= 2^22, which covers the supported range
// |beta*x| <= 2^20 (TWOPASS_EXTEXP_MAX_INPUT).
// The factors 2^d (d <= 0) are built as in the AVX2 kernels:
// bits(max(d, -127) + 0x1.8000FEp23) << 23 is 2^d for d >= -126, 0 for
// d <= -127 (and for a NaN d, whose element has a NaN p that survives).
// The exponents e stay floats, as in the vector kernels.
// BETA1=1 makes the unit-beta variant (name token beta1) that plain softmax
// gets at plan time: it computes exp(x), never reads params->beta and skips
// the two-product, as beta*x = x is exact.
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "microkernels/microkernels.h"

// 2^d for an integer-valued d <= 0: exact for d >= -126, 0 for d <= -127 or
// NaN. Branch-free: the AVX2 kernels' clamp at -127 is a mask here.
static inline float exp2_nonpositive(float d) {
  union { float f; uint32_t i; } s = { d + 0x1.8000FEp23f };
  s.i = (s.i << 23) & -(uint32_t) (d > -127.0f);
  return s.f;
}

// fl(beta*x) from the exact double product, rounded as a float multiplication
// would round it (to +-inf from halfway between FLT_MAX and 2^128): a plain
// conversion of a double beyond the float range is undefined in ISO C.
static inline float narrow_product(double bx) {
  const double max = (double) 0x1.FFFFFEp+127f;
  const double overflow = 0x1.FFFFFFp+127;
  if (bx >= overflow || bx <= -overflow) {
    return bx > 0.0 ? INFINITY : -INFINITY;
  }
  return (float) (bx > max ? max : bx < -max ? -max : bx);
}

// p, or +0.0 where z < TWOPASS_EXTEXP_MIN_INPUT (-inf included, whose p is
// NaN); a NaN z keeps its NaN p. Branch-free.
static inline double zero_below_min_input(double p, float z) {
  union { double f; uint64_t i; } v = { p };
  v.i &= -(uint64_t) !(z < TWOPASS_EXTEXP_MIN_INPUT);
  return v.f;
}

void twopass_f32_raddextexp_ukernel__scalar_p5_u4_acc4(
    size_t batch,
    const float* input,
    float* sum,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(sum != NULL);

  const double vbeta = (double) params->beta;
  const float vlog2e = 0x1.715476p+0f;
  const float vmagic_bias = 0x1.8p+23f;
  const double vln2 = 0x1.62E42FEFA39EFp-1;
  // Degree-5 minimax polynomial for exp(t) on [-ln(2)/2, ln(2)/2].
  const double vc5 = (double) 0x1.0F9F9Cp-7f;
  const double vc4 = (double) 0x1.573A1Ap-5f;
  const double vc3 = (double) 0x1.555A80p-3f;
  const double vc2 = (double) 0x1.FFFDC6p-2f;
  const double vc1 = (double) 0x1.FFFFF6p-1f;

  double vaccv0 = 0.0;
  double vaccv1 = 0.0;
  double vaccv2 = 0.0;
  double vaccv3 = 0.0;
  float vacce0 = TWOPASS_EXTEXP_EMPTY_EXPONENT;
  float vacce1 = TWOPASS_EXTEXP_EMPTY_EXPONENT;
  float vacce2 = TWOPASS_EXTEXP_EMPTY_EXPONENT;
  float vacce3 = TWOPASS_EXTEXP_EMPTY_EXPONENT;
  for (; batch >= 4 * sizeof(float); batch -= 4 * sizeof(float)) {
    const float vx0 = input[0];
    const float vx1 = input[1];
    const float vx2 = input[2];
    const float vx3 = input[3];
    input += 4;

    // beta*x exactly.
    const double vbx0 = (double) vx0 * vbeta;
    const double vbx1 = (double) vx1 * vbeta;
    const double vbx2 = (double) vx2 * vbeta;
    const double vbx3 = (double) vx3 * vbeta;
    const float vz0 = narrow_product(vbx0);
    const float vz1 = narrow_product(vbx1);
    const float vz2 = narrow_product(vbx2);
    const float vz3 = narrow_product(vbx3);

    const float vn0 = (vz0 * vlog2e + vmagic_bias) - vmagic_bias;
    const float vn1 = (vz1 * vlog2e + vmagic_bias) - vmagic_bias;
    const float vn2 = (vz2 * vlog2e + vmagic_bias) - vmagic_bias;
    const float vn3 = (vz3 * vlog2e + vmagic_bias) - vmagic_bias;

    const double vt0 = vbx0 - (double) vn0 * vln2;
    const double vt1 = vbx1 - (double) vn1 * vln2;
    const double vt2 = vbx2 - (double) vn2 * vln2;
    const double vt3 = vbx3 - (double) vn3 * vln2;

    double vq0 = vc5 * vt0 + vc4;
    double vq1 = vc5 * vt1 + vc4;
    double vq2 = vc5 * vt2 + vc4;
    double vq3 = vc5 * vt3 + vc4;
    vq0 = vq0 * vt0 + vc3;
    vq1 = vq1 * vt1 + vc3;
    vq2 = vq2 * vt2 + vc3;
    vq3 = vq3 * vt3 + vc3;
    vq0 = vq0 * vt0 + vc2;
    vq1 = vq1 * vt1 + vc2;
    vq2 = vq2 * vt2 + vc2;
    vq3 = vq3 * vt3 + vc2;
    vq0 = vq0 * vt0 + vc1;
    vq1 = vq1 * vt1 + vc1;
    vq2 = vq2 * vt2 + vc1;
    vq3 = vq3 * vt3 + vc1;
    vq0 = vq0 * vt0 + 1.0;
    vq1 = vq1 * vt1 + 1.0;
    vq2 = vq2 * vt2 + 1.0;
    vq3 = vq3 * vt3 + 1.0;
    // Products below the range (-inf included) contribute exactly 0; NaN is kept.
    const double vp0 = zero_below_min_input(vq0, vz0);
    const double vp1 = zero_below_min_input(vq1, vz1);
    const double vp2 = zero_below_min_input(vq2, vz2);
    const double vp3 = zero_below_min_input(vq3, vz3);

    // New exponent of each accumulator: the maximum of its own and of its elements' n.
    float vmax_e0 = vacce0 > vn0 ? vacce0 : vn0;
    float vmax_e1 = vacce1 > vn1 ? vacce1 : vn1;
    float vmax_e2 = vacce2 > vn2 ? vacce2 : vn2;
    float vmax_e3 = vacce3 > vn3 ? vacce3 : vn3;

    vaccv0 *= (double) exp2_nonpositive(vacce0 - vmax_e0);
    vaccv1 *= (double) exp2_nonpositive(vacce1 - vmax_e1);
    vaccv2 *= (double) exp2_nonpositive(vacce2 - vmax_e2);
    vaccv3 *= (double) exp2_nonpositive(vacce3 - vmax_e3);
    vaccv0 += vp0 * (double) exp2_nonpositive(vn0 - vmax_e0);
    vaccv1 += vp1 * (double) exp2_nonpositive(vn1 - vmax_e1);
    vaccv2 += vp2 * (double) exp2_nonpositive(vn2 - vmax_e2);
    vaccv3 += vp3 * (double) exp2_nonpositive(vn3 - vmax_e3);
    vacce0 = vmax_e0;
    vacce1 = vmax_e1;
    vacce2 = vmax_e2;
    vacce3 = vmax_e3;
  }

  // Merge the accumulators into the first one.
  {
    float vmax_e = vacce0 > vacce1 ? vacce0 : vacce1;
    vmax_e = vmax_e > vacce2 ? vmax_e : vacce2;
    vmax_e = vmax_e > vacce3 ? vmax_e : vacce3;
    vaccv0 *= (double) exp2_nonpositive(vacce0 - vmax_e);
    vaccv0 += vaccv1 * (double) exp2_nonpositive(vacce1 - vmax_e);
    vaccv0 += vaccv2 * (double) exp2_nonpositive(vacce2 - vmax_e);
    vaccv0 += vaccv3 * (double) exp2_nonpositive(vacce3 - vmax_e);
    vacce0 = vmax_e;
  }

  for (; batch != 0; batch -= sizeof(float)) {
    const float vx = *input++;

    const double vbx = (double) vx * vbeta;
    const float vz = narrow_product(vbx);
    const float vn = (vz * vlog2e + vmagic_bias) - vmagic_bias;
    const double vt = vbx - (double) vn * vln2;
    double vq = vc5 * vt + vc4;
    vq = vq * vt + vc3;
    vq = vq * vt + vc2;
    vq = vq * vt + vc1;
    vq = vq * vt + 1.0;
    const double vp = zero_below_min_input(vq, vz);

    const float vmax_e = vacce0 > vn ? vacce0 : vn;
    vaccv0 = vaccv0 * (double) exp2_nonpositive(vacce0 - vmax_e) + vp * (double) exp2_nonpositive(vn - vmax_e);
    vacce0 = vmax_e;
  }
  sum[0] = (float) vaccv0;
  sum[1] = vacce0;
}
