// f32-raddexpminusmax: sum of exp(x - max) without storing it (pass 2 of
// three-pass recomputing softmax and of log-softmax). Every generated variant,
// N from 1e3 to 1e8 (n and 3n); 4 B/element.
#include "bench/kernels.h"

namespace {

twopass_f32_params ParamsForSize(size_t n) {
  twopass_f32_params params = {};
  params.beta = 1.0f;
  params.max = twopass_bench::RandomInputMax(n);
  return params;
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_raddexpminusmax", twopass_bench::RaddexpminusmaxKernels(),
                                          twopass_bench::BenchReduce, ParamsForSize);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
