// Tester of the f32-vaffine kernels: y_i = fma(x_i, scale, shift) + bias, bit-exact against
// std::fma (the exact x*scale + shift, rounded once) followed by a float addition.
#pragma once

#include <cmath>
#include <cstddef>

#include "microkernels/microkernels.h"
#include "test/microkernel-test-utils.h"
#include "test/microkernel-tester.h"

namespace twopass {
namespace test {

class VAffineMicrokernelTester : public ExactMapTesterBase<VAffineMicrokernelTester> {
 public:
  VAffineMicrokernelTester& scale(float scale) {
    scale_ = scale;
    return *this;
  }
  VAffineMicrokernelTester& shift(float shift) {
    shift_ = shift;
    return *this;
  }
  VAffineMicrokernelTester& bias(float bias) {
    bias_ = bias;
    return *this;
  }

  static float Reference(float x, float scale, float shift, float bias) {
    return std::fma(x, scale, shift) + bias;
  }

  // f32 kernels; and 16-bit ones (bf16, f16: set datatype()), whose outputs
  // are the f32 results rounded once.
  template <typename Fn>
  void Test(Fn ukernel) const {
    twopass_f32_params params = {};
    params.scale = scale_;
    params.shift = shift_;
    params.bias = bias_;
    TestExact(ukernel, params, [&](float x) { return Reference(x, scale_, shift_, bias_); },
              ", scale " + Describe(scale_) + ", shift " + Describe(shift_) + ", bias " +
                  Describe(bias_));
  }

 private:
  float scale_ = 0x1.8p-1f;
  float shift_ = 0.0f;
  float bias_ = 0.0f;
};

}  // namespace test
}  // namespace twopass
