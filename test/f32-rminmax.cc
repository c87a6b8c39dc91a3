// Tests of every f32-rmax and f32-rmin kernel listed in
// microkernels/f32-rmax-rmin/gen/f32-rmax.h and f32-rmin.h: adding a variant
// to a list adds its tests (each TEST_P runs once per listed kernel, named
// after its reduction and variant, e.g. rmax_avx2_u64_acc4).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "testing/gtest-isa.h"
#include "test/microkernel-test-utils.h"
#include "test/rminmax-microkernel-tester.h"

namespace twopass {
namespace test {
namespace {

using Kernel = RMinMaxKernel;

const std::vector<Kernel> kKernels = {
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {{#ukernel, ukernel, arch_flags, element_tile, accumulators, beta1 != 0}, ReduceOp::kMax},
#include "microkernels/f32-rmax-rmin/gen/f32-rmax.h"
#undef TWOPASS_UKERNEL
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {{#ukernel, ukernel, arch_flags, element_tile, accumulators, beta1 != 0}, ReduceOp::kMin},
#include "microkernels/f32-rmax-rmin/gen/f32-rmin.h"
#undef TWOPASS_UKERNEL
};

using Tester = RMinMaxMicrokernelTester;
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class F32_RMINMAX : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(F32_RMINMAX);

TEST_P(F32_RMINMAX, elements_eq_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  Tester().elements(k.tile).Test(k);
}

TEST_P(F32_RMINMAX, elements_div_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 2 * k.tile; n < 10 * k.tile; n += k.tile) {
    Tester().elements(n).Test(k);
  }
}

TEST_P(F32_RMINMAX, elements_lt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 1; n < k.tile; n++) {
    Tester().elements(n).Test(k);
  }
}

TEST_P(F32_RMINMAX, elements_gt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = k.tile + 1; n < (k.tile == 1 ? 10 : 2 * k.tile); n++) {
    Tester().elements(n).Test(k);
  }
}

TEST_P(F32_RMINMAX, elements_large) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : {size_t(32768), size_t(32768) + k.tile - 1 + 7}) {
    Tester().elements(n).Test(k);
  }
}

// The extremum at every position: every lane, accumulator and remainder slot.
TEST_P(F32_RMINMAX, extremum_at_each_position) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : {k.tile, 2 * k.tile + 17, size_t(47)}) {
    for (size_t position = 0; position < n; position++) {
      Tester().elements(n).extremum_at(position).iterations(1).Test(k);
    }
  }
}

TEST_P(F32_RMINMAX, input_range_90_100) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).input_range(90.0f, 100.0f).Test(k);
  }
}

TEST_P(F32_RMINMAX, input_range_m1000_1000) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).input_range(-1000.0f, 1000.0f).Test(k);
  }
}

TEST_P(F32_RMINMAX, neg_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).inject(-kInf, 1).Test(k);
    Tester().elements(n).inject(-kInf, n - 1).Test(k);
    Tester().elements(n).inject(-kInf, SIZE_MAX).Test(k);
  }
}

TEST_P(F32_RMINMAX, pos_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).inject(kInf, 1).Test(k);
    Tester().elements(n).inject(kInf, n - 1).Test(k);
    Tester().elements(n).inject(kInf, SIZE_MAX).Test(k);
    Tester().elements(n).inject(kInf, n / 2).inject(-kInf, n / 2).Test(k);
  }
}

// Documented: a NaN input may or may not be returned.
TEST_P(F32_RMINMAX, nan) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).inject(kNaN, 1).Test(k);
    Tester().elements(n).inject(kNaN, n / 2).inject(-kInf, n / 4).Test(k);
    Tester().elements(n).inject(kNaN, SIZE_MAX).Test(k);
  }
}

TEST_P(F32_RMINMAX, subnormal_inputs) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).subnormal_inputs().Test(k);
    Tester().elements(n).subnormal_inputs().inject(0.0f, n / 4).inject(-0.0f, n / 4).Test(k);
  }
}

INSTANTIATE_TEST_SUITE_P(, F32_RMINMAX, ::testing::ValuesIn(kKernels), OpUKernelName());

}  // namespace
}  // namespace test
}  // namespace twopass
