// f32-vaffine: y = fma(x, s, c) + b (the last pass of log-softmax). Every generated
// variant, N from 1e3 to 1e8 (n and 3n); 8 B/element.
#include "bench/kernels.h"

namespace {

void f32_vaffine(benchmark::State& state, twopass_f32_vunary_ukernel_fn ukernel,
                 uint32_t arch_flags) {
  if (!twopass_bench::CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const float* x = twopass_bench::RandomInput(n);
  float* y = twopass_bench::OutputBuffer(n);
  twopass_f32_params params = {};
  params.scale = 1.0f;
  params.shift = -12.5f;
  params.bias = -0.75f;
  for (auto _ : state) {
    ukernel(n * sizeof(float), x, y, &params);
    benchmark::ClobberMemory();
  }
  twopass_bench::SetRateCounters(state, n, 2 * n * sizeof(float));
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_vaffine", twopass_bench::VaffineKernels(),
                                          f32_vaffine);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
