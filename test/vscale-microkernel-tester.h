// Tester of the f32-vscale kernels: y_i = x_i * scale, bit-exact against
// the float product.
#pragma once

#include <cstddef>

#include "microkernels/microkernels.h"
#include "test/microkernel-test-utils.h"
#include "test/microkernel-tester.h"

namespace twopass {
namespace test {

class VScaleMicrokernelTester : public ExactMapTesterBase<VScaleMicrokernelTester> {
 public:
  VScaleMicrokernelTester& scale(float scale) {
    scale_ = scale;
    return *this;
  }

  static float Reference(float x, float scale, float bias) {
    (void) bias;
    return x * scale;  // one IEEE multiplication
  }

  void Test(twopass_f32_vunary_ukernel_fn ukernel) const {
    twopass_f32_params params = {};
    params.scale = scale_;
    TestExact(ukernel, params, [&](float x) { return Reference(x, scale_, bias_); },
              ", scale " + Describe(scale_));
  }

 private:
  float scale_ = 0x1.8p-1f;
  float bias_ = 0.0f;
};

}  // namespace test
}  // namespace twopass
