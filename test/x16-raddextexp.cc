// Tests of every bf16-raddextexp and f16-raddextexp kernel listed in
// microkernels/f32-raddextexp/gen/{bf16,f16}-raddextexp.h, with the f32
// family's tester set to the datatype: the sum of exp(beta*x_i) over the
// exact values x_i of the 16-bit elements, with the f32 kernels' tolerance.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "testing/gtest-isa.h"
#include "test/microkernel-test-utils.h"
#include "test/raddextexp-microkernel-tester.h"
#include "test/x16-test-utils.h"

namespace twopass {
namespace test {
namespace {

using Kernel = UKernel<twopass_x16_reduce_ukernel_fn>;

const std::vector<Kernel> kKernels = {
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, ukernel, arch_flags, element_tile, accumulators, beta1 != 0},
#include "microkernels/f32-raddextexp/gen/bf16-raddextexp.h"
#include "microkernels/f32-raddextexp/gen/f16-raddextexp.h"
#undef TWOPASS_UKERNEL
};

RAddExtExpMicrokernelTester Tester(const Kernel& k) {
  return RAddExtExpMicrokernelTester().lanes(k.lanes()).beta1_kernel(k.beta1).datatype(
      DatatypeOfName(k.name));
}
bool IsF16(const Kernel& k) { return DatatypeOfName(k.name) == Datatype::kF16; }
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class X16_RADDEXTEXP : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(X16_RADDEXTEXP);
class X16_RADDEXTEXP_BETA : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(X16_RADDEXTEXP_BETA);

TEST_P(X16_RADDEXTEXP, every_length) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : X16Sizes(k.tile)) {
    Tester(k).elements(n).Test(k.fn);
  }
}

TEST_P(X16_RADDEXTEXP, elements_div_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 3 * k.tile; n < 10 * k.tile; n += k.tile) {
    Tester(k).elements(n).Test(k.fn);
  }
}

TEST_P(X16_RADDEXTEXP, elements_large) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  Tester(k).elements(32768).iterations(1).input_range(-20.0f, 20.0f).Test(k.fn);
}

TEST_P(X16_RADDEXTEXP, input_ranges) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  // f16 is finite up to 65504; bf16 has the float range.
  const float huge = IsF16(k) ? 6.0e4f : 1.0e6f;
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(90.0f, 100.0f).Test(k.fn);
    Tester(k).elements(n).input_range(-1000.0f, 1000.0f).Test(k.fn);
    Tester(k).elements(n).input_range(-huge, huge).Test(k.fn);
    Tester(k).elements(n).input_range(-huge, -huge / 10.0f).Test(k.fn);
  }
}

TEST_P(X16_RADDEXTEXP_BETA, beta) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float beta : {0.5f, 2.7f, -1.0f, -2.7f, 0.0f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester(k).elements(n).beta(beta).Test(k.fn);
    }
  }
}

// Products below TWOPASS_EXTEXP_MIN_INPUT contribute exactly 0. f16 elements
// stay below 65504 in magnitude: the products reach the boundary with beta.
TEST_P(X16_RADDEXTEXP_BETA, below_min_input) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  const float beta = IsF16(k) ? 64.0f : 1.0f;
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).beta(beta).input_range(-1.0e7f / beta, -0x1.1p+20f / beta).Test(k.fn);
    Tester(k).elements(n).beta(beta).inject(-0x1.1p+20f / beta, n / 2).Test(k.fn);
    Tester(k).elements(n).beta(beta).inject(TWOPASS_EXTEXP_MIN_INPUT / beta, SIZE_MAX).Test(k.fn);
    Tester(k).elements(n).beta(beta).inject(TWOPASS_EXTEXP_MIN_INPUT / beta, n / 2)
        .inject(-0x1.02p+20f / beta, SIZE_MAX).Test(k.fn);
  }
}

// Masked logits: -inf contributes exactly 0.
TEST_P(X16_RADDEXTEXP, neg_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(-kInf, 1).Test(k.fn);
    Tester(k).elements(n).inject(-kInf, n / 2).Test(k.fn);
    Tester(k).elements(n).inject(-kInf, SIZE_MAX).Test(k.fn);
  }
}

TEST_P(X16_RADDEXTEXP, nan) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(kNaN, 1).Test(k.fn);
    Tester(k).elements(n).inject(kNaN, n / 2).inject(-kInf, n / 4).Test(k.fn);
  }
}

TEST_P(X16_RADDEXTEXP, pos_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(kInf, 1).Test(k.fn);
    Tester(k).elements(n).inject(kInf, n / 2).inject(-kInf, n / 4).Test(k.fn);
  }
}

// Subnormal 16-bit elements (f16 ones are normal floats).
TEST_P(X16_RADDEXTEXP, subnormal_inputs) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(-1.0e-5f, 1.0e-5f).Test(k.fn);
    Tester(k).elements(n).inject(0x1.0p-130f, n / 2).inject(-0x1.0p-24f, n / 4).Test(k.fn);
  }
}

INSTANTIATE_TEST_SUITE_P(, X16_RADDEXTEXP, ::testing::ValuesIn(kKernels), X16KernelName());
INSTANTIATE_TEST_SUITE_P(, X16_RADDEXTEXP_BETA, ::testing::ValuesIn(GeneralBetaKernels(kKernels)),
                         X16KernelName());

}  // namespace
}  // namespace test
}  // namespace twopass
