// Confident rows, one of the paths of operators/softmax-rows.c.
//
// When a row's largest term exp(beta*m) is more than about a quarter of its
// sum, the float lane of a sum kernel that holds it rounds away every small
// term added after it (each below half its ulp): the sum is good to k * 2^-24
// of itself, but log(sum) = log1p(rest) of a row whose top probability is
// 1 - 1e-6 needs `rest` to a relative accuracy. That value is the
// log-probability of the top class (log-softmax) and the distance of the lse
// from the largest product. Such rows, where log-softmax or an lse is
// wanted, find their first element at the max (the peak), sum the peak's
// chunk again without it (the other chunks' sums never held it), and add the
// peak back in double: log(sum) = log1p(expm1(z) + rest), z the peak's
// exponent argument.
//
//   three-pass:  ... expsum -> peak_find -> peak_sum -> (the last steps)
//   two-pass:    extexp_sum -> peak_max -> peak_find -> extexp_peak_sum
//                          -> (extexp_scale or affine)
//
// The max steps tell which chunk holds the peak (two-pass: peak_max reads
// only the chunks whose sum reaches the row's exponent), and the other steps
// read that chunk only: a confident row of many chunks costs about two
// chunks more than another row (one of a single chunk: about one exp pass
// more), and none of this runs for the others.
#include <assert.h>
#include <emmintrin.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "operators/softmax-steps.h"

// Three-pass sums are relative to the largest product (whose term is about
// 1): below this the top probability may exceed 1/4.
#define TWOPASS_CONFIDENT_SUM 4.0
// Two-pass sums are value * 2^exponent, exponent the largest n =
// round(beta*x * log2(e)), whose term is at most sqrt(2) * 2^exponent.
#define TWOPASS_CONFIDENT_EXTEXP_VALUE 6.0

// The peak's z = fl(beta*m - max) is exact (the rounding error of a product)
// and 0 when beta = 1 or the row is shifted. The last step's y = z + bias,
// bias = -log(sum) rounded, loses up to half an ulp of z against the peak's
// y = z - log(sum): rows where that could break the relative bound
// (4e-6 |y| + 1e-12, here with a margin of 4) take the shift step.
static bool z_too_large(float z, double log_sum) {
  const double y = log_sum - (double) z;
  return z != 0.0f && (double) fabsf(z) * 0x1.0p-24 > 1e-6 * fabs(y) + 2.5e-13;
}

bool twopass_start_peak(struct twopass_row_state* state, double sum) {
  if (!(sum < TWOPASS_CONFIDENT_SUM)) {
    return false;
  }
  state->peak = state->shifted ? 0.0f : state->m;
  state->peak_sum = twopass_step_peak_sum;
  state->step = twopass_step_peak_find;
  return true;
}

bool twopass_start_extexp_peak(struct twopass_row_state* state, double value, float exponent) {
  if (!(value < TWOPASS_CONFIDENT_EXTEXP_VALUE)) {
    return false;
  }
  state->peak_exponent = exponent;
  state->peak_sum = twopass_step_extexp_peak_sum;
  state->peak_next = state->step;
  state->step = twopass_step_peak_max;
  return true;
}

// ---- peak_max (two-pass rows) ----------------------------------------------

// A 16-bit element's value, and a value's bits (exact for an element's value).
static float x16_value(enum twopass_datatype datatype, uint16_t bits) {
  return datatype == twopass_datatype_bf16 ? twopass_bf16_to_f32(bits) : twopass_f16_to_f32(bits);
}

// The bits that are 0 in every element the kernels take as 0: both zeros,
// and for bf16 the denormals too (they widen to float denormals, which the
// kernels flush); f16 denormals widen to normal floats and keep their value.
static uint16_t x16_zero_mask(enum twopass_datatype datatype) {
  return datatype == twopass_datatype_bf16 ? 0x7F80 : 0x7FFF;
}

static uint16_t x16_bits(enum twopass_datatype datatype, float value) {
  return datatype == twopass_datatype_bf16 ? twopass_bf16_from_f32(value)
                                           : twopass_f16_from_f32(value);
}

// A 16-bit float's bits as a signed key in the order of the values (-0 just
// below +0): negative values flip their magnitude bits.
static inline __m128i order_keys(__m128i bits) {
  return _mm_xor_si128(bits, _mm_and_si128(_mm_srai_epi16(bits, 15), _mm_set1_epi16(0x7FFF)));
}

static inline int16_t order_key(uint16_t bits) {
  return (int16_t) (bits ^ ((bits & 0x8000) ? 0x7FFF : 0));
}

// The bits of the largest (or, with `min`, smallest) 16-bit float of the
// chunk. Every element is finite or -inf here (a NaN or +inf product made
// the extended sum NaN), so the keys order the values.
static uint16_t x16_extremum_bits(const uint16_t* x, size_t n, bool min) {
  __m128i vkey = _mm_set1_epi16(min ? INT16_MAX : INT16_MIN);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m128i vk = order_keys(_mm_loadu_si128((const __m128i*) (x + i)));
    vkey = min ? _mm_min_epi16(vkey, vk) : _mm_max_epi16(vkey, vk);
  }
  int16_t lanes[8];
  _mm_storeu_si128((__m128i*) lanes, vkey);
  int16_t key = lanes[0];
  for (size_t j = 1; j < 8; j++) {
    key = (min ? lanes[j] < key : lanes[j] > key) ? lanes[j] : key;
  }
  for (; i < n; i++) {
    const int16_t k = order_key(x[i]);
    key = (min ? k < key : k > key) ? k : key;
  }
  return (uint16_t) order_key((uint16_t) key);  // the map is its own inverse
}

// Only the chunks whose extended sum reaches the row's exponent can hold the
// max (n = round(beta*x * log2(e)) grows with beta*x): the others give the
// extremum's identity.
void twopass_run_peak_max(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                          const struct twopass_row_state* state,
                          struct twopass_chunk_result* result) {
  const struct twopass_plan* plan = &op->plan;
  if (result->exponent != state->peak_exponent) {
    result->extremum = plan->beta < 0.0f ? INFINITY : -INFINITY;
    return;
  }
  if (plan->datatype == twopass_datatype_f32) {
    const struct twopass_f32_params params = {0};
    float m;
    twopass_step_kernel(op, twopass_step_max)->fn.reduce(chunk->bytes, chunk->input, &m, &params);
    result->extremum = m;
    return;
  }
  result->extremum = x16_value(
      plan->datatype, x16_extremum_bits(chunk->input, chunk->elements, plan->beta < 0.0f));
}

// The two-pass kernels sum exp(beta*x) as exact products; the peak steps
// work relative to max = fl(beta*m), as the three-pass ones.
void twopass_finish_peak_max(const struct twopass_plan* plan,
                             const struct twopass_chunk_result* results,
                             struct twopass_row_state* state) {
  float m = results[0].extremum;
  for (size_t c = 1; c < plan->chunks; c++) {
    m = plan->extremum(m, results[c].extremum);
  }
  state->m = m;
  state->peak_chunk = 0;
  while (state->peak_chunk + 1 < plan->chunks && results[state->peak_chunk].extremum != m) {
    state->peak_chunk++;
  }
  state->max = plan->beta * m;
  state->peak = m;
  state->step = twopass_step_peak_find;
}

// ---- peak_find --------------------------------------------------------------

// The first i with x[i] == peak: an OR of comparisons per block (which the
// compiler vectorizes), then the element inside the block.
#define TWOPASS_FIND_BLOCK 64

static size_t find_f32(const float* x, size_t n, float peak) {
  for (size_t start = 0; start < n; start += TWOPASS_FIND_BLOCK) {
    const size_t end = n - start < TWOPASS_FIND_BLOCK ? n : start + TWOPASS_FIND_BLOCK;
    uint32_t hit = 0;
    for (size_t i = start; i < end; i++) {
      hit |= (uint32_t) (x[i] == peak);
    }
    if (hit != 0) {
      size_t i = start;
      while (x[i] != peak) {
        i++;
      }
      return i;
    }
  }
  return SIZE_MAX;
}

// 16-bit rows: the peak's bits under `mask`: all bits, or for a peak that
// the kernels take as 0 the bits that make it so (x16_zero_mask).
static size_t find_x16(const uint16_t* x, size_t n, uint16_t peak, uint16_t mask) {
  for (size_t start = 0; start < n; start += TWOPASS_FIND_BLOCK) {
    const size_t end = n - start < TWOPASS_FIND_BLOCK ? n : start + TWOPASS_FIND_BLOCK;
    uint32_t hit = 0;
    for (size_t i = start; i < end; i++) {
      hit |= (uint32_t) ((x[i] & mask) == peak);
    }
    if (hit != 0) {
      size_t i = start;
      while ((x[i] & mask) != peak) {
        i++;
      }
      return i;
    }
  }
  return SIZE_MAX;
}

// Only the peak's chunk (the first whose max is the row's) is read.
void twopass_run_peak_find(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                           const struct twopass_row_state* state,
                           struct twopass_chunk_result* result) {
  result->index = SIZE_MAX;
  if (chunk->start != state->peak_chunk * TWOPASS_CHUNK_ELEMENTS) {
    return;
  }
  const enum twopass_datatype datatype = op->plan.datatype;
  if (datatype == twopass_datatype_f32) {
    result->index = find_f32(chunk->source, chunk->elements, state->peak);
    return;
  }
  const uint16_t peak = x16_bits(datatype, state->peak);
  const uint16_t zero_mask = x16_zero_mask(datatype);
  const uint16_t mask = (peak & zero_mask) == 0 ? zero_mask : 0xFFFF;
  result->index = find_x16(chunk->source, chunk->elements, peak & mask, mask);
}

void twopass_finish_peak_find(const struct twopass_plan* plan,
                              const struct twopass_chunk_result* results,
                              struct twopass_row_state* state) {
  for (size_t c = 0; c < plan->chunks; c++) {
    if (results[c].index != SIZE_MAX) {
      state->peak_index = c * TWOPASS_CHUNK_ELEMENTS + results[c].index;
      state->step = state->peak_sum;
      return;
    }
  }
  // Not reached: the max is an element of the peak's chunk. Should it not be
  // found, the row goes on without the peak steps (sums that keep it).
  assert(!"the max is an element of the row");
  state->peak_index = SIZE_MAX;
  state->peak_split = false;
  if (state->peak_sum == twopass_step_peak_sum) {
    twopass_finish_log_sum(plan, state, log(twopass_sum_of_chunks(plan, results)));
  } else if (state->peak_sum == twopass_step_x16_expsum) {
    state->step = twopass_step_x16_expsum;
  } else {
    state->step = plan->fallback;  // recomputes the row without the extended sums
  }
}

// ---- peak_sum (three-pass) and extexp_peak_sum (two-pass) ------------------

// Whether the chunk holds the peak; its offset there.
static bool holds_peak(const struct twopass_chunk* chunk, const struct twopass_row_state* state,
                       size_t* offset) {
  if (state->peak_index < chunk->start || state->peak_index - chunk->start >= chunk->elements) {
    return false;
  }
  *offset = state->peak_index - chunk->start;
  return true;
}

double twopass_expsum_without_peak(const struct twopass_operator* op,
                                   const struct twopass_chunk* chunk,
                                   const struct twopass_row_state* state) {
  size_t p;
  if (!holds_peak(chunk, state, &p)) {
    return twopass_expsum_of(op, state, chunk->source, chunk->bytes);
  }
  const size_t size = op->plan.element_size;
  const char* x = chunk->source;
  double sum = 0.0;
  if (p != 0) {
    sum += twopass_expsum_of(op, state, x, p * size);
  }
  if (p + 1 < chunk->elements) {
    sum += twopass_expsum_of(op, state, x + (p + 1) * size, (chunk->elements - p - 1) * size);
  }
  return sum;
}

// The peak's chunk: the sums before and after the peak. The other chunks
// keep their sums of `expsum`.
void twopass_run_peak_sum(const struct twopass_operator* op, const struct twopass_chunk* chunk,
                          const struct twopass_row_state* state,
                          struct twopass_chunk_result* result) {
  size_t p;
  if (holds_peak(chunk, state, &p)) {
    result->value = twopass_expsum_without_peak(op, chunk, state);
  }
}

// The peak's exponent argument z, relative to max.
static float peak_z(const struct twopass_row_state* state) {
  return fmaf(state->beta, state->peak, -state->max);
}

// log(sum) = log(exp(z) + rest) = log1p(expm1(z) + rest), relative to max.
static double log_sum_with_peak(float z, double rest) {
  return log1p(expm1((double) z) + rest);
}

void twopass_finish_peak_sum(const struct twopass_plan* plan,
                             const struct twopass_chunk_result* results,
                             struct twopass_row_state* state) {
  const float z = peak_z(state);
  const double log_sum = log_sum_with_peak(z, twopass_sum_of_chunks(plan, results));
  if (z_too_large(z, log_sum) && plan->type == twopass_operator_type_log_softmax) {
    if (plan->datatype == twopass_datatype_f32) {
      twopass_shift_row(plan, state);  // then the same steps again, with z = 0
    } else {
      // 16-bit rows cannot hold x - m: the wide path, in double.
      state->lse_base = (double) plan->beta * (double) state->m;
      state->step = twopass_step_wide_sum;
    }
    return;
  }
  twopass_finish_log_sum(plan, state, log_sum);
}

// Adds the extended sum of `bytes` of the row's elements at `x`.
static void add_extexp_part(const struct twopass_operator* op, const void* x, size_t bytes,
                            double* value, float* exponent) {
  double v;
  float e;
  twopass_extexp_sum_of(op, x, bytes, op->plan.beta, &v, &e);
  twopass_add_extexp(value, exponent, v, e);
}

void twopass_run_extexp_peak_sum(const struct twopass_operator* op,
                                 const struct twopass_chunk* chunk,
                                 const struct twopass_row_state* state,
                                 struct twopass_chunk_result* result) {
  size_t p;
  if (!holds_peak(chunk, state, &p)) {
    return;
  }
  const size_t size = op->plan.element_size;
  double value = 0.0;
  float exponent = -INFINITY;
  if (p != 0) {
    add_extexp_part(op, chunk->input, p * size, &value, &exponent);
  }
  if (p + 1 < chunk->elements) {
    add_extexp_part(op, (const char*) chunk->input + (p + 1) * size,
                    (chunk->elements - p - 1) * size, &value, &exponent);
  }
  result->value = value;
  result->exponent = exponent;
}

// The rest, value * 2^exponent, relative to max; then the lse, and
// log-softmax's y = (beta*x - max) - log(sum) (softmax keeps its scale).
void twopass_finish_extexp_peak_sum(const struct twopass_plan* plan,
                                    const struct twopass_chunk_result* results,
                                    struct twopass_row_state* state) {
  double value = 0.0;
  float exponent = -INFINITY;
  for (size_t c = 0; c < plan->chunks; c++) {
    twopass_add_extexp(&value, &exponent, results[c].value, results[c].exponent);
  }
  const double rest =
      value == 0.0 ? 0.0 : value * exp((double) exponent * M_LN2 - (double) state->max);
  const float z = peak_z(state);
  const double log_sum = log_sum_with_peak(z, rest);
  if (z_too_large(z, log_sum) && plan->type == twopass_operator_type_log_softmax) {
    // Only the fallback path shifts (16-bit rows: computes in double); it
    // starts the row again.
    state->step = plan->fallback;
    return;
  }
  state->lse = (double) state->max + log_sum;
  state->shift = -state->max;
  state->bias = (float) -log_sum;
  state->step = state->peak_next;
}
