// f32-vscale: y = x * s (pass 3 of three-pass reloading softmax). Every
// generated variant, N from 1e3 to 1e8 (n and 3n); 8 B/element.
#include "bench/kernels.h"

namespace {

void f32_vscale(benchmark::State& state, twopass_f32_vunary_ukernel_fn ukernel,
                uint32_t arch_flags) {
  if (!twopass_bench::CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const float* x = twopass_bench::RandomInput(n);
  float* y = twopass_bench::OutputBuffer(n);
  twopass_f32_params params = {};
  params.scale = 0.125f;
  for (auto _ : state) {
    ukernel(n * sizeof(float), x, y, &params);
    benchmark::ClobberMemory();
  }
  twopass_bench::SetRateCounters(state, n, 2 * n * sizeof(float));
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_vscale", twopass_bench::VscaleKernels(), f32_vscale);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
