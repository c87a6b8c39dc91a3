// Auto-generated file. Do not edit!
//   Template: test/f32-rminmax.cc.in
//   Generator: scripts/xngen.py
//
// Tests of every f32-rmin kernel listed in
// microkernels/f32-rmax-rmin/gen/f32-rmin.h: adding a variant to the list adds
// its tests (each TEST_P runs once per listed kernel).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "test/isa-checks.h"
#include "test/microkernel-test-utils.h"
#include "test/rmin-microkernel-tester.h"

namespace twopass {
namespace test {
namespace {

using Kernel = UKernel<twopass_f32_reduce_ukernel_fn>;

const std::vector<Kernel> kKernels = {
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, ukernel, arch_flags, element_tile, accumulators, beta1 != 0},
#include "microkernels/f32-rmax-rmin/gen/f32-rmin.h"
#undef TWOPASS_UKERNEL
};

using Tester = RMinMicrokernelTester;
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class F32_RMIN : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(F32_RMIN);

TEST_P(F32_RMIN, elements_eq_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  Tester().elements(k.tile).Test(k.fn);
}

TEST_P(F32_RMIN, elements_div_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 2 * k.tile; n < 10 * k.tile; n += k.tile) {
    Tester().elements(n).Test(k.fn);
  }
}

TEST_P(F32_RMIN, elements_lt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 1; n < k.tile; n++) {
    Tester().elements(n).Test(k.fn);
  }
}

TEST_P(F32_RMIN, elements_gt_tile) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = k.tile + 1; n < (k.tile == 1 ? 10 : 2 * k.tile); n++) {
    Tester().elements(n).Test(k.fn);
  }
}

TEST_P(F32_RMIN, elements_large) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : {size_t(32768), size_t(32768) + k.tile - 1 + 7}) {
    Tester().elements(n).Test(k.fn);
  }
}

// The extremum at every position: every lane, accumulator and remainder slot.
TEST_P(F32_RMIN, extremum_at_each_position) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : {k.tile, 2 * k.tile + 17, size_t(47)}) {
    for (size_t position = 0; position < n; position++) {
      Tester().elements(n).extremum_at(position).iterations(1).Test(k.fn);
    }
  }
}

TEST_P(F32_RMIN, input_range_90_100) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).input_range(90.0f, 100.0f).Test(k.fn);
  }
}

TEST_P(F32_RMIN, input_range_m1000_1000) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).input_range(-1000.0f, 1000.0f).Test(k.fn);
  }
}

TEST_P(F32_RMIN, neg_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).inject(-kInf, 1).Test(k.fn);
    Tester().elements(n).inject(-kInf, n - 1).Test(k.fn);
    Tester().elements(n).inject(-kInf, SIZE_MAX).Test(k.fn);
  }
}

TEST_P(F32_RMIN, pos_inf) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).inject(kInf, 1).Test(k.fn);
    Tester().elements(n).inject(kInf, n - 1).Test(k.fn);
    Tester().elements(n).inject(kInf, SIZE_MAX).Test(k.fn);
    Tester().elements(n).inject(kInf, n / 2).inject(-kInf, n / 2).Test(k.fn);
  }
}

// Documented: a NaN input may or may not be returned.
TEST_P(F32_RMIN, nan) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).inject(kNaN, 1).Test(k.fn);
    Tester().elements(n).inject(kNaN, n / 2).inject(-kInf, n / 4).Test(k.fn);
    Tester().elements(n).inject(kNaN, SIZE_MAX).Test(k.fn);
  }
}

TEST_P(F32_RMIN, subnormal_inputs) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Tester().elements(n).subnormal_inputs().Test(k.fn);
    Tester().elements(n).subnormal_inputs().inject(0.0f, n / 4).inject(-0.0f, n / 4).Test(k.fn);
  }
}

INSTANTIATE_TEST_SUITE_P(, F32_RMIN, ::testing::ValuesIn(kKernels), UKernelName());

}  // namespace
}  // namespace test
}  // namespace twopass
