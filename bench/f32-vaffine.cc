// f32-vaffine: y = fma(x, s, c) + b (the last pass of log-softmax). Every generated
// variant, N from 1e3 to 1e8 (n and 3n); 8 B/element.
#include "bench/kernels.h"

namespace {

twopass_f32_params ParamsForSize(size_t /*n*/) {
  twopass_f32_params params = {};
  params.scale = 1.0f;
  params.shift = -12.5f;
  params.bias = -0.75f;
  return params;
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_vaffine", twopass_bench::VaffineKernels(),
                                          twopass_bench::BenchVunary, ParamsForSize);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
