// f32-raddstoreexpminusmax: pass 2 of three-pass (reloading) softmax,
// y = exp(x - max) and their sum. Every generated variant, N from 1e3 to 1e8
// (n and 3n); 8 B/element.
#include "bench/kernels.h"

namespace {

void f32_raddstoreexpminusmax(benchmark::State& state,
                              twopass_f32_raddstore_ukernel_fn ukernel,
                              uint32_t arch_flags) {
  if (!twopass_bench::CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const float* x = twopass_bench::RandomInput(n);
  const float max = twopass_bench::RandomInputMax(n);
  float* y = twopass_bench::OutputBuffer(n);
  twopass_f32_params params = {};
  params.beta = 1.0f;
  params.max = max;
  float sum;
  for (auto _ : state) {
    ukernel(n * sizeof(float), x, y, &sum, &params);
    benchmark::DoNotOptimize(sum);
    benchmark::ClobberMemory();
  }
  twopass_bench::SetRateCounters(state, n, 2 * n * sizeof(float));
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_raddstoreexpminusmax",
                                          twopass_bench::RaddstoreexpminusmaxKernels(),
                                          f32_raddstoreexpminusmax);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
