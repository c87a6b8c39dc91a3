// The twopass TFLite external delegate (twopass-tflite-delegate.h).
//
// Flow: the interpreter calls the delegate's prepare once per subgraph
// (ModifyGraphWithDelegate, before TFLite's default XNNPACK delegate, which
// then takes what is left). prepare checks the layout of what the runtime
// handed over (layout_check), then replaces each supported node by a kernel of
// its own, one replace call per node: a partition of several nodes would have
// internal tensors that the runtime never allocates. Each kernel owns one
// twopass operator, created in init, reshaped in prepare (which the runtime
// runs again after a resize), set up and run in invoke.
#define _GNU_SOURCE  // dladdr
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthreadpool.h>
#include <twopass.h>

#include "delegate/tflite-abi.h"
#include "delegate/twopass-tflite-delegate.h"

#define TPD_EXPORT __attribute__((visibility("default")))

// Bounds of the layout check (layout_check).
#define TPD_MAX_TENSORS (1 << 24)
#define TPD_MAX_NODES (1 << 24)
#define TPD_MAX_NODE_TENSORS (1 << 16)
#define TPD_MAX_RANK 16
#define TPD_MAX_THREADS 1024

// The tests build a variant with a wrong tensor stride, to see the layout
// check fail (delegate/test/test_tflite_delegate.py, test_layout_mismatch).
#ifdef TWOPASS_TFLITE_TEST_TENSOR_STRIDE
#define TPD_TENSOR_STRIDE ((size_t) TWOPASS_TFLITE_TEST_TENSOR_STRIDE)
#else
#define TPD_TENSOR_STRIDE sizeof(struct tpd_tensor)
#endif

static atomic_uint_fast64_t claimed_nodes;
static atomic_uint_fast64_t invocations;
static atomic_uint_fast64_t layout_failures;

struct tpd_state {
  struct tpd_delegate delegate;  // first: the pointer handed out is the state's
  int num_threads;               // the option; <= 0: the interpreter's
  bool strict;
  bool verbose;
  uint32_t flags;                // of every operator: TWOPASS_FLAG_MASKED_ROWS_ZERO or 0
  bool pool_made;
  size_t pool_threads;
  pthreadpool_t pool;            // NULL: one thread (the caller's)
};

// The twopass entry points of a node: its kind and its tensors' type.
struct tpd_operator_api {
  enum xnn_status (*create)(float, uint32_t, twopass_operator_t*);
  enum xnn_status (*reshape)(twopass_operator_t, size_t, size_t, size_t, size_t, pthreadpool_t);
  enum xnn_status (*setup)(twopass_operator_t, const void*, void*);
};

struct tpd_kernel {
  struct tpd_state* state;
  twopass_operator_t op;
  const struct tpd_operator_api* api;
  bool log_softmax;
  float beta;
  int node_index;                // the node it replaced, for messages
  int32_t type;                  // of its tensors: TPD_TYPE_FLOAT32 or TPD_TYPE_FLOAT16
  bool reshaped;                 // op is reshaped for (channels, batch)
  size_t channels;
  size_t batch;
  bool set_up;                   // op is set up for (input, output)
  const void* input;
  void* output;
};

// ---- Options ----------------------------------------------------------------------
static bool parse_int(const char* text, long min, long max, long* value) {
  if (text == NULL || *text == '\0') {
    return false;
  }
  char* end = NULL;
  errno = 0;
  const long v = strtol(text, &end, 10);
  if (errno != 0 || *end != '\0' || v < min || v > max) {
    return false;
  }
  *value = v;
  return true;
}

static bool parse_bool(const char* text, bool* value) {
  if (text == NULL) {
    return false;
  }
  if (strcmp(text, "1") == 0 || strcmp(text, "true") == 0 || strcmp(text, "True") == 0) {
    *value = true;
    return true;
  }
  if (strcmp(text, "0") == 0 || strcmp(text, "false") == 0 || strcmp(text, "False") == 0) {
    *value = false;
    return true;
  }
  return false;
}

static void report(void (*report_error)(const char*), const char* format, ...) {
  char message[512];
  va_list args;
  va_start(args, format);
  vsnprintf(message, sizeof(message), format, args);
  va_end(args);
  if (report_error != NULL) {
    report_error(message);
  } else {
    fprintf(stderr, "%s\n", message);
  }
}

static struct tpd_tensor* tensor_at(struct tpd_context* context, size_t index) {
  return (struct tpd_tensor*) ((char*) context->tensors + index * TPD_TENSOR_STRIDE);
}

// ---- The layout check --------------------------------------------------------------
// Whether a function pointer lies in a loaded object.
static bool in_loaded_object(const void* function, const void** object_base) {
  Dl_info info;
  if (function == NULL || dladdr(function, &info) == 0 || info.dli_fbase == NULL) {
    return false;
  }
  *object_base = info.dli_fbase;
  return true;
}

static bool index_array_ok(const struct tpd_int_array* array, size_t tensors_size) {
  if (array == NULL) {
    return false;
  }
  if (array->size < 0 || array->size > TPD_MAX_NODE_TENSORS) {
    return false;
  }
  for (int i = 0; i < array->size; i++) {
    const int t = array->data[i];
    if (t < -1 || (t >= 0 && (size_t) t >= tensors_size)) {
      return false;
    }
  }
  return true;
}

static bool tensor_ok(const struct tpd_tensor* tensor) {
  if (tensor->type < 0 || tensor->type > 63) {
    return false;
  }
  if (tensor->allocation_type < 0 || tensor->allocation_type > 15) {
    return false;
  }
  const struct tpd_int_array* dims = tensor->dims;
  if (dims == NULL) {
    return true;
  }
  if (dims->size < 0 || dims->size > TPD_MAX_RANK) {
    return false;
  }
  uint64_t elements = 1;
  for (int d = 0; d < dims->size; d++) {
    if (dims->data[d] < 0) {
      return false;
    }
    elements *= (uint64_t) dims->data[d];
    if (elements > (UINT64_C(1) << 48)) {
      return false;
    }
  }
  const uint64_t element_size =
      tensor->type == TPD_TYPE_FLOAT32 ? 4 : tensor->type == TPD_TYPE_FLOAT16 ? 2 : 0;
  if (element_size != 0 && tensor->bytes != element_size * elements) {
    // Tensors the runtime allocates later (dynamic, custom, none, non-CPU) may
    // not have their size yet.
    const int at = tensor->allocation_type;
    const bool late = at == TPD_ALLOC_NONE || at == TPD_ALLOC_DYNAMIC || at == TPD_ALLOC_CUSTOM ||
                      at == TPD_ALLOC_NON_CPU;
    if (!(late && tensor->bytes == 0)) {
      return false;
    }
  }
  return true;
}

// Returns NULL when everything the delegate reads looks as tflite-abi.h
// declares it, else what did not (for the warning).
static const char* layout_check(struct tpd_context* context, char* why, size_t why_size) {
  if (context == NULL) {
    return "no context";
  }
  const void* base = NULL;
  if (!in_loaded_object((const void*) context->get_execution_plan, &base) ||
      !in_loaded_object((const void*) context->resize_tensor, &base) ||
      !in_loaded_object((const void*) context->report_error, &base) ||
      !in_loaded_object((const void*) context->get_node_and_registration, &base) ||
      !in_loaded_object((const void*) context->replace_node_subsets, &base)) {
    return "a context function is not in a loaded object";
  }
  if (context->tensors_size == 0 || context->tensors_size > TPD_MAX_TENSORS ||
      context->tensors == NULL) {
    return "tensor count or array";
  }
  if (context->recommended_num_threads < -1 || context->recommended_num_threads > 4096) {
    return "recommended_num_threads";
  }
  for (size_t t = 0; t < context->tensors_size; t++) {
    if (!tensor_ok(tensor_at(context, t))) {
      snprintf(why, why_size, "tensor %zu of %zu", t, context->tensors_size);
      return why;
    }
  }
  struct tpd_int_array* plan = NULL;
  if (context->get_execution_plan(context, &plan) != TPD_STATUS_OK || plan == NULL ||
      plan->size < 0 || plan->size > TPD_MAX_NODES) {
    return "execution plan";
  }
  for (int i = 0; i < plan->size; i++) {
    struct tpd_node* node = NULL;
    struct tpd_registration* registration = NULL;
    if (plan->data[i] < 0 ||
        context->get_node_and_registration(context, plan->data[i], &node, &registration) !=
            TPD_STATUS_OK ||
        node == NULL || registration == NULL) {
      snprintf(why, why_size, "node %d of the plan", plan->data[i]);
      return why;
    }
    if (registration->builtin_code < 0 || registration->builtin_code >= 1024 ||
        registration->version < 1) {
      snprintf(why, why_size, "registration of node %d (code %d, version %d)", plan->data[i],
               (int) registration->builtin_code, registration->version);
      return why;
    }
    if (!index_array_ok(node->inputs, context->tensors_size) ||
        !index_array_ok(node->outputs, context->tensors_size)) {
      snprintf(why, why_size, "tensor indices of node %d", plan->data[i]);
      return why;
    }
  }
  return NULL;
}

// ---- Kernels -------------------------------------------------------------------------
// The f32 setups take float pointers: these give them the shape of the others.
static enum xnn_status setup_softmax_f32(twopass_operator_t op, const void* x, void* y) {
  return twopass_setup_softmax_nc_f32(op, x, y);
}

static enum xnn_status setup_log_softmax_f32(twopass_operator_t op, const void* x, void* y) {
  return twopass_setup_log_softmax_nc_f32(op, x, y);
}

static const struct tpd_operator_api apis[2][2] = {  // [log_softmax][float16]
  {{twopass_create_softmax_nc_f32, twopass_reshape_softmax_nc_f32, setup_softmax_f32},
   {twopass_create_softmax_nc_f16, twopass_reshape_softmax_nc_f16, twopass_setup_softmax_nc_f16}},
  {{twopass_create_log_softmax_nc_f32, twopass_reshape_log_softmax_nc_f32, setup_log_softmax_f32},
   {twopass_create_log_softmax_nc_f16, twopass_reshape_log_softmax_nc_f16,
    twopass_setup_log_softmax_nc_f16}},
};

// Float tensors twopass takes: float32, or float16 (its 16-bit operators).
static bool float_type(int32_t type) {
  return type == TPD_TYPE_FLOAT32 || type == TPD_TYPE_FLOAT16;
}

static const struct tpd_tensor* node_tensor(struct tpd_context* context,
                                            const struct tpd_int_array* indices) {
  if (indices == NULL || indices->size != 1 || indices->data[0] < 0 ||
      (size_t) indices->data[0] >= context->tensors_size) {
    return NULL;
  }
  return tensor_at(context, (size_t) indices->data[0]);
}

// Whether twopass takes this node (registration and node from the plan).
static bool supported(struct tpd_context* context, const struct tpd_node* node,
                      const struct tpd_registration* registration) {
  const int code = registration->builtin_code;
  if (code != TPD_OP_SOFTMAX && code != TPD_OP_LOG_SOFTMAX) {
    return false;
  }
  const struct tpd_tensor* input = node_tensor(context, node->inputs);
  const struct tpd_tensor* output = node_tensor(context, node->outputs);
  if (input == NULL || output == NULL || !float_type(input->type) ||
      output->type != input->type || input->dims == NULL || input->dims->size < 1) {
    return false;
  }
  if (code == TPD_OP_SOFTMAX) {
    const struct tpd_softmax_params* params = node->builtin_data;
    // twopass takes any finite beta.
    return params != NULL && isfinite(params->beta);
  }
  return true;
}

static void* kernel_init(struct tpd_context* context, const char* buffer, size_t length) {
  (void) length;
  const struct tpd_delegate_params* params = (const struct tpd_delegate_params*) buffer;
  if (params == NULL || params->delegate == NULL || params->nodes_to_replace == NULL ||
      params->nodes_to_replace->size != 1) {
    context->report_error(context, "twopass: a delegate kernel takes exactly one node");
    return NULL;
  }
  struct tpd_node* node = NULL;
  struct tpd_registration* registration = NULL;
  const int index = params->nodes_to_replace->data[0];
  if (context->get_node_and_registration(context, index, &node, &registration) != TPD_STATUS_OK ||
      node == NULL || registration == NULL || !supported(context, node, registration)) {
    context->report_error(context, "twopass: node %d is not a node the delegate takes", index);
    return NULL;
  }
  struct tpd_kernel* kernel = calloc(1, sizeof(*kernel));
  if (kernel == NULL) {
    context->report_error(context, "twopass: out of memory");
    return NULL;
  }
  kernel->state = (struct tpd_state*) params->delegate->data;
  kernel->node_index = index;
  kernel->log_softmax = registration->builtin_code == TPD_OP_LOG_SOFTMAX;
  kernel->beta =
      kernel->log_softmax ? 1.0f : ((const struct tpd_softmax_params*) node->builtin_data)->beta;
  const bool float16 = node_tensor(context, node->inputs)->type == TPD_TYPE_FLOAT16;
  kernel->api = &apis[kernel->log_softmax][float16];
  kernel->type = float16 ? TPD_TYPE_FLOAT16 : TPD_TYPE_FLOAT32;
  const enum xnn_status status =
      kernel->api->create(kernel->beta, kernel->state->flags, &kernel->op);
  if (status != xnn_status_success) {
    context->report_error(context, "twopass: creating the operator of node %d failed (status %d)",
                          index, (int) status);
    free(kernel);
    return NULL;
  }
  return kernel;
}

static void kernel_free(struct tpd_context* context, void* user_data) {
  (void) context;
  struct tpd_kernel* kernel = user_data;
  if (kernel != NULL) {
    twopass_delete_operator(kernel->op);
    free(kernel);
  }
}

static bool same_dims(const struct tpd_int_array* a, const struct tpd_int_array* b) {
  if (a == NULL || b == NULL || a->size != b->size) {
    return false;
  }
  return memcmp(a->data, b->data, sizeof(int) * (size_t) a->size) == 0;
}

static int kernel_prepare(struct tpd_context* context, struct tpd_node* node) {
  struct tpd_kernel* kernel = node->user_data;
  const struct tpd_tensor* input = node_tensor(context, node->inputs);
  struct tpd_tensor* output = (struct tpd_tensor*) node_tensor(context, node->outputs);
  if (kernel == NULL || input == NULL || output == NULL || input->type != kernel->type ||
      output->type != kernel->type || input->dims == NULL || input->dims->size < 1) {
    context->report_error(context,
                          "twopass: node %d: one input of rank >= 1, of the type it was "
                          "created for (float32 or float16), expected",
                          kernel != NULL ? kernel->node_index : -1);
    return TPD_STATUS_ERROR;
  }
  const struct tpd_int_array* dims = input->dims;
  if (!same_dims(dims, output->dims)) {
    struct tpd_int_array* copy = malloc(sizeof(int) * (1 + (size_t) dims->size));
    if (copy == NULL) {
      context->report_error(context, "twopass: out of memory");
      return TPD_STATUS_ERROR;
    }
    copy->size = dims->size;
    memcpy(copy->data, dims->data, sizeof(int) * (size_t) dims->size);
    const int status = context->resize_tensor(context, output, copy);  // takes copy
    if (status != TPD_STATUS_OK) {
      return status;
    }
  }
  size_t batch = 1;
  for (int d = 0; d + 1 < dims->size; d++) {
    batch *= (size_t) dims->data[d];
  }
  const size_t channels = (size_t) dims->data[dims->size - 1];
  if (channels == 0 || batch == 0) {
    kernel->reshaped = false;  // nothing to compute; invoke does nothing
    kernel->channels = channels;
    kernel->batch = batch;
    return TPD_STATUS_OK;
  }
  if (!kernel->reshaped || kernel->channels != channels || kernel->batch != batch) {
    struct tpd_state* state = kernel->state;
    const enum xnn_status status =
        kernel->api->reshape(kernel->op, channels, channels, channels, batch, state->pool);
    kernel->reshaped = status == xnn_status_success;
    kernel->set_up = false;
    kernel->channels = channels;
    kernel->batch = batch;
    if (status != xnn_status_success) {
      context->report_error(context, "twopass: node %d: reshape to %zu x %zu failed (status %d)",
                            kernel->node_index, batch, channels, (int) status);
      return TPD_STATUS_ERROR;
    }
  }
  return TPD_STATUS_OK;
}

static int kernel_invoke(struct tpd_context* context, struct tpd_node* node) {
  struct tpd_kernel* kernel = node->user_data;
  const struct tpd_tensor* input = node_tensor(context, node->inputs);
  const struct tpd_tensor* output = node_tensor(context, node->outputs);
  if (kernel == NULL || input == NULL || output == NULL) {
    context->report_error(context, "twopass: a delegate node without its kernel or tensors");
    return TPD_STATUS_ERROR;
  }
  atomic_fetch_add_explicit(&invocations, 1, memory_order_relaxed);
  if (kernel->channels == 0 || kernel->batch == 0) {
    return TPD_STATUS_OK;  // an empty tensor
  }
  if (!kernel->reshaped) {
    context->report_error(context, "twopass: node %d invoked without a successful prepare",
                          kernel->node_index);
    return TPD_STATUS_ERROR;
  }
  const void* x = input->data;
  void* y = output->data;
  if (x == NULL || y == NULL) {
    context->report_error(context, "twopass: node %d: tensor %d or %d has no buffer",
                          kernel->node_index, node->inputs->data[0], node->outputs->data[0]);
    return TPD_STATUS_ERROR;
  }
  struct tpd_state* state = kernel->state;
  enum xnn_status status = xnn_status_success;
  if (!kernel->set_up || kernel->input != x || kernel->output != y) {
    status = kernel->api->setup(kernel->op, x, y);
    kernel->set_up = status == xnn_status_success;
    kernel->input = x;
    kernel->output = y;
  }
  if (status == xnn_status_success) {
    status = twopass_run_operator(kernel->op, state->pool);
  }
  if (status != xnn_status_success) {
    context->report_error(context, "twopass: node %d failed (status %d)", kernel->node_index,
                          (int) status);
    return TPD_STATUS_ERROR;
  }
  return TPD_STATUS_OK;
}

// ---- The delegate ----------------------------------------------------------------------
static void make_pool(struct tpd_state* state, int recommended) {
  if (state->pool_made) {
    return;
  }
  state->pool_made = true;
  size_t threads = 1;
  if (state->num_threads > 0) {
    threads = (size_t) state->num_threads;
  } else if (recommended > 0) {
    threads = (size_t) recommended;
  }
  if (threads > 1) {
    state->pool = pthreadpool_create(threads);
    // Without a pool the kernels run on the calling thread.
  }
  state->pool_threads = state->pool != NULL ? pthreadpool_get_threads_count(state->pool) : 1;
}

static int delegate_prepare(struct tpd_context* context, struct tpd_delegate* delegate) {
  struct tpd_state* state = delegate->data;
  char why[128];
  const char* failure = layout_check(context, why, sizeof(why));
  if (failure != NULL) {
    atomic_fetch_add_explicit(&layout_failures, 1, memory_order_relaxed);
    fprintf(stderr,
            "twopass: TFLite context layout not recognised (%s); delegate not applied%s\n",
            failure, state->strict ? " (strict=1: failing)" : ", the graph runs without it");
    if (!state->strict) {
      return TPD_STATUS_OK;
    }
    const void* base = NULL;
    if (context != NULL && in_loaded_object((const void*) context->report_error, &base)) {
      context->report_error(context, "twopass: TFLite context layout not recognised (%s); "
                                     "delegate not applied (strict=1)", failure);
    }
    return TPD_STATUS_ERROR;
  }
  make_pool(state, context->recommended_num_threads);

  // The nodes to take, copied first: replacing nodes changes the plan and may
  // move the runtime's nodes.
  struct tpd_int_array* plan = NULL;
  if (context->get_execution_plan(context, &plan) != TPD_STATUS_OK) {
    return TPD_STATUS_ERROR;
  }
  int* claim = malloc(sizeof(int) * ((size_t) plan->size + 1));
  if (claim == NULL) {
    context->report_error(context, "twopass: out of memory");
    return TPD_STATUS_ERROR;
  }
  int claims = 0;
  for (int i = 0; i < plan->size; i++) {
    struct tpd_node* node = NULL;
    struct tpd_registration* registration = NULL;
    if (context->get_node_and_registration(context, plan->data[i], &node, &registration) ==
            TPD_STATUS_OK &&
        supported(context, node, registration)) {
      claim[claims++] = plan->data[i];
    }
  }

  struct tpd_registration kernel;
  memset(&kernel, 0, sizeof(kernel));
  kernel.init = kernel_init;
  kernel.free = kernel_free;
  kernel.prepare = kernel_prepare;
  kernel.invoke = kernel_invoke;
  kernel.builtin_code = TPD_OP_DELEGATE;
  kernel.custom_name = "TwopassDelegate";
  kernel.version = 1;
  int status = TPD_STATUS_OK;
  // A one-node list per call (the runtime copies it).
  struct tpd_int_array* one = malloc(sizeof(struct tpd_int_array) + sizeof(int));
  if (one == NULL) {
    free(claim);
    context->report_error(context, "twopass: out of memory");
    return TPD_STATUS_ERROR;
  }
  one->size = 1;
  for (int c = 0; c < claims && status == TPD_STATUS_OK; c++) {
    one->data[0] = claim[c];
    status = context->replace_node_subsets(context, kernel, one, delegate);
    if (status == TPD_STATUS_OK) {
      atomic_fetch_add_explicit(&claimed_nodes, 1, memory_order_relaxed);
      if (state->verbose) {
        fprintf(stderr, "twopass: node %d taken\n", claim[c]);
      }
    }
  }
  if (state->verbose) {
    fprintf(stderr, "twopass: delegate applied: %d of %d nodes taken, %zu thread(s)\n", claims,
            plan->size, state->pool_threads);
  }
  free(one);
  free(claim);
  return status;
}

TPD_EXPORT void* tflite_plugin_create_delegate(const char* const* option_keys,
                                               const char* const* option_values,
                                               size_t num_options,
                                               void (*report_error)(const char* message)) {
  // Python passes a C int: only the low 32 bits are defined.
  const uint32_t count = (uint32_t) num_options;
  if (count > 1024 || (count != 0 && (option_keys == NULL || option_values == NULL))) {
    report(report_error, "twopass: bad option list (%" PRIu32 " options)", count);
    return NULL;
  }
  int num_threads = 0;
  bool strict = false, verbose = false, masked_rows_zero = false;
  for (uint32_t i = 0; i < count; i++) {
    const char* key = option_keys[i];
    const char* value = option_values[i];
    bool ok = false;
    if (key == NULL) {
      key = "(null)";
    } else if (strcmp(key, "num_threads") == 0) {
      long v = 0;
      ok = parse_int(value, -1, TPD_MAX_THREADS, &v);
      num_threads = (int) v;
    } else if (strcmp(key, "strict") == 0) {
      ok = parse_bool(value, &strict);
    } else if (strcmp(key, "verbose") == 0) {
      ok = parse_bool(value, &verbose);
    } else if (strcmp(key, "masked_rows_zero") == 0) {
      ok = parse_bool(value, &masked_rows_zero);
    } else {
      report(report_error,
             "twopass: unknown option %s (options: num_threads, strict, verbose, "
             "masked_rows_zero)", key);
      return NULL;
    }
    if (!ok) {
      report(report_error, "twopass: bad option %s=%s", key, value != NULL ? value : "(null)");
      return NULL;
    }
  }
  struct tpd_state* state = calloc(1, sizeof(*state));
  if (state == NULL) {
    report(report_error, "twopass: out of memory");
    return NULL;
  }
  state->num_threads = num_threads;
  state->strict = strict;
  state->verbose = verbose;
  state->flags = masked_rows_zero ? TWOPASS_FLAG_MASKED_ROWS_ZERO : 0;
  state->delegate.data = state;
  state->delegate.prepare = delegate_prepare;
  state->delegate.flags = TPD_DELEGATE_FLAG_ALLOW_DYNAMIC_TENSORS;
  if (verbose) {
    fprintf(stderr, "twopass: delegate created: num_threads=%d strict=%d masked_rows_zero=%d\n",
            num_threads, (int) strict, (int) masked_rows_zero);
  }
  return &state->delegate;
}

TPD_EXPORT void tflite_plugin_destroy_delegate(void* delegate) {
  if (delegate == NULL) {
    return;  // Python calls this after a failed create too
  }
  struct tpd_state* state = ((struct tpd_delegate*) delegate)->data;
  if (state->pool != NULL) {
    pthreadpool_destroy(state->pool);
  }
  free(state);
}

TPD_EXPORT uint64_t twopass_tflite_delegate_claimed_nodes(void) {
  return atomic_load(&claimed_nodes);
}

TPD_EXPORT uint64_t twopass_tflite_delegate_invocations(void) {
  return atomic_load(&invocations);
}

TPD_EXPORT uint64_t twopass_tflite_delegate_layout_failures(void) {
  return atomic_load(&layout_failures);
}
