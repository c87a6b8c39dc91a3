// f32-raddexpminusmax: sum of exp(x - max) without storing it (pass 2 of
// three-pass recomputing softmax and of log-softmax). Every generated variant,
// N from 1e3 to 1e8 (n and 3n); 4 B/element.
#include "bench/kernels.h"

namespace {

void f32_raddexpminusmax(benchmark::State& state, twopass_f32_reduce_ukernel_fn ukernel,
                         uint32_t arch_flags) {
  if (!twopass_bench::CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const float* x = twopass_bench::RandomInput(n);
  const float max = twopass_bench::RandomInputMax(n);
  twopass_f32_params params = {};
  params.beta = 1.0f;
  params.max = max;
  float sum;
  for (auto _ : state) {
    ukernel(n * sizeof(float), x, &sum, &params);
    benchmark::DoNotOptimize(sum);
  }
  twopass_bench::SetRateCounters(state, n, n * sizeof(float));
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_raddexpminusmax",
                                          twopass_bench::RaddexpminusmaxKernels(),
                                          f32_raddexpminusmax);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
