// bf16-vaffine, f16-vaffine: log-softmax's last pass on 16-bit rows,
// y = fma(x, scale, shift) + bias rounded to the datatype. Every generated
// variant, N from 1e3 to 1e8 (n and 3n); 4 B/element.
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
  twopass_bench::RegisterKernelBenchmarks("bf16_vaffine", twopass_bench::BF16VaffineKernels(),
                                          twopass_bench::BenchVunaryX16<false>, ParamsForSize);
  twopass_bench::RegisterKernelBenchmarks("f16_vaffine", twopass_bench::F16VaffineKernels(),
                                          twopass_bench::BenchVunaryX16<true>, ParamsForSize);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
