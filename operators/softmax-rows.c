// Row computations of the softmax and log-softmax operators.
//
// A row is cut into chunks of TWOPASS_CHUNK_ELEMENTS. Every pass runs per
// chunk; the chunks' partial results are combined in double precision, in
// chunk order. The same functions run a row inside one task (most rows) or
// its chunks on different threads (few long rows), so the result does not
// depend on the threadpool.
//
// Two-pass:   pass 1 raddextexp per chunk -> combine (value, exponent)
//             pass 2 vscaleextexp (softmax) or vaffine (log-softmax).
// Three-pass: pass 1 rmax (rmin if beta < 0) -> combine into beta*max
//             pass 2 raddstoreexpminusmax (softmax) or raddexpminusmax -> sum
//             pass 3 vscale (softmax, in place on the output) or vaffine.
// A two-pass row whose largest beta*x_i lies outside the extended-exponent
// range of the kernels (|beta*x| >~ 1e6), or that holds NaN or infinities,
// is recomputed with the three-pass passes, which give the documented NaN
// results for special values. The three-pass kernels subtract max = fl(beta*m)
// (m = max or min of x), which is off from beta*m by up to half an ulp: that
// shifts every exponent alike and cancels, unless the shift itself overflows
// exp. Rows with |beta*m - fl(beta*m)| > 1/4 (|beta*m| >~ 2^23, beta != 1)
// are computed by a plain double-precision loop instead: slow, but only for
// magnitudes no real model produces, and for rows with special values or
// with beta*max_j x_j beyond FLT_MAX.
#include <assert.h>
#include <math.h>
#include <stddef.h>

#include "operators/operator.h"

// A float sum of many similar values drifts: each addition rounds the same
// way (32768 copies of exp(-1) summed in 8 float lanes are off by 2e-5). The
// reduction kernels therefore sum blocks of SUM_BLOCK_ELEMENTS, in which no
// SIMD lane adds more than 256 values (AVX2 with one accumulator: 8 lanes;
// measured drift below 3e-6), and the blocks' sums are added in double.
#define SUM_BLOCK_ELEMENTS 2048

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
  const size_t n = chunk_elements(op, chunk);
  const float* input = chunk_input(op, row, chunk);
  double value = 0.0;
  float exponent = -INFINITY;
  for (size_t i = 0; i < n; i += SUM_BLOCK_ELEMENTS) {
    const size_t block = n - i < SUM_BLOCK_ELEMENTS ? n - i : SUM_BLOCK_ELEMENTS;
    float sum[2];
    op->ukernels->raddextexp(block * sizeof(float), input + i, sum, &op->params);
    add_extexp(&value, &exponent, (double) sum[0], sum[1]);
  }
  result->value = value;
  result->exponent = exponent;
}

// Combines the chunks' (value, exponent) pairs into value * 2^exponent.
// Returns false when the row must be recomputed with three passes.
static bool combine_extexp(const struct twopass_operator* op,
                           const struct twopass_chunk_result* results,
                           double* value, float* exponent) {
  // Bounds of the largest exponent for which the kernels' sum is accurate:
  // every product beta*x was inside the kernels' range, and the ones below
  // it (flushed to 0) are at least 2^-160 times smaller than the largest.
  const float max_exponent = TWOPASS_EXTEXP_MAX_INPUT * (float) M_LOG2E;
  const float min_exponent = TWOPASS_EXTEXP_MIN_INPUT * (float) M_LOG2E + 160.0f;
  double v = 0.0;
  float e = -INFINITY;
  for (size_t c = 0; c < op->chunks; c++) {
    add_extexp(&v, &e, results[c].value, results[c].exponent);
  }
  *value = v;
  *exponent = e;
  return e >= min_exponent && e <= max_exponent && isfinite(v) && v > 0.0;  // NaN fails
}

// ---- Three-pass -----------------------------------------------------------

static void max_chunk(const struct twopass_operator* op, size_t row, size_t chunk,
                      struct twopass_chunk_result* result) {
  // The largest beta*x is beta*max(x), or beta*min(x) when beta < 0.
  const twopass_f32_rmax_ukernel_fn reduce =
      op->params.beta < 0.0f ? op->ukernels->rmin : op->ukernels->rmax;
  float m;
  reduce(chunk_elements(op, chunk) * sizeof(float), chunk_input(op, row, chunk), &m);
  result->value = m;
}

// Returns max_j x_j (min_j x_j when beta < 0).
static float combine_max(const struct twopass_operator* op,
                         const struct twopass_chunk_result* results) {
  float m = (float) results[0].value;
  for (size_t c = 1; c < op->chunks; c++) {
    const float v = (float) results[c].value;
    m = op->params.beta < 0.0f ? fminf(m, v) : fmaxf(m, v);
  }
  return m;
}

// The whole row in double precision: beta*x_i is exact in double.
static void exact_row(const struct twopass_operator* op, size_t row, float m) {
  const double beta = (double) op->params.beta;
  const double max = beta * (double) m;
  const float* input = op->input + row * op->input_stride;
  float* output = op->output + row * op->output_stride;
  double sum = 0.0;
  for (size_t i = 0; i < op->channels; i++) {
    sum += exp(beta * (double) input[i] - max);
  }
  if (op->type == twopass_operator_type_log_softmax) {
    const double lse = max + log(sum);
    for (size_t i = 0; i < op->channels; i++) {
      output[i] = (float) (beta * (double) input[i] - lse);
    }
  } else {
    for (size_t i = 0; i < op->channels; i++) {
      output[i] = (float) (exp(beta * (double) input[i] - max) / sum);
    }
  }
}

// Sets row_result->max = fl(beta*m) for the three-pass kernels, or computes
// the row with exact_row when that rounding could overflow their exp.
static void set_row_max(const struct twopass_operator* op, size_t row, float m,
                        struct twopass_row_result* row_result) {
  const float beta = op->params.beta;
  const float max = beta * m;
  row_result->max = max;
  row_result->three_pass = true;
  row_result->done = false;
  // Also rows whose fl(beta*m) is infinite or NaN: +inf, NaN or all -inf in
  // the row (the double loop gives NaN), or beta*m beyond FLT_MAX.
  if (!isfinite(max) || fabsf(fmaf(beta, m, -max)) > 0.25f) {
    exact_row(op, row, m);
    row_result->done = true;
  }
}

static void expsum_chunk(const struct twopass_operator* op, size_t row, size_t chunk,
                         const struct twopass_row_result* row_result,
                         struct twopass_chunk_result* result) {
  const size_t n = chunk_elements(op, chunk);
  const float* input = chunk_input(op, row, chunk);
  float* output = chunk_output(op, row, chunk);
  double sum = 0.0;
  for (size_t i = 0; i < n; i += SUM_BLOCK_ELEMENTS) {
    const size_t bytes = (n - i < SUM_BLOCK_ELEMENTS ? n - i : SUM_BLOCK_ELEMENTS) * sizeof(float);
    float block_sum;
    if (op->type == twopass_operator_type_softmax) {
      op->ukernels->raddstoreexpminusmax(bytes, input + i, &row_result->max, output + i,
                                         &block_sum, &op->params);
    } else {
      op->ukernels->raddexpminusmax(bytes, input + i, &row_result->max, &block_sum,
                                    &op->params);
    }
    sum += (double) block_sum;
  }
  result->value = sum;
}

static void combine_expsum(const struct twopass_operator* op,
                           const struct twopass_chunk_result* results,
                           struct twopass_row_result* row_result) {
  double sum = 0.0;
  for (size_t c = 0; c < op->chunks; c++) {
    sum += results[c].value;
  }
  row_result->scale = (float) (1.0 / sum);
  row_result->bias = (float) -((double) row_result->max + log(sum));
}

// ---- Passes shared by both algorithms ------------------------------------

static void first_pass_chunk(const struct twopass_operator* op, size_t row, size_t chunk,
                             struct twopass_chunk_result* result) {
  if (op->algorithm == twopass_algorithm_two_pass) {
    extexp_sum_chunk(op, row, chunk, result);
  } else {
    max_chunk(op, row, chunk, result);
  }
}

static void last_pass_chunk(const struct twopass_operator* op, size_t row, size_t chunk,
                            const struct twopass_row_result* row_result) {
  const size_t bytes = chunk_elements(op, chunk) * sizeof(float);
  float* output = chunk_output(op, row, chunk);
  if (op->type == twopass_operator_type_log_softmax) {
    // y = beta*x - log(sum): one rounding, no exp.
    op->ukernels->vaffine(bytes, chunk_input(op, row, chunk), output, op->params.beta,
                          row_result->bias);
  } else if (row_result->three_pass) {
    op->ukernels->vscale(bytes, output, output, row_result->scale);
  } else {
    const twopass_f32_vscaleextexp_ukernel_fn scale =
        op->nontemporal_stores ? op->ukernels->vscaleextexp_nt : op->ukernels->vscaleextexp;
    scale(bytes, chunk_input(op, row, chunk), output, row_result->scale, row_result->exponent,
          &op->params);
  }
}

static void three_pass_row(const struct twopass_operator* op, size_t row,
                           struct twopass_chunk_result* results,
                           struct twopass_row_result* row_result) {
  const size_t chunks = op->chunks;
  for (size_t c = 0; c < chunks; c++) {
    max_chunk(op, row, c, &results[c]);
  }
  set_row_max(op, row, combine_max(op, results), row_result);
  if (row_result->done) {
    return;
  }
  for (size_t c = 0; c < chunks; c++) {
    expsum_chunk(op, row, c, row_result, &results[c]);
  }
  combine_expsum(op, results, row_result);
  for (size_t c = 0; c < chunks; c++) {
    last_pass_chunk(op, row, c, row_result);
  }
  row_result->done = true;
}

// Combines the first pass of a row. A three-pass row continues with its
// second pass; a two-pass row gets its scale, or is recomputed with three
// passes when its sum is out of the kernels' range.
static void combine_first_pass(const struct twopass_operator* op, size_t row,
                               struct twopass_chunk_result* results,
                               struct twopass_row_result* row_result) {
  if (op->algorithm == twopass_algorithm_three_pass) {
    set_row_max(op, row, combine_max(op, results), row_result);
    return;
  }
  row_result->done = false;
  row_result->three_pass = false;
  double value;
  float exponent;
  if (!combine_extexp(op, results, &value, &exponent)) {
    three_pass_row(op, row, results, row_result);
    return;
  }
  row_result->scale = (float) (1.0 / value);
  row_result->exponent = -exponent;
  row_result->bias = (float) -(log(value) + (double) exponent * M_LN2);
}

// One task per row: every pass of the row in order.
static void compute_row(const struct twopass_operator* op, size_t row) {
  struct twopass_chunk_result single_chunk;
  struct twopass_row_result local_row_result;
  struct twopass_chunk_result* results =
      op->chunks == 1 ? &single_chunk : op->chunk_results + row * op->chunks;
  struct twopass_row_result* row_result = &local_row_result;

  for (size_t c = 0; c < op->chunks; c++) {
    first_pass_chunk(op, row, c, &results[c]);
  }
  combine_first_pass(op, row, results, row_result);
  if (row_result->done) {
    return;
  }
  if (op->algorithm == twopass_algorithm_three_pass) {
    for (size_t c = 0; c < op->chunks; c++) {
      expsum_chunk(op, row, c, row_result, &results[c]);
    }
    combine_expsum(op, results, row_result);
  }
  for (size_t c = 0; c < op->chunks; c++) {
    last_pass_chunk(op, row, c, row_result);
  }
}

static void compute_rows_task(void* context, size_t row_start, size_t rows) {
  const struct twopass_operator* op = context;
  for (size_t r = row_start; r < row_start + rows; r++) {
    compute_row(op, r);
  }
}

// ---- Few long rows: every pass split into (row, chunk) tasks --------------

static void first_pass_task(void* context, size_t row, size_t chunk) {
  const struct twopass_operator* op = context;
  first_pass_chunk(op, row, chunk, &op->chunk_results[row * op->chunks + chunk]);
}

static void combine_first_pass_task(void* context, size_t row) {
  const struct twopass_operator* op = context;
  combine_first_pass(op, row, &op->chunk_results[row * op->chunks], &op->row_results[row]);
}

static void expsum_task(void* context, size_t row, size_t chunk) {
  const struct twopass_operator* op = context;
  if (!op->row_results[row].done) {
    expsum_chunk(op, row, chunk, &op->row_results[row],
                 &op->chunk_results[row * op->chunks + chunk]);
  }
}

static void combine_expsum_task(void* context, size_t row) {
  const struct twopass_operator* op = context;
  if (!op->row_results[row].done) {
    combine_expsum(op, &op->chunk_results[row * op->chunks], &op->row_results[row]);
  }
}

static void last_pass_task(void* context, size_t row, size_t chunk) {
  const struct twopass_operator* op = context;
  if (!op->row_results[row].done) {
    last_pass_chunk(op, row, chunk, &op->row_results[row]);
  }
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
  const size_t batch = op->batch_size;
  pthreadpool_parallelize_2d(threadpool, first_pass_task, context, batch, op->chunks, flags);
  pthreadpool_parallelize_1d(threadpool, combine_first_pass_task, context, batch, flags);
  if (op->algorithm == twopass_algorithm_three_pass) {
    pthreadpool_parallelize_2d(threadpool, expsum_task, context, batch, op->chunks, flags);
    pthreadpool_parallelize_1d(threadpool, combine_expsum_task, context, batch, flags);
  }
  pthreadpool_parallelize_2d(threadpool, last_pass_task, context, batch, op->chunks, flags);
}
