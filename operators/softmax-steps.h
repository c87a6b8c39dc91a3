// What the steps of a row share (operators/softmax-rows.c runs them; the
// 16-bit rows' fallback is operators/softmax-rows-wide.c): the chunk a step
// works on, the elements of a row of any datatype, and the step functions'
// shapes.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "microkernels/convert/scalar.h"
#include "operators/operator.h"

// Where a step works: one chunk of one row, of the plan's datatype.
struct twopass_chunk {
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
void twopass_run_x16_scale(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                           const struct twopass_row_state* state,
                           struct twopass_chunk_result* result);
void twopass_run_wide_sum(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                          const struct twopass_row_state* state,
                          struct twopass_chunk_result* result);
void twopass_finish_wide_sum(const struct twopass_plan* plan,
                             const struct twopass_chunk_result* results,
                             struct twopass_row_state* state);
void twopass_run_wide_last(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                           const struct twopass_row_state* state,
                           struct twopass_chunk_result* result);
