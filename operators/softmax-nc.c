// Softmax and log-softmax operators: create, reshape, setup, run, delete.
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <twopass.h>

#include "operators/defaults.h"
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
#define TWOPASS_MAX_SPAN_ELEMENTS ((size_t) PTRDIFF_MAX / sizeof(float))

// Elements from the first input (or output) of a batch to one past its last,
// or 0 when that does not fit in TWOPASS_MAX_SPAN_ELEMENTS.
static size_t batch_span(size_t batch_size, size_t stride, size_t channels) {
  if (batch_size == 0) {
    return 0;
  }
  if (batch_size - 1 > (TWOPASS_MAX_SPAN_ELEMENTS - channels) / stride) {
    return 0;
  }
  return (batch_size - 1) * stride + channels;
}

// The best kernel set the host runs, or the one a flag asks for (NULL when
// the host lacks that ISA).
static const struct twopass_ukernels* select_ukernels(uint32_t isa_flag) {
  static const struct {
    uint32_t flag;
    const struct twopass_ukernels* ukernels;
  } candidates[] = {  // best first
    {TWOPASS_FLAG_ISA_AVX512F, &twopass_avx512f_ukernels},
    {TWOPASS_FLAG_ISA_AVX2, &twopass_avx2_ukernels},
    {TWOPASS_FLAG_ISA_SCALAR, &twopass_scalar_ukernels},
  };
  const uint32_t host = twopass_get_hardware()->arch_flags;
  for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
    const struct twopass_ukernels* ukernels = candidates[i].ukernels;
    if (isa_flag != 0 && isa_flag != candidates[i].flag) {
      continue;
    }
    if ((ukernels->arch_flags & host) == ukernels->arch_flags) {
      return ukernels;
    }
  }
  return NULL;
}

// Three-pass (one exp per element, but one more read) wins while the row's
// input and output stay in cache; two-pass wins beyond. The crossover comes
// from operators/defaults.h (measured by scripts/sweep.py).
static enum twopass_algorithm select_algorithm(size_t channels, uint32_t flags) {
  if (flags & TWOPASS_FLAG_TWO_PASS) {
    return twopass_algorithm_two_pass;
  }
  if (flags & TWOPASS_FLAG_THREE_PASS) {
    return twopass_algorithm_three_pass;
  }
  const double working_set = (double) channels * 2.0 * sizeof(float);
  const double limit = TWOPASS_DEFAULT_THREE_PASS_MAX_L2_FRACTION *
                       (double) twopass_get_hardware()->l2_cache_bytes;
  return working_set <= limit ? twopass_algorithm_three_pass : twopass_algorithm_two_pass;
}

static enum xnn_status create_softmax(enum twopass_operator_type type, float beta,
                                      uint32_t flags, twopass_operator_t* op_out) {
  if (op_out == NULL) {
    return xnn_status_invalid_parameter;
  }
  *op_out = NULL;
  if (!isfinite(beta) || (flags & ~(TWOPASS_ALGORITHM_FLAGS | TWOPASS_ISA_FLAGS)) != 0 ||
      more_than_one_bit(flags & TWOPASS_ALGORITHM_FLAGS) ||
      more_than_one_bit(flags & TWOPASS_ISA_FLAGS)) {
    return xnn_status_invalid_parameter;
  }
  const struct twopass_ukernels* ukernels = select_ukernels(flags & TWOPASS_ISA_FLAGS);
  if (ukernels == NULL) {
    return xnn_status_unsupported_hardware;
  }
  struct twopass_operator* op = calloc(1, sizeof(struct twopass_operator));
  if (op == NULL) {
    return xnn_status_out_of_memory;
  }
  op->type = type;
  op->state = twopass_operator_state_created;
  op->ukernels = ukernels;
  // The kernels run with denormals flushed, where a denormal beta (either
  // sign) acts as +0: decide on that beta once, here, for run and for info.
  op->params.beta = fabsf(beta) < FLT_MIN ? 0.0f : beta;
  op->flags = flags;
  *op_out = op;
  return xnn_status_success;
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
  if (batch_size * chunks > op->workspace_chunks) {
    struct twopass_chunk_result* chunk_results =
        malloc(batch_size * chunks * sizeof(struct twopass_chunk_result));
    if (chunk_results == NULL) {
      return xnn_status_out_of_memory;
    }
    free(op->chunk_results);
    op->chunk_results = chunk_results;
    op->workspace_chunks = batch_size * chunks;
  }
  if (batch_size > op->workspace_rows) {
    struct twopass_row_result* row_results = malloc(batch_size * sizeof(struct twopass_row_result));
    if (row_results == NULL) {
      return xnn_status_out_of_memory;
    }
    free(op->row_results);
    op->row_results = row_results;
    op->workspace_rows = batch_size;
  }
  return xnn_status_success;
}

// Non-temporal stores skip the read-for-ownership of each output line and
// keep y from evicting x, but leave y out of the caches: worth it only when
// the output would not stay there anyway. Measured on the Zen 4 host of
// docs/performance.md: 12-20% faster two-pass softmax from 4Mi elements
// (16 MiB of y, half its 32 MiB L3) up.
static bool use_nontemporal_stores(const struct twopass_operator* op, size_t batch_size) {
  const size_t llc_bytes = twopass_get_hardware()->llc_bytes;
  return op->type == twopass_operator_type_softmax &&
         op->algorithm == twopass_algorithm_two_pass &&
         batch_size >= (llc_bytes / 2) / sizeof(float) / op->channels;
}

static bool valid_shape(size_t channels, size_t input_stride, size_t output_stride,
                        size_t batch_size) {
  if (channels == 0 || input_stride < channels || output_stride < channels ||
      input_stride > TWOPASS_MAX_SPAN_ELEMENTS || output_stride > TWOPASS_MAX_SPAN_ELEMENTS) {
    return false;
  }
  return batch_size == 0 || (batch_span(batch_size, input_stride, channels) != 0 &&
                             batch_span(batch_size, output_stride, channels) != 0);
}

static enum xnn_status reshape_softmax(twopass_operator_t op, enum twopass_operator_type type,
                                       size_t channels, size_t input_stride,
                                       size_t output_stride, size_t batch_size) {
  if (op == NULL) {
    return xnn_status_invalid_parameter;
  }
  // Reshape invalidates the pointers of an earlier setup, even on failure.
  op->state = twopass_operator_state_created;
  op->channels = 0;
  op->input = NULL;
  op->output = NULL;
  if (op->type != type || !valid_shape(channels, input_stride, output_stride, batch_size)) {
    return xnn_status_invalid_parameter;
  }
  const size_t chunks =
      channels / TWOPASS_CHUNK_ELEMENTS + (channels % TWOPASS_CHUNK_ELEMENTS != 0);
  const enum xnn_status status = reserve_workspace(op, chunks, batch_size);
  if (status != xnn_status_success) {
    return status;
  }
  op->channels = channels;
  op->input_stride = input_stride;
  op->output_stride = output_stride;
  op->chunks = chunks;
  op->batch_size = batch_size;
  op->algorithm = select_algorithm(channels, op->flags);
  op->nontemporal_stores = use_nontemporal_stores(op, batch_size);
  op->state = twopass_operator_state_reshaped;
  return xnn_status_success;
}

// Whether an output row would overwrite an input row that is still to be
// read: any shared element, except in place (each output row exactly on its
// input row). With different strides any overlap of the spans counts.
static bool rows_overlap(const struct twopass_operator* op, const float* input,
                         const float* output) {
  const size_t input_bytes =
      batch_span(op->batch_size, op->input_stride, op->channels) * sizeof(float);
  const size_t output_bytes =
      batch_span(op->batch_size, op->output_stride, op->channels) * sizeof(float);
  const uintptr_t in = (uintptr_t) input;
  const uintptr_t out = (uintptr_t) output;
  if (in >= out + output_bytes || out >= in + input_bytes) {
    return false;
  }
  if (op->input_stride != op->output_stride) {
    return true;
  }
  if (in == out) {
    return false;
  }
  // Output row r + j starts d + j*S bytes after input row r (|d| < the span,
  // so it fits); two rows of L bytes meet when |d + j*S| < L <= S, which only
  // the j nearest -d/S can give: d % S at j = k, and d % S -+ S next to it.
  const ptrdiff_t d = (ptrdiff_t) (out - in);
  const ptrdiff_t stride = (ptrdiff_t) (op->input_stride * sizeof(float));
  const ptrdiff_t row = (ptrdiff_t) (op->channels * sizeof(float));
  const ptrdiff_t last = (ptrdiff_t) op->batch_size - 1;
  const ptrdiff_t k = -(d / stride);
  const ptrdiff_t r = d % stride;
  const ptrdiff_t k_next = r >= 0 ? k - 1 : k + 1;
  const ptrdiff_t r_next = r >= 0 ? r - stride : r + stride;
  return (k >= -last && k <= last && r > -row && r < row) ||
         (k_next >= -last && k_next <= last && r_next > -row && r_next < row);
}

static enum xnn_status setup_softmax(twopass_operator_t op, enum twopass_operator_type type,
                                     const float* input, float* output) {
  if (op == NULL) {
    return xnn_status_invalid_parameter;
  }
  if (op->state == twopass_operator_state_created) {
    return op->type != type ? xnn_status_invalid_parameter : xnn_status_invalid_state;
  }
  // A failed setup leaves no pointers to run with: run needs a new setup.
  op->state = twopass_operator_state_reshaped;
  op->input = NULL;
  op->output = NULL;
  if (op->type != type) {
    return xnn_status_invalid_parameter;
  }
  if (op->batch_size == 0) {
    op->state = twopass_operator_state_skip;
    return xnn_status_success;
  }
  if (input == NULL || output == NULL) {
    return xnn_status_invalid_parameter;
  }
  // In place needs equal strides; other overlaps would read what an earlier
  // row (or the same row) already wrote.
  if (((const float*) output == input && op->input_stride != op->output_stride) ||
      rows_overlap(op, input, output)) {
    return xnn_status_invalid_parameter;
  }
  op->input = input;
  op->output = output;
  op->state = twopass_operator_state_ready;
  return xnn_status_success;
}

enum xnn_status twopass_create_softmax_nc_f32(float beta, uint32_t flags,
                                              twopass_operator_t* softmax_op_out) {
  return create_softmax(twopass_operator_type_softmax, beta, flags, softmax_op_out);
}

enum xnn_status twopass_reshape_softmax_nc_f32(twopass_operator_t softmax_op, size_t channels,
                                               size_t input_stride, size_t output_stride,
                                               size_t batch_size, pthreadpool_t threadpool) {
  (void) threadpool;  // The split into tasks is decided at run time.
  return reshape_softmax(softmax_op, twopass_operator_type_softmax, channels, input_stride,
                         output_stride, batch_size);
}

enum xnn_status twopass_setup_softmax_nc_f32(twopass_operator_t softmax_op, const float* input,
                                             float* output) {
  return setup_softmax(softmax_op, twopass_operator_type_softmax, input, output);
}

enum xnn_status twopass_create_log_softmax_nc_f32(float beta, uint32_t flags,
                                                  twopass_operator_t* log_softmax_op_out) {
  return create_softmax(twopass_operator_type_log_softmax, beta, flags, log_softmax_op_out);
}

enum xnn_status twopass_reshape_log_softmax_nc_f32(twopass_operator_t log_softmax_op,
                                                   size_t channels, size_t input_stride,
                                                   size_t output_stride, size_t batch_size,
                                                   pthreadpool_t threadpool) {
  (void) threadpool;
  return reshape_softmax(log_softmax_op, twopass_operator_type_log_softmax, channels,
                         input_stride, output_stride, batch_size);
}

enum xnn_status twopass_setup_log_softmax_nc_f32(twopass_operator_t log_softmax_op,
                                                 const float* input, float* output) {
  return setup_softmax(log_softmax_op, twopass_operator_type_log_softmax, input, output);
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
  free(op->row_results);
  free(op);
  return xnn_status_success;
}

enum xnn_status twopass_get_operator_info(twopass_operator_t op,
                                          struct twopass_operator_info* info) {
  if (op == NULL || info == NULL) {
    return xnn_status_invalid_parameter;
  }
  if (op->channels == 0) {
    return xnn_status_invalid_state;  // Never reshaped: no plan yet.
  }
  const struct twopass_ukernels* ukernels = op->ukernels;
  const bool softmax = op->type == twopass_operator_type_softmax;
  info->algorithm = op->algorithm;
  info->isa = ukernels->isa;
  if (op->algorithm == twopass_algorithm_two_pass) {
    info->ukernels[0] = ukernels->names.raddextexp;
    info->ukernels[1] = !softmax ? ukernels->names.vaffine
                        : op->nontemporal_stores ? ukernels->names.vscaleextexp_nt
                                                 : ukernels->names.vscaleextexp;
    info->ukernels[2] = NULL;
  } else {
    info->ukernels[0] = op->params.beta < 0.0f ? ukernels->names.rmin : ukernels->names.rmax;
    info->ukernels[1] =
        softmax ? ukernels->names.raddstoreexpminusmax : ukernels->names.raddexpminusmax;
    info->ukernels[2] = softmax ? ukernels->names.vscale : ukernels->names.vaffine;
  }
  for (size_t i = 0; i < 3; i++) {
    info->ukernel_tiles[i] = 0;  // Filled from the plan (not built yet).
  }
  info->l2_cache_bytes = twopass_get_hardware()->l2_cache_bytes;
  info->llc_bytes = twopass_get_hardware()->llc_bytes;
  return xnn_status_success;
}
