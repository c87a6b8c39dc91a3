// Row computations of the softmax and log-softmax operators.
//
// A row is cut into chunks of TWOPASS_CHUNK_ELEMENTS. A row runs as a
// sequence of steps; each step runs its kernel on every chunk, then combines
// the chunks' partial results in double precision, in chunk order, and picks
// the row's next step. The same step functions run a row inside one task
// (most rows) or its chunks on different threads (few long rows), so the
// result does not depend on the threadpool.
//
//   extexp_sum  two-pass pass 1: raddextexp. A row whose sum is out of the
//               kernels' range (|beta*x| >~ 1e6, NaN, infinities) goes on to
//               `max`, else to `last`.
//   max         three-pass pass 1: rmax (rmin if beta < 0) -> m. A row with an
//               infinite or NaN m (or a NaN sum in extexp_sum and a beta*m
//               within the two-pass kernels' range) can only give NaN: `last` writes NaN. A row
//               whose beta*m is not within 1/4 of a float goes to `shift`,
//               the others to `expsum`.
//   shift       y = x - m (or (x - m) / 2, with 2*beta) into the output, exact
//               for every x near the max (see below), which `expsum` and
//               `last` then read in place of x.
//   expsum      three-pass pass 2: raddstoreexpminusmax (softmax) or
//               raddexpminusmax (log-softmax) -> sum.
//   last        vscaleextexp, vscale (in place on the stored exps) or vaffine;
//               or NaN.
//
// Why `shift`: the three-pass kernels compute exp(fma(beta, x, -M)) with
// M = fl(beta*m); when beta*m - M is large (|beta*m| >~ 2^23 with beta != 1,
// or beta*m beyond FLT_MAX), that shift no longer cancels. x - m is exact for
// x within a factor 2 of m (Sterbenz), and every other x of such a row has
// |beta*(x - m)| >= |beta*m|/2 > 2^22, whose exp is 0 and whose log-softmax
// needs only a relative accuracy; so the kernels get beta*(x - m) with one
// rounding more, at the cost of one more pass. With |beta| <= 1 the pass
// stores (x - m) / 2 (one fma, exact where x - m is, never overflowing) and
// the row's kernels use 2*beta.
#include <assert.h>
#include <math.h>
#include <stddef.h>

#include "operators/operator.h"

static size_t chunk_elements(const struct twopass_operator* op, size_t chunk) {
  const size_t start = chunk * TWOPASS_CHUNK_ELEMENTS;
  const size_t remaining = op->channels - start;
  return remaining < TWOPASS_CHUNK_ELEMENTS ? remaining : TWOPASS_CHUNK_ELEMENTS;
}

static const float* chunk_input(const struct twopass_operator* op, size_t row, size_t chunk) {
  return op->input + row * op->input_stride + chunk * TWOPASS_CHUNK_ELEMENTS;
}

static float* chunk_output(const struct twopass_operator* op, size_t row, size_t chunk) {
  return op->output + row * op->output_stride + chunk * TWOPASS_CHUNK_ELEMENTS;
}

// What the exp and last passes read: x, or x - m once `shift` wrote it.
static const float* chunk_source(const struct twopass_operator* op, size_t row, size_t chunk,
                                 const struct twopass_row_result* row_result) {
  return row_result->shifted ? chunk_output(op, row, chunk) : chunk_input(op, row, chunk);
}

// ---- Two-pass -------------------------------------------------------------

// Adds v * 2^e to value * 2^exponent, keeping the larger exponent (or a NaN
// one, which combine_extexp rejects).
static void add_extexp(double* value, float* exponent, double v, float e) {
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

static void extexp_sum_chunk(const struct twopass_operator* op, size_t row, size_t chunk,
                             struct twopass_chunk_result* result) {
  float sum[2];
  const struct twopass_f32_params params = {.beta = op->beta};
  op->ukernels[twopass_ukernel_role_raddextexp]->fn.reduce(
      chunk_elements(op, chunk) * sizeof(float), chunk_input(op, row, chunk), sum, &params);
  result->value = (double) sum[0];
  result->exponent = sum[1];
}

// Combines the chunks' (value, exponent) pairs into the row's scale, or
// returns false when the row must go through the three-pass steps.
static bool combine_extexp(const struct twopass_operator* op,
                           const struct twopass_chunk_result* results,
                           struct twopass_row_result* row_result) {
  // Bounds of the largest exponent for which the kernels' sum is accurate:
  // every product beta*x was inside the kernels' range, and the ones below
  // it (flushed to 0) are at least 2^-160 times smaller than the largest.
  const float max_exponent = TWOPASS_EXTEXP_MAX_INPUT * (float) M_LOG2E;
  const float min_exponent = TWOPASS_EXTEXP_MIN_INPUT * (float) M_LOG2E + 160.0f;
  double value = 0.0;
  float exponent = -INFINITY;
  for (size_t c = 0; c < op->chunks; c++) {
    add_extexp(&value, &exponent, results[c].value, results[c].exponent);
  }
  if (!(exponent >= min_exponent && exponent <= max_exponent && isfinite(value) &&
        value > 0.0)) {  // NaN fails
    // A NaN sum comes from a NaN product, a +inf one (x = +-inf, or beta*x
    // beyond FLT_MAX) or products beyond the kernels' range: combine_max
    // tells which.
    row_result->nan_sum = isnan(value);
    return false;
  }
  // exponent = max_i round(beta*x_i * log2(e)): C = exponent * ln2 is within
  // ln2/2 (plus rounding) of the largest product, which log-softmax shifts
  // by first; the rest of log(sum) = log(value) + exponent*ln2 follows.
  const double exponent_log = (double) exponent * M_LN2;
  const float max = (float) exponent_log;
  row_result->scale = (float) (1.0 / value);
  row_result->exponent = -exponent;
  row_result->shift = -max;
  row_result->bias = (float) -(log(value) + (exponent_log - (double) max));
  return true;
}

// ---- Three-pass -----------------------------------------------------------

static void max_chunk(const struct twopass_operator* op, size_t row, size_t chunk,
                      struct twopass_chunk_result* result) {
  // The largest beta*x is beta*max(x), or beta*min(x) when beta < 0.
  const twopass_f32_reduce_ukernel_fn reduce =
      op->ukernels[op->beta < 0.0f ? twopass_ukernel_role_rmin : twopass_ukernel_role_rmax]
          ->fn.reduce;
  const struct twopass_f32_params unused = {0};
  float m;
  reduce(chunk_elements(op, chunk) * sizeof(float), chunk_input(op, row, chunk), &m, &unused);
  result->value = m;
}

// Picks the row's next step from m = max_j x_j (min_j x_j when beta < 0).
static enum twopass_row_step combine_max(const struct twopass_operator* op,
                                         const struct twopass_chunk_result* results,
                                         struct twopass_row_result* row_result) {
  const float beta = op->beta;
  float m = (float) results[0].value;
  for (size_t c = 1; c < op->chunks; c++) {
    const float v = (float) results[c].value;
    m = beta < 0.0f ? fminf(m, v) : fmaxf(m, v);
  }
  row_result->m = m;
  const float max = beta * m;
  // An infinite or NaN m: beta*m = +inf or NaN (a +inf or NaN product), or
  // -inf (all products -inf), or 0*inf. A NaN sum of the two-pass kernels
  // while every product was within their range: a NaN that rmax skipped
  // (beyond the range, the kernels' own garbage can be NaN). Every case is a
  // row of NaN.
  if (!isfinite(m) || (row_result->nan_sum && max <= TWOPASS_EXTEXP_MAX_INPUT)) {
    row_result->nan = true;
    return twopass_row_step_last;
  }
  if (!isfinite(max) || fabsf(fmaf(beta, m, -max)) > 0.25f) {
    // With |beta| <= 1, beta*(x - m) can be finite where x - m overflows:
    // store (x - m) / 2 and use 2*beta (both exact) instead.
    row_result->shifted = true;
    row_result->shift_scale = fabsf(beta) <= 1.0f ? 0.5f : 1.0f;
    row_result->beta = beta / row_result->shift_scale;
    row_result->max = 0.0f;
    return twopass_row_step_shift;
  }
  row_result->max = max;
  return twopass_row_step_expsum;
}

static void shift_chunk(const struct twopass_operator* op, size_t row, size_t chunk,
                        const struct twopass_row_result* row_result) {
  const float scale = row_result->shift_scale;
  const struct twopass_f32_params params = {
      .scale = scale, .shift = -row_result->m * scale, .bias = 0.0f};
  op->ukernels[twopass_ukernel_role_vaffine]->fn.vunary(
      chunk_elements(op, chunk) * sizeof(float), chunk_input(op, row, chunk),
      chunk_output(op, row, chunk), &params);
}

static void expsum_chunk(const struct twopass_operator* op, size_t row, size_t chunk,
                         const struct twopass_row_result* row_result,
                         struct twopass_chunk_result* result) {
  const size_t bytes = chunk_elements(op, chunk) * sizeof(float);
  const float* input = chunk_source(op, row, chunk, row_result);
  const struct twopass_f32_params params = {.beta = row_result->beta, .max = row_result->max};
  float sum;
  if (op->type == twopass_operator_type_softmax) {
    op->ukernels[twopass_ukernel_role_raddstoreexpminusmax]->fn.raddstore(
        bytes, input, chunk_output(op, row, chunk), &sum, &params);
  } else {
    op->ukernels[twopass_ukernel_role_raddexpminusmax]->fn.reduce(bytes, input, &sum, &params);
  }
  result->value = (double) sum;
}

static void combine_expsum(const struct twopass_operator* op,
                           const struct twopass_chunk_result* results,
                           struct twopass_row_result* row_result) {
  double sum = 0.0;
  for (size_t c = 0; c < op->chunks; c++) {
    sum += results[c].value;
  }
  row_result->three_pass = true;
  row_result->scale = (float) (1.0 / sum);
  row_result->shift = -row_result->max;
  row_result->bias = (float) -log(sum);
}

// ---- The last pass --------------------------------------------------------

static void fill_nan(float* output, size_t n) {
  for (size_t i = 0; i < n; i++) {
    output[i] = NAN;
  }
}

static void last_chunk(const struct twopass_operator* op, size_t row, size_t chunk,
                       const struct twopass_row_result* row_result) {
  const size_t n = chunk_elements(op, chunk);
  float* output = chunk_output(op, row, chunk);
  if (row_result->nan) {
    fill_nan(output, n);
  } else if (op->type == twopass_operator_type_log_softmax) {
    // y = (beta*x - max) - log(sum): the first step is exact near the max.
    const struct twopass_f32_params params = {
        .scale = row_result->beta, .shift = row_result->shift, .bias = row_result->bias};
    op->ukernels[twopass_ukernel_role_vaffine]->fn.vunary(
        n * sizeof(float), chunk_source(op, row, chunk, row_result), output, &params);
  } else if (row_result->three_pass) {
    const struct twopass_f32_params params = {.scale = row_result->scale};
    op->ukernels[twopass_ukernel_role_vscale]->fn.vunary(n * sizeof(float), output, output,
                                                         &params);
  } else {
    const struct twopass_f32_params params = {
        .beta = op->beta, .scale = row_result->scale, .scale_exponent = row_result->exponent};
    const enum twopass_ukernel_role role = op->nontemporal_stores
                                               ? twopass_ukernel_role_vscaleextexp_nt
                                               : twopass_ukernel_role_vscaleextexp;
    op->ukernels[role]->fn.vunary(n * sizeof(float), chunk_input(op, row, chunk), output,
                                  &params);
  }
}

// ---- Steps ----------------------------------------------------------------

static void start_row(const struct twopass_operator* op, struct twopass_row_result* row_result) {
  *row_result = (struct twopass_row_result){
      .step = op->algorithm == twopass_algorithm_two_pass ? twopass_row_step_extexp_sum
                                                          : twopass_row_step_max,
      .beta = op->beta,
  };
}

static void run_chunk(const struct twopass_operator* op, size_t row, size_t chunk,
                      const struct twopass_row_result* row_result,
                      struct twopass_chunk_result* result) {
  switch (row_result->step) {
    case twopass_row_step_extexp_sum:
      extexp_sum_chunk(op, row, chunk, result);
      break;
    case twopass_row_step_max:
      max_chunk(op, row, chunk, result);
      break;
    case twopass_row_step_shift:
      shift_chunk(op, row, chunk, row_result);
      break;
    case twopass_row_step_expsum:
      expsum_chunk(op, row, chunk, row_result, result);
      break;
    case twopass_row_step_last:
      last_chunk(op, row, chunk, row_result);
      break;
    case twopass_row_step_done:
      break;
  }
}

// Combines a step's chunk results and moves the row to its next step.
static void finish_step(const struct twopass_operator* op,
                        const struct twopass_chunk_result* results,
                        struct twopass_row_result* row_result) {
  switch (row_result->step) {
    case twopass_row_step_extexp_sum:
      row_result->step = combine_extexp(op, results, row_result) ? twopass_row_step_last
                                                                 : twopass_row_step_max;
      break;
    case twopass_row_step_max:
      row_result->step = combine_max(op, results, row_result);
      break;
    case twopass_row_step_shift:
      row_result->step = twopass_row_step_expsum;
      break;
    case twopass_row_step_expsum:
      combine_expsum(op, results, row_result);
      row_result->step = twopass_row_step_last;
      break;
    case twopass_row_step_last:
    case twopass_row_step_done:
      row_result->step = twopass_row_step_done;
      break;
  }
}

// ---- Scheduling -----------------------------------------------------------

// One task per row: every step of the row in order.
static void compute_row(const struct twopass_operator* op, size_t row) {
  struct twopass_chunk_result single_chunk;
  struct twopass_chunk_result* results =
      op->chunks == 1 ? &single_chunk : op->chunk_results + row * op->chunks;
  struct twopass_row_result row_result;
  start_row(op, &row_result);
  while (row_result.step != twopass_row_step_done) {
    for (size_t c = 0; c < op->chunks; c++) {
      run_chunk(op, row, c, &row_result, &results[c]);
    }
    finish_step(op, results, &row_result);
  }
}

static void compute_rows_task(void* context, size_t row_start, size_t rows) {
  const struct twopass_operator* op = context;
  for (size_t r = row_start; r < row_start + rows; r++) {
    compute_row(op, r);
  }
}

// Few long rows: every step split into (row, chunk) tasks.
static void run_chunk_task(void* context, size_t row, size_t chunk) {
  const struct twopass_operator* op = context;
  run_chunk(op, row, chunk, &op->row_results[row], &op->chunk_results[row * op->chunks + chunk]);
}

static void finish_step_task(void* context, size_t row) {
  const struct twopass_operator* op = context;
  finish_step(op, &op->chunk_results[row * op->chunks], &op->row_results[row]);
}

static bool rows_done(const struct twopass_operator* op) {
  for (size_t r = 0; r < op->batch_size; r++) {
    if (op->row_results[r].step != twopass_row_step_done) {
      return false;
    }
  }
  return true;
}

void twopass_compute_softmax(const struct twopass_operator* op, pthreadpool_t threadpool) {
  // XNNPACK runs its operators with denormals flushed; so do we, for every
  // threadpool including NULL, so results do not depend on the pool.
  const uint32_t flags = PTHREADPOOL_FLAG_DISABLE_DENORMALS;
  void* context = (void*) op;
  const size_t threads = pthreadpool_get_threads_count(threadpool);
  if (op->chunks == 1 || op->batch_size >= threads) {
    // Enough rows for every thread: one task per group of rows, sized so that
    // a task covers at least a few thousand elements.
    const size_t tile = op->channels >= 4096 ? 1 : 4096 / op->channels;
    pthreadpool_parallelize_1d_tile_1d(threadpool, compute_rows_task, context,
                                       op->batch_size, tile, flags);
    return;
  }
  for (size_t r = 0; r < op->batch_size; r++) {
    start_row(op, &op->row_results[r]);
  }
  // Rows in different steps share a round; a done row's tasks do nothing.
  do {
    pthreadpool_parallelize_2d(threadpool, run_chunk_task, context, op->batch_size, op->chunks,
                               flags);
    pthreadpool_parallelize_1d(threadpool, finish_step_task, context, op->batch_size, flags);
  } while (!rows_done(op));
}
