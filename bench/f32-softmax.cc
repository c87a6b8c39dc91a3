// Algorithm comparison, after the paper's bench/f32-softmax: per ISA,
//   three_pass_recompute: max; sum of exp(x - max); y = exp(x - max) / sum
//   three_pass_reload:    max; y = exp(x - max) and sum; y *= 1/sum
//   two_pass:             extended-exponent sum; y = m / m_sum * 2^(n - n_sum)
//   online:               online normalizer (Milakov & Gimelshein 2018),
//                         running max and rescaled sum; AVX-512F only
// and the bandwidth floor: one read-only pass over x plus one copy pass x -> y
// with ordinary stores (memory/floor) or non-temporal ones (memory/floor_nt;
// bench/floor.h; the floor is the faster of the two). The kernels are the operator's defaults
// (operators/ukernel-table.c), composed here; no operator code runs.
//
// Method (as the paper's): x is one buffer, read (untimed) before every
// iteration so that it is cache-resident while it fits in the L3; outputs
// rotate through buffers spanning twice all L2 + L3 (cpuinfo), so every
// iteration writes to a cold buffer; each iteration is timed by itself
// (manual time: wall clock, or the thread's CPU time with --iteration_clock=cpu).
//
// Names: f32_softmax/<isa>/<algorithm>/<N> and f32_softmax/memory/floor{,_nt}/<N>.
#include <cmath>
#include <cstdio>
#include <string>

#include "bench/f32-softmax-online.h"
#include "bench/softmax-kernels.h"

namespace {

using twopass_bench::SoftmaxKernels;

enum class Algorithm { kThreePassRecompute, kThreePassReload, kTwoPass, kOnline, kFloor, kFloorNt };

const char* AlgorithmName(Algorithm a) {
  switch (a) {
    case Algorithm::kThreePassRecompute: return "three_pass_recompute";
    case Algorithm::kThreePassReload: return "three_pass_reload";
    case Algorithm::kTwoPass: return "two_pass";
    case Algorithm::kOnline: return "online";
    case Algorithm::kFloor: return "floor";
    case Algorithm::kFloorNt: return "floor_nt";
  }
  return "?";
}

// Kernel parameters: beta = 1, and the other fields given.
twopass_f32_params Params(float max, float scale, float scale_exponent) {
  twopass_f32_params params = {};
  params.beta = 1.0f;
  params.max = max;
  params.scale = scale;
  params.scale_exponent = scale_exponent;
  return params;
}

void ThreePassRecompute(const SoftmaxKernels& k, size_t n, const float* x, float* y) {
  const size_t bytes = n * sizeof(float);
  float max, sum;
  const twopass_f32_params no_params = {};
  k.rmax->fn(bytes, x, &max, &no_params);
  const twopass_f32_params exp_params = Params(max, 0.0f, 0.0f);
  k.raddexpminusmax->fn(bytes, x, &sum, &exp_params);
  // Pass 3 recomputes exp(x_i - max) / sum as exp(x_i) * (exp(-max) / sum),
  // the factor split into value * 2^exponent for the extended-exponent kernel:
  // one exp per element, as a dedicated vscaleexpminusmax kernel would do.
  int exponent;
  const double value = std::frexp(std::exp(-static_cast<double>(max)) / sum, &exponent);
  const twopass_f32_params scale_params =
      Params(0.0f, static_cast<float>(value), static_cast<float>(exponent));
  k.vscaleextexp->fn(bytes, x, y, &scale_params);
}

void ThreePassReload(const SoftmaxKernels& k, size_t n, const float* x, float* y) {
  const size_t bytes = n * sizeof(float);
  float max, sum;
  const twopass_f32_params no_params = {};
  k.rmax->fn(bytes, x, &max, &no_params);
  const twopass_f32_params exp_params = Params(max, 0.0f, 0.0f);
  k.raddstoreexpminusmax->fn(bytes, x, y, &sum, &exp_params);
  const twopass_f32_params scale_params = Params(0.0f, 1.0f / sum, 0.0f);
  k.vscale->fn(bytes, y, y, &scale_params);
}

void TwoPass(const SoftmaxKernels& k, size_t n, const float* x, float* y) {
  const size_t bytes = n * sizeof(float);
  float sum[2];
  const twopass_f32_params exp_params = Params(0.0f, 0.0f, 0.0f);
  k.raddextexp->fn(bytes, x, sum, &exp_params);
  const twopass_f32_params scale_params = Params(0.0f, 1.0f / sum[0], -sum[1]);
  k.vscaleextexp->fn(bytes, x, y, &scale_params);
}

void f32_softmax(benchmark::State& state, const SoftmaxKernels* k, Algorithm algorithm) {
  uint32_t arch_flags = k->arch_flags;
  if (algorithm == Algorithm::kOnline) arch_flags = TWOPASS_ARCH_X86_AVX512F;
  if (!twopass_bench::CheckArch(state, arch_flags)) return;

  const size_t n = static_cast<size_t>(state.range(0));
  const float* x = twopass_bench::RandomInput(n);
  const size_t stride = (n + 15) / 16 * 16;  // 64-byte aligned outputs
  const size_t buffers = 1 + (twopass_bench::ColdSpanBytes() + stride * sizeof(float) - 1) /
                                 (stride * sizeof(float));
  twopass_bench::Buffer y(stride * buffers);

  auto run = [&](float* out) {
    switch (algorithm) {
      case Algorithm::kThreePassRecompute: ThreePassRecompute(*k, n, x, out); break;
      case Algorithm::kThreePassReload: ThreePassReload(*k, n, x, out); break;
      case Algorithm::kTwoPass: TwoPass(*k, n, x, out); break;
      case Algorithm::kOnline: twopass_bench_f32_softmax_online_avx512f(n, x, out); break;
      case Algorithm::kFloor: twopass_bench::FloorPasses(n, x, out, false); break;
      case Algorithm::kFloorNt: twopass_bench::FloorPasses(n, x, out, true); break;
    }
  };

  // Check the result once (sum of y = 1), outside the timed loop.
  run(y.data());
  const bool floor = algorithm == Algorithm::kFloor || algorithm == Algorithm::kFloorNt;
  if (!floor) {
    double total = 0.0;
    for (size_t i = 0; i < n; i++) total += y.data()[i];
    if (!(std::fabs(total - 1.0) < 1e-2)) {
      char message[128];
      std::snprintf(message, sizeof(message), "wrong result: sum of y = %.6g", total);
      state.SkipWithError(message);
      return;
    }
  }

  // x is re-read (untimed) before every iteration while it fits in the L3, as
  // the paper's benchmark prefetches it: then only the output is cold.
  const bool warm_input = n * sizeof(float) <= twopass_bench::L3CacheBytes();
  size_t index = 0;
  for (auto _ : state) {
    if (warm_input) twopass_bench::TouchInput(x, n);
    if (++index == buffers) index = 0;
    float* out = y.data() + index * stride;
    const double start = twopass_bench::IterationClock();
    run(out);
    benchmark::ClobberMemory();
    state.SetIterationTime(twopass_bench::IterationClock() - start);
  }
  // Nominal traffic of one read of x and one write of y; the ns per element
  // (real_time / N) is what the tools compare.
  twopass_bench::SetRateCounters(state, n, 2 * n * sizeof(float));
  state.SetLabel(!floor ? std::string(k->isa)
                        : std::string(algorithm == Algorithm::kFloorNt ? "read+NT copy, "
                                                                       : "read+copy, ") +
                              twopass_floor_isa());
}

void Register() {
  for (const SoftmaxKernels& k : twopass_bench::AllSoftmaxKernels()) {
    if (!k.complete()) {
      std::fprintf(stderr, "f32-softmax: no complete %s kernel set in the lists, not registered\n",
                   k.isa);
      continue;
    }
    std::vector<Algorithm> algorithms = {Algorithm::kThreePassRecompute,
                                         Algorithm::kThreePassReload, Algorithm::kTwoPass};
    if (k.arch_flags == TWOPASS_ARCH_X86_AVX512F) algorithms.push_back(Algorithm::kOnline);
    for (Algorithm a : algorithms) {
      const std::string name = std::string("f32_softmax/") + k.isa + "/" + AlgorithmName(a);
      benchmark::RegisterBenchmark(name.c_str(), f32_softmax, &k, a)
          ->Apply(twopass_bench::KernelSizes)
          ->UseManualTime();
    }
  }
  if (const SoftmaxKernels* best = twopass_bench::HostSoftmaxKernels()) {
    for (Algorithm a : {Algorithm::kFloor, Algorithm::kFloorNt}) {
      const std::string name = std::string("f32_softmax/memory/") + AlgorithmName(a);
      benchmark::RegisterBenchmark(name.c_str(), f32_softmax, best, a)
          ->Apply(twopass_bench::KernelSizes)
          ->UseManualTime();
    }
  }
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
