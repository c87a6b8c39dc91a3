// The microkernels an operator runs, one set per ISA, chosen at creation.
#pragma once

#include <stdint.h>

#include "microkernels/microkernels.h"

struct twopass_ukernels {
  const char* isa;
  uint32_t arch_flags;  // what the host needs to run this set
  twopass_f32_raddextexp_ukernel_fn raddextexp;
  twopass_f32_vscaleextexp_ukernel_fn vscaleextexp;
  // The same with non-temporal stores, for outputs beyond the last-level
  // cache (vscaleextexp itself where the ISA has no such variant).
  twopass_f32_vscaleextexp_ukernel_fn vscaleextexp_nt;
  twopass_f32_rmax_ukernel_fn rmax;
  twopass_f32_rmax_ukernel_fn rmin;
  twopass_f32_raddstoreexpminusmax_ukernel_fn raddstoreexpminusmax;
  twopass_f32_raddexpminusmax_ukernel_fn raddexpminusmax;
  twopass_f32_vscale_ukernel_fn vscale;
  twopass_f32_vaffine_ukernel_fn vaffine;
  // Names of the kernels above, in the same order, for
  // twopass_get_operator_info.
  struct {
    const char* raddextexp;
    const char* vscaleextexp;
    const char* vscaleextexp_nt;
    const char* rmax;
    const char* rmin;
    const char* raddstoreexpminusmax;
    const char* raddexpminusmax;
    const char* vscale;
    const char* vaffine;
  } names;
};

extern const struct twopass_ukernels twopass_avx512f_ukernels;
extern const struct twopass_ukernels twopass_avx2_ukernels;
extern const struct twopass_ukernels twopass_scalar_ukernels;
