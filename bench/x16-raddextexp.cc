// bf16-raddextexp, f16-raddextexp: pass 1 of two-pass softmax on 16-bit rows.
// Every generated variant, N from 1e3 to 1e8 (n and 3n); 2 B/element.
#include "bench/kernels.h"

namespace {

twopass_f32_params ParamsForSize(size_t /*n*/) {
  twopass_f32_params params = {};
  params.beta = 1.0f;
  return params;
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("bf16_raddextexp",
                                          twopass_bench::BF16RaddextexpKernels(),
                                          twopass_bench::BenchReduceX16<false>, ParamsForSize);
  twopass_bench::RegisterKernelBenchmarks("f16_raddextexp", twopass_bench::F16RaddextexpKernels(),
                                          twopass_bench::BenchReduceX16<true>, ParamsForSize);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
