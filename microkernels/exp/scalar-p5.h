// The exp core of every portable-C kernel, one element at a time: the
// templates call it inside their unrolling, so a cheaper exp is a change here.
//
// exp(z) = p(t) * 2^n with n = round(z * log2(e)), t = z - n*ln2 and p the
// degree-5 minimax polynomial of the vector kernels (Dukhan & Ablavatski,
// 2020), its float coefficients evaluated in double: without an FMA
// instruction (and without library calls) the reduced argument and the
// polynomial in double give the accuracy the vector kernels get from FMAs.
// Branch-free: the special values are masks, as in the vector kernels.
#pragma once

#include <stdint.h>

// exp(t) = 1 + t*(c1 + t*(c2 + t*(c3 + t*(c4 + t*c5)))) on [-ln(2)/2, ln(2)/2].
static inline double twopass_scalar_p5_poly(double t) {
  double p = (double) 0x1.0F9F9Cp-7f * t + (double) 0x1.573A1Ap-5f;
  p = p * t + (double) 0x1.555A80p-3f;
  p = p * t + (double) 0x1.FFFDC6p-2f;
  p = p * t + (double) 0x1.FFFFF6p-1f;
  return p * t + 1.0;
}

// Extended exponent: exp(bx) = p * 2^n, n in *n. bx is the exact (double)
// product beta*x and z its float rounding, from which n is taken as the
// vector kernels take it: the 1.5 * 2^23 magic bias rounds z * log2(e) to the
// same n while |z * log2(e)| <= 2^22. p is +0 where z < min_input (-inf
// included, whose p is NaN); a NaN z keeps its NaN p.
static inline double twopass_scalar_p5_extexp(double bx, float z, float min_input, float* n) {
  *n = (z * 0x1.715476p+0f + 0x1.8p+23f) - 0x1.8p+23f;
  const double t = bx - (double) *n * 0x1.62E42FEFA39EFp-1;
  union { double f; uint64_t i; } p = { twopass_scalar_p5_poly(t) };
  p.i &= -(uint64_t) !(z < min_input);
  return p.f;
}

// 2^d for an integer-valued float d <= 0: exact for d >= -126, 0 for
// d <= -127 or NaN, built as the AVX2 kernels build it (the clamp at -127 is
// a mask here).
static inline float twopass_scalar_exp2f(float d) {
  union { float f; uint32_t i; } s = { d + 0x1.8000FEp23f };
  s.i = (s.i << 23) & -(uint32_t) (d > -127.0f);
  return s.f;
}

// 2^d for an integer-valued double d: exact for -1022 <= d <= 1023 (d is
// clamped at 1023), 0 for d <= -1023 and for a NaN d.
static inline double twopass_scalar_exp2(double d) {
  d = d > 1023.0 ? 1023.0 : d;
  union { double f; uint64_t i; } s = { d + 0x1.80000000003FFp+52 };
  s.i = (s.i << 52) & -(uint64_t) (d > -1023.0);
  return s.f;
}

// exp(z) rounded to float for a double z <= 200 (up to the rounding of a
// maximum; the caller clamps larger ones): the 1.5 * 2^52 + 1023 magic bias
// rounds z * log2(e) and builds 2^n. Results for z < cutoff (below the
// smallest normal float, -inf included) are +0; NaN is kept.
static inline float twopass_scalar_p5_exp(double z, double cutoff) {
  const double magic_bias = 0x1.80000000003FFp+52;
  union { double f; uint64_t i; } n = { z * 0x1.71547652B82FEp+0 + magic_bias };
  union { double f; uint64_t i; } s = { 0.0 };
  s.i = n.i << 52;
  n.f -= magic_bias;
  const double t = z - n.f * 0x1.62E42FEFA39EFp-1;
  union { float f; uint32_t i; } y = { (float) (twopass_scalar_p5_poly(t) * s.f) };
  y.i &= -(uint32_t) !(z < cutoff);
  return y.f;
}
