// f32-rmax: reduce-max (the max pass of three-pass softmax; rmin serves
// negative beta). Every generated variant, N from 1e3 to 1e8 (n and 3n); 4 B/element.
#include "bench/kernels.h"

namespace {

twopass_f32_params ParamsForSize(size_t /*n*/) {
  twopass_f32_params params = {};
  return params;
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_rmax", twopass_bench::RmaxKernels(),
                                          twopass_bench::BenchReduce, ParamsForSize);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
