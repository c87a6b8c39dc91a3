// Tests of every f32-raddextexp kernel listed in
// microkernels/f32-raddextexp/gen/f32-raddextexp.h: adding a variant to the list adds
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
#include "test/raddextexp-microkernel-tester.h"

namespace twopass {
namespace test {
namespace {

using Kernel = UKernel<twopass_f32_reduce_ukernel_fn>;

const std::vector<Kernel> kKernels = {
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, ukernel, arch_flags, element_tile, accumulators, beta1 != 0},
#include "microkernels/f32-raddextexp/gen/f32-raddextexp.h"
#undef TWOPASS_UKERNEL
};

// A tester for kernel `k`: its tolerances depend on the kernel's SIMD width.
RAddExtExpMicrokernelTester Tester(const Kernel& k) {
  return RAddExtExpMicrokernelTester().lanes(k.lanes()).beta1_kernel(k.beta1);
}
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class F32_RADDEXTEXP : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(F32_RADDEXTEXP);
// The tests of betas other than 1: every kernel but the beta1 ones.
class F32_RADDEXTEXP_BETA : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(F32_RADDEXTEXP_BETA);

TEST_P(F32_RADDEXTEXP, elements_eq_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  Tester(k).elements(k.tile).Test(k.fn);
}

TEST_P(F32_RADDEXTEXP, elements_div_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 2 * k.tile; n < 10 * k.tile; n += k.tile) {
    Tester(k).elements(n).Test(k.fn);
  }
}

TEST_P(F32_RADDEXTEXP, elements_lt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 1; n < k.tile; n++) {
    Tester(k).elements(n).Test(k.fn);
  }
}

TEST_P(F32_RADDEXTEXP, elements_gt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = k.tile + 1; n < (k.tile == 1 ? 10 : 2 * k.tile); n++) {
    Tester(k).elements(n).Test(k.fn);
  }
}

// A row the size of the operator's chunk (TWOPASS_CHUNK_ELEMENTS), plus a
// remainder: the sum must meet the chunk's share of the operator's contract.
TEST_P(F32_RADDEXTEXP, elements_large) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : {size_t(32768), size_t(32768) + k.tile - 1 + 7}) {
    Tester(k).elements(n).input_range(-20.0f, 20.0f).max_tolerance(kChunkSumTolerance)
        .Test(k.fn);
  }
}

// One dominant term, then 2047 or 4095 near-equal ones 13.6912 below it
// (one and two of the operator's 2048-element sum blocks): the float lane
// sums must not drift (kPeakedRowSumTolerance).
TEST_P(F32_RADDEXTEXP, peaked_row) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : {size_t(2048), size_t(4096)}) {
    for (float noise : {0.0f, 1.0e-3f}) {
      Tester(k).elements(n).peaked_row(kPeakedRowTail, noise).tolerance(kPeakedRowSumTolerance)
          .Test(k.fn);
    }
  }
}

TEST_P(F32_RADDEXTEXP_BETA, beta) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float beta : {0.5f, 2.7f, 12.0f, 1.0e-3f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester(k).elements(n).beta(beta).Test(k.fn);
    }
  }
}

TEST_P(F32_RADDEXTEXP_BETA, beta_negative) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float beta : {-1.0f, -2.7f, -0.5f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester(k).elements(n).beta(beta).Test(k.fn);
      Tester(k).elements(n).beta(beta).input_range(90.0f, 100.0f).Test(k.fn);
    }
  }
}

// beta = 0: every term is exp(0) = 1.
TEST_P(F32_RADDEXTEXP_BETA, beta_zero) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).beta(0.0f).input_range(-1000.0f, 1000.0f).Test(k.fn);
  }
}

// exp(x) overflows a float for x > 88.7: the extended exponent must not.
TEST_P(F32_RADDEXTEXP, input_range_90_100) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(90.0f, 100.0f).Test(k.fn);
    Tester(k).elements(n).input_range(90.0f, 100.0f).beta(BetaFor(k, 2.7f)).Test(k.fn);
  }
}

TEST_P(F32_RADDEXTEXP, input_range_m1000_1000) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(-1000.0f, 1000.0f).Test(k.fn);
    Tester(k).elements(n).input_range(-1000.0f, 1000.0f).beta(BetaFor(k, 2.7f)).Test(k.fn);
  }
}

// All negative: sums far below the smallest float, representable as pairs.
TEST_P(F32_RADDEXTEXP, input_range_m1000_m100) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(-1000.0f, -100.0f).Test(k.fn);
  }
}

// |beta*x| up to 1e6, inside the documented (-2^20, 2^20) range.
TEST_P(F32_RADDEXTEXP, input_range_huge) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(-1.0e6f, 1.0e6f).Test(k.fn);
    Tester(k).elements(n).input_range(-1.0e6f, -1.0e5f).Test(k.fn);
  }
}

// Products below TWOPASS_EXTEXP_MIN_INPUT contribute exactly 0.
// The float just below TWOPASS_EXTEXP_MIN_INPUT.
static const float kBelowMinInput = -0x1.000002p+20f;

TEST_P(F32_RADDEXTEXP, below_min_input) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(-1.0e7f, -0x1.1p+20f).Test(k.fn);
    Tester(k).elements(n).inject(-0x1.1p+20f, n / 2).inject(-1.0e30f, n / 4).Test(k.fn);
    // Both sides of the boundary: the AVX2 kernels test n, the others z.
    Tester(k).elements(n).inject(TWOPASS_EXTEXP_MIN_INPUT, SIZE_MAX).Test(k.fn);
    Tester(k).elements(n).inject(kBelowMinInput, SIZE_MAX).Test(k.fn);
    Tester(k).elements(n).inject(TWOPASS_EXTEXP_MIN_INPUT, n / 2).inject(kBelowMinInput, SIZE_MAX).Test(k.fn);
    if (!k.beta1) {  // beta*x below the range for x = -1
      Tester(k).elements(n).beta(1.0e30f).inject(-1.0f, n - 1).input_range(0.0f, 1.0e-29f).Test(k.fn);
    }
  }
}

// Masked logits: -inf elements contribute exactly 0.
TEST_P(F32_RADDEXTEXP, neg_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(-kInf, 1).Test(k.fn);
    Tester(k).elements(n).inject(-kInf, n / 2).Test(k.fn);
    Tester(k).elements(n).inject(-kInf, n - 1).Test(k.fn);
    Tester(k).elements(n).inject(-kInf, n / 2).input_range(90.0f, 100.0f).Test(k.fn);
  }
}

// A row of -inf only: value 0.
TEST_P(F32_RADDEXTEXP, all_neg_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(-kInf, SIZE_MAX).Test(k.fn);
  }
}

TEST_P(F32_RADDEXTEXP, nan) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(kNaN, 1).Test(k.fn);
    Tester(k).elements(n).inject(kNaN, 1).input_range(90.0f, 100.0f).Test(k.fn);
    Tester(k).elements(n).inject(kNaN, 1).inject(-kInf, n / 2).Test(k.fn);
    Tester(k).elements(n).inject(kNaN, SIZE_MAX).Test(k.fn);
  }
}

TEST_P(F32_RADDEXTEXP, pos_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(kInf, 1).Test(k.fn);
    Tester(k).elements(n).inject(kInf, 1).inject(-kInf, n / 2).Test(k.fn);
    Tester(k).elements(n).inject(kInf, SIZE_MAX).Test(k.fn);
  }
}

// beta < 0: x = +inf gives beta*x = -inf (contributes 0), x = -inf gives +inf.
TEST_P(F32_RADDEXTEXP_BETA, inf_negative_beta) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).beta(-1.0f).inject(kInf, n / 2).Test(k.fn);
    Tester(k).elements(n).beta(-1.0f).inject(kInf, SIZE_MAX).Test(k.fn);
    Tester(k).elements(n).beta(-1.0f).inject(-kInf, 1).Test(k.fn);
  }
}

// beta = 0 with an infinite x: 0 * inf = NaN.
TEST_P(F32_RADDEXTEXP_BETA, inf_beta_zero) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).beta(0.0f).inject(kInf, 1).Test(k.fn);
    Tester(k).elements(n).beta(0.0f).inject(-kInf, 1).Test(k.fn);
  }
}

TEST_P(F32_RADDEXTEXP, subnormal_inputs) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).subnormal_inputs().Test(k.fn);
    Tester(k).elements(n).subnormal_inputs().beta(BetaFor(k, -2.7f)).Test(k.fn);
    Tester(k).elements(n).inject(0x1.0p-140f, n / 2).inject(-0x1.0p-149f, n / 4).Test(k.fn);
  }
}

// Every exp of the kernel's core over its whole range, one at a time: a row
// of tile + 3 elements (main loop and remainder) holds one z among -inf, which
// contribute exactly 0, so value * 2^exponent is the kernel's exp(z) itself
// (every scaling in the sum is an exact power of two). Its relative error
// against expl must stay within ExtExpWholeRangeBound; z just below
// TWOPASS_EXTEXP_MIN_INPUT must give a sum of exactly 0.
TEST_P(F32_RADDEXTEXP, exp_whole_range) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  const std::vector<float> samples = ExtExpWholeRangeSamples();
  const size_t n = k.tile + 3;
  std::vector<float> x(n, -kInf);
  twopass_f32_params params = {};
  params.beta = 1.0f;
  long double max_error[2] = {0.0L, 0.0L};  // |z| <= 2^16, beyond
  size_t failures = 0;
  for (size_t i = 0; i < samples.size(); i++) {
    const float z = samples[i];
    const size_t position = i % n;
    x[position] = z;
    float sum[2];
    k.fn(n * sizeof(float), x.data(), sum, &params);
    x[position] = -kInf;
    const long double log_ratio = std::log(static_cast<long double>(sum[0])) +
                                  static_cast<long double>(sum[1]) * kLn2 -
                                  static_cast<long double>(z);
    const long double error = std::fabs(std::expm1(log_ratio));
    long double& max = max_error[std::fabs(z) <= 0x1.0p+16f ? 0 : 1];
    max = std::max(max, error);
    if (!(error <= ExtExpWholeRangeBound(k.name, z)) && failures++ < 10) {
      ADD_FAILURE() << "exp(" << Describe(z) << ") at position " << position << ": value "
                    << Describe(sum[0]) << ", exponent " << Describe(sum[1])
                    << ", relative error " << Describe(error);
    }
  }
  EXPECT_EQ(failures, 0u) << "of " << samples.size() << " samples";
  ReportError("exp_rel_le_2^16", samples.size(), max_error[0]);
  ReportError("exp_rel_gt_2^16", samples.size(), max_error[1]);
  // Below the range: exactly nothing, at every position.
  for (size_t position = 0; position < n; position++) {
    for (float z : {kBelowMinInput, -0x1.000004p+20f, -0x1.1p+20f}) {
      x[position] = z;
      float sum[2];
      k.fn(n * sizeof(float), x.data(), sum, &params);
      x[position] = -kInf;
      EXPECT_EQ(sum[0], 0.0f) << Describe(z) << " at position " << position;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(, F32_RADDEXTEXP, ::testing::ValuesIn(kKernels), UKernelName());
INSTANTIATE_TEST_SUITE_P(, F32_RADDEXTEXP_BETA, ::testing::ValuesIn(GeneralBetaKernels(kKernels)),
                         UKernelName());

}  // namespace
}  // namespace test
}  // namespace twopass
