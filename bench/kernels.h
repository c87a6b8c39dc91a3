// Tables of every generated kernel, one per family, expanded from the lists
// in microkernels/*/gen/: a variant added to a list shows up here without edits.
#pragma once

#include <vector>

#include "bench/utils.h"
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

#undef TWOPASS_UKERNEL

// Registers `bench(state, kernel.fn, kernel.arch_flags)` for every kernel of
// `table` as "<family>/<short kernel name>/<N>", N from KernelSizes().
template <typename Fn, typename Bench>
void RegisterKernelBenchmarks(const char* family, const std::vector<Kernel<Fn>>& table,
                              Bench bench) {
  for (const Kernel<Fn>& k : table) {
    const std::string name = std::string(family) + "/" + ShortKernelName(k.name);
    benchmark::RegisterBenchmark(name.c_str(), bench, k.fn, k.arch_flags)
        ->Apply(KernelSizes)
        ->UseRealTime();
  }
}

}  // namespace twopass_bench
