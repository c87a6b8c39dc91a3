// The operator's kernel table: for every ISA, every datatype and every role a
// kernel plays in the operator, the one microkernel it runs, as plain C data (written by
// scripts/sweep.py into operators/ukernel-table.c from measurements), and
// where the three-pass/two-pass crossover lies.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "microkernels/microkernels.h"
#include "operators/arch-flags.h"

#ifdef __cplusplus
extern "C" {
#endif

// The element type of a row. f32 rows have every role; bf16 and f16 rows
// (16-bit elements, float32 arithmetic, always two-pass) have the two-pass
// roles raddextexp*, vscaleextexp* and vaffine, and the roles of their
// three-pass fallback rmax, rmin, raddexpminusmax and vscaleexpminusmax.
enum twopass_datatype {
  twopass_datatype_f32 = 1,
  twopass_datatype_bf16 = 2,
  twopass_datatype_f16 = 3,
};

enum twopass_ukernel_role {
  twopass_ukernel_role_raddextexp,            // two-pass pass 1, any beta
  twopass_ukernel_role_raddextexp_beta1,      // two-pass pass 1, beta = 1
  twopass_ukernel_role_vscaleextexp,          // two-pass softmax pass 2
  twopass_ukernel_role_vscaleextexp_beta1,
  twopass_ukernel_role_vscaleextexp_nt,       // the same with non-temporal stores (the plain kernel where an ISA has none)
  twopass_ukernel_role_vscaleextexp_nt_beta1,
  twopass_ukernel_role_rmax,
  twopass_ukernel_role_rmin,
  twopass_ukernel_role_raddstoreexpminusmax,
  twopass_ukernel_role_raddexpminusmax,
  twopass_ukernel_role_vscale,
  twopass_ukernel_role_vaffine,
  twopass_ukernel_role_vscaleexpminusmax,     // three-pass softmax pass 3, recomputing the exps
  twopass_ukernel_role_count,
};

struct twopass_ukernel {          // one row of the table
  uint32_t arch_flags;            // TWOPASS_ARCH_* bits the kernel needs (0: portable C)
  enum twopass_datatype datatype; // the element type of its input (and output)
  enum twopass_ukernel_role role;
  union twopass_f32_ukernel_fn fn;
  const char* name;               // the symbol's name, as in microkernels/
  uint32_t element_tile;          // elements per main-loop iteration
};

extern const struct twopass_ukernel twopass_ukernel_table[];   // every (ISA, datatype, role) exactly once; scalar rows have arch_flags 0
extern const size_t twopass_ukernel_table_size;
// The operator uses three-pass while a row's working set (8 bytes per element: input + output) is at most this fraction of one core's share of the last-level cache (LLC size / number of processors sharing it), and two-pass beyond.
extern const double twopass_three_pass_max_llc_share;

#ifdef __cplusplus
}  // extern "C"
#endif
