// Tester of the f32-raddexpminusmax kernels (log-softmax, pass 2):
// sum = sum_i exp(beta * x_i - max), without storing the terms, against a
// long-double reference (shared with the raddstoreexpminusmax tester).
#pragma once

#include <cstddef>

#include "microkernels/microkernels.h"
#include "test/microkernel-test-utils.h"
#include "test/raddstoreexpminusmax-microkernel-tester.h"

namespace twopass {
namespace test {

class RAddExpMinusMaxMicrokernelTester
    : public ExpMinusMaxTester<RAddExpMinusMaxMicrokernelTester> {
 public:
  void Test(twopass_f32_reduce_ukernel_fn ukernel) const {
    const size_t batch = elements() * sizeof(float);
    Run(/*store=*/false, [&](const float* x, const float* max, float* /*y*/, float* sum) {
      twopass_f32_params params = {};
      params.beta = beta();
      params.max = *max;
      ukernel(batch, x, sum, &params);
    });
  }
};

}  // namespace test
}  // namespace twopass
