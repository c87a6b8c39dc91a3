// The opaque operator behind twopass_operator_t, and the row computations
// that run it (operators/softmax-rows.c).
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <pthreadpool.h>

#include <twopass.h>
#include "microkernels/microkernels.h"
#include "operators/ukernels.h"

enum twopass_operator_type {
  twopass_operator_type_softmax = 1,
  twopass_operator_type_log_softmax = 2,
};

// create -> (reshape) -> reshaped -> (setup) -> ready | skip (batch 0).
// reshape always returns to `reshaped`: it invalidates the setup pointers.
enum twopass_operator_state {
  twopass_operator_state_created = 0,
  twopass_operator_state_reshaped,
  twopass_operator_state_ready,
  twopass_operator_state_skip,
};

// The steps of a row (operators/softmax-rows.c).
enum twopass_row_step {
  twopass_row_step_extexp_sum,  // two-pass pass 1
  twopass_row_step_max,         // three-pass pass 1, or the two-pass fallback
  twopass_row_step_shift,       // x - m into the output, for products beyond float precision
  twopass_row_step_expsum,      // three-pass pass 2
  twopass_row_step_last,        // scale, affine or NaN
  twopass_row_step_done,
};

// Result of one step on one chunk of a row.
struct twopass_chunk_result {
  double value;    // extexp_sum: sum value; max: max or min of x; expsum: sum
  float exponent;  // extexp_sum only
};

// A row's state between steps.
struct twopass_row_result {
  enum twopass_row_step step;
  bool nan_sum;     // extexp_sum gave NaN: a NaN product, or a +inf one
  bool nan;         // the row can only be NaN: the last pass writes NaN
  bool shifted;     // the output holds x - m, read by the later steps
  bool three_pass;  // softmax: the output holds the exps, scaled in place
  float shift_scale;  // shifted: the output holds (x - m) * shift_scale
  struct twopass_f32_exp_params params;  // beta, or beta / shift_scale once shifted
  float m;          // max_i x_i (min_i x_i when beta < 0)
  float max;        // three-pass: what the exp kernels subtract from beta*x
  float scale;      // softmax: scale value
  float exponent;   // two-pass softmax: scale exponent
  float shift;      // log-softmax: minus the row's largest product, rounded
  float bias;       // log-softmax: y = (beta*x + shift) + bias
};

struct twopass_operator {
  enum twopass_operator_type type;
  enum twopass_operator_state state;
  enum twopass_algorithm algorithm;
  const struct twopass_ukernels* ukernels;
  struct twopass_f32_exp_params params;  // beta
  uint32_t flags;

  size_t channels;
  size_t input_stride;   // elements
  size_t output_stride;  // elements
  size_t chunks;         // chunks per row: ceil(channels / TWOPASS_CHUNK_ELEMENTS)

  size_t batch_size;
  // Two-pass softmax writes y with non-temporal stores (set by reshape).
  bool nontemporal_stores;
  const float* input;
  float* output;

  // Per-chunk and per-row results for rows of more than one chunk; grown by
  // reshape ([batch_size][chunks] and [batch_size]).
  struct twopass_chunk_result* chunk_results;
  struct twopass_row_result* row_results;
  size_t workspace_chunks;  // capacity of chunk_results
  size_t workspace_rows;    // capacity of row_results
};

// Computes all rows of a ready operator on the threadpool.
void twopass_compute_softmax(const struct twopass_operator* op, pthreadpool_t threadpool);
