// The kernels a softmax algorithm composes, per ISA: the operator's kernel
// table (operators/ukernel-table.c) where the lists have its kernels, else
// the list's largest variant for that ISA. Looked up by name, so a table
// naming kernels that are not built yet still gives a set here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/floor.h"
#include "bench/kernels.h"
#include "operators/ukernel-table.h"

namespace twopass_bench {

struct SoftmaxKernels {
  uint32_t arch_flags = 0;
  const char* isa = "scalar";
  const Kernel<twopass_f32_reduce_ukernel_fn>* rmax = nullptr;
  const Kernel<twopass_f32_reduce_ukernel_fn>* raddexpminusmax = nullptr;
  const Kernel<twopass_f32_raddstore_ukernel_fn>* raddstoreexpminusmax = nullptr;
  const Kernel<twopass_f32_vunary_ukernel_fn>* vscale = nullptr;
  const Kernel<twopass_f32_reduce_ukernel_fn>* raddextexp = nullptr;
  const Kernel<twopass_f32_vunary_ukernel_fn>* vscaleextexp = nullptr;

  // True when every family has a kernel for this ISA.
  bool complete() const {
    return rmax && raddexpminusmax && raddstoreexpminusmax && vscale && raddextexp &&
           vscaleextexp;
  }
};

// The name the operator's table gives (arch_flags, f32, role), or "" if none.
inline const char* TableKernelName(uint32_t arch_flags, twopass_ukernel_role role) {
  for (size_t i = 0; i < twopass_ukernel_table_size; i++) {
    const twopass_ukernel& row = twopass_ukernel_table[i];
    if (row.arch_flags == arch_flags && row.datatype == twopass_datatype_f32 && row.role == role) {
      return row.name;
    }
  }
  return "";
}

// The kernel set of one ISA. The benchmarks run beta = 1, so the two-pass
// kernels are the beta1 roles' (the operator's choice for plain softmax).
inline SoftmaxKernels TableSoftmaxKernels(uint32_t arch) {
  SoftmaxKernels k;
  k.arch_flags = arch;
  k.isa = ArchName(arch);
  k.rmax = FindKernel(RmaxKernels(), TableKernelName(arch, twopass_ukernel_role_rmax), arch);
  k.raddexpminusmax = FindKernel(
      RaddexpminusmaxKernels(), TableKernelName(arch, twopass_ukernel_role_raddexpminusmax), arch);
  k.raddstoreexpminusmax =
      FindKernel(RaddstoreexpminusmaxKernels(),
                 TableKernelName(arch, twopass_ukernel_role_raddstoreexpminusmax), arch);
  k.vscale = FindKernel(VscaleKernels(), TableKernelName(arch, twopass_ukernel_role_vscale), arch);
  k.raddextexp = FindKernel(RaddextexpKernels(),
                            TableKernelName(arch, twopass_ukernel_role_raddextexp_beta1), arch);
  k.vscaleextexp = FindKernel(
      VscaleextexpKernels(), TableKernelName(arch, twopass_ukernel_role_vscaleextexp_beta1), arch);
  return k;
}

// Kernel sets of every ISA, best first (AVX-512F, AVX2, scalar).
inline const std::vector<SoftmaxKernels>& AllSoftmaxKernels() {
  static const std::vector<SoftmaxKernels> sets = {
      TableSoftmaxKernels(TWOPASS_ARCH_X86_AVX512F),
      TableSoftmaxKernels(TWOPASS_ARCH_X86_AVX2_FMA),
      TableSoftmaxKernels(0),
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

// The bandwidth floor of softmax on n elements, on the calling thread: one
// read-only pass over x, then one copy pass x -> y with ordinary stores (nt
// false) or non-temporal ones (bench/floor.h; the tools report the faster).
inline void FloorPasses(size_t n, const float* x, float* y, bool nt) {
  twopass_floor(n, x, y, nt ? 1 : 0, nullptr);
}

}  // namespace twopass_bench
