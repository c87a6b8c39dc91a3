// The scalar conversions of the 16-bit rows (microkernels/convert/scalar.h),
// which the portable kernels use and the tests take as the reference of every
// kernel's rounding: loads are exact, stores round to nearest with ties to
// even, overflow to inf from halfway past the largest finite value, and keep
// NaN a quiet NaN (also a float NaN whose payload is only in the bits that
// rounding drops). The SIMD conversions are checked against these through
// the vaffine kernels (test/x16-vaffine.cc: ties_to_even, overflow, inf_nan).
#include <cmath>
#include <cstdint>
#include <cstring>

#include <gtest/gtest.h>

#include "test/x16-test-utils.h"

namespace twopass {
namespace test {
namespace {

float Bits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

uint32_t BitsOf(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}

TEST(X16_CONVERT, bf16_load_is_exact) {
  for (uint32_t h = 0; h <= 0xFFFF; h++) {
    EXPECT_EQ(h << 16, BitsOf(twopass_bf16_to_f32(static_cast<uint16_t>(h)))) << std::hex << h;
  }
}

// For every finite bf16 value b: just below, at and just above the float
// halfway to the next one (b + 1 in bits, same sign).
TEST(X16_CONVERT, bf16_rounds_to_nearest_even) {
  for (uint32_t h = 0; h <= 0xFFFF; h++) {
    if ((h & 0x7F80) == 0x7F80) continue;  // inf, NaN
    const uint32_t bits = h << 16;
    const uint16_t even = (h & 1) ? static_cast<uint16_t>(h + 1) : static_cast<uint16_t>(h);
    ASSERT_EQ(h, twopass_bf16_from_f32(Bits(bits))) << std::hex << h;
    ASSERT_EQ(h, twopass_bf16_from_f32(Bits(bits | 0x7FFF))) << std::hex << h;
    ASSERT_EQ(even, twopass_bf16_from_f32(Bits(bits | 0x8000))) << std::hex << h;
    ASSERT_EQ(h + 1, twopass_bf16_from_f32(Bits(bits | 0x8001))) << std::hex << h;
  }
  // FLT_MAX is past the halfway point between 0x1.FEp127 and 2^128: inf.
  EXPECT_EQ(0x7F80, twopass_bf16_from_f32(Bits(0x7F7FFFFF)));
  EXPECT_EQ(0xFF80, twopass_bf16_from_f32(Bits(0xFF7FFFFF)));
  EXPECT_EQ(0x7F80, twopass_bf16_from_f32(INFINITY));
  EXPECT_EQ(0xFF80, twopass_bf16_from_f32(-INFINITY));
}

TEST(X16_CONVERT, bf16_keeps_nan) {
  for (uint32_t bits : {UINT32_C(0x7F800001), UINT32_C(0xFF800001), UINT32_C(0x7F80FFFF),
                        UINT32_C(0x7FC00000), UINT32_C(0xFFFFFFFF), UINT32_C(0x7FBFFFFF)}) {
    const uint16_t h = twopass_bf16_from_f32(Bits(bits));
    EXPECT_TRUE(IsQuietNaN(Datatype::kBF16, h)) << std::hex << bits << " -> " << h;
    EXPECT_EQ(bits >> 31, static_cast<uint32_t>(h >> 15)) << "sign of " << std::hex << bits;
  }
}

// The f16 value of bits h, from its fields.
double F16Value(uint16_t h) {
  const int exponent = (h >> 10) & 0x1F;
  const int mantissa = h & 0x3FF;
  const double magnitude = exponent == 0 ? std::ldexp(mantissa, -24)
                                         : std::ldexp(1024 + mantissa, exponent - 25);
  return (h & 0x8000) ? -magnitude : magnitude;
}

TEST(X16_CONVERT, f16_load_is_exact) {
  for (uint32_t h = 0; h <= 0xFFFF; h++) {
    const float f = twopass_f16_to_f32(static_cast<uint16_t>(h));
    if ((h & 0x7C00) == 0x7C00) {
      EXPECT_EQ((h & 0x3FF) != 0, std::isnan(f)) << std::hex << h;
      continue;
    }
    EXPECT_EQ(F16Value(static_cast<uint16_t>(h)), static_cast<double>(f)) << std::hex << h;
  }
}

// For every finite f16 value h below the largest: at and around the float
// halfway to the next one (h + 1 in bits, same sign); the halfway point
// needs 12 significant bits, exact in a float.
TEST(X16_CONVERT, f16_rounds_to_nearest_even) {
  for (uint32_t h = 0; h <= 0xFFFF; h++) {
    if ((h & 0x7FFF) >= 0x7BFF) continue;  // the largest finite, inf, NaN
    const float lo = twopass_f16_to_f32(static_cast<uint16_t>(h));
    const float hi = twopass_f16_to_f32(static_cast<uint16_t>(h + 1));
    const float half = (lo + hi) / 2.0f;
    ASSERT_EQ(static_cast<double>(half), (F16Value(h) + F16Value(h + 1)) / 2.0) << std::hex << h;
    const uint16_t even = (h & 1) ? static_cast<uint16_t>(h + 1) : static_cast<uint16_t>(h);
    ASSERT_EQ(h, twopass_f16_from_f32(lo)) << std::hex << h;
    ASSERT_EQ(even, twopass_f16_from_f32(half)) << std::hex << h;
    ASSERT_EQ(h, twopass_f16_from_f32(std::nextafter(half, lo))) << std::hex << h;
    ASSERT_EQ(h + 1, twopass_f16_from_f32(std::nextafter(half, hi))) << std::hex << h;
  }
  // 65504 is the largest f16; 65520, halfway to 2^16, rounds to inf (even).
  EXPECT_EQ(0x7BFF, twopass_f16_from_f32(65504.0f));
  EXPECT_EQ(0x7BFF, twopass_f16_from_f32(std::nextafter(65520.0f, 0.0f)));
  EXPECT_EQ(0x7C00, twopass_f16_from_f32(65520.0f));
  EXPECT_EQ(0xFC00, twopass_f16_from_f32(-65520.0f));
  EXPECT_EQ(0x7C00, twopass_f16_from_f32(1.0e30f));
  // Below half the smallest subnormal (2^-25): 0; at it, the even 0.
  EXPECT_EQ(0x0000, twopass_f16_from_f32(0x1.0p-25f));
  EXPECT_EQ(0x0001, twopass_f16_from_f32(0x1.000002p-25f));
  EXPECT_EQ(0x8000, twopass_f16_from_f32(-0x1.0p-30f));
}

TEST(X16_CONVERT, f16_keeps_nan) {
  for (uint32_t bits : {UINT32_C(0x7F800001), UINT32_C(0xFF800001), UINT32_C(0x7FC00000),
                        UINT32_C(0xFFFFFFFF), UINT32_C(0x7FBFFFFF)}) {
    const uint16_t h = twopass_f16_from_f32(Bits(bits));
    EXPECT_TRUE(IsQuietNaN(Datatype::kF16, h)) << std::hex << bits << " -> " << h;
    EXPECT_EQ(bits >> 31, static_cast<uint32_t>(h >> 15)) << "sign of " << std::hex << bits;
  }
}

TEST(X16_CONVERT, half_ulp) {
  EXPECT_EQ(0x1.0p-8L, HalfUlp(Datatype::kBF16, 1.0L));
  EXPECT_EQ(0x1.0p-11L, HalfUlp(Datatype::kF16, 1.5L));
  EXPECT_EQ(0x1.0p-25L, HalfUlp(Datatype::kF16, 1.0e-7L));  // subnormal f16
  EXPECT_EQ(0x1.0p-134L, HalfUlp(Datatype::kBF16, 0x1.0p-140L));
  EXPECT_EQ(0.0L, HalfUlp(Datatype::kF32, 1.0L));
}

}  // namespace
}  // namespace test
}  // namespace twopass
