// Tests of every bf16-vaffine and f16-vaffine kernel listed in
// microkernels/f32-vscale-vaffine/gen/{bf16,f16}-vaffine.h, with the f32
// family's tester set to the datatype: each output must have the bits of
// fma(x, scale, shift) + bias (float) rounded once to the datatype, nearest
// even (NaN: a quiet NaN), in place or not.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "testing/gtest-isa.h"
#include "test/microkernel-test-utils.h"
#include "test/vaffine-microkernel-tester.h"
#include "test/x16-test-utils.h"

namespace twopass {
namespace test {
namespace {

using Kernel = UKernel<twopass_x16_vunary_ukernel_fn>;

const std::vector<Kernel> kKernels = {
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, ukernel, arch_flags, element_tile, accumulators, beta1 != 0},
#include "microkernels/f32-vscale-vaffine/gen/bf16-vaffine.h"
#include "microkernels/f32-vscale-vaffine/gen/f16-vaffine.h"
#undef TWOPASS_UKERNEL
};

VAffineMicrokernelTester Tester(const Kernel& k) {
  return VAffineMicrokernelTester().datatype(DatatypeOfName(k.name));
}
bool IsF16(const Kernel& k) { return DatatypeOfName(k.name) == Datatype::kF16; }
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class X16_VAFFINE : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(X16_VAFFINE);

TEST_P(X16_VAFFINE, every_length) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : X16Sizes(k.tile)) {
    Tester(k).elements(n).shift(-3.3f).bias(0.25f).Test(k.fn);
  }
}

TEST_P(X16_VAFFINE, inplace) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inplace(true).shift(1.5f).Test(k.fn);
  }
}

// One rounding of the fused step, then the bias, then the one rounding to
// the datatype.
TEST_P(X16_VAFFINE, single_rounding) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).scale(0x1.555556p-2f).shift(-3.3f).Test(k.fn);
    Tester(k).elements(n).scale(2.7f).shift(-0x1.62E430p+5f).bias(-0x1.8p-3f)
        .input_range(-20.0f, 20.0f).Test(k.fn);
  }
}

// Every float result a tie between two 16-bit values: x in [1, 2) (exact in
// the datatype) plus half its ulp rounds to the even neighbour.
TEST_P(X16_VAFFINE, ties_to_even) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  const float half_ulp = IsF16(k) ? 0x1.0p-11f : 0x1.0p-8f;
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).scale(1.0f).input_range(1.0f, 1.99f).bias(half_ulp).Test(k.fn);
    Tester(k).elements(n).scale(-1.0f).input_range(1.0f, 1.99f).bias(-half_ulp).Test(k.fn);
  }
}

// Results beyond the datatype's range round to inf (f16: from 65520).
TEST_P(X16_VAFFINE, overflow) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).scale(IsF16(k) ? 1.0e4f : 1.0e37f).input_range(-35.0f, 35.0f)
        .Test(k.fn);
    if (IsF16(k)) {
      // Around 65504 (the largest f16) and 65520 (where inf begins).
      Tester(k).elements(n).scale(1.0f).shift(65500.0f).input_range(-30.0f, 30.0f).Test(k.fn);
    } else {
      // Around 0x1.FEp127 (the largest bf16) and FLT_MAX.
      Tester(k).elements(n).scale(1.0e37f).input_range(33.5f, 34.5f).Test(k.fn);
    }
    Tester(k).elements(n).scale(kInf).Test(k.fn);
  }
}

TEST_P(X16_VAFFINE, inf_nan) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(kInf, n / 3).inject(-kInf, n / 3).inject(kNaN, n / 3).Test(k.fn);
    Tester(k).elements(n).inject(kNaN, SIZE_MAX).Test(k.fn);
    Tester(k).elements(n).scale(kNaN).Test(k.fn);
  }
}

// Subnormal results of the datatype (rounded exactly: the tests run without
// FTZ) and subnormal elements.
TEST_P(X16_VAFFINE, subnormals) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).scale(IsF16(k) ? 0x1.0p-20f : 0x1.0p-130f).Test(k.fn);
    Tester(k).elements(n).input_range(-1.0e-6f, 1.0e-6f).scale(0.75f).Test(k.fn);
  }
}

INSTANTIATE_TEST_SUITE_P(, X16_VAFFINE, ::testing::ValuesIn(kKernels), X16KernelName());

}  // namespace
}  // namespace test
}  // namespace twopass
