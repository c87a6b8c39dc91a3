// The opaque operator behind twopass_operator_t: what create and reshape
// stored, and the buffers run works on.
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <pthreadpool.h>

#include <twopass.h>
#include "operators/plan.h"

// create -> (reshape) -> reshaped -> (setup) -> ready | skip (batch 0).
// reshape always returns to `reshaped`: it invalidates the setup pointers.
enum twopass_operator_state {
  twopass_operator_state_created = 0,
  twopass_operator_state_reshaped,
  twopass_operator_state_ready,
  twopass_operator_state_skip,
};

// Result of one step on one chunk of a row.
struct twopass_chunk_result {
  double value;    // extexp_sum: sum value; max: max or min of x; expsum: sum
  float exponent;  // extexp_sum only
  float extremum;  // peak_max: max or min of x (value keeps the chunk's sum)
  size_t index;    // peak_find: the chunk's first element at the peak, or SIZE_MAX
};

// A row's state between steps: what the steps so far found out.
struct twopass_row_state {
  enum twopass_step step;
  bool nan_sum;    // extexp_sum gave NaN: a NaN product, or a +inf one
  bool shifted;    // the output holds (x - m) * shift_scale, read by the later steps
  bool lse_wanted; // the setup asked for the row's log-sum-exp
  bool peak_split; // the 16-bit fallback's sum leaves the peak out (peak_index)
  float beta;      // what the exp and affine steps multiply their input by
  float m;         // max_i x_i (min_i x_i when beta < 0)
  float peak;      // peak_find: what the exp steps' source holds at the max (m, or 0 shifted)
  size_t peak_chunk;  // the first chunk whose max is the row's (max steps)
  size_t peak_index;  // peak_find: the first element of the row at the max
  float peak_exponent;  // two-pass: the sum's exponent, which the peak's chunk reaches
  enum twopass_step peak_sum;  // peak_sum (three-pass) or extexp_peak_sum (two-pass)
  enum twopass_step peak_next; // two-pass: the step after the peak steps
  float max;       // what the exp kernels subtract from beta*x
  float scale;     // softmax: 1 / sum (value)
  float exponent;  // two-pass softmax: minus the sum's exponent
  float shift;     // log-softmax: minus the row's largest product, rounded
  float bias;      // log-softmax: y = (beta*x + shift) + bias
  float fill;      // fill: every output of the row
  double lse_base; // three-pass: what the exp kernels' sum is relative to (its lse = base + log(sum))
  double lse;      // the row's log-sum-exp, once a sum step (or a special row) set it
  double wide_scale;  // wide path: softmax's 1 / sum
  double wide_bias;   // wide path: log-softmax's -log(sum)
};

struct twopass_operator {
  enum twopass_operator_type type;
  enum twopass_datatype datatype;
  enum twopass_operator_state state;
  const struct twopass_isa* isa;
  float beta;
  uint32_t flags;
  // Valid from a successful reshape until the next reshape.
  struct twopass_plan plan;

  const void* input;   // rows of plan.datatype
  void* output;
  float* lse;  // NULL: not wanted

  // Per-chunk and per-row states for rows of more than one chunk; grown by
  // reshape ([batch_size][chunks] and [batch_size]).
  struct twopass_chunk_result* chunk_results;
  struct twopass_row_state* row_states;
  size_t workspace_chunks;  // capacity of chunk_results
  size_t workspace_rows;    // capacity of row_states
};

// Computes all rows of a ready operator on the threadpool.
void twopass_compute_softmax(const struct twopass_operator* op, pthreadpool_t threadpool);
