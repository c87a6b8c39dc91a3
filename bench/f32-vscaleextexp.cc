// f32-vscaleextexp: pass 2 of two-pass softmax, y = exp(x) * s * 2^e.
// Every generated variant, N from 1e3 to 1e8 (n and 3n); 8 B/element.
#include "bench/kernels.h"

namespace {

void f32_vscaleextexp(benchmark::State& state, twopass_f32_vunary_ukernel_fn ukernel,
                      uint32_t arch_flags) {
  if (!twopass_bench::CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const float* x = twopass_bench::RandomInput(n);
  float* y = twopass_bench::OutputBuffer(n);
  // Inputs lie in [-20, 20): exp(x) <= 2^29, so 2^-40 keeps every output below 1.
  twopass_f32_params params = {};
  params.beta = 1.0f;
  params.scale = 0.75f;
  params.scale_exponent = -40.0f;
  for (auto _ : state) {
    ukernel(n * sizeof(float), x, y, &params);
    benchmark::ClobberMemory();
  }
  twopass_bench::SetRateCounters(state, n, 2 * n * sizeof(float));
}

void Register() {
  twopass_bench::RegisterKernelBenchmarks("f32_vscaleextexp", twopass_bench::VscaleextexpKernels(),
                                          f32_vscaleextexp);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
