// Tests of every f32-vscale kernel listed in
// microkernels/f32-vscale-vaffine/gen/f32-vscale.h: adding a variant to the list adds
// its tests (each TEST_P runs once per listed kernel).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "testing/gtest-isa.h"
#include "test/microkernel-test-utils.h"
#include "test/vscale-microkernel-tester.h"

namespace twopass {
namespace test {
namespace {

using Kernel = UKernel<twopass_f32_vunary_ukernel_fn>;

const std::vector<Kernel> kKernels = {
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, ukernel, arch_flags, element_tile, accumulators, beta1 != 0},
#include "microkernels/f32-vscale-vaffine/gen/f32-vscale.h"
#undef TWOPASS_UKERNEL
};

using Tester = VScaleMicrokernelTester;
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class F32_VSCALE : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(F32_VSCALE);

TEST_P(F32_VSCALE, elements_eq_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  Tester().elements(k.tile).Test(k.fn);
}

TEST_P(F32_VSCALE, elements_div_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 2 * k.tile; n < 10 * k.tile; n += k.tile) {
    Tester().elements(n).Test(k.fn);
  }
}

TEST_P(F32_VSCALE, elements_lt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 1; n < k.tile; n++) {
    Tester().elements(n).Test(k.fn);
  }
}

TEST_P(F32_VSCALE, elements_gt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = k.tile + 1; n < (k.tile == 1 ? 10 : 2 * k.tile); n++) {
    Tester().elements(n).Test(k.fn);
  }
}

// Output = input (three-pass softmax scales its stored exps in place).
TEST_P(F32_VSCALE, inplace) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).inplace(true).Test(k.fn);
  }
}

TEST_P(F32_VSCALE, scale) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float scale : {1.0f, 2.0f, 0x1.555556p-2f, -1.7f, 0.0f, -0.0f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester().elements(n).scale(scale).Test(k.fn);
    }
  }
}

// Products that overflow to +-inf, and special inputs and scales.
TEST_P(F32_VSCALE, overflow) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).scale(1.0e30f).input_range(-1.0e10f, 1.0e10f).Test(k.fn);
    Tester().elements(n).scale(kInf).Test(k.fn);
    Tester().elements(n).scale(kNaN).Test(k.fn);
  }
}

TEST_P(F32_VSCALE, inf_nan) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).inject(kInf, n / 3).inject(-kInf, n / 3).inject(kNaN, n / 3).Test(k.fn);
    Tester().elements(n).inject(kNaN, SIZE_MAX).Test(k.fn);
  }
}

// Subnormal inputs and outputs (no flush to zero).
TEST_P(F32_VSCALE, subnormals) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).subnormal_inputs().scale(3.0f).Test(k.fn);
    Tester().elements(n).subnormal_inputs().scale(0x1.8p-3f).Test(k.fn);
    Tester().elements(n).scale(0x1.0p-130f).Test(k.fn);
  }
}

INSTANTIATE_TEST_SUITE_P(, F32_VSCALE, ::testing::ValuesIn(kKernels), UKernelName());

}  // namespace
}  // namespace test
}  // namespace twopass
