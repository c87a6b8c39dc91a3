// Tests of every bf16-vscaleextexp and f16-vscaleextexp kernel listed in
// microkernels/f32-vscaleextexp/gen/{bf16,f16}-vscaleextexp.h, with the f32
// family's tester set to the datatype: each output is the f32 result rounded
// once, within half an ulp of the datatype (plus the f32 tolerance) of the
// long-double reference of the exact x_i; NaN stays a quiet NaN.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "testing/gtest-isa.h"
#include "test/microkernel-test-utils.h"
#include "test/vscaleextexp-microkernel-tester.h"
#include "test/x16-test-utils.h"

namespace twopass {
namespace test {
namespace {

using Kernel = UKernel<twopass_x16_vunary_ukernel_fn>;

const std::vector<Kernel> kKernels = {
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, ukernel, arch_flags, element_tile, accumulators, beta1 != 0},
#include "microkernels/f32-vscaleextexp/gen/bf16-vscaleextexp.h"
#include "microkernels/f32-vscaleextexp/gen/f16-vscaleextexp.h"
#undef TWOPASS_UKERNEL
};

VScaleExtExpMicrokernelTester Tester(const Kernel& k) {
  return VScaleExtExpMicrokernelTester().lanes(k.lanes()).beta1_kernel(k.beta1).datatype(
      DatatypeOfName(k.name));
}
bool IsF16(const Kernel& k) { return DatatypeOfName(k.name) == Datatype::kF16; }
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class X16_VSCALEEXTEXP : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(X16_VSCALEEXTEXP);
class X16_VSCALEEXTEXP_BETA : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(X16_VSCALEEXTEXP_BETA);

TEST_P(X16_VSCALEEXTEXP, every_length) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : X16Sizes(k.tile)) {
    Tester(k).elements(n).Test(k.fn);
  }
}

TEST_P(X16_VSCALEEXTEXP, elements_div_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 3 * k.tile; n < 10 * k.tile; n += k.tile) {
    Tester(k).elements(n).Test(k.fn);
  }
}

// Every output offset (GuardedOutput16 shifts the output by the iteration, in
// 2-byte steps): the non-temporal kernels store a head up to the first
// boundary of a full 16-bit vector, then aligned full vectors.
TEST_P(X16_VSCALEEXTEXP, output_offsets) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : {size_t(1), size_t(7), size_t(15), 3 * k.tile + 5}) {
    Tester(k).elements(n).iterations(16).Test(k.fn);
  }
}

TEST_P(X16_VSCALEEXTEXP, input_ranges) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  const float huge = IsF16(k) ? 6.0e4f : 1.0e6f;
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(90.0f, 100.0f).Test(k.fn);
    Tester(k).elements(n).input_range(-1000.0f, 1000.0f).Test(k.fn);
    Tester(k).elements(n).input_range(-huge, huge).Test(k.fn);
    Tester(k).elements(n).input_range(-20.0f, 0.0f).Test(k.fn);
  }
}

// Explicit scales: results from near the datatype's largest value (f16:
// 65504, beyond which it rounds to inf) down to its subnormals.
TEST_P(X16_VSCALEEXTEXP, explicit_scale) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).scale(1.0f, 0.0f).input_range(-10.0f, 10.0f).Test(k.fn);
    Tester(k).elements(n).scale(0x1.234566p-1f, 3.0f).input_range(-10.0f, 0.0f).Test(k.fn);
    Tester(k).elements(n).scale(0.75f, -150.0f).input_range(90.0f, 100.0f).Test(k.fn);
    Tester(k).elements(n).scale(1.0f, 0.0f).input_range(10.0f, 11.5f).Test(k.fn);
    Tester(k).elements(n).scale(1.0f, -20.0f).input_range(-10.0f, 0.0f).Test(k.fn);
  }
}

TEST_P(X16_VSCALEEXTEXP_BETA, beta) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float beta : {0.5f, 2.7f, -1.0f, -2.7f, 0.0f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester(k).elements(n).beta(beta).Test(k.fn);
    }
  }
}

TEST_P(X16_VSCALEEXTEXP_BETA, below_min_input) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  const float beta = IsF16(k) ? 64.0f : 1.0f;
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).beta(beta).inject(-0x1.1p+20f / beta, n / 2).Test(k.fn);
    Tester(k).elements(n).beta(beta).inject(TWOPASS_EXTEXP_MIN_INPUT / beta, SIZE_MAX).Test(k.fn);
    Tester(k).elements(n).beta(beta).inject(TWOPASS_EXTEXP_MIN_INPUT / beta, n / 2)
        .inject(-0x1.02p+20f / beta, SIZE_MAX).Test(k.fn);
  }
}

TEST_P(X16_VSCALEEXTEXP, neg_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(-kInf, 1).Test(k.fn);
    Tester(k).elements(n).inject(-kInf, n / 2).Test(k.fn);
    Tester(k).elements(n).inject(-kInf, SIZE_MAX).Test(k.fn);
  }
}

TEST_P(X16_VSCALEEXTEXP, nan) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(kNaN, 1).Test(k.fn);
    Tester(k).elements(n).inject(kNaN, n / 2).inject(-kInf, n / 4).Test(k.fn);
    Tester(k).elements(n).inject(kNaN, SIZE_MAX).Test(k.fn);
  }
}

TEST_P(X16_VSCALEEXTEXP, pos_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(kInf, 1).Test(k.fn);
    Tester(k).elements(n).inject(kInf, n / 2).inject(-kInf, n / 4).Test(k.fn);
  }
}

// Outputs in the datatype's subnormal range (bf16: the float's; f16: below
// 2^-14), rounded or flushed to 0.
TEST_P(X16_VSCALEEXTEXP, subnormal_outputs) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float offset : {-16.0f, -20.0f, -26.0f, -120.0f, -130.0f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester(k).elements(n).scale_exponent_offset(offset).Test(k.fn);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(, X16_VSCALEEXTEXP, ::testing::ValuesIn(kKernels), X16KernelName());
INSTANTIATE_TEST_SUITE_P(, X16_VSCALEEXTEXP_BETA,
                         ::testing::ValuesIn(GeneralBetaKernels(kKernels)), X16KernelName());

}  // namespace
}  // namespace test
}  // namespace twopass
