// Tables of every generated kernel, one per family, expanded from the lists
// in microkernels/*/gen/: a variant added to a list shows up here without edits.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bench/utils.h"
#include "microkernels/convert/scalar.h"
#include "microkernels/microkernels.h"
#include "operators/arch-flags.h"

namespace twopass_bench {

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, arch_flags, ukernel, element_tile, accumulators},

inline const std::vector<Kernel<twopass_f32_reduce_ukernel_fn>>& RaddextexpKernels() {
  static const std::vector<Kernel<twopass_f32_reduce_ukernel_fn>> table = {
#include "microkernels/f32-raddextexp/gen/f32-raddextexp.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_f32_vunary_ukernel_fn>>& VscaleextexpKernels() {
  static const std::vector<Kernel<twopass_f32_vunary_ukernel_fn>> table = {
#include "microkernels/f32-vscaleextexp/gen/f32-vscaleextexp.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_f32_reduce_ukernel_fn>>& RmaxKernels() {
  static const std::vector<Kernel<twopass_f32_reduce_ukernel_fn>> table = {
#include "microkernels/f32-rmax-rmin/gen/f32-rmax.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_f32_reduce_ukernel_fn>>& RminKernels() {
  static const std::vector<Kernel<twopass_f32_reduce_ukernel_fn>> table = {
#include "microkernels/f32-rmax-rmin/gen/f32-rmin.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_f32_raddstore_ukernel_fn>>&
RaddstoreexpminusmaxKernels() {
  static const std::vector<Kernel<twopass_f32_raddstore_ukernel_fn>> table = {
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-raddstoreexpminusmax.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_f32_reduce_ukernel_fn>>& RaddexpminusmaxKernels() {
  static const std::vector<Kernel<twopass_f32_reduce_ukernel_fn>> table = {
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-raddexpminusmax.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_f32_vunary_ukernel_fn>>& VscaleexpminusmaxKernels() {
  static const std::vector<Kernel<twopass_f32_vunary_ukernel_fn>> table = {
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-vscaleexpminusmax.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_f32_vunary_ukernel_fn>>& VscaleKernels() {
  static const std::vector<Kernel<twopass_f32_vunary_ukernel_fn>> table = {
#include "microkernels/f32-vscale-vaffine/gen/f32-vscale.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_f32_vunary_ukernel_fn>>& VaffineKernels() {
  static const std::vector<Kernel<twopass_f32_vunary_ukernel_fn>> table = {
#include "microkernels/f32-vscale-vaffine/gen/f32-vaffine.h"
  };
  return table;
}

// The 16-bit rows: bf16 and f16 kernels of each two-pass family.
inline const std::vector<Kernel<twopass_x16_reduce_ukernel_fn>>& BF16RaddextexpKernels() {
  static const std::vector<Kernel<twopass_x16_reduce_ukernel_fn>> table = {
#include "microkernels/f32-raddextexp/gen/bf16-raddextexp.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_x16_reduce_ukernel_fn>>& F16RaddextexpKernels() {
  static const std::vector<Kernel<twopass_x16_reduce_ukernel_fn>> table = {
#include "microkernels/f32-raddextexp/gen/f16-raddextexp.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>>& BF16VscaleextexpKernels() {
  static const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>> table = {
#include "microkernels/f32-vscaleextexp/gen/bf16-vscaleextexp.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>>& F16VscaleextexpKernels() {
  static const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>> table = {
#include "microkernels/f32-vscaleextexp/gen/f16-vscaleextexp.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>>& BF16VaffineKernels() {
  static const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>> table = {
#include "microkernels/f32-vscale-vaffine/gen/bf16-vaffine.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>>& F16VaffineKernels() {
  static const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>> table = {
#include "microkernels/f32-vscale-vaffine/gen/f16-vaffine.h"
  };
  return table;
}

// The 16-bit rows' three-pass fallback: its kernels that compute exps.
inline const std::vector<Kernel<twopass_x16_reduce_ukernel_fn>>& BF16RaddexpminusmaxKernels() {
  static const std::vector<Kernel<twopass_x16_reduce_ukernel_fn>> table = {
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/bf16-raddexpminusmax.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_x16_reduce_ukernel_fn>>& F16RaddexpminusmaxKernels() {
  static const std::vector<Kernel<twopass_x16_reduce_ukernel_fn>> table = {
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f16-raddexpminusmax.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>>& BF16VscaleexpminusmaxKernels() {
  static const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>> table = {
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/bf16-vscaleexpminusmax.h"
  };
  return table;
}

inline const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>>& F16VscaleexpminusmaxKernels() {
  static const std::vector<Kernel<twopass_x16_vunary_ukernel_fn>> table = {
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f16-vscaleexpminusmax.h"
  };
  return table;
}

#undef TWOPASS_UKERNEL

// RandomInput(n) rounded to f16 (kF16) or bf16, as bits; cached per n.
template <bool kF16>
const uint16_t* RandomInput16(size_t n) {
  static std::map<size_t, std::vector<uint16_t>> inputs;
  auto it = inputs.find(n);
  if (it == inputs.end()) {
    const float* x = RandomInput(n);
    std::vector<uint16_t> bits(n);
    for (size_t i = 0; i < n; i++) {
      bits[i] = kF16 ? twopass_f16_from_f32(x[i]) : twopass_bf16_from_f32(x[i]);
    }
    it = inputs.emplace(n, std::move(bits)).first;
  }
  return it->second.data();
}

// The parameters a family's kernels run with on RandomInput(n).
using ParamsForSize = twopass_f32_params (*)(size_t n);

// One benchmark body per kernel shape, on RandomInput(n); the output of the
// elementwise shapes goes to OutputBuffer(n).
// Reductions read 4 B/element.
inline void BenchReduce(benchmark::State& state, twopass_f32_reduce_ukernel_fn ukernel,
                        uint32_t arch_flags, ParamsForSize params_for_size) {
  if (!CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const float* x = RandomInput(n);
  const twopass_f32_params params = params_for_size(n);
  float output[2];
  for (auto _ : state) {
    ukernel(n * sizeof(float), x, output, &params);
    benchmark::DoNotOptimize(output);
  }
  SetRateCounters(state, n, n * sizeof(float));
}

// Elementwise maps read and write 8 B/element.
inline void BenchVunary(benchmark::State& state, twopass_f32_vunary_ukernel_fn ukernel,
                        uint32_t arch_flags, ParamsForSize params_for_size) {
  if (!CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const float* x = RandomInput(n);
  float* y = OutputBuffer(n);
  const twopass_f32_params params = params_for_size(n);
  for (auto _ : state) {
    ukernel(n * sizeof(float), x, y, &params);
    benchmark::ClobberMemory();
  }
  SetRateCounters(state, n, 2 * n * sizeof(float));
}

// 16-bit reductions read 2 B/element.
template <bool kF16>
void BenchReduceX16(benchmark::State& state, twopass_x16_reduce_ukernel_fn ukernel,
                    uint32_t arch_flags, ParamsForSize params_for_size) {
  if (!CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const uint16_t* x = RandomInput16<kF16>(n);
  const twopass_f32_params params = params_for_size(n);
  float output[2];
  for (auto _ : state) {
    ukernel(n * sizeof(uint16_t), x, output, &params);
    benchmark::DoNotOptimize(output);
  }
  SetRateCounters(state, n, n * sizeof(uint16_t));
}

// 16-bit elementwise maps read and write 4 B/element (into the first half
// of OutputBuffer(n)).
template <bool kF16>
void BenchVunaryX16(benchmark::State& state, twopass_x16_vunary_ukernel_fn ukernel,
                    uint32_t arch_flags, ParamsForSize params_for_size) {
  if (!CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const uint16_t* x = RandomInput16<kF16>(n);
  uint16_t* y = reinterpret_cast<uint16_t*>(OutputBuffer(n));
  const twopass_f32_params params = params_for_size(n);
  for (auto _ : state) {
    ukernel(n * sizeof(uint16_t), x, y, &params);
    benchmark::ClobberMemory();
  }
  SetRateCounters(state, n, 2 * n * sizeof(uint16_t));
}

// Map and reduce: 8 B/element.
inline void BenchRaddstore(benchmark::State& state, twopass_f32_raddstore_ukernel_fn ukernel,
                           uint32_t arch_flags, ParamsForSize params_for_size) {
  if (!CheckArch(state, arch_flags)) return;
  const size_t n = static_cast<size_t>(state.range(0));
  const float* x = RandomInput(n);
  float* y = OutputBuffer(n);
  const twopass_f32_params params = params_for_size(n);
  float sum;
  for (auto _ : state) {
    ukernel(n * sizeof(float), x, y, &sum, &params);
    benchmark::DoNotOptimize(sum);
    benchmark::ClobberMemory();
  }
  SetRateCounters(state, n, 2 * n * sizeof(float));
}

// Registers `bench(state, kernel.fn, kernel.arch_flags, params_for_size)` for
// every kernel of `table` as "<family>/<short kernel name>/<N>", N from
// KernelSizes().
template <typename Fn>
void RegisterKernelBenchmarks(const char* family, const std::vector<Kernel<Fn>>& table,
                              void (*bench)(benchmark::State&, Fn, uint32_t, ParamsForSize),
                              ParamsForSize params_for_size) {
  for (const Kernel<Fn>& k : table) {
    const std::string name = std::string(family) + "/" + ShortKernelName(k.name);
    benchmark::RegisterBenchmark(name.c_str(), bench, k.fn, k.arch_flags, params_for_size)
        ->Apply(KernelSizes)
        ->UseRealTime();
  }
}

}  // namespace twopass_bench
