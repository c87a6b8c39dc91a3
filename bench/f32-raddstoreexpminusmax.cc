// f32-raddstoreexpminusmax: pass 2 of three-pass (reloading) softmax,
// y = exp(x - max) and their sum. Every generated variant, N from 1e3 to 1e8
// (n and 3n); 8 B/element.
#include "bench/kernels.h"

namespace {

twopass_f32_params ParamsForSize(size_t n) {
  twopass_f32_params params = {};
  params.beta = 1.0f;
  params.max = twopass_bench::RandomInputMax(n);
  return params;
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_raddstoreexpminusmax", twopass_bench::RaddstoreexpminusmaxKernels(),
                                          twopass_bench::BenchRaddstore, ParamsForSize);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
