// f32-raddextexp: pass 1 of two-pass softmax (sum of exp as a (value, exponent)
// pair). Every generated variant, N from 1e3 to 1e8 (n and 3n); reads 4 B/element.
#include "bench/kernels.h"

namespace {

twopass_f32_params ParamsForSize(size_t n) {
  twopass_f32_params params = {};
  params.beta = 1.0f;
  return params;
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_raddextexp", twopass_bench::RaddextexpKernels(),
                                          twopass_bench::BenchReduce, ParamsForSize);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
