// f32-rmax: reduce-max (the max pass of three-pass softmax; rmin serves
// negative beta). Every generated variant, N from 1e3 to 1e8 (n and 3n); 4 B/element.
#include "bench/kernels.h"

namespace {

void f32_rmax(benchmark::State& state, twopass_f32_reduce_ukernel_fn ukernel, uint32_t arch_flags) {
  if (!twopass_bench::CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const float* x = twopass_bench::RandomInput(n);
  const twopass_f32_params params = {};
  float result;
  for (auto _ : state) {
    ukernel(n * sizeof(float), x, &result, &params);
    benchmark::DoNotOptimize(result);
  }
  twopass_bench::SetRateCounters(state, n, n * sizeof(float));
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_rmax", twopass_bench::RmaxKernels(), f32_rmax);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
