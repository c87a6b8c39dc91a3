// Float bits and descriptions, for every test, fuzzer and benchmark check.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

namespace twopass {
namespace testlib {

inline uint32_t FloatBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}

inline float BitsFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

// Same bits; any NaN matches any NaN (the operators promise NaN, not a payload).
inline bool SameBits(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return FloatBits(a) == FloatBits(b);
}

inline bool IsDenormal(float f) { return f != 0.0f && std::fabs(f) < FLT_MIN; }

// What a denormal becomes with denormals flushed (DAZ): a zero of its sign.
inline float FlushDenormal(float f) { return IsDenormal(f) ? std::copysign(0.0f, f) : f; }

// "0.1 (0x1.99999ap-4)": decimal and exact.
inline std::string Describe(long double value) {
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), "%.9Lg (%La)", value, value);
  return buffer;
}

// Decimal, exact and the bits (NaN payloads show).
inline std::string DescribeFloat(float value) {
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), "%.9g (%a, 0x%08X)", (double)value, (double)value,
                (unsigned)FloatBits(value));
  return buffer;
}

// Canary of output buffers (a signaling NaN no operator computes) and the
// padding of inputs (a quiet NaN: a row that reads it turns NaN).
constexpr uint32_t kOutputCanaryBits = UINT32_C(0x7FBADBAD);
constexpr uint32_t kInputGuardBits = UINT32_C(0x7FC0FFEE);

}  // namespace testlib

// The microkernel testers' names for them.
using testlib::BitsFloat;
using testlib::FloatBits;

}  // namespace twopass
