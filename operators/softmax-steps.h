// What the steps of a row share (operators/softmax-rows.c runs them; the
// 16-bit rows' fallback is operators/softmax-rows-wide.c): the chunk a step
// works on, the elements of a row of any datatype, and the step functions'
// shapes.
#pragma once

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "microkernels/convert/scalar.h"
#include "operators/operator.h"

// Where a step works: one chunk of one row, of the plan's datatype.
struct twopass_chunk {
  size_t start;  // of its first element in the row
  size_t elements;
  size_t bytes;
  const void* input;
  void* output;
  // What the exp and last steps read: x, or x - m once `shift` wrote it.
  const void* source;
};

// Element i of a chunk's 16-bit or float row, as a float (exact).
static inline float twopass_load_element(enum twopass_datatype datatype, const void* row,
                                         size_t i) {
  switch (datatype) {
    case twopass_datatype_bf16:
      return twopass_bf16_to_f32(((const uint16_t*) row)[i]);
    case twopass_datatype_f16:
      return twopass_f16_to_f32(((const uint16_t*) row)[i]);
    default:
      return ((const float*) row)[i];
  }
}

// Stores v, rounded once to the row's type.
static inline void twopass_store_element(enum twopass_datatype datatype, void* row, size_t i,
                                         float v) {
  switch (datatype) {
    case twopass_datatype_bf16:
      ((uint16_t*) row)[i] = twopass_bf16_from_f32(v);
      break;
    case twopass_datatype_f16:
      ((uint16_t*) row)[i] = twopass_f16_from_f32(v);
      break;
    default:
      ((float*) row)[i] = v;
  }
}

// The plan's kernel of a step.
static inline const struct twopass_ukernel* twopass_step_kernel(const struct twopass_operator* op,
                                                                enum twopass_step step) {
  return op->plan.kernels[step];
}

// Adds v * 2^e to value * 2^exponent, keeping the larger exponent (or a NaN
// one, which the two-pass finish rejects).
static inline void twopass_add_extexp(double* value, float* exponent, double v, float e) {
  if (e > *exponent || isnan(e)) {
    const float t = *exponent;
    *exponent = e;
    e = t;
    const double u = *value;
    *value = v;
    v = u;
  }
  const float delta = e - *exponent;  // <= 0, or NaN
  *value += ldexp(v, delta >= -1100.0f ? (int) delta : -1100);
}

// A step on one chunk: runs its kernel, leaves the chunk's result.
typedef void (*twopass_run_fn)(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                               const struct twopass_row_state* state,
                               struct twopass_chunk_result* result);
// A step's end: combines the chunks' results, picks the row's next step.
typedef void (*twopass_finish_fn)(const struct twopass_plan* plan,
                                  const struct twopass_chunk_result* results,
                                  struct twopass_row_state* state);

// The row can only be NaN: every output NaN, lse NaN.
void twopass_fill_nan(struct twopass_row_state* state);
// The chunks' values, summed in chunk order.
double twopass_sum_of_chunks(const struct twopass_plan* plan,
                             const struct twopass_chunk_result* results);

// The two-pass kernel's extended sum (value * 2^exponent) of `bytes` of a
// row's elements at `x`.
void twopass_extexp_sum_of(const struct twopass_operator* op, const void* x, size_t bytes,
                           float beta, double* value, float* exponent);
// The sum of exp(beta*x - max) over `bytes` of a row's exp source at `x`:
// expsum's kernel (float rows, shifted ones), or x16_expsum's (16-bit rows).
double twopass_expsum_of(const struct twopass_operator* op, const struct twopass_row_state* state,
                         const void* x, size_t bytes);
// The special rows after a max step: a masked row (fill, or `find_nan` first)
// or a NaN row, true; false for a row the exp steps compute.
bool twopass_finish_special_max(const struct twopass_plan* plan, struct twopass_row_state* state,
                                float m, enum twopass_step find_nan);
// The max (min, when beta < 0) of the chunks' results of a max step: the
// row's m, and the first chunk that holds it (state->peak_chunk).
float twopass_combine_max(const struct twopass_plan* plan,
                          const struct twopass_chunk_result* results,
                          struct twopass_row_state* state);
// The row's later steps read (x - m) * shift_scale, which `shift` writes.
void twopass_shift_row(const struct twopass_plan* plan, struct twopass_row_state* state);
// The row's log(sum) relative to its max is known: its lse, and
// log-softmax's y = (beta*x - max) - log(sum); softmax goes on to store the
// exps.
void twopass_finish_log_sum(const struct twopass_plan* plan, struct twopass_row_state* state,
                            double log_sum);

// Confident rows (operators/softmax-rows-peak.c). After a three-pass sum
// (relative to the max) or a two-pass one (value * 2^exponent): true when the
// row takes the peak steps, which then set its lse (and log-softmax's shift
// and bias) and go on to the step the caller set (two-pass) or the last one.
bool twopass_start_peak(struct twopass_row_state* state, double sum);
bool twopass_start_extexp_peak(struct twopass_row_state* state, double value, float exponent);
void twopass_run_peak_max(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                          const struct twopass_row_state* state,
                          struct twopass_chunk_result* result);
void twopass_finish_peak_max(const struct twopass_plan* plan,
                             const struct twopass_chunk_result* results,
                             struct twopass_row_state* state);
void twopass_run_peak_find(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                           const struct twopass_row_state* state,
                           struct twopass_chunk_result* result);
void twopass_finish_peak_find(const struct twopass_plan* plan,
                              const struct twopass_chunk_result* results,
                              struct twopass_row_state* state);
// The chunk's sum of exp(beta*x - max), without the peak if it holds it.
double twopass_expsum_without_peak(const struct twopass_operator* op,
                                   const struct twopass_chunk* chunk,
                                   const struct twopass_row_state* state);
void twopass_run_peak_sum(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                          const struct twopass_row_state* state,
                          struct twopass_chunk_result* result);
void twopass_finish_peak_sum(const struct twopass_plan* plan,
                             const struct twopass_chunk_result* results,
                             struct twopass_row_state* state);
void twopass_run_extexp_peak_sum(const struct twopass_operator* op,
                                 const struct twopass_chunk* chunk,
                                 const struct twopass_row_state* state,
                                 struct twopass_chunk_result* result);
void twopass_finish_extexp_peak_sum(const struct twopass_plan* plan,
                                    const struct twopass_chunk_result* results,
                                    struct twopass_row_state* state);

// The fallback of 16-bit rows (operators/softmax-rows-wide.c): three passes
// of kernels, or where those would need a shift, the wide path in double.
void twopass_run_x16_max(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                         const struct twopass_row_state* state,
                         struct twopass_chunk_result* result);
void twopass_finish_x16_max(const struct twopass_plan* plan,
                            const struct twopass_chunk_result* results,
                            struct twopass_row_state* state);
void twopass_run_x16_find_nan(const struct twopass_operator* op,
                              const struct twopass_chunk* chunk,
                              const struct twopass_row_state* state,
                              struct twopass_chunk_result* result);
void twopass_run_x16_expsum(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                            const struct twopass_row_state* state,
                            struct twopass_chunk_result* result);
void twopass_finish_x16_expsum(const struct twopass_plan* plan,
                               const struct twopass_chunk_result* results,
                               struct twopass_row_state* state);
void twopass_run_wide_sum(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                          const struct twopass_row_state* state,
                          struct twopass_chunk_result* result);
void twopass_finish_wide_sum(const struct twopass_plan* plan,
                             const struct twopass_chunk_result* results,
                             struct twopass_row_state* state);
void twopass_run_wide_last(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                           const struct twopass_row_state* state,
                           struct twopass_chunk_result* result);
