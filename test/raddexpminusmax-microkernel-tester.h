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
  void Test(twopass_f32_raddexpminusmax_ukernel_fn ukernel) const {
    const twopass_f32_exp_params params = {beta()};
    const size_t batch = elements() * sizeof(float);
    Run(/*store=*/false, [&](const float* x, const float* max, float* /*y*/, float* sum) {
      ukernel(batch, x, max, sum, &params);
    });
  }
};

}  // namespace test
}  // namespace twopass
