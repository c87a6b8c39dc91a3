// The plan builder: the one place where the operators choose an ISA, an
// algorithm, kernels, a store kind and a schedule.
#include "operators/plan.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>

#include "operators/hardware.h"

static const struct twopass_isa isas[] = {  // best first
  {TWOPASS_FLAG_ISA_AVX512F, TWOPASS_ARCH_X86_AVX512F, "avx512f"},
  {TWOPASS_FLAG_ISA_AVX2, TWOPASS_ARCH_X86_AVX2_FMA, "avx2"},
  {TWOPASS_FLAG_ISA_SCALAR, 0, "scalar"},
};

const struct twopass_isa* twopass_select_isa(const struct twopass_hardware* hardware,
                                             uint32_t isa_flag) {
  const uint32_t host = hardware->arch_flags;
  for (size_t i = 0; i < sizeof(isas) / sizeof(isas[0]); i++) {
    if (isa_flag != 0 && isa_flag != isas[i].flag) {
      continue;
    }
    if ((isas[i].arch_flags & host) == isas[i].arch_flags) {
      return &isas[i];
    }
  }
  return NULL;
}

// The table's kernel for (ISA, datatype, role); the table has each triple
// that exists exactly once (test/ukernel-table.cc checks it).
static const struct twopass_ukernel* find_ukernel(const struct twopass_isa* isa,
                                                  enum twopass_datatype datatype,
                                                  enum twopass_ukernel_role role) {
  for (size_t i = 0; i < twopass_ukernel_table_size; i++) {
    const struct twopass_ukernel* ukernel = &twopass_ukernel_table[i];
    if (ukernel->arch_flags == isa->arch_flags && ukernel->datatype == datatype &&
        ukernel->role == role) {
      return ukernel;
    }
  }
  assert(!"no kernel for this ISA, datatype and role");
  return NULL;
}

// Three-pass (one exp per element, but one more read) wins while a row's
// input and output stay in the last-level cache share of the core that runs
// it; two-pass wins beyond. The fraction is measured by scripts/sweep.py.
// The choice depends on neither the threads nor the batch, so that a row's
// result is the same bits with any threadpool and anywhere in the batch.
static enum twopass_algorithm select_algorithm(const struct twopass_hardware* hardware,
                                               enum twopass_datatype datatype, size_t channels,
                                               uint32_t flags) {
  // 16-bit rows have no three-pass kernels: storing exps in the output would
  // round them twice, and out of cache half the bytes favour two-pass more.
  if ((flags & TWOPASS_FLAG_TWO_PASS) || datatype != twopass_datatype_f32) {
    return twopass_algorithm_two_pass;
  }
  if (flags & TWOPASS_FLAG_THREE_PASS) {
    return twopass_algorithm_three_pass;
  }
  const double working_set = (double) channels * 2.0 * sizeof(float);
  const double limit =
      twopass_three_pass_max_llc_share * (double) hardware->llc_share_bytes;
  return working_set <= limit ? twopass_algorithm_three_pass : twopass_algorithm_two_pass;
}

// Non-temporal stores skip the read-for-ownership of each output line and
// keep y from evicting x, but leave y out of the caches: worth it only when
// the output would not stay there anyway. Measured on the Zen 4 host of
// docs/performance.md: 12-20% faster two-pass softmax from 4Mi elements
// (16 MiB of y, half its 32 MiB L3) up. The rule compares bytes: the
// batch's output (batch_size rows of channels elements, not the padding) is
// at least half the last-level cache. reshape bounds every batch's span in
// bytes by PTRDIFF_MAX, so the product cannot overflow.
static bool use_nontemporal_stores(const struct twopass_hardware* hardware, size_t element_size,
                                   size_t channels, size_t batch_size) {
  const size_t output_bytes = batch_size * channels * element_size;
  return output_bytes >= hardware->llc_bytes - hardware->llc_bytes / 2;
}

static enum twopass_ukernel_role extexp_scale_role(bool beta1, bool nontemporal) {
  if (nontemporal) {
    return beta1 ? twopass_ukernel_role_vscaleextexp_nt_beta1
                 : twopass_ukernel_role_vscaleextexp_nt;
  }
  return beta1 ? twopass_ukernel_role_vscaleextexp_beta1 : twopass_ukernel_role_vscaleextexp;
}

// The three-pass path, which two-pass rows also fall back to.
static void plan_three_pass(struct twopass_plan* plan, enum twopass_operator_type type,
                            const struct twopass_isa* isa) {
  const bool softmax = type == twopass_operator_type_softmax;
  const bool negative_beta = plan->beta < 0.0f;
  plan->extremum = negative_beta ? fminf : fmaxf;
  plan->kernels[twopass_step_max] =
      find_ukernel(isa, twopass_datatype_f32,
                   negative_beta ? twopass_ukernel_role_rmin : twopass_ukernel_role_rmax);
  plan->kernels[twopass_step_shift] =
      find_ukernel(isa, twopass_datatype_f32, twopass_ukernel_role_vaffine);
  // Log-softmax, and softmax rows that want an lse, sum with the kernel that
  // flushes every 16 additions (the lse bound); softmax stores the exps, or
  // with an lse computes them again in its last pass (expscale).
  plan->expsum = softmax ? twopass_step_expsum_store : twopass_step_expsum;
  plan->kernels[twopass_step_expsum] =
      find_ukernel(isa, twopass_datatype_f32, twopass_ukernel_role_raddexpminusmax);
  if (softmax) {
    plan->kernels[twopass_step_expsum_store] =
        find_ukernel(isa, twopass_datatype_f32, twopass_ukernel_role_raddstoreexpminusmax);
    plan->kernels[twopass_step_expscale] =
        find_ukernel(isa, twopass_datatype_f32, twopass_ukernel_role_vscaleexpminusmax);
  }
  plan->expsum_last = softmax ? twopass_step_scale : twopass_step_affine;
  plan->kernels[plan->expsum_last] =
      find_ukernel(isa, twopass_datatype_f32,
                   softmax ? twopass_ukernel_role_vscale : twopass_ukernel_role_vaffine);
  // With |beta| <= 1, beta*(x - m) can be finite where x - m overflows:
  // such rows store (x - m) / 2 and use 2*beta instead.
  plan->shift_scale = fabsf(plan->beta) <= 1.0f ? 0.5f : 1.0f;
  plan->shift_beta = plan->beta / plan->shift_scale;
}

// The 16-bit rows' fallback (operators/softmax-rows-wide.c): three passes
// that recompute the exps, since a 16-bit output cannot hold unrounded ones.
// Its last log-softmax step is two-pass's, affine.
static void plan_x16_fallback(struct twopass_plan* plan, enum twopass_operator_type type,
                              const struct twopass_isa* isa) {
  const bool negative_beta = plan->beta < 0.0f;
  plan->extremum = negative_beta ? fminf : fmaxf;
  plan->kernels[twopass_step_x16_max] =
      find_ukernel(isa, plan->datatype,
                   negative_beta ? twopass_ukernel_role_rmin : twopass_ukernel_role_rmax);
  plan->kernels[twopass_step_x16_expsum] =
      find_ukernel(isa, plan->datatype, twopass_ukernel_role_raddexpminusmax);
  if (type == twopass_operator_type_softmax) {
    plan->kernels[twopass_step_expscale] =
        find_ukernel(isa, plan->datatype, twopass_ukernel_role_vscaleexpminusmax);
  }
}

static void plan_two_pass(struct twopass_plan* plan, enum twopass_operator_type type,
                          const struct twopass_isa* isa,
                          const struct twopass_hardware* hardware) {
  // beta = 1 (plain softmax) has kernels without the exact product beta*x.
  const bool beta1 = plan->beta == 1.0f;
  const bool softmax = type == twopass_operator_type_softmax;
  plan->extexp_sum = softmax ? twopass_step_extexp_sum : twopass_step_extexp_logsum;
  const enum twopass_datatype datatype = plan->datatype;
  plan->kernels[plan->extexp_sum] =
      find_ukernel(isa, datatype,
                   beta1 ? twopass_ukernel_role_raddextexp_beta1 : twopass_ukernel_role_raddextexp);
  if (softmax) {
    const bool nontemporal =
        use_nontemporal_stores(hardware, plan->element_size, plan->channels, plan->batch_size);
    plan->extexp_last = twopass_step_extexp_scale;
    plan->kernels[twopass_step_extexp_scale] =
        find_ukernel(isa, datatype, extexp_scale_role(beta1, nontemporal));
  } else {
    plan->extexp_last = twopass_step_affine;  // the same last step as three-pass
    plan->kernels[twopass_step_affine] = find_ukernel(isa, datatype, twopass_ukernel_role_vaffine);
  }
}

static void plan_passes(struct twopass_plan* plan) {
  if (plan->algorithm == twopass_algorithm_two_pass) {
    plan->first = plan->extexp_sum;
    plan->passes[0] = plan->kernels[plan->extexp_sum];
    plan->passes[1] = plan->kernels[plan->extexp_last];
    plan->passes[2] = NULL;
  } else {
    plan->first = twopass_step_max;
    plan->passes[0] = plan->kernels[twopass_step_max];
    plan->passes[1] = plan->kernels[plan->expsum];
    plan->passes[2] = plan->kernels[plan->expsum_last];
  }
}

static float masked_fill(enum twopass_operator_type type, uint32_t flags) {
  if (!(flags & TWOPASS_FLAG_MASKED_ROWS_ZERO)) {
    return NAN;  // as every peer: 0/0
  }
  return type == twopass_operator_type_softmax ? 0.0f : -INFINITY;
}

static void plan_schedule(struct twopass_plan* plan, size_t threads) {
  // Fewer rows than threads: split long rows into (row, chunk) tasks.
  plan->split_rows = plan->chunks > 1 && plan->batch_size < threads;
  plan->split_head = threads < plan->chunks ? threads : plan->chunks;
  // Otherwise one task per group of rows of at least a few thousand elements.
  plan->row_tile = plan->channels >= 4096 ? 1 : 4096 / plan->channels;
}

size_t twopass_element_size(enum twopass_datatype datatype) {
  return datatype == twopass_datatype_f32 ? sizeof(float) : sizeof(uint16_t);
}

void twopass_build_plan(struct twopass_plan* plan, const struct twopass_hardware* hardware,
                        enum twopass_operator_type type, enum twopass_datatype datatype,
                        const struct twopass_isa* isa, float beta, uint32_t flags,
                        size_t channels, size_t input_stride, size_t output_stride,
                        size_t batch_size, size_t threads) {
  *plan = (struct twopass_plan){
      .type = type,
      .algorithm = select_algorithm(hardware, datatype, channels, flags),
      .isa = isa,
      .datatype = datatype,
      .element_size = twopass_element_size(datatype),
      .masked_fill = masked_fill(type, flags),
      .beta = beta,
      .channels = channels,
      .input_stride = input_stride,
      .output_stride = output_stride,
      .batch_size = batch_size,
      .chunks = channels / TWOPASS_CHUNK_ELEMENTS + (channels % TWOPASS_CHUNK_ELEMENTS != 0),
  };
  if (datatype == twopass_datatype_f32) {
    plan_three_pass(plan, type, isa);  // also the fallback of two-pass rows
    plan->fallback = twopass_step_max;
  } else {
    plan_x16_fallback(plan, type, isa);
    plan->fallback = twopass_step_x16_max;
  }
  if (plan->algorithm == twopass_algorithm_two_pass) {
    plan_two_pass(plan, type, isa, hardware);
  }
  plan_passes(plan);
  plan_schedule(plan, threads);
}
