// The wide path of 16-bit rows, one of the paths of operators/softmax-rows.c:
// 16-bit rows whose extended sum is out of the kernels' range (NaN,
// infinities, |beta*x| >~ 1e6, fully masked rows) take three scalar passes
// in double: a float beta times a 16-bit x is exact there, and so is the
// largest product P = beta*m, so y = exp(beta*x - P) / sum needs no shift.
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "operators/softmax-steps.h"

void twopass_run_wide_max(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                          const struct twopass_row_state* state,
                          struct twopass_chunk_result* result) {
  (void) state;
  const struct twopass_plan* plan = &op->plan;
  float m = twopass_load_element(plan->datatype, chunk->input, 0);
  bool nan = false;
  for (size_t i = 0; i < chunk->elements; i++) {
    const float x = twopass_load_element(plan->datatype, chunk->input, i);
    nan |= isnan(x);
    m = plan->extremum(m, x);
  }
  result->value = nan ? NAN : (double) m;
}

void twopass_finish_wide_max(const struct twopass_plan* plan,
                             const struct twopass_chunk_result* results,
                             struct twopass_row_state* state) {
  double m = results[0].value;
  for (size_t c = 1; c < plan->chunks && !isnan(m); c++) {
    m = isnan(results[c].value) ? NAN : plan->extremum((float) m, (float) results[c].value);
  }
  const double max = (double) plan->beta * m;  // exact
  if (max == -INFINITY) {                      // every product -inf
    state->fill = plan->masked_fill;
    state->lse = -INFINITY;
    state->step = twopass_step_fill;
  } else if (!isfinite(max)) {  // a NaN or +inf product, or 0 * inf
    twopass_fill_nan(state);
  } else {
    state->lse_base = max;
    state->step = twopass_step_wide_sum;
  }
}

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
  const bool softmax = plan->extexp_last == twopass_step_extexp_scale;
  for (size_t i = 0; i < chunk->elements; i++) {
    const double z = (double) plan->beta * twopass_load_element(plan->datatype, chunk->input, i) -
                     state->lse_base;
    const double y = softmax ? exp(z) * state->wide_scale : z + state->wide_bias;
    twopass_store_element(plan->datatype, chunk->output, i, (float) y);
  }
}
