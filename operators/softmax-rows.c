// Runs the plan of operators/plan.h: the steps of every row.
//
// A row is cut into chunks of TWOPASS_CHUNK_ELEMENTS. Each step runs its
// kernel on every chunk, then combines the chunks' results in double
// precision, in chunk order, and picks the row's next step. The same step
// functions run a row inside one task (most rows) or its chunks on different
// threads (few long rows), so the result does not depend on the threadpool.
//
//   two-pass:    extexp_sum -> extexp_scale (softmax), extexp_logsum -> affine
//                     |  sum out of the kernels' range (|beta*x| >~ 1e6,
//                     v  NaN, infinities): the three-pass path (16-bit rows:
//                        that of operators/softmax-rows-wide.c)
//   three-pass:  max -> [shift] -> expsum (expsum_store, or expsum)
//                    |               -> expsum_last (scale, or affine)
//                    +-> [find_nan] -> fill
//
//   max    m = max_j x_j (min_j x_j when beta < 0). A NaN m, a +inf or NaN
//          beta*m (or a NaN extended sum while beta*m is within the two-pass
//          kernels' range) can only give NaN. An infinite m with
//          beta*m = -inf: every product is -inf, or NaN (which rmax may
//          skip): `find_nan` tells which, when a masked row's fill or its
//          lse depends on it. A row whose beta*m is not within 1/4 of a
//          float goes through `shift`.
//   shift  stores (x - m) * shift_scale, exact for every x near the max,
//          which the later steps read in place of x, with shift_beta.
//
// Why `shift`: the three-pass kernels compute exp(fma(beta, x, -M)) with
// M = fl(beta*m); when beta*m - M is large (|beta*m| >~ 2^23 with beta != 1,
// or beta*m beyond FLT_MAX), that shift no longer cancels. x - m is exact for
// x within a factor 2 of m (Sterbenz), and every other x of such a row has
// |beta*(x - m)| >= |beta*m|/2 > 2^22, whose exp is 0 and whose log-softmax
// needs only a relative accuracy; so the kernels get beta*(x - m) with one
// rounding more, at the cost of one more pass. With |beta| <= 1 the step
// stores (x - m) / 2 (one fma, exact where x - m is, never overflowing) and
// the row's kernels use 2*beta.
#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "operators/operator.h"
#include "operators/softmax-steps.h"

static struct twopass_chunk locate_chunk(const struct twopass_operator* op, size_t row, size_t c,
                                         const struct twopass_row_state* state) {
  const struct twopass_plan* plan = &op->plan;
  const size_t start = c * TWOPASS_CHUNK_ELEMENTS;
  const size_t remaining = plan->channels - start;
  const size_t n = remaining < TWOPASS_CHUNK_ELEMENTS ? remaining : TWOPASS_CHUNK_ELEMENTS;
  const size_t size = plan->element_size;
  struct twopass_chunk chunk = {
      .start = start,
      .elements = n,
      .bytes = n * size,
      .input = (const char*) op->input + (row * plan->input_stride + start) * size,
      .output = (char*) op->output + (row * plan->output_stride + start) * size,
  };
  chunk.source = state->shifted ? chunk.output : chunk.input;
  return chunk;
}

// A step's elementwise kernel on a chunk, of the row's type.
static void run_vunary(const struct twopass_operator* op, enum twopass_step step, const void* input,
                       void* output, const struct twopass_chunk* chunk,
                       const struct twopass_f32_params* params) {
  const union twopass_f32_ukernel_fn fn = twopass_step_kernel(op, step)->fn;
  if (op->plan.datatype == twopass_datatype_f32) {
    fn.vunary(chunk->bytes, input, output, params);
  } else {
    fn.vunary_x16(chunk->bytes, input, output, params);
  }
}

// ---- Two-pass -------------------------------------------------------------

void twopass_extexp_sum_of(const struct twopass_operator* op, const void* x, size_t bytes,
                           float beta, double* value, float* exponent) {
  const struct twopass_f32_params params = {.beta = beta};
  float sum[2];
  const union twopass_f32_ukernel_fn fn = twopass_step_kernel(op, op->plan.extexp_sum)->fn;
  if (op->plan.datatype == twopass_datatype_f32) {
    fn.reduce(bytes, x, sum, &params);
  } else {
    fn.reduce_x16(bytes, x, sum, &params);
  }
  *value = (double) sum[0];
  *exponent = sum[1];
}

// A row's first chunk of at least TWOPASS_EXTEXP_PROBE_MIN elements is summed
// in two parts, its first TWOPASS_EXTEXP_PROBE elements first: a row whose
// probe already fails (extexp_first_chunk_fails: fully masked rows, logits
// beyond 1e6) takes the fallback after reading only those. The parts are
// fixed by the row, so the bits do not depend on the threads.
#define TWOPASS_EXTEXP_PROBE 512
#define TWOPASS_EXTEXP_PROBE_MIN 4096

static bool extexp_first_chunk_fails(const struct twopass_chunk_result* first);

static void run_extexp_sum(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                           const struct twopass_row_state* state,
                           struct twopass_chunk_result* result) {
  const size_t size = op->plan.element_size;
  const bool probe = chunk->start == 0 && chunk->elements >= TWOPASS_EXTEXP_PROBE_MIN;
  const size_t head = probe ? TWOPASS_EXTEXP_PROBE * size : chunk->bytes;
  twopass_extexp_sum_of(op, chunk->input, head, state->beta, &result->value, &result->exponent);
  if (!probe || extexp_first_chunk_fails(result)) {
    return;
  }
  double value;
  float exponent;
  twopass_extexp_sum_of(op, (const char*) chunk->input + head, chunk->bytes - head, state->beta,
                        &value, &exponent);
  twopass_add_extexp(&result->value, &result->exponent, value, exponent);
}

// Whether the first chunk's extended sum already sends the row to the
// fallback: a NaN sum, a product beyond the kernels' range (whose exponent
// exceeds the largest accurate one), or none within it (all below, or -inf).
// The rule reads chunk 0 only, which every schedule computes the same way,
// so a row's path (and its bits) do not depend on the threads; one task that
// runs a whole row stops the pass there (compute_row), which makes such rows
// (fully masked attention rows, logits beyond 1e6) cost one chunk of the
// two-pass sum instead of all of it.
static bool extexp_first_chunk_fails(const struct twopass_chunk_result* first) {
  const float max_exponent = TWOPASS_EXTEXP_MAX_INPUT * (float) M_LOG2E;
  return isnan(first->value) || first->value == 0.0 || first->exponent > max_exponent;
}

// Whether the row's two-pass sum step can skip its other chunks.
static bool first_chunk_decides(const struct twopass_row_state* state,
                                const struct twopass_chunk_result* results) {
  const bool extexp_sum =
      state->step == twopass_step_extexp_sum || state->step == twopass_step_extexp_logsum;
  return extexp_sum && extexp_first_chunk_fails(&results[0]);
}

static bool combine_extexp_sum(const struct twopass_plan* plan,
                               const struct twopass_chunk_result* results,
                               struct twopass_row_state* state, double* value, float* exponent) {
  if (extexp_first_chunk_fails(&results[0])) {
    state->nan_sum = isnan(results[0].value);
    state->step = plan->fallback;
    return false;
  }
  // Bounds of the largest exponent for which the kernels' sum is accurate:
  // every product beta*x was inside the kernels' range, and the ones below
  // it (flushed to 0) are at least 2^-160 times smaller than the largest.
  const float max_exponent = TWOPASS_EXTEXP_MAX_INPUT * (float) M_LOG2E;
  const float min_exponent = TWOPASS_EXTEXP_MIN_INPUT * (float) M_LOG2E + 160.0f;
  *value = 0.0;
  *exponent = -INFINITY;
  for (size_t c = 0; c < plan->chunks; c++) {
    twopass_add_extexp(value, exponent, results[c].value, results[c].exponent);
  }
  if (!(*exponent >= min_exponent && *exponent <= max_exponent && isfinite(*value) &&
        *value > 0.0)) {  // NaN fails
    // A NaN sum comes from a NaN product, a +inf one (x = +-inf, or beta*x
    // beyond FLT_MAX) or products beyond the kernels' range: `max` tells which.
    state->nan_sum = isnan(*value);
    state->step = plan->fallback;
    return false;
  }
  return true;
}

// Softmax: y = exp(beta*x) * (1/value) * 2^-exponent.
static void finish_extexp_sum(const struct twopass_plan* plan,
                              const struct twopass_chunk_result* results,
                              struct twopass_row_state* state) {
  double value;
  float exponent;
  if (combine_extexp_sum(plan, results, state, &value, &exponent)) {
    state->scale = (float) (1.0 / value);
    state->exponent = -exponent;
    state->step = plan->extexp_last;
    if (state->lse_wanted && !twopass_start_extexp_peak(state, value, exponent)) {
      state->lse = log(value) + (double) exponent * M_LN2;
    }
  }
}

// Log-softmax: y = (beta*x - C) - (log(value) + exponent*ln2 - C).
static void finish_extexp_logsum(const struct twopass_plan* plan,
                                 const struct twopass_chunk_result* results,
                                 struct twopass_row_state* state) {
  double value;
  float exponent;
  if (combine_extexp_sum(plan, results, state, &value, &exponent)) {
    state->step = plan->extexp_last;
    if (twopass_start_extexp_peak(state, value, exponent)) {
      return;
    }
    // exponent = max_i round(beta*x_i * log2(e)): C = exponent * ln2 is within
    // ln2/2 (plus rounding) of the largest product, which log-softmax shifts
    // by first; the rest of log(sum) = log(value) + exponent*ln2 follows.
    const double exponent_log = (double) exponent * M_LN2;
    const float max = (float) exponent_log;
    const double log_value = log(value);
    state->shift = -max;
    state->bias = (float) -(log_value + (exponent_log - (double) max));
    state->lse = exponent_log + log_value;
  }
}

static void run_extexp_scale(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                             const struct twopass_row_state* state,
                             struct twopass_chunk_result* result) {
  (void) result;
  const struct twopass_f32_params params = {
      .beta = state->beta, .scale = state->scale, .scale_exponent = state->exponent};
  run_vunary(op, twopass_step_extexp_scale, chunk->input, chunk->output, chunk, &params);
}

// ---- Three-pass -----------------------------------------------------------

static void run_max(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                    const struct twopass_row_state* state, struct twopass_chunk_result* result) {
  (void) state;
  const struct twopass_f32_params params = {0};
  float m;
  twopass_step_kernel(op, twopass_step_max)->fn.reduce(chunk->bytes, chunk->input, &m, &params);
  result->value = m;
}

void twopass_fill_nan(struct twopass_row_state* state) {
  state->fill = NAN;
  state->lse = NAN;
  state->step = twopass_step_fill;
}

// The first exp step: rows whose lse or log-softmax is wanted sum with the
// kernel that flushes every 16 additions (expsum), and softmax then stores
// the exps (expsum_store, whose sum gives the scale).
static enum twopass_step exp_step(const struct twopass_plan* plan,
                                  const struct twopass_row_state* state) {
  return state->lse_wanted ? twopass_step_expsum : plan->expsum;
}

void twopass_shift_row(const struct twopass_plan* plan, struct twopass_row_state* state) {
  state->shifted = true;
  state->beta = plan->shift_beta;
  state->max = 0.0f;
  // The kernels sum exp(beta*(x - m)); beta*m in double is exact.
  state->lse_base = (double) plan->beta * (double) state->m;
  state->step = twopass_step_shift;
}

float twopass_combine_max(const struct twopass_plan* plan,
                          const struct twopass_chunk_result* results,
                          struct twopass_row_state* state) {
  float m = (float) results[0].value;
  for (size_t c = 1; c < plan->chunks; c++) {
    m = plan->extremum(m, (float) results[c].value);
  }
  state->m = m;
  state->peak_chunk = 0;
  while (state->peak_chunk + 1 < plan->chunks && (float) results[state->peak_chunk].value != m) {
    state->peak_chunk++;
  }
  return m;
}

bool twopass_finish_special_max(const struct twopass_plan* plan, struct twopass_row_state* state,
                                float m, enum twopass_step find_nan) {
  const float max = plan->beta * m;
  // An infinite m with beta*m = -inf: every product is -inf, or some NaN
  // that rmax skipped (a NaN sum of the two-pass kernels says so already).
  // (A finite m whose beta*m overflows is a finite product.)
  if (isinf(m) && max == -INFINITY && !state->nan_sum) {
    const bool fill_known = isnan(plan->masked_fill) && !state->lse_wanted;
    state->fill = plan->masked_fill;
    state->step = fill_known ? twopass_step_fill : find_nan;
    return true;
  }
  // Any other infinite or NaN m: beta*m = +inf or NaN (a +inf or NaN
  // product), or -inf with a NaN product, or 0*inf. A NaN sum of the
  // two-pass kernels while every product was within their range: a NaN that
  // rmax skipped (beyond the range, the kernels' own garbage can be NaN).
  // Every case is a row of NaN.
  if (!isfinite(m) || (state->nan_sum && max <= TWOPASS_EXTEXP_MAX_INPUT)) {
    twopass_fill_nan(state);
    return true;
  }
  return false;
}

static void finish_max(const struct twopass_plan* plan, const struct twopass_chunk_result* results,
                       struct twopass_row_state* state) {
  const float m = twopass_combine_max(plan, results, state);
  if (twopass_finish_special_max(plan, state, m, twopass_step_find_nan)) {
    return;
  }
  const float max = plan->beta * m;
  if (!isfinite(max) || fabsf(fmaf(plan->beta, m, -max)) > 0.25f) {
    twopass_shift_row(plan, state);
  } else {
    state->max = max;
    state->lse_base = (double) max;
    state->step = exp_step(plan, state);
  }
}

// A row of only -inf products, unless a NaN is among them: its fill (NaN,
// or the masked rows' value) and lse -inf; a NaN row otherwise.
static void run_find_nan(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                         const struct twopass_row_state* state,
                         struct twopass_chunk_result* result) {
  (void) op;
  (void) state;
  const float* x = chunk->input;
  // x != x only for NaN: an integer OR reduction that the compiler vectorizes.
  uint32_t nan = 0;
  for (size_t i = 0; i < chunk->elements; i++) {
    nan |= (uint32_t) (x[i] != x[i]);
  }
  result->value = nan != 0 ? 1.0 : 0.0;
}

static void finish_find_nan(const struct twopass_plan* plan,
                            const struct twopass_chunk_result* results,
                            struct twopass_row_state* state) {
  bool nan = false;
  for (size_t c = 0; c < plan->chunks; c++) {
    nan |= results[c].value != 0.0;
  }
  if (nan) {
    twopass_fill_nan(state);
  } else {
    state->lse = -INFINITY;
    state->step = twopass_step_fill;
  }
}

static void run_shift(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                      const struct twopass_row_state* state, struct twopass_chunk_result* result) {
  (void) result;
  const float scale = op->plan.shift_scale;
  const struct twopass_f32_params params = {.scale = scale, .shift = -state->m * scale};
  twopass_step_kernel(op, twopass_step_shift)
      ->fn.vunary(chunk->bytes, chunk->input, chunk->output, &params);
}

static void finish_shift(const struct twopass_plan* plan,
                         const struct twopass_chunk_result* results,
                         struct twopass_row_state* state) {
  (void) results;
  state->step = exp_step(plan, state);
}

static void run_expsum_store(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                             const struct twopass_row_state* state,
                             struct twopass_chunk_result* result) {
  const struct twopass_f32_params params = {.beta = state->beta, .max = state->max};
  float sum;
  twopass_step_kernel(op, twopass_step_expsum_store)
      ->fn.raddstore(chunk->bytes, chunk->source, chunk->output, &sum, &params);
  result->value = (double) sum;
}

static void run_expsum(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                       const struct twopass_row_state* state, struct twopass_chunk_result* result) {
  result->value = twopass_expsum_of(op, state, chunk->source, chunk->bytes);
}

double twopass_expsum_of(const struct twopass_operator* op, const struct twopass_row_state* state,
                         const void* x, size_t bytes) {
  const struct twopass_f32_params params = {.beta = state->beta, .max = state->max};
  float sum;
  if (op->plan.datatype == twopass_datatype_f32) {
    twopass_step_kernel(op, twopass_step_expsum)->fn.reduce(bytes, x, &sum, &params);
  } else {
    twopass_step_kernel(op, twopass_step_x16_expsum)->fn.reduce_x16(bytes, x, &sum, &params);
  }
  return (double) sum;
}

double twopass_sum_of_chunks(const struct twopass_plan* plan,
                             const struct twopass_chunk_result* results) {
  double sum = 0.0;
  for (size_t c = 0; c < plan->chunks; c++) {
    sum += results[c].value;
  }
  return sum;
}

// Softmax: y = stored exp * (1/sum). (An lse came from `expsum` before.)
static void finish_expsum_store(const struct twopass_plan* plan,
                                const struct twopass_chunk_result* results,
                                struct twopass_row_state* state) {
  const double sum = twopass_sum_of_chunks(plan, results);
  state->scale = (float) (1.0 / sum);
  state->step = plan->expsum_last;
}

void twopass_finish_log_sum(const struct twopass_plan* plan, struct twopass_row_state* state,
                            double log_sum) {
  state->lse = state->lse_base + log_sum;
  if (plan->type == twopass_operator_type_softmax) {
    state->scale = (float) exp(-log_sum);
    state->step = twopass_step_expscale;
  } else {
    state->shift = -state->max;
    state->bias = (float) -log_sum;
    state->step = twopass_step_affine;
  }
}

// Log-softmax, and the lse of softmax rows: log(sum), exact where the row is
// confident (operators/softmax-rows-peak.c).
static void finish_expsum(const struct twopass_plan* plan,
                          const struct twopass_chunk_result* results,
                          struct twopass_row_state* state) {
  const double sum = twopass_sum_of_chunks(plan, results);
  if (!twopass_start_peak(state, sum)) {
    twopass_finish_log_sum(plan, state, log(sum));
  }
}

// ---- The last steps -------------------------------------------------------

// Softmax from the exps computed again: y = exp(beta*x - max) * scale. The
// 16-bit fallback's last step (a 16-bit output would round stored exps
// twice), and float rows whose lse was wanted, which summed without storing.
static void run_expscale(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                         const struct twopass_row_state* state,
                         struct twopass_chunk_result* result) {
  (void) result;
  const struct twopass_f32_params params = {
      .beta = state->beta, .max = state->max, .scale = state->scale};
  run_vunary(op, twopass_step_expscale, chunk->source, chunk->output, chunk, &params);
}

static void run_scale(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                      const struct twopass_row_state* state, struct twopass_chunk_result* result) {
  (void) result;
  const struct twopass_f32_params params = {.scale = state->scale};
  twopass_step_kernel(op, twopass_step_scale)
      ->fn.vunary(chunk->bytes, chunk->output, chunk->output, &params);
}

// y = (beta*x - max) - log(sum): the first step is exact near the max.
static void run_affine(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                       const struct twopass_row_state* state, struct twopass_chunk_result* result) {
  (void) result;
  const struct twopass_f32_params params = {
      .scale = state->beta, .shift = state->shift, .bias = state->bias};
  run_vunary(op, twopass_step_affine, chunk->source, chunk->output, chunk, &params);
}

static void run_fill(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                     const struct twopass_row_state* state, struct twopass_chunk_result* result) {
  (void) result;
  if (op->plan.datatype == twopass_datatype_f32) {
    float* y = chunk->output;
    for (size_t i = 0; i < chunk->elements; i++) {
      y[i] = state->fill;
    }
    return;
  }
  // The fill's 16-bit bits, once.
  twopass_store_element(op->plan.datatype, chunk->output, 0, state->fill);
  uint16_t* y = chunk->output;
  for (size_t i = 1; i < chunk->elements; i++) {
    y[i] = y[0];
  }
}

static void finish_last(const struct twopass_plan* plan, const struct twopass_chunk_result* results,
                        struct twopass_row_state* state) {
  (void) plan;
  (void) results;
  state->step = twopass_step_done;
}

// ---- Steps ----------------------------------------------------------------

static const struct {
  twopass_run_fn run;
  twopass_finish_fn finish;
} steps[twopass_step_count] = {
    [twopass_step_extexp_sum] = {run_extexp_sum, finish_extexp_sum},
    [twopass_step_extexp_logsum] = {run_extexp_sum, finish_extexp_logsum},
    [twopass_step_extexp_scale] = {run_extexp_scale, finish_last},
    [twopass_step_max] = {run_max, finish_max},
    [twopass_step_shift] = {run_shift, finish_shift},
    [twopass_step_expsum_store] = {run_expsum_store, finish_expsum_store},
    [twopass_step_expsum] = {run_expsum, finish_expsum},
    [twopass_step_scale] = {run_scale, finish_last},
    [twopass_step_affine] = {run_affine, finish_last},
    [twopass_step_wide_sum] = {twopass_run_wide_sum, twopass_finish_wide_sum},
    [twopass_step_wide_last] = {twopass_run_wide_last, finish_last},
    [twopass_step_peak_max] = {twopass_run_peak_max, twopass_finish_peak_max},
    [twopass_step_peak_find] = {twopass_run_peak_find, twopass_finish_peak_find},
    [twopass_step_peak_sum] = {twopass_run_peak_sum, twopass_finish_peak_sum},
    [twopass_step_extexp_peak_sum] = {twopass_run_extexp_peak_sum,
                                      twopass_finish_extexp_peak_sum},
    [twopass_step_find_nan] = {run_find_nan, finish_find_nan},
    [twopass_step_fill] = {run_fill, finish_last},
    [twopass_step_x16_max] = {twopass_run_x16_max, twopass_finish_x16_max},
    [twopass_step_x16_expsum] = {twopass_run_x16_expsum, twopass_finish_x16_expsum},
    [twopass_step_expscale] = {run_expscale, finish_last},
    [twopass_step_x16_find_nan] = {twopass_run_x16_find_nan, finish_find_nan},
};

static void start_row(const struct twopass_operator* op, struct twopass_row_state* state) {
  *state = (struct twopass_row_state){
      .step = op->plan.first, .beta = op->plan.beta, .lse_wanted = op->lse != NULL};
}

static void run_chunk(const struct twopass_operator* op, size_t row, size_t c,
                      const struct twopass_row_state* state, struct twopass_chunk_result* result) {
  if (state->step != twopass_step_done) {
    const struct twopass_chunk chunk = locate_chunk(op, row, c, state);
    steps[state->step].run(op, &chunk, state, result);
  }
}

static void finish_step(const struct twopass_plan* plan, const struct twopass_chunk_result* results,
                        struct twopass_row_state* state) {
  if (state->step != twopass_step_done) {
    steps[state->step].finish(plan, results, state);
  }
}

// ---- Schedules ------------------------------------------------------------

// One task per row: every step of the row in order.
static void compute_row(const struct twopass_operator* op, size_t row) {
  const struct twopass_plan* plan = &op->plan;
  struct twopass_chunk_result single_chunk;
  struct twopass_chunk_result* results =
      plan->chunks == 1 ? &single_chunk : op->chunk_results + row * plan->chunks;
  struct twopass_row_state state;
  start_row(op, &state);
  while (state.step != twopass_step_done) {
    for (size_t c = 0; c < plan->chunks; c++) {
      run_chunk(op, row, c, &state, &results[c]);
      if (c == 0 && first_chunk_decides(&state, results)) {
        break;  // the finish reads chunk 0 only
      }
    }
    finish_step(plan, results, &state);
  }
  if (op->lse != NULL) {
    op->lse[row] = (float) state.lse;
  }
}

static void compute_rows_task(void* context, size_t row_start, size_t rows) {
  const struct twopass_operator* op = context;
  for (size_t r = row_start; r < row_start + rows; r++) {
    compute_row(op, r);
  }
}

// Few long rows: every step split into (row, chunk) tasks.
static void run_chunk_task(void* context, size_t row, size_t c) {
  const struct twopass_operator* op = context;
  run_chunk(op, row, c, &op->row_states[row], &op->chunk_results[row * op->plan.chunks + c]);
}

// The first step's chunks from split_head on: none for a row whose two-pass
// sum already failed in chunk 0 (extexp_first_chunk_fails).
static void run_late_chunk_task(void* context, size_t row, size_t i) {
  const struct twopass_operator* op = context;
  if (first_chunk_decides(&op->row_states[row], &op->chunk_results[row * op->plan.chunks])) {
    return;
  }
  run_chunk_task(context, row, op->plan.split_head + i);
}

static void finish_step_task(void* context, size_t row) {
  const struct twopass_operator* op = context;
  finish_step(&op->plan, &op->chunk_results[row * op->plan.chunks], &op->row_states[row]);
}

static bool rows_done(const struct twopass_operator* op) {
  for (size_t r = 0; r < op->plan.batch_size; r++) {
    if (op->row_states[r].step != twopass_step_done) {
      return false;
    }
  }
  return true;
}

void twopass_compute_softmax(const struct twopass_operator* op, pthreadpool_t threadpool) {
  // XNNPACK runs its operators with denormals flushed; so do we, for every
  // threadpool including NULL, so results do not depend on the pool.
  const uint32_t flags = PTHREADPOOL_FLAG_DISABLE_DENORMALS;
  const struct twopass_plan* plan = &op->plan;
  void* context = (void*) op;
  if (!plan->split_rows) {
    pthreadpool_parallelize_1d_tile_1d(threadpool, compute_rows_task, context, plan->batch_size,
                                       plan->row_tile, flags);
    return;
  }
  for (size_t r = 0; r < plan->batch_size; r++) {
    start_row(op, &op->row_states[r]);
  }
  // The first step in two rounds: its first split_head chunks (as many as
  // the threads), then the others, which a row whose chunk 0 already decided
  // its path skips.
  pthreadpool_parallelize_2d(threadpool, run_chunk_task, context, plan->batch_size,
                             plan->split_head, flags);
  if (plan->split_head < plan->chunks) {  // pthreadpool divides by the range
    pthreadpool_parallelize_2d(threadpool, run_late_chunk_task, context, plan->batch_size,
                               plan->chunks - plan->split_head, flags);
  }
  // Then every step in one round; rows in different steps share a round, and
  // a done row's tasks do nothing.
  for (;;) {
    pthreadpool_parallelize_1d(threadpool, finish_step_task, context, plan->batch_size, flags);
    if (rows_done(op)) {
      break;
    }
    pthreadpool_parallelize_2d(threadpool, run_chunk_task, context, plan->batch_size, plan->chunks,
                               flags);
  }
  if (op->lse != NULL) {
    for (size_t r = 0; r < plan->batch_size; r++) {
      op->lse[r] = (float) op->row_states[r].lse;
    }
  }
}
