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

// Pass-1 (and for three-pass, pass-2) result of one chunk of a row.
struct twopass_chunk_result {
  double value;    // two-pass: sum value; three-pass: max or min, then sum
  float exponent;  // two-pass only
};

// What the last pass of a row needs, once its chunks are combined.
struct twopass_row_result {
  float max;        // three-pass: beta * max_i x_i (rounded)
  float scale;      // softmax: scale value; log-softmax: unused
  float exponent;   // two-pass softmax: scale exponent
  float bias;       // log-softmax: -log(sum_j exp(beta*x_j))
  bool three_pass;  // three-pass passes run (chosen, or the two-pass fallback)
  bool done;        // the row is complete (fallback already ran)
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

  // Per-chunk and per-row results for rows split over threads; allocated by
  // reshape when a row has more than one chunk ([batch_size][chunks] and
  // [batch_size]).
  struct twopass_chunk_result* chunk_results;
  struct twopass_row_result* row_results;
  size_t workspace_rows;  // capacity, in rows
};

// Computes all rows of a ready operator on the threadpool.
void twopass_compute_softmax(const struct twopass_operator* op, pthreadpool_t threadpool);
