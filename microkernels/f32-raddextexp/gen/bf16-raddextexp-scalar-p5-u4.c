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
// DATATYPE=bf16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load; the sum is the float pair of the f32
// kernel (microkernels/convert/scalar.h).
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "microkernels/convert/scalar.h"
#include "microkernels/exp/scalar-p5.h"
#include "microkernels/microkernels.h"

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

void twopass_bf16_raddextexp_ukernel__scalar_p5_u4(
    size_t batch,
    const uint16_t* input,
    float* sum,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(sum != NULL);

  const double vbeta = (double) params->beta;

  double vaccv0 = 0.0;
  float vacce0 = TWOPASS_EXTEXP_EMPTY_EXPONENT;
  for (; batch >= 4 * sizeof(uint16_t); batch -= 4 * sizeof(uint16_t)) {
    const float vx0 = twopass_bf16_to_f32(input[0]);
    const float vx1 = twopass_bf16_to_f32(input[1]);
    const float vx2 = twopass_bf16_to_f32(input[2]);
    const float vx3 = twopass_bf16_to_f32(input[3]);
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

    float vn0;
    float vn1;
    float vn2;
    float vn3;
    const double vp0 = twopass_scalar_p5_extexp(vbx0, vz0, TWOPASS_EXTEXP_MIN_INPUT, &vn0);
    const double vp1 = twopass_scalar_p5_extexp(vbx1, vz1, TWOPASS_EXTEXP_MIN_INPUT, &vn1);
    const double vp2 = twopass_scalar_p5_extexp(vbx2, vz2, TWOPASS_EXTEXP_MIN_INPUT, &vn2);
    const double vp3 = twopass_scalar_p5_extexp(vbx3, vz3, TWOPASS_EXTEXP_MIN_INPUT, &vn3);

    // New exponent of each accumulator: the maximum of its own and of its elements' n.
    float vmax_e0 = vacce0 > vn0 ? vacce0 : vn0;
    vmax_e0 = vmax_e0 > vn1 ? vmax_e0 : vn1;
    vmax_e0 = vmax_e0 > vn2 ? vmax_e0 : vn2;
    vmax_e0 = vmax_e0 > vn3 ? vmax_e0 : vn3;

    vaccv0 *= (double) twopass_scalar_exp2f(vacce0 - vmax_e0);
    vaccv0 += vp0 * (double) twopass_scalar_exp2f(vn0 - vmax_e0);
    vaccv0 += vp1 * (double) twopass_scalar_exp2f(vn1 - vmax_e0);
    vaccv0 += vp2 * (double) twopass_scalar_exp2f(vn2 - vmax_e0);
    vaccv0 += vp3 * (double) twopass_scalar_exp2f(vn3 - vmax_e0);
    vacce0 = vmax_e0;
  }

  for (; batch != 0; batch -= sizeof(uint16_t)) {
    const float vx = twopass_bf16_to_f32(*input++);

    const double vbx = (double) vx * vbeta;
    const float vz = narrow_product(vbx);
    float vn;
    const double vp = twopass_scalar_p5_extexp(vbx, vz, TWOPASS_EXTEXP_MIN_INPUT, &vn);

    const float vmax_e = vacce0 > vn ? vacce0 : vn;
    vaccv0 = vaccv0 * (double) twopass_scalar_exp2f(vacce0 - vmax_e) + vp * (double) twopass_scalar_exp2f(vn - vmax_e);
    vacce0 = vmax_e;
  }
  sum[0] = (float) vaccv0;
  sum[1] = vacce0;
}
