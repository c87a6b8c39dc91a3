// Tests of every f32-vscaleextexp kernel listed in
// microkernels/f32-vscaleextexp/gen/f32-vscaleextexp.h: adding a variant to the list adds
// its tests (each TEST_P runs once per listed kernel).
#include <algorithm>
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

namespace twopass {
namespace test {
namespace {

using Kernel = UKernel<twopass_f32_vunary_ukernel_fn>;

const std::vector<Kernel> kKernels = {
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, ukernel, arch_flags, element_tile, accumulators, beta1 != 0},
#include "microkernels/f32-vscaleextexp/gen/f32-vscaleextexp.h"
#undef TWOPASS_UKERNEL
};

// A tester for kernel `k`: its tolerances depend on the kernel's SIMD width.
VScaleExtExpMicrokernelTester Tester(const Kernel& k) {
  return VScaleExtExpMicrokernelTester().lanes(k.lanes()).beta1_kernel(k.beta1);
}
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class F32_VSCALEEXTEXP : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(F32_VSCALEEXTEXP);
// The tests of betas other than 1: every kernel but the beta1 ones.
class F32_VSCALEEXTEXP_BETA : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(F32_VSCALEEXTEXP_BETA);

TEST_P(F32_VSCALEEXTEXP, elements_eq_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  Tester(k).elements(k.tile).Test(k.fn);
}

TEST_P(F32_VSCALEEXTEXP, elements_div_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 2 * k.tile; n < 10 * k.tile; n += k.tile) {
    Tester(k).elements(n).Test(k.fn);
  }
}

TEST_P(F32_VSCALEEXTEXP, elements_lt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 1; n < k.tile; n++) {
    Tester(k).elements(n).Test(k.fn);
  }
}

TEST_P(F32_VSCALEEXTEXP, elements_gt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = k.tile + 1; n < (k.tile == 1 ? 10 : 2 * k.tile); n++) {
    Tester(k).elements(n).Test(k.fn);
  }
}

// Every output offset within a 64-byte line (GuardedOutput shifts the output
// by the iteration): the non-temporal (_nt) kernels store a masked head up to
// the first 64-byte boundary, then aligned full vectors.
TEST_P(F32_VSCALEEXTEXP, output_offsets) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : {size_t(1), size_t(15), 3 * k.tile + 5}) {
    Tester(k).elements(n).iterations(16).Test(k.fn);
  }
}

TEST_P(F32_VSCALEEXTEXP_BETA, beta) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float beta : {0.5f, 2.7f, 12.0f, 1.0e-3f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester(k).elements(n).beta(beta).Test(k.fn);
    }
  }
}

TEST_P(F32_VSCALEEXTEXP_BETA, beta_negative) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float beta : {-1.0f, -2.7f, -0.5f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester(k).elements(n).beta(beta).Test(k.fn);
      Tester(k).elements(n).beta(beta).input_range(90.0f, 100.0f).Test(k.fn);
    }
  }
}

TEST_P(F32_VSCALEEXTEXP_BETA, beta_zero) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).beta(0.0f).input_range(-1000.0f, 1000.0f).Test(k.fn);
  }
}

// exp(x) overflows a float for x > 88.7; the scaled outputs must not.
TEST_P(F32_VSCALEEXTEXP, input_range_90_100) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(90.0f, 100.0f).Test(k.fn);
    Tester(k).elements(n).input_range(90.0f, 100.0f).beta(BetaFor(k, 2.7f)).Test(k.fn);
  }
}

TEST_P(F32_VSCALEEXTEXP, input_range_m1000_1000) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(-1000.0f, 1000.0f).Test(k.fn);
    Tester(k).elements(n).input_range(-1000.0f, 1000.0f).beta(BetaFor(k, 2.7f)).Test(k.fn);
  }
}

TEST_P(F32_VSCALEEXTEXP, input_range_m1000_m100) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(-1000.0f, -100.0f).Test(k.fn);
  }
}

// |beta*x| up to 1e6, inside the documented (-2^20, 2^20) range.
TEST_P(F32_VSCALEEXTEXP, input_range_huge) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(-1.0e6f, 1.0e6f).Test(k.fn);
    Tester(k).elements(n).input_range(-1.0e6f, -1.0e5f).Test(k.fn);
    Tester(k).elements(n).input_range(1.0e5f, 1.0e6f).Test(k.fn);
  }
}

// Scales other than the reciprocal of the row's sum.
TEST_P(F32_VSCALEEXTEXP, explicit_scale) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).scale(1.0f, 0.0f).Test(k.fn);
    Tester(k).elements(n).scale(0x1.234566p-1f, 3.0f).input_range(-10.0f, 0.0f).Test(k.fn);
    Tester(k).elements(n).scale(0.75f, -150.0f).input_range(90.0f, 100.0f).Test(k.fn);
    Tester(k).elements(n).scale(0x1.FFFFFEp+0f, -1500.0f).input_range(990.0f, 1000.0f).Test(k.fn);
  }
}

// Products below TWOPASS_EXTEXP_MIN_INPUT give exactly 0.
// The float just below TWOPASS_EXTEXP_MIN_INPUT.
static const float kBelowMinInput = -0x1.000002p+20f;

TEST_P(F32_VSCALEEXTEXP, below_min_input) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(-1.0e7f, -0x1.1p+20f).Test(k.fn);
    Tester(k).elements(n).inject(-0x1.1p+20f, n / 2).inject(-1.0e30f, n / 4).Test(k.fn);
    // Both sides of the boundary: the AVX2 kernels test n, the others z.
    Tester(k).elements(n).inject(TWOPASS_EXTEXP_MIN_INPUT, SIZE_MAX).Test(k.fn);
    Tester(k).elements(n).inject(kBelowMinInput, SIZE_MAX).Test(k.fn);
    Tester(k).elements(n).inject(TWOPASS_EXTEXP_MIN_INPUT, n / 2).inject(kBelowMinInput, SIZE_MAX).Test(k.fn);
  }
}

// Masked logits: -inf gives exactly 0.
TEST_P(F32_VSCALEEXTEXP, neg_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(-kInf, 1).Test(k.fn);
    Tester(k).elements(n).inject(-kInf, n / 2).Test(k.fn);
    Tester(k).elements(n).inject(-kInf, n / 2).input_range(90.0f, 100.0f).Test(k.fn);
    Tester(k).elements(n).inject(-kInf, SIZE_MAX).Test(k.fn);
  }
}

TEST_P(F32_VSCALEEXTEXP, nan) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(kNaN, 1).Test(k.fn);
    Tester(k).elements(n).inject(kNaN, n / 2).inject(-kInf, n / 4).Test(k.fn);
    Tester(k).elements(n).inject(kNaN, SIZE_MAX).Test(k.fn);
  }
}

TEST_P(F32_VSCALEEXTEXP, pos_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(kInf, 1).Test(k.fn);
    Tester(k).elements(n).inject(kInf, n / 2).inject(-kInf, n / 4).Test(k.fn);
  }
}

// beta < 0: x = +inf gives beta*x = -inf (exactly 0), x = -inf gives +inf.
TEST_P(F32_VSCALEEXTEXP_BETA, inf_negative_beta) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).beta(-1.0f).inject(kInf, n / 2).Test(k.fn);
    Tester(k).elements(n).beta(-1.0f).inject(-kInf, 1).Test(k.fn);
  }
}

// beta = 0 with an infinite x: 0 * inf = NaN.
TEST_P(F32_VSCALEEXTEXP_BETA, inf_beta_zero) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).beta(0.0f).inject(kInf, 1).inject(-kInf, 1).Test(k.fn);
  }
}

TEST_P(F32_VSCALEEXTEXP, subnormal_inputs) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).subnormal_inputs().Test(k.fn);
    Tester(k).elements(n).subnormal_inputs().beta(BetaFor(k, -2.7f)).Test(k.fn);
    Tester(k).elements(n).inject(0x1.0p-140f, n / 2).inject(-0x1.0p-149f, n / 4).Test(k.fn);
  }
}

// Outputs below FLT_MIN: flushed to 0 or accurate to a subnormal ULP.
TEST_P(F32_VSCALEEXTEXP, subnormal_outputs) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float offset : {-120.0f, -130.0f, -140.0f, -149.0f, -160.0f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester(k).elements(n).scale_exponent_offset(offset).Test(k.fn);
    }
  }
}

// Every exp of the kernel's core over its whole range: a row of tile + 3
// copies of z (main loop and remainder) with scale 1 and scale_exponent
// -round(z * log2(e)), so every y = exp(z) * 2^scale_exponent is near 1; its
// relative error against expl must stay within ExtExpWholeRangeBound plus the
// rounding of y (2^-24). z just below TWOPASS_EXTEXP_MIN_INPUT gives y = 0.
TEST_P(F32_VSCALEEXTEXP, exp_whole_range) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  const std::vector<float> samples = ExtExpWholeRangeSamples();
  const size_t n = k.tile + 3;
  std::vector<float> x(n), y(n);
  twopass_f32_params params = {};
  params.beta = 1.0f;
  params.scale = 1.0f;
  long double max_error[2] = {0.0L, 0.0L};  // |z| <= 2^16, beyond
  size_t failures = 0;
  for (float z : samples) {
    std::fill(x.begin(), x.end(), z);
    params.scale_exponent = -std::nearbyint(static_cast<float>(
        static_cast<long double>(z) / kLn2));
    k.fn(n * sizeof(float), x.data(), y.data(), &params);
    // exp(z) * 2^scale_exponent = exp(z + scale_exponent * ln2), in long double.
    const long double reference = std::exp(
        static_cast<long double>(z) + static_cast<long double>(params.scale_exponent) * kLn2);
    const double bound = ExtExpWholeRangeBound(k.name, z) + 0x1.0p-24;
    for (size_t i = 0; i < n; i++) {
      const long double error = std::fabs(static_cast<long double>(y[i]) - reference) / reference;
      long double& max = max_error[std::fabs(z) <= 0x1.0p+16f ? 0 : 1];
      max = std::max(max, error);
      if (!(error <= bound) && failures++ < 10) {
        ADD_FAILURE() << "exp(" << Describe(z) << ") * 2^" << params.scale_exponent
                      << " at " << i << ": " << Describe(y[i]) << ", reference "
                      << Describe(reference) << ", relative error " << Describe(error);
      }
    }
  }
  EXPECT_EQ(failures, 0u) << "of " << samples.size() << " samples";
  ReportError("exp_rel_le_2^16", samples.size(), max_error[0]);
  ReportError("exp_rel_gt_2^16", samples.size(), max_error[1]);
  params.scale_exponent = 1512776.0f;  // 2^20 * log2(e), rounded up: y would be near 1
  for (float z : {-0x1.000002p+20f, -0x1.000004p+20f, -0x1.1p+20f}) {
    std::fill(x.begin(), x.end(), z);
    k.fn(n * sizeof(float), x.data(), y.data(), &params);
    for (size_t i = 0; i < n; i++) EXPECT_EQ(y[i], 0.0f) << Describe(z) << " at " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(, F32_VSCALEEXTEXP, ::testing::ValuesIn(kKernels), UKernelName());
INSTANTIATE_TEST_SUITE_P(, F32_VSCALEEXTEXP_BETA, ::testing::ValuesIn(GeneralBetaKernels(kKernels)),
                         UKernelName());

}  // namespace
}  // namespace test
}  // namespace twopass
