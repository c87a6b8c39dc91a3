// f32-vscale: y = x * s (pass 3 of three-pass reloading softmax). Every
// generated variant, N from 1e3 to 1e8 (n and 3n); 8 B/element.
#include "bench/kernels.h"

namespace {

twopass_f32_params ParamsForSize(size_t /*n*/) {
  twopass_f32_params params = {};
  params.scale = 0.125f;
  return params;
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_vscale", twopass_bench::VscaleKernels(),
                                          twopass_bench::BenchVunary, ParamsForSize);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
