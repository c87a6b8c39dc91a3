// f32-raddextexp: pass 1 of two-pass softmax (sum of exp as a (value, exponent)
// pair). Every generated variant, N from 1e3 to 1e8 (n and 3n); reads 4 B/element.
#include "bench/kernels.h"

namespace {

void f32_raddextexp(benchmark::State& state, twopass_f32_reduce_ukernel_fn ukernel,
                    uint32_t arch_flags) {
  if (!twopass_bench::CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const float* x = twopass_bench::RandomInput(n);
  twopass_f32_params params = {};
  params.beta = 1.0f;
  float sum[2];
  for (auto _ : state) {
    ukernel(n * sizeof(float), x, sum, &params);
    benchmark::DoNotOptimize(sum);
  }
  twopass_bench::SetRateCounters(state, n, n * sizeof(float));
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_raddextexp", twopass_bench::RaddextexpKernels(),
                                          f32_raddextexp);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
