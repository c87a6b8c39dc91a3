// Tests of every f32-vscaleexpminusmax kernel listed in
// microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-vscaleexpminusmax.h
// (y_i = exp(beta*x_i - max) * scale) against the long-double reference of
// the exact product beta*x_i: the tolerance of raddstoreexpminusmax's y
// (test/expminusmax-microkernel-tester.h: the exp core, the one rounding of
// beta*x - max) plus one float rounding of the product by scale; results
// whose exp is below FLT_MIN may be 0. -inf products give exactly 0, NaN
// ones NaN. The input lies between PROT_NONE pages, read-only during the
// call; the output has canaries on both sides.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "testing/gtest-isa.h"
#include "test/microkernel-test-utils.h"

namespace twopass {
namespace test {
namespace {

using Kernel = UKernel<twopass_f32_vunary_ukernel_fn>;

const std::vector<Kernel> kKernels = {
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, ukernel, arch_flags, element_tile, accumulators, beta1 != 0},
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-vscaleexpminusmax.h"
#undef TWOPASS_UKERNEL
};

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
// The exp core and its final rounding (as kExpTolerance of the expminusmax
// tester), and the one-constant reduction's |ln2 - fl(ln2)| * log2(e).
constexpr double kExpTolerance = 2.5e-7;
constexpr double kRR1Error = 2.8e-9;

struct Case {
  size_t n;
  float lo = -10.0f, hi = 10.0f;
  float beta = 1.0f;
  float scale = 1.0f;
  bool has_max = false;
  float max = 0.0f;
  float special = 0.0f;
  size_t every = 0;  // special at every every-th element (0: none)
};

void Check(const Kernel& k, const Case& c, uint32_t seed) {
  const size_t n = c.n;
  std::mt19937 rng(seed + static_cast<uint32_t>(n));
  std::uniform_real_distribution<float> uniform(c.lo, c.hi);
  GuardedInput input(n);
  for (size_t iteration = 0; iteration < 3; iteration++) {
    float* x = input.Place(n, iteration);
    for (size_t i = 0; i < n; i++) {
      x[i] = uniform(rng);
      if (c.every != 0 && i % c.every == c.every / 2) x[i] = c.special;
    }
    float max = c.max;
    if (!c.has_max) {
      max = -kInf;
      for (size_t i = 0; i < n; i++) {
        if (!std::isnan(c.beta * x[i])) max = std::fmax(max, c.beta * x[i]);
      }
      if (std::isinf(max)) max = 0.0f;
    }
    twopass_f32_params params = {};
    params.beta = c.beta;
    params.max = max;
    params.scale = c.scale;
    GuardedOutput y(n, iteration);
    input.Protect();
    k.fn(n * sizeof(float), x, y.data(), &params);
    input.Unprotect();
    ASSERT_TRUE(y.CanariesIntact());
    const bool rr1 = std::string(k.name).find("_rr1_") != std::string::npos;
    for (size_t i = 0; i < n; i++) {
      const long double z = ExactProduct(c.beta, x[i]) - static_cast<long double>(max);
      const auto context = [&]() {
        return "x[" + std::to_string(i) + "] = " + Describe(x[i]) + ", y = " + Describe(y[i]) +
               "; elements " + std::to_string(n) + ", beta " + Describe(c.beta) + ", max " +
               Describe(max) + ", scale " + Describe(c.scale) + ", iteration " +
               std::to_string(iteration) + " (input " + input.layout() + ")";
      };
      if (std::isnan(z)) {
        ASSERT_TRUE(std::isnan(y[i])) << "a NaN argument must give NaN; " << context();
        continue;
      }
      if (z == -INFINITY) {
        ASSERT_EQ(0.0f, y[i]) << "a -inf argument must give exactly 0; " << context();
        continue;
      }
      if (z == INFINITY) {
        ASSERT_FALSE(std::isfinite(y[i])) << context();
        continue;
      }
      const long double e = std::exp(z);
      const long double reference = e * static_cast<long double>(c.scale);
      const double tolerance = kExpTolerance + kFloatEpsilon +
                               std::fabs(static_cast<double>(z)) * (kFloatEpsilon + (rr1 ? kRR1Error : 0.0));
      const long double error = std::fabs(static_cast<long double>(y[i]) - reference);
      if (e < FLT_MIN * (1.0 + tolerance)) {
        ASSERT_TRUE(y[i] == 0.0f || error <= tolerance * reference + kMinSubnormal)
            << "reference " << Describe(reference) << " (exp below FLT_MIN: 0 or accurate); "
            << context();
      } else {
        ASSERT_LE(error, tolerance * reference + kMinSubnormal)
            << "reference " << Describe(reference) << ", relative error "
            << Describe(error / reference) << "; " << context();
      }
    }
  }
}

class F32_VSCALEEXPMINUSMAX : public ::testing::TestWithParam<Kernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(F32_VSCALEEXPMINUSMAX);

TEST_P(F32_VSCALEEXPMINUSMAX, every_length) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n = 1; n <= 3 * k.tile + 17; n++) {
    Check(k, Case{n}, 1);
  }
}

TEST_P(F32_VSCALEEXPMINUSMAX, scale_and_beta) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    for (float scale : {1.0f / 3.0f, 1e-6f, 0.999f}) {
      for (float beta : {1.0f, 2.7f, -0.5f, 1e-3f}) {
        Case c{n};
        c.scale = scale;
        c.beta = beta;
        Check(k, c, 2);
      }
    }
  }
}

// The exp core over its whole input range (z = x exactly), and a long row.
TEST_P(F32_VSCALEEXPMINUSMAX, exp_whole_range) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  Case c{65536};
  c.lo = -87.33f;
  c.hi = 0.0f;
  c.has_max = true;
  Check(k, c, 3);
}

// Large products: masked logits of -FLT_MAX / 2 beside ordinary ones, and
// rows of |x| ~ 1e6 whose max cancels in one rounding.
TEST_P(F32_VSCALEEXPMINUSMAX, large_products) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Case masked{n};
    masked.special = -1.7e38f;
    masked.every = 2;
    Check(k, masked, 4);
    Case big{n};
    big.lo = 1.0e6f;
    big.hi = 1.0e6f + 50.0f;
    Check(k, big, 5);
  }
}

TEST_P(F32_VSCALEEXPMINUSMAX, special_values) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    for (float special : {-kInf, kNaN, kInf}) {
      for (size_t every : {size_t(1), size_t(3), n}) {
        Case c{n};
        c.special = special;
        c.every = every;
        Check(k, c, 6);
      }
    }
    Case nan_max{n};
    nan_max.has_max = true;
    nan_max.max = kNaN;
    Check(k, nan_max, 7);
  }
}

// Arguments around ln(FLT_MIN) = -87.34: results flushed to 0 or accurate.
TEST_P(F32_VSCALEEXPMINUSMAX, subnormal_outputs) {
  const Kernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Case c{n};
    c.lo = -104.0f;
    c.hi = -80.0f;
    c.has_max = true;
    Check(k, c, 8);
  }
}

INSTANTIATE_TEST_SUITE_P(, F32_VSCALEEXPMINUSMAX, ::testing::ValuesIn(kKernels), UKernelName());

}  // namespace
}  // namespace test
}  // namespace twopass
