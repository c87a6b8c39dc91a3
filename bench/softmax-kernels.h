// The kernels a softmax algorithm composes, per ISA: the operator's defaults
// (operators/defaults.h) where the lists have them, else the list's largest
// variant for that ISA. Looked up by name, so a defaults file naming kernels
// that are not built yet still compiles here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/kernels.h"
#include "operators/defaults.h"

namespace twopass_bench {

struct SoftmaxKernels {
  uint32_t arch_flags = 0;
  const char* isa = "scalar";
  const Kernel<twopass_f32_rmax_ukernel_fn>* rmax = nullptr;
  const Kernel<twopass_f32_raddexpminusmax_ukernel_fn>* raddexpminusmax = nullptr;
  const Kernel<twopass_f32_raddstoreexpminusmax_ukernel_fn>* raddstoreexpminusmax = nullptr;
  const Kernel<twopass_f32_vscale_ukernel_fn>* vscale = nullptr;
  const Kernel<twopass_f32_raddextexp_ukernel_fn>* raddextexp = nullptr;
  const Kernel<twopass_f32_vscaleextexp_ukernel_fn>* vscaleextexp = nullptr;

  // True when every family has a kernel for this ISA.
  bool complete() const {
    return rmax && raddexpminusmax && raddstoreexpminusmax && vscale && raddextexp &&
           vscaleextexp;
  }
};

#define TWOPASS_BENCH_SOFTMAX_KERNELS(ISA, arch)                                        \
  [] {                                                                                  \
    SoftmaxKernels k;                                                                   \
    k.arch_flags = arch;                                                                \
    k.isa = ArchName(arch);                                                             \
    k.rmax = FindKernel(RmaxKernels(),                                                  \
                        TWOPASS_BENCH_STRINGIFY(TWOPASS_DEFAULT_##ISA##_RMAX), arch);   \
    k.raddexpminusmax = FindKernel(                                                     \
        RaddexpminusmaxKernels(),                                                       \
        TWOPASS_BENCH_STRINGIFY(TWOPASS_DEFAULT_##ISA##_RADDEXPMINUSMAX), arch);        \
    k.raddstoreexpminusmax = FindKernel(                                                \
        RaddstoreexpminusmaxKernels(),                                                  \
        TWOPASS_BENCH_STRINGIFY(TWOPASS_DEFAULT_##ISA##_RADDSTOREEXPMINUSMAX), arch);   \
    k.vscale = FindKernel(VscaleKernels(),                                              \
                          TWOPASS_BENCH_STRINGIFY(TWOPASS_DEFAULT_##ISA##_VSCALE), arch); \
    k.raddextexp = FindKernel(RaddextexpKernels(),                                      \
                              TWOPASS_BENCH_STRINGIFY(TWOPASS_DEFAULT_##ISA##_RADDEXTEXP), \
                              arch);                                                    \
    k.vscaleextexp = FindKernel(                                                        \
        VscaleextexpKernels(),                                                          \
        TWOPASS_BENCH_STRINGIFY(TWOPASS_DEFAULT_##ISA##_VSCALEEXTEXP), arch);           \
    return k;                                                                           \
  }()

// Kernel sets of every ISA, best first (AVX-512F, AVX2, scalar).
inline const std::vector<SoftmaxKernels>& AllSoftmaxKernels() {
  static const std::vector<SoftmaxKernels> sets = {
      TWOPASS_BENCH_SOFTMAX_KERNELS(AVX512F, TWOPASS_ARCH_X86_AVX512F),
      TWOPASS_BENCH_SOFTMAX_KERNELS(AVX2, TWOPASS_ARCH_X86_AVX2_FMA),
      TWOPASS_BENCH_SOFTMAX_KERNELS(SCALAR, 0),
  };
  return sets;
}

// The best complete set the host runs (nullptr if none).
inline const SoftmaxKernels* HostSoftmaxKernels() {
  for (const SoftmaxKernels& k : AllSoftmaxKernels()) {
    if (k.complete() && HostHasArch(k.arch_flags)) return &k;
  }
  return nullptr;
}

// The bandwidth floor of softmax on n elements: one read-only pass over x
// (rmax) plus one copy pass x -> y (vscale by 1, the same ordinary stores as
// the softmax kernels), with the host's best kernels.
inline void FloorPasses(const SoftmaxKernels& k, size_t n, const float* x, float* y) {
  float max;
  k.rmax->fn(n * sizeof(float), x, &max);
  benchmark::DoNotOptimize(max);
  k.vscale->fn(n * sizeof(float), x, y, 1.0f);
}

}  // namespace twopass_bench
