// Tester of the f32-rmax and f32-rmin kernels (three-pass softmax, pass 1):
// *output = max_i x_i (or min_i x_i), exactly.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <ostream>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "test/microkernel-test-utils.h"
#include "test/microkernel-tester.h"

namespace twopass {
namespace test {

enum class ReduceOp { kMax, kMin };

// An entry of microkernels/f32-rmax-rmin/gen/f32-rmax.h or f32-rmin.h: both
// lists are tested by one suite, so each kernel carries its reduction.
struct RMinMaxKernel : UKernel<twopass_f32_reduce_ukernel_fn> {
  ReduceOp op;

  const char* op_name() const { return op == ReduceOp::kMax ? "rmax" : "rmin"; }
};

inline void PrintTo(const RMinMaxKernel& kernel, std::ostream* os) {
  PrintTo(static_cast<const UKernel<twopass_f32_reduce_ukernel_fn>&>(kernel), os);
}

class RMinMaxMicrokernelTester : public TesterBase<RMinMaxMicrokernelTester> {
 public:
  // Puts the row's strict extremum (+-1000) at position `position` instead of
  // random data only: every lane and remainder position must be reduced.
  RMinMaxMicrokernelTester& extremum_at(size_t position) {
    extremum_position_ = position;
    return *this;
  }

  void Test(const RMinMaxKernel& kernel) const {
    const ReduceOp op = kernel.op;
    const size_t n = this->elements();
    ASSERT_NE(n, 0);
    GuardedInput input(n);
    std::mt19937 rng(this->seed_);
    for (size_t iteration = 0; iteration < this->iterations(); iteration++) {
      float* x = input.Place(n, iteration);
      this->input_.Generate(x, n, rng);
      if (extremum_position_ < n) {
        x[extremum_position_] = op == ReduceOp::kMax ? 1000.0f : -1000.0f;
      }
      GuardedOutput output(1, iteration);
      input.Protect();
      // rmax and rmin ignore their parameters: NaN fields must not matter.
      twopass_f32_params params;
      std::fill_n(reinterpret_cast<float*>(&params), sizeof(params) / sizeof(float),
                  std::numeric_limits<float>::quiet_NaN());
      kernel.fn(n * sizeof(float), x, output.data(), &params);
      input.Unprotect();
      ASSERT_TRUE(output.CanariesIntact());

      bool has_nan = false;
      bool found = false;
      float reference = 0.0f;
      for (size_t i = 0; i < n; i++) {
        if (std::isnan(x[i])) {
          has_nan = true;
          continue;
        }
        reference = !found ? x[i]
                    : op == ReduceOp::kMax ? std::max(reference, x[i])
                                            : std::min(reference, x[i]);
        found = true;
      }
      const float result = output[0];
      const std::string context = "elements " + std::to_string(n) + ", iteration " +
                                  std::to_string(iteration) + " (input " + input.layout() +
                                  "): result " + Describe(result);
      if (has_nan) {
        // Documented: a NaN input may or may not be returned (the following
        // exp pass propagates it). Otherwise the result is the max (min) of
        // some subset of the inputs: an input no greater (smaller) than the
        // non-NaN extremum, or the identity -inf (+inf) for an empty subset.
        const float identity = op == ReduceOp::kMax ? -INFINITY : INFINITY;
        const bool is_input =
            std::any_of(x, x + n, [&](float v) { return SameBits(v, result); });
        const bool within = !found || (op == ReduceOp::kMax ? result <= reference
                                                             : result >= reference);
        EXPECT_TRUE(std::isnan(result) || ((is_input || result == identity) && within))
            << "with a NaN input the result must be NaN or the extremum of a subset of the "
               "inputs; " << context;
        continue;
      }
      // Exact. +0 and -0 compare equal: either may be returned.
      EXPECT_EQ(result, reference) << "reference " << Describe(reference) << "; " << context;
    }
  }

 private:
  size_t extremum_position_ = SIZE_MAX;
};

}  // namespace test
}  // namespace twopass
