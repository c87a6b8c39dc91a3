// Tester of the f32-vscale kernels: y_i = x_i * scale, bit-exact against
// the float product.
#pragma once

#include <cmath>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "test/microkernel-test-utils.h"

namespace twopass {
namespace test {

class VScaleMicrokernelTester : public TesterBase<VScaleMicrokernelTester> {
 public:
  VScaleMicrokernelTester& scale(float scale) {
    scale_ = scale;
    return *this;
  }

  // Output buffer = input buffer.
  VScaleMicrokernelTester& inplace(bool inplace) {
    inplace_ = inplace;
    return *this;
  }

  static float Reference(float x, float scale, float bias) {
    (void) bias;
    return x * scale;  // one IEEE multiplication
  }

  void Test(twopass_f32_vunary_ukernel_fn ukernel) const {
    const size_t n = elements();
    ASSERT_NE(n, 0);
    GuardedInput input(n);
    std::mt19937 rng(seed_);
    std::vector<float> x_copy(n);
    for (size_t iteration = 0; iteration < iterations(); iteration++) {
      GuardedOutput y(n, iteration);
      float* x = inplace_ ? y.data() : input.Place(n, iteration);
      input_.Generate(x, n, rng);
      std::copy(x, x + n, x_copy.begin());

      if (!inplace_) input.Protect();
      twopass_f32_params params = {};
      params.scale = scale_;
      ukernel(n * sizeof(float), x, y.data(), &params);
      if (!inplace_) input.Unprotect();
      ASSERT_TRUE(y.CanariesIntact());

      for (size_t i = 0; i < n; i++) {
        const float reference = Reference(x_copy[i], scale_, bias_);
        ASSERT_TRUE(SameBits(y[i], reference))
            << "x[" << i << "] = " << Describe(x_copy[i]) << ", y = " << Describe(y[i]) << ", reference "
            << Describe(reference) << "; elements " << n << ", scale " << Describe(scale_)
            << ", iteration " << iteration << " ("
            << (inplace_ ? std::string("in place") : "input " + input.layout()) << ")";
      }
    }
  }

 private:
  float scale_ = 0x1.8p-1f;
  float bias_ = 0.0f;
  bool inplace_ = false;
};

}  // namespace test
}  // namespace twopass
