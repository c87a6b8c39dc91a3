// Softmax and log-softmax operators: create, reshape, setup, run, delete.
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <twopass.h>

#include "operators/hardware.h"
#include "operators/operator.h"

#define TWOPASS_ALGORITHM_FLAGS (TWOPASS_FLAG_TWO_PASS | TWOPASS_FLAG_THREE_PASS)
#define TWOPASS_ISA_FLAGS \
  (TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_ISA_AVX2 | TWOPASS_FLAG_ISA_AVX512F)

static bool more_than_one_bit(uint32_t bits) {
  return (bits & (bits - 1)) != 0;
}

// The most elements any row or batch may span: its size in bytes, and any
// pointer difference inside it, must fit in ptrdiff_t.
static size_t max_span_elements(size_t element_size) {
  return (size_t) PTRDIFF_MAX / element_size;
}

// Elements from the first input (or output) of a batch to one past its last,
// or 0 when that does not fit in max_span_elements.
static size_t batch_span(size_t element_size, size_t batch_size, size_t stride,
                         size_t channels) {
  if (batch_size == 0) {
    return 0;
  }
  if (batch_size - 1 > (max_span_elements(element_size) - channels) / stride) {
    return 0;
  }
  return (batch_size - 1) * stride + channels;
}

// Which operator a call is for: its kind and datatype.
struct operator_kind {
  enum twopass_operator_type type;
  enum twopass_datatype datatype;
};

static bool is_kind(const struct twopass_operator* op, struct operator_kind kind) {
  return op->type == kind.type && op->datatype == kind.datatype;
}

static enum xnn_status create_softmax(struct operator_kind kind, float beta, uint32_t flags,
                                      twopass_operator_t* op_out) {
  if (op_out == NULL) {
    return xnn_status_invalid_parameter;
  }
  *op_out = NULL;
  const uint32_t known_flags =
      TWOPASS_ALGORITHM_FLAGS | TWOPASS_ISA_FLAGS | TWOPASS_FLAG_MASKED_ROWS_ZERO;
  if (!isfinite(beta) || (flags & ~known_flags) != 0 ||
      more_than_one_bit(flags & TWOPASS_ALGORITHM_FLAGS) ||
      more_than_one_bit(flags & TWOPASS_ISA_FLAGS)) {
    return xnn_status_invalid_parameter;
  }
  // 16-bit rows run two-pass only (operators/plan.c says why).
  if (kind.datatype != twopass_datatype_f32 && (flags & TWOPASS_FLAG_THREE_PASS)) {
    return xnn_status_unsupported_parameter;
  }
  const struct twopass_isa* isa = twopass_select_isa(twopass_get_hardware(), flags & TWOPASS_ISA_FLAGS);
  if (isa == NULL) {
    return xnn_status_unsupported_hardware;
  }
  struct twopass_operator* op = calloc(1, sizeof(struct twopass_operator));
  if (op == NULL) {
    return xnn_status_out_of_memory;
  }
  op->type = kind.type;
  op->datatype = kind.datatype;
  op->state = twopass_operator_state_created;
  op->isa = isa;
  // The kernels run with denormals flushed, where a denormal beta (either
  // sign) acts as +0: decide on that beta once, here, for every plan.
  op->beta = fabsf(beta) < FLT_MIN ? 0.0f : beta;
  op->flags = flags;
  *op_out = op;
  return xnn_status_success;
}

// Makes *buffer hold at least `count` elements of `size` bytes (count * size
// does not overflow): keeps it when it does, else replaces it and raises
// *capacity. False, with *buffer kept, when the allocation fails.
static bool grow(void** buffer, size_t* capacity, size_t count, size_t size) {
  if (count <= *capacity) {
    return true;
  }
  void* grown = malloc(count * size);
  if (grown == NULL) {
    return false;
  }
  free(*buffer);
  *buffer = grown;
  *capacity = count;
  return true;
}

// Rows of more than one chunk keep per-chunk results; grow that workspace.
static enum xnn_status reserve_workspace(struct twopass_operator* op, size_t chunks,
                                         size_t batch_size) {
  if (chunks == 1) {
    return xnn_status_success;
  }
  if (batch_size > SIZE_MAX / chunks / sizeof(struct twopass_chunk_result)) {
    return xnn_status_out_of_memory;
  }
  void* chunk_results = op->chunk_results;
  void* row_states = op->row_states;
  const bool grown =
      grow(&chunk_results, &op->workspace_chunks, batch_size * chunks,
           sizeof(struct twopass_chunk_result)) &&
      grow(&row_states, &op->workspace_rows, batch_size, sizeof(struct twopass_row_state));
  op->chunk_results = chunk_results;
  op->row_states = row_states;
  return grown ? xnn_status_success : xnn_status_out_of_memory;
}

static bool valid_shape(size_t element_size, size_t channels, size_t input_stride,
                        size_t output_stride, size_t batch_size) {
  const size_t max_span = max_span_elements(element_size);
  if (channels == 0 || input_stride < channels || output_stride < channels ||
      input_stride > max_span || output_stride > max_span) {
    return false;
  }
  return batch_size == 0 ||
         (batch_span(element_size, batch_size, input_stride, channels) != 0 &&
          batch_span(element_size, batch_size, output_stride, channels) != 0);
}

static enum xnn_status reshape_softmax(twopass_operator_t op, struct operator_kind kind,
                                       size_t channels, size_t input_stride,
                                       size_t output_stride, size_t batch_size,
                                       pthreadpool_t threadpool) {
  if (op == NULL) {
    return xnn_status_invalid_parameter;
  }
  // Reshape invalidates the plan and the pointers of an earlier setup, even
  // on failure.
  op->state = twopass_operator_state_created;
  op->input = NULL;
  op->output = NULL;
  op->lse = NULL;
  if (!is_kind(op, kind) || !valid_shape(twopass_element_size(op->datatype), channels,
                                         input_stride, output_stride, batch_size)) {
    return xnn_status_invalid_parameter;
  }
  struct twopass_plan plan;
  twopass_build_plan(&plan, twopass_get_hardware(), op->type, op->datatype, op->isa, op->beta,
                     op->flags, channels,
                     input_stride, output_stride, batch_size,
                     pthreadpool_get_threads_count(threadpool));
  const enum xnn_status status = reserve_workspace(op, plan.chunks, batch_size);
  if (status != xnn_status_success) {
    return status;
  }
  op->plan = plan;
  op->state = twopass_operator_state_reshaped;
  return xnn_status_success;
}

// Whether [a, a + a_bytes) and [b, b + b_bytes) share a byte.
static bool ranges_meet(const void* a, size_t a_bytes, const void* b, size_t b_bytes) {
  const uintptr_t x = (uintptr_t) a;
  const uintptr_t y = (uintptr_t) b;
  return x < y + b_bytes && y < x + a_bytes;
}

// Whether an output row would overwrite an input row that is still to be
// read: any shared element, except in place (each output row exactly on its
// input row). With different strides any overlap of the spans counts.
static size_t span_bytes(const struct twopass_plan* plan, size_t stride) {
  return batch_span(plan->element_size, plan->batch_size, stride, plan->channels) *
         plan->element_size;
}

static bool rows_overlap(const struct twopass_operator* op, const void* input,
                         const void* output) {
  const size_t input_bytes = span_bytes(&op->plan, op->plan.input_stride);
  const size_t output_bytes = span_bytes(&op->plan, op->plan.output_stride);
  if (!ranges_meet(input, input_bytes, output, output_bytes)) {
    return false;
  }
  const uintptr_t in = (uintptr_t) input;
  const uintptr_t out = (uintptr_t) output;
  if (op->plan.input_stride != op->plan.output_stride) {
    return true;
  }
  if (in == out) {
    return false;
  }
  // Output row r + j starts d + j*S bytes after input row r (|d| < the span,
  // so it fits); two rows of L bytes meet when |d + j*S| < L <= S, which only
  // the j nearest -d/S can give: d % S at j = k, and d % S -+ S next to it.
  const ptrdiff_t d = (ptrdiff_t) (out - in);
  const ptrdiff_t stride = (ptrdiff_t) (op->plan.input_stride * op->plan.element_size);
  const ptrdiff_t row = (ptrdiff_t) (op->plan.channels * op->plan.element_size);
  const ptrdiff_t last = (ptrdiff_t) op->plan.batch_size - 1;
  const ptrdiff_t k = -(d / stride);
  const ptrdiff_t r = d % stride;
  const ptrdiff_t k_next = r >= 0 ? k - 1 : k + 1;
  const ptrdiff_t r_next = r >= 0 ? r - stride : r + stride;
  return (k >= -last && k <= last && r > -row && r < row) ||
         (k_next >= -last && k_next <= last && r_next > -row && r_next < row);
}

// The lse array (one float per row) must fit in ptrdiff_t and the address
// space, and may share no byte with the rows' spans.
static bool lse_valid(const struct twopass_operator* op, const void* input, const void* output,
                      const float* lse) {
  const struct twopass_plan* plan = &op->plan;
  if (plan->batch_size > (size_t) PTRDIFF_MAX / sizeof(float)) {
    return false;
  }
  const size_t lse_bytes = plan->batch_size * sizeof(float);
  if ((uintptr_t) lse > UINTPTR_MAX - lse_bytes) {
    return false;
  }
  return !ranges_meet(lse, lse_bytes, input, span_bytes(plan, plan->input_stride)) &&
         !ranges_meet(lse, lse_bytes, output, span_bytes(plan, plan->output_stride));
}

// Rows are arrays of their element type: a pointer must be a multiple of its
// size. (The non-temporal kernels align the output to 64 bytes element by
// element, which no count of elements does for a pointer between two.)
static bool element_aligned(const void* pointer, size_t element_size) {
  return (uintptr_t) pointer % element_size == 0;
}

static enum xnn_status setup_softmax(twopass_operator_t op, struct operator_kind kind,
                                     const void* input, void* output, float* lse) {
  if (op == NULL) {
    return xnn_status_invalid_parameter;
  }
  if (op->state == twopass_operator_state_created) {
    return !is_kind(op, kind) ? xnn_status_invalid_parameter : xnn_status_invalid_state;
  }
  // A failed setup leaves no pointers to run with: run needs a new setup.
  op->state = twopass_operator_state_reshaped;
  op->input = NULL;
  op->output = NULL;
  op->lse = NULL;
  if (!is_kind(op, kind)) {
    return xnn_status_invalid_parameter;
  }
  if (op->plan.batch_size == 0) {
    op->state = twopass_operator_state_skip;
    return xnn_status_success;
  }
  if (input == NULL || output == NULL) {
    return xnn_status_invalid_parameter;
  }
  const size_t element_size = op->plan.element_size;
  if (!element_aligned(input, element_size) || !element_aligned(output, element_size) ||
      (lse != NULL && !element_aligned(lse, sizeof(float)))) {
    return xnn_status_invalid_parameter;
  }
  // In place needs equal strides; other overlaps would read what an earlier
  // row (or the same row) already wrote.
  if (((const void*) output == input && op->plan.input_stride != op->plan.output_stride) ||
      rows_overlap(op, input, output) ||
      (lse != NULL && !lse_valid(op, input, output, lse))) {
    return xnn_status_invalid_parameter;
  }
  op->input = input;
  op->output = output;
  op->lse = lse;
  op->state = twopass_operator_state_ready;
  return xnn_status_success;
}

// The public entry points, per kind and datatype.
static const struct operator_kind softmax_f32 = {twopass_operator_type_softmax,
                                                 twopass_datatype_f32};
static const struct operator_kind log_softmax_f32 = {twopass_operator_type_log_softmax,
                                                     twopass_datatype_f32};
static const struct operator_kind softmax_bf16 = {twopass_operator_type_softmax,
                                                  twopass_datatype_bf16};
static const struct operator_kind log_softmax_bf16 = {twopass_operator_type_log_softmax,
                                                      twopass_datatype_bf16};
static const struct operator_kind softmax_f16 = {twopass_operator_type_softmax,
                                                 twopass_datatype_f16};
static const struct operator_kind log_softmax_f16 = {twopass_operator_type_log_softmax,
                                                     twopass_datatype_f16};

enum xnn_status twopass_create_softmax_nc_f32(float beta, uint32_t flags,
                                              twopass_operator_t* op_out) {
  return create_softmax(softmax_f32, beta, flags, op_out);
}

enum xnn_status twopass_reshape_softmax_nc_f32(twopass_operator_t op, size_t channels,
                                               size_t input_stride, size_t output_stride,
                                               size_t batch_size, pthreadpool_t threadpool) {
  return reshape_softmax(op, softmax_f32, channels, input_stride, output_stride, batch_size,
                         threadpool);
}

enum xnn_status twopass_setup_softmax_nc_f32(twopass_operator_t op, const float* input,
                                             float* output) {
  return setup_softmax(op, softmax_f32, input, output, NULL);
}

enum xnn_status twopass_setup_softmax_nc_f32_with_lse(twopass_operator_t op, const float* input,
                                                      float* output, float* lse) {
  return setup_softmax(op, softmax_f32, input, output, lse);
}

enum xnn_status twopass_create_log_softmax_nc_f32(float beta, uint32_t flags,
                                                  twopass_operator_t* op_out) {
  return create_softmax(log_softmax_f32, beta, flags, op_out);
}

enum xnn_status twopass_reshape_log_softmax_nc_f32(twopass_operator_t op, size_t channels,
                                                   size_t input_stride, size_t output_stride,
                                                   size_t batch_size, pthreadpool_t threadpool) {
  return reshape_softmax(op, log_softmax_f32, channels, input_stride, output_stride, batch_size,
                         threadpool);
}

enum xnn_status twopass_setup_log_softmax_nc_f32(twopass_operator_t op, const float* input,
                                                 float* output) {
  return setup_softmax(op, log_softmax_f32, input, output, NULL);
}

enum xnn_status twopass_setup_log_softmax_nc_f32_with_lse(twopass_operator_t op, const float* input,
                                                          float* output, float* lse) {
  return setup_softmax(op, log_softmax_f32, input, output, lse);
}

enum xnn_status twopass_create_softmax_nc_bf16(float beta, uint32_t flags,
                                               twopass_operator_t* op_out) {
  return create_softmax(softmax_bf16, beta, flags, op_out);
}

enum xnn_status twopass_reshape_softmax_nc_bf16(twopass_operator_t op, size_t channels,
                                                size_t input_stride, size_t output_stride,
                                                size_t batch_size, pthreadpool_t threadpool) {
  return reshape_softmax(op, softmax_bf16, channels, input_stride, output_stride, batch_size,
                         threadpool);
}

enum xnn_status twopass_setup_softmax_nc_bf16(twopass_operator_t op, const void* input,
                                              void* output) {
  return setup_softmax(op, softmax_bf16, input, output, NULL);
}

enum xnn_status twopass_setup_softmax_nc_bf16_with_lse(twopass_operator_t op, const void* input,
                                                       void* output, float* lse) {
  return setup_softmax(op, softmax_bf16, input, output, lse);
}

enum xnn_status twopass_create_log_softmax_nc_bf16(float beta, uint32_t flags,
                                                   twopass_operator_t* op_out) {
  return create_softmax(log_softmax_bf16, beta, flags, op_out);
}

enum xnn_status twopass_reshape_log_softmax_nc_bf16(twopass_operator_t op, size_t channels,
                                                    size_t input_stride, size_t output_stride,
                                                    size_t batch_size, pthreadpool_t threadpool) {
  return reshape_softmax(op, log_softmax_bf16, channels, input_stride, output_stride, batch_size,
                         threadpool);
}

enum xnn_status twopass_setup_log_softmax_nc_bf16(twopass_operator_t op, const void* input,
                                                  void* output) {
  return setup_softmax(op, log_softmax_bf16, input, output, NULL);
}

enum xnn_status twopass_setup_log_softmax_nc_bf16_with_lse(twopass_operator_t op, const void* input,
                                                           void* output, float* lse) {
  return setup_softmax(op, log_softmax_bf16, input, output, lse);
}

enum xnn_status twopass_create_softmax_nc_f16(float beta, uint32_t flags,
                                              twopass_operator_t* op_out) {
  return create_softmax(softmax_f16, beta, flags, op_out);
}

enum xnn_status twopass_reshape_softmax_nc_f16(twopass_operator_t op, size_t channels,
                                               size_t input_stride, size_t output_stride,
                                               size_t batch_size, pthreadpool_t threadpool) {
  return reshape_softmax(op, softmax_f16, channels, input_stride, output_stride, batch_size,
                         threadpool);
}

enum xnn_status twopass_setup_softmax_nc_f16(twopass_operator_t op, const void* input,
                                             void* output) {
  return setup_softmax(op, softmax_f16, input, output, NULL);
}

enum xnn_status twopass_setup_softmax_nc_f16_with_lse(twopass_operator_t op, const void* input,
                                                      void* output, float* lse) {
  return setup_softmax(op, softmax_f16, input, output, lse);
}

enum xnn_status twopass_create_log_softmax_nc_f16(float beta, uint32_t flags,
                                                  twopass_operator_t* op_out) {
  return create_softmax(log_softmax_f16, beta, flags, op_out);
}

enum xnn_status twopass_reshape_log_softmax_nc_f16(twopass_operator_t op, size_t channels,
                                                   size_t input_stride, size_t output_stride,
                                                   size_t batch_size, pthreadpool_t threadpool) {
  return reshape_softmax(op, log_softmax_f16, channels, input_stride, output_stride, batch_size,
                         threadpool);
}

enum xnn_status twopass_setup_log_softmax_nc_f16(twopass_operator_t op, const void* input,
                                                 void* output) {
  return setup_softmax(op, log_softmax_f16, input, output, NULL);
}

enum xnn_status twopass_setup_log_softmax_nc_f16_with_lse(twopass_operator_t op, const void* input,
                                                          void* output, float* lse) {
  return setup_softmax(op, log_softmax_f16, input, output, lse);
}

enum xnn_status twopass_run_operator(twopass_operator_t op, pthreadpool_t threadpool) {
  if (op == NULL) {
    return xnn_status_invalid_parameter;
  }
  switch (op->state) {
    case twopass_operator_state_skip:
      return xnn_status_success;
    case twopass_operator_state_ready:
      twopass_compute_softmax(op, threadpool);
      return xnn_status_success;
    default:
      return xnn_status_invalid_state;
  }
}

enum xnn_status twopass_delete_operator(twopass_operator_t op) {
  if (op == NULL) {
    return xnn_status_invalid_parameter;
  }
  free(op->chunk_results);
  free(op->row_states);
  free(op);
  return xnn_status_success;
}

enum xnn_status twopass_get_operator_info(twopass_operator_t op,
                                          struct twopass_operator_info* info) {
  if (op == NULL || info == NULL) {
    return xnn_status_invalid_parameter;
  }
  if (op->state == twopass_operator_state_created) {
    return xnn_status_invalid_state;  // No plan: never reshaped, or the last reshape failed.
  }
  const struct twopass_plan* plan = &op->plan;
  info->algorithm = plan->algorithm;
  info->isa = plan->isa->name;
  for (size_t i = 0; i < 3; i++) {
    const struct twopass_ukernel* ukernel = plan->passes[i];
    info->ukernels[i] = ukernel != NULL ? ukernel->name : NULL;
    info->ukernel_tiles[i] = ukernel != NULL ? ukernel->element_tile : 0;
  }
  info->l2_cache_bytes = twopass_get_hardware()->l2_cache_bytes;
  info->llc_bytes = twopass_get_hardware()->llc_bytes;
  info->llc_share_bytes = twopass_get_hardware()->llc_share_bytes;
  return xnn_status_success;
}
