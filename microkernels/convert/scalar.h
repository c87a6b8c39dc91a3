// Conversions between the 16-bit rows (bf16, f16) and float, one element at a
// time, for the portable kernels and the tests. Loads are exact; stores round
// the float once to the nearest (ties to even) 16-bit value, overflow to inf
// as IEEE does, and keep NaN a (quiet) NaN of the same sign.
#pragma once

#include <stdint.h>
#include <string.h>

// Debian's libfp16-dev: IEEE half <-> float by integer and float operations,
// correct on any host (no F16C needed).
#include <fp16.h>

static inline float twopass_bf16_to_f32(uint16_t h) {
  // bf16 is the high half of a float: exact.
  const uint32_t bits = (uint32_t) h << 16;
  float f;
  memcpy(&f, &bits, sizeof(f));
  return f;
}

static inline uint16_t twopass_bf16_from_f32(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof(bits));
  if ((bits & UINT32_C(0x7FFFFFFF)) > UINT32_C(0x7F800000)) {
    // NaN: the rounding below could carry a payload held only in the low half
    // into inf (or wrap the sign); keep the high half and set the quiet bit.
    return (uint16_t) ((bits >> 16) | UINT32_C(0x0040));
  }
  // Round to nearest even: add just under half an ulp of bf16, plus one when
  // the kept part is odd, then truncate. A carry into the exponent is the
  // correct rounding up (FLT_MAX and beyond round to inf).
  return (uint16_t) ((bits + UINT32_C(0x7FFF) + ((bits >> 16) & 1)) >> 16);
}

static inline float twopass_f16_to_f32(uint16_t h) {
  return fp16_ieee_to_fp32_value(h);
}

static inline uint16_t twopass_f16_from_f32(float f) {
  return fp16_ieee_from_fp32_value(f);
}
