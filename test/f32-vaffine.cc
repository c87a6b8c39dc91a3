// Tests of every f32-vaffine kernel listed in
// microkernels/f32-vscale-vaffine/gen/f32-vaffine.h: adding a variant to the list adds
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
#include "test/vaffine-microkernel-tester.h"

namespace twopass {
namespace test {
namespace {

using Kernel = UKernel<twopass_f32_vunary_ukernel_fn>;

const std::vector<Kernel> kKernels = {
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, ukernel, arch_flags, element_tile, accumulators, beta1 != 0},
#include "microkernels/f32-vscale-vaffine/gen/f32-vaffine.h"
#undef TWOPASS_UKERNEL
};

using Tester = VAffineMicrokernelTester;
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class F32_VAFFINE : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(F32_VAFFINE);

TEST_P(F32_VAFFINE, elements_eq_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  Tester().elements(k.tile).Test(k.fn);
}

TEST_P(F32_VAFFINE, elements_div_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 2 * k.tile; n < 10 * k.tile; n += k.tile) {
    Tester().elements(n).Test(k.fn);
  }
}

TEST_P(F32_VAFFINE, elements_lt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 1; n < k.tile; n++) {
    Tester().elements(n).Test(k.fn);
  }
}

TEST_P(F32_VAFFINE, elements_gt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = k.tile + 1; n < (k.tile == 1 ? 10 : 2 * k.tile); n++) {
    Tester().elements(n).Test(k.fn);
  }
}

// Output = input (three-pass softmax scales its stored exps in place).
TEST_P(F32_VAFFINE, inplace) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).inplace(true).Test(k.fn);
  }
}

TEST_P(F32_VAFFINE, scale) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float scale : {1.0f, 2.0f, 0x1.555556p-2f, -1.7f, 0.0f, -0.0f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester().elements(n).scale(scale).Test(k.fn);
    }
  }
}

TEST_P(F32_VAFFINE, bias) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float bias : {1.0f, -13.5f, 0x1.234566p+3f, 1.0e-30f, -0.0f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester().elements(n).scale(0x1.555556p-2f).bias(bias).Test(k.fn);
    }
  }
}

// beta*x - max with one rounding: these inputs make x*scale + shift differ
// from fl(fl(x*scale) + shift) in about a third of the elements.
TEST_P(F32_VAFFINE, single_rounding) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  {
    // Check that the case is meaningful.
    size_t differ = 0;
    for (float x = -10.0f; x < 10.0f; x += 0.0371f) {
      volatile float product = x * 0x1.555556p-2f;
      differ += (product + -3.3f) != std::fma(x, 0x1.555556p-2f, -3.3f);
    }
    ASSERT_GT(differ, 10u);
  }
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).scale(0x1.555556p-2f).shift(-3.3f).Test(k.fn);
    Tester().elements(n).scale(2.7f).shift(-0x1.62E430p+5f).input_range(-20.0f, 20.0f).Test(k.fn);
  }
}

// Log-softmax at a large magnitude: y = (beta*x - max) - log(sum), where the
// fused step is exact near the max and the small result keeps its digits.
TEST_P(F32_VAFFINE, shift_and_bias) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).scale(1.0f).shift(-1.0e8f).bias(-0.6931472f)
        .input_range(1.0e8f - 64.0f, 1.0e8f).Test(k.fn);
    Tester().elements(n).scale(2.5f).shift(-2.5e20f).bias(-3.25f)
        .input_range(0.999999e20f, 1.0e20f).Test(k.fn);
  }
}

// Log-softmax: -inf - log(sum) = -inf; +inf and NaN stay non-finite.
TEST_P(F32_VAFFINE, inf_nan_bias) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).bias(-5.0f).inject(-kInf, n / 2).inject(kNaN, n / 4).Test(k.fn);
    Tester().elements(n).bias(kInf).inject(-kInf, n / 2).Test(k.fn);
    Tester().elements(n).shift(-kInf).inject(kInf, n / 2).Test(k.fn);
  }
}

// Products that overflow to +-inf, and special inputs and scales.
TEST_P(F32_VAFFINE, overflow) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).scale(1.0e30f).input_range(-1.0e10f, 1.0e10f).Test(k.fn);
    Tester().elements(n).scale(kInf).Test(k.fn);
    Tester().elements(n).scale(kNaN).Test(k.fn);
  }
}

TEST_P(F32_VAFFINE, inf_nan) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).inject(kInf, n / 3).inject(-kInf, n / 3).inject(kNaN, n / 3).Test(k.fn);
    Tester().elements(n).inject(kNaN, SIZE_MAX).Test(k.fn);
  }
}

// Subnormal inputs and outputs (no flush to zero).
TEST_P(F32_VAFFINE, subnormals) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).subnormal_inputs().scale(3.0f).Test(k.fn);
    Tester().elements(n).subnormal_inputs().scale(0x1.8p-3f).Test(k.fn);
    Tester().elements(n).scale(0x1.0p-130f).Test(k.fn);
  }
}

INSTANTIATE_TEST_SUITE_P(, F32_VAFFINE, ::testing::ValuesIn(kKernels), UKernelName());

}  // namespace
}  // namespace test
}  // namespace twopass
