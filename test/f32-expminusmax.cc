// Tests of every f32-raddstoreexpminusmax and f32-raddexpminusmax kernel
// listed in microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/
// f32-raddstoreexpminusmax.h and f32-raddexpminusmax.h: adding a variant to a
// list adds its tests (each TEST_P runs once per listed kernel, named after
// its family and variant, e.g. raddexpminusmax_avx2_p5_u64_acc4).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "testing/gtest-isa.h"
#include "test/microkernel-test-utils.h"
#include "test/expminusmax-microkernel-tester.h"

namespace twopass {
namespace test {
namespace {

using Kernel = ExpMinusMaxKernel;

const std::vector<Kernel> kKernels = {
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {{#ukernel, RAddStoreFn(ukernel), arch_flags, element_tile, accumulators, beta1 != 0}, true},
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-raddstoreexpminusmax.h"
#undef TWOPASS_UKERNEL
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {{#ukernel, ReduceFn(ukernel), arch_flags, element_tile, accumulators, beta1 != 0}, false},
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-raddexpminusmax.h"
#undef TWOPASS_UKERNEL
};

// A tester for kernel `k`: its tolerances depend on the kernel's SIMD width.
ExpMinusMaxMicrokernelTester Tester(const Kernel& k) {
  return ExpMinusMaxMicrokernelTester().lanes(k.lanes()).one_constant_reduction(
      std::string(k.name).find("_rr1_") != std::string::npos);
}
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class F32_EXPMINUSMAX : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(F32_EXPMINUSMAX);

TEST_P(F32_EXPMINUSMAX, elements_eq_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  Tester(k).elements(k.tile).Test(k);
}

TEST_P(F32_EXPMINUSMAX, elements_div_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 2 * k.tile; n < 10 * k.tile; n += k.tile) {
    Tester(k).elements(n).Test(k);
  }
}

TEST_P(F32_EXPMINUSMAX, elements_lt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 1; n < k.tile; n++) {
    Tester(k).elements(n).Test(k);
  }
}

TEST_P(F32_EXPMINUSMAX, elements_gt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = k.tile + 1; n < (k.tile == 1 ? 10 : 2 * k.tile); n++) {
    Tester(k).elements(n).Test(k);
  }
}

// A row the size of the operator's chunk (TWOPASS_CHUNK_ELEMENTS), plus a
// remainder: the sum must meet the chunk's share of the operator's contract.
TEST_P(F32_EXPMINUSMAX, elements_large) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : {size_t(32768), size_t(32768) + k.tile - 1 + 7}) {
    Tester(k).elements(n).input_range(-20.0f, 20.0f).max_sum_tolerance(kChunkSumTolerance)
        .Test(k);
  }
}

// One dominant term, then 2047 or 4095 near-equal ones 13.6912 below it
// the float lane sums must not drift (kPeakedRowSumTolerance, and the looser
// kPeakedRowSoftmaxSumTolerance of the longer windows of raddstoreexpminusmax).
TEST_P(F32_EXPMINUSMAX, peaked_row) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : {size_t(2048), size_t(4096)}) {
    for (float noise : {0.0f, 1.0e-3f}) {
      Tester(k).elements(n).peaked_row(kPeakedRowTail, noise)
          .max_sum_tolerance(k.store ? kPeakedRowSoftmaxSumTolerance : kPeakedRowSumTolerance).Test(k);
    }
  }
}

TEST_P(F32_EXPMINUSMAX, beta) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float beta : {0.5f, 2.7f, 12.0f, 1.0e-3f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester(k).elements(n).beta(beta).Test(k);
    }
  }
}

TEST_P(F32_EXPMINUSMAX, beta_negative) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (float beta : {-1.0f, -2.7f, -0.5f}) {
    for (size_t n : SpecialSizes(k.tile)) {
      Tester(k).elements(n).beta(beta).Test(k);
      Tester(k).elements(n).beta(beta).input_range(90.0f, 100.0f).Test(k);
    }
  }
}

// The exp core over its whole input range: z = x exactly (beta 1, max 0)
// across [the flush cutoff, 0], so every y is checked against expl with the
// core's own tolerance (no rounding of z); the large row also checks the sum.
TEST_P(F32_EXPMINUSMAX, exp_whole_range) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (uint32_t seed = 1; seed <= 4; seed++) {
    Tester(k).elements(65536).input_range(-87.33f, 0.0f).max(0.0f).seed(seed)
        .max_sum_tolerance(kChunkSumTolerance).Test(k);
    Tester(k).elements(4096).input_range(-1.0f, 0.0f).max(0.0f).seed(seed).Test(k);
  }
}

// beta*x beyond a float exp's range: the max makes every argument <= 0.
TEST_P(F32_EXPMINUSMAX, input_range_90_100) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(90.0f, 100.0f).Test(k);
    Tester(k).elements(n).input_range(90.0f, 100.0f).beta(2.7f).Test(k);
  }
}

TEST_P(F32_EXPMINUSMAX, input_range_m1000_1000) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(-1000.0f, 1000.0f).Test(k);
    Tester(k).elements(n).input_range(-1000.0f, 1000.0f).beta(2.7f).Test(k);
  }
}

// Masked logits: -inf gives exactly 0 and adds nothing to the sum.
TEST_P(F32_EXPMINUSMAX, neg_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(-kInf, 1).Test(k);
    Tester(k).elements(n).inject(-kInf, n / 2).Test(k);
    Tester(k).elements(n).inject(-kInf, n - 1).Test(k);
    Tester(k).elements(n).inject(-kInf, n / 2).input_range(90.0f, 100.0f).Test(k);
  }
}

// A row of -inf with a finite max: y = 0 and sum = 0.
TEST_P(F32_EXPMINUSMAX, all_neg_inf_finite_max) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(-kInf, SIZE_MAX).max(0.0f).Test(k);
    Tester(k).elements(n).inject(-kInf, SIZE_MAX).max(-1.0e30f).Test(k);
  }
}

// A row of -inf with its own max (-inf): -inf - (-inf) is NaN.
TEST_P(F32_EXPMINUSMAX, all_neg_inf_neg_inf_max) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(-kInf, SIZE_MAX).Test(k);
  }
}

TEST_P(F32_EXPMINUSMAX, nan) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(kNaN, 1).Test(k);
    Tester(k).elements(n).inject(kNaN, 1).inject(-kInf, n / 2).Test(k);
    Tester(k).elements(n).inject(kNaN, SIZE_MAX).Test(k);
    Tester(k).elements(n).max(kNaN).Test(k);
  }
}

// +inf: its max is +inf, so its argument is NaN and the others are -inf.
TEST_P(F32_EXPMINUSMAX, pos_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).inject(kInf, 1).Test(k);
    Tester(k).elements(n).inject(kInf, n / 2).inject(-kInf, n / 4).Test(k);
  }
}

// beta < 0: x = +inf gives beta*x = -inf (exactly 0), x = -inf gives +inf.
TEST_P(F32_EXPMINUSMAX, inf_negative_beta) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).beta(-1.0f).inject(kInf, n / 2).Test(k);
    Tester(k).elements(n).beta(-1.0f).inject(-kInf, 1).Test(k);
  }
}

TEST_P(F32_EXPMINUSMAX, subnormal_inputs) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).subnormal_inputs().Test(k);
    Tester(k).elements(n).subnormal_inputs().beta(-2.7f).Test(k);
    Tester(k).elements(n).inject(0x1.0p-140f, n / 2).inject(-0x1.0p-149f, n / 4).Test(k);
  }
}

// Arguments around ln(FLT_MIN) = -87.34: results flushed to 0 or accurate.
TEST_P(F32_EXPMINUSMAX, subnormal_outputs) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester(k).elements(n).input_range(-104.0f, -80.0f).inject(0.0f, 1).Test(k);
    Tester(k).elements(n).input_range(-88.0f, -86.5f).max(0.0f).Test(k);
    Tester(k).elements(n).input_range(-150.0f, -104.0f).max(0.0f).Test(k);
  }
}

INSTANTIATE_TEST_SUITE_P(, F32_EXPMINUSMAX, ::testing::ValuesIn(kKernels), OpUKernelName());

}  // namespace
}  // namespace test
}  // namespace twopass
