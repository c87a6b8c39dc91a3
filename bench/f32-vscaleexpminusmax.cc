// f32-vscaleexpminusmax: the last pass of a three-pass softmax that
// recomputes the exps, y = exp(x - max) * scale. Every generated variant, N
// from 1e3 to 1e8 (n and 3n); 8 B/element.
#include "bench/kernels.h"

namespace {

twopass_f32_params ParamsForSize(size_t n) {
  twopass_f32_params params = {};
  params.beta = 1.0f;
  params.max = twopass_bench::RandomInputMax(n);
  params.scale = 1.0f / static_cast<float>(n);
  return params;
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_vscaleexpminusmax",
                                          twopass_bench::VscaleexpminusmaxKernels(),
                                          twopass_bench::BenchVunary, ParamsForSize);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
