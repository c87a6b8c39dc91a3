// The fallback of 16-bit rows, one of the paths of operators/softmax-rows.c:
// 16-bit rows whose extended sum is out of the kernels' range (NaN,
// infinities, |beta*x| >~ 1e6, masked rows of finfo.min or -1e9) take the
// three-pass path of float rows, with kernels that read 16-bit elements:
//
//   x16_max -> x16_expsum -> expscale (softmax), affine (log-softmax)
//      |
//      +-> [x16_find_nan] -> fill          (NaN rows, rows of only -inf)
//      +-> wide_sum -> wide_last           (rows that would need a shift)
//
// Softmax's last pass recomputes the exps, y = exp(beta*x - max) * (1/sum),
// instead of storing them in the output and scaling them there: a 16-bit
// output would round each exp twice. Log-softmax's last pass is two-pass's,
// y = (beta*x - max) - log(sum). The special rows are those of float rows
// (finish_max of operators/softmax-rows.c), except the ones whose largest
// product beta*m is not within 1/4 of a float (|beta*m| >~ 2^22 with an
// inexact product, or beyond FLT_MAX): float rows store (x - m) in their
// output for the later passes, which a 16-bit output cannot hold exactly.
// Those take the wide path, two scalar passes in double: a float beta times a
// 16-bit x is exact there, and so is P = beta*m, so y = exp(beta*x - P) / sum
// needs no shift.
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "operators/softmax-steps.h"

void twopass_run_x16_max(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                         const struct twopass_row_state* state,
                         struct twopass_chunk_result* result) {
  (void) state;
  const struct twopass_f32_params params = {0};
  float m;
  twopass_step_kernel(op, twopass_step_x16_max)->fn.reduce_x16(chunk->bytes, chunk->input, &m, &params);
  result->value = m;
}

void twopass_finish_x16_max(const struct twopass_plan* plan,
                            const struct twopass_chunk_result* results,
                            struct twopass_row_state* state) {
  const float m = twopass_combine_max(plan, results, state);
  if (twopass_finish_special_max(plan, state, m, twopass_step_x16_find_nan)) {
    return;  // the special rows of float rows
  }
  const float max = plan->beta * m;
  if (!isfinite(max) || fabsf(fmaf(plan->beta, m, -max)) > 0.25f) {
    state->lse_base = (double) plan->beta * (double) m;  // exact
    state->step = twopass_step_wide_sum;
  } else {
    state->max = max;
    state->lse_base = (double) max;
    state->step = twopass_step_x16_expsum;
    if (state->lse_wanted || plan->type == twopass_operator_type_log_softmax) {
      // Where log(sum) matters, the sum leaves out the row's first element at
      // the max and adds it back in double (operators/softmax-rows-peak.c):
      // exact for confident rows without a second sum.
      state->peak = m;
      state->peak_sum = twopass_step_x16_expsum;
      state->peak_split = true;
      state->step = twopass_step_peak_find;
    }
  }
}

// find_nan of operators/softmax-rows.c on 16-bit elements: NaN is an
// exponent of all ones and a non-zero mantissa, |bits| above infinity's.
void twopass_run_x16_find_nan(const struct twopass_operator* op,
                              const struct twopass_chunk* chunk,
                              const struct twopass_row_state* state,
                              struct twopass_chunk_result* result) {
  (void) state;
  const uint16_t infinity = op->plan.datatype == twopass_datatype_bf16 ? 0x7F80 : 0x7C00;
  const uint16_t* x = chunk->input;
  // An integer OR reduction that the compiler vectorizes.
  uint32_t nan = 0;
  for (size_t i = 0; i < chunk->elements; i++) {
    nan |= (uint32_t) ((x[i] & 0x7FFF) > infinity);
  }
  result->value = nan != 0 ? 1.0 : 0.0;
}

void twopass_run_x16_expsum(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                            const struct twopass_row_state* state,
                            struct twopass_chunk_result* result) {
  result->value = state->peak_split ? twopass_expsum_without_peak(op, chunk, state)
                                     : twopass_expsum_of(op, state, chunk->input, chunk->bytes);
}

// Softmax: y = exp(beta*x - max) * (1/sum); log-softmax:
// y = (beta*x - max) - log(sum), two-pass's last step.
void twopass_finish_x16_expsum(const struct twopass_plan* plan,
                               const struct twopass_chunk_result* results,
                               struct twopass_row_state* state) {
  if (state->peak_split) {
    twopass_finish_peak_sum(plan, results, state);  // the sums left the peak out
    return;
  }
  const double sum = twopass_sum_of_chunks(plan, results);
  if (plan->type == twopass_operator_type_softmax && !state->lse_wanted) {
    state->scale = (float) (1.0 / sum);
    state->step = twopass_step_expscale;
    return;
  }
  twopass_finish_log_sum(plan, state, log(sum));
}

// ---- The wide path ---------------------------------------------------------

void twopass_run_wide_sum(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                          const struct twopass_row_state* state,
                          struct twopass_chunk_result* result) {
  const struct twopass_plan* plan = &op->plan;
  double sum = 0.0;
  for (size_t i = 0; i < chunk->elements; i++) {
    const double z = (double) plan->beta * twopass_load_element(plan->datatype, chunk->input, i);
    sum += exp(z - state->lse_base);
  }
  result->value = sum;
}

void twopass_finish_wide_sum(const struct twopass_plan* plan,
                             const struct twopass_chunk_result* results,
                             struct twopass_row_state* state) {
  const double sum = twopass_sum_of_chunks(plan, results);
  state->wide_scale = 1.0 / sum;
  state->wide_bias = -log(sum);
  state->lse = state->lse_base - state->wide_bias;
  state->step = twopass_step_wide_last;
}

// y = exp(beta*x - P) / sum (log-softmax: (beta*x - P) - log(sum)) as a
// float, rounded once to the row's type.
void twopass_run_wide_last(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                           const struct twopass_row_state* state,
                           struct twopass_chunk_result* result) {
  (void) result;
  const struct twopass_plan* plan = &op->plan;
  const bool softmax = plan->type == twopass_operator_type_softmax;
  for (size_t i = 0; i < chunk->elements; i++) {
    const double z = (double) plan->beta * twopass_load_element(plan->datatype, chunk->input, i) -
                     state->lse_base;
    const double y = softmax ? exp(z) * state->wide_scale : z + state->wide_bias;
    twopass_store_element(plan->datatype, chunk->output, i, (float) y);
  }
}
