// twopass's own declarations of the parts of TFLite's classic delegate ABI
// that the delegate uses (x86-64 Linux, LP64), written from verified facts
// about the runtime's layout (fields in order, offsets, C types; checked by
// loading test builds into ai-edge-litert 1.0.1 to 2.4 and tflite-runtime
// 2.14), not from TFLite's headers: the names are this project's
// (docs/tflite-delegate.md). Every offset the delegate relies on is checked
// below with _Static_assert, and what the runtime hands over is checked again
// at load time (tflite-delegate.c, layout_check).
//
// The runtime's structs have only grown at their ends since 2019. The two
// structs the delegate builds itself (the kernel registration and the
// delegate) therefore carry a zero tail, so that a runtime that reads more of
// them than is declared here reads zeros ("unset").
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(__x86_64__) || !defined(__LP64__)
#error "tflite-abi.h describes the x86-64 LP64 layout only"
#endif

// ---- Constants ----------------------------------------------------------------
// Statuses (an int-sized enum in the runtime).
enum {
  TPD_STATUS_OK = 0,
  TPD_STATUS_ERROR = 1,
  TPD_STATUS_DELEGATE_ERROR = 2,
};

// Tensor element types of the runtime (not the flatbuffer schema's numbering).
enum {
  TPD_TYPE_FLOAT32 = 1,
  TPD_TYPE_FLOAT16 = 10,
};

// Operator codes of a registration (the schema's numbers).
enum {
  TPD_OP_SOFTMAX = 25,
  TPD_OP_CUSTOM = 32,
  TPD_OP_LOG_SOFTMAX = 50,
  TPD_OP_DELEGATE = 51,
};

// Bits of the delegate's flags.
#define TPD_DELEGATE_FLAG_ALLOW_DYNAMIC_TENSORS INT64_C(1)

// Allocation types run from 0 to 8; 4 is "dynamic" and 6 is "custom".
enum {
  TPD_ALLOC_NONE = 0,
  TPD_ALLOC_DYNAMIC = 4,
  TPD_ALLOC_CUSTOM = 6,
  TPD_ALLOC_NON_CPU = 8,
};

// Bytes of zeros after the structs the delegate builds.
#define TPD_ZERO_TAIL_BYTES 64

// ---- Structs --------------------------------------------------------------------
struct tpd_context;
struct tpd_delegate;
struct tpd_node;
struct tpd_registration;

// A length, then that many ints: tensor indices, node indices or dimensions.
struct tpd_int_array {
  int size;
  int data[];
};

// One tensor of the context's array; the size is the array's stride.
struct tpd_tensor {
  int32_t type;                       // element type (TPD_TYPE_*)
  void* data;                         // the buffer (NULL until allocated)
  struct tpd_int_array* dims;         // the shape
  struct {
    float scale;
    int32_t zero_point;
  } quant_params;
  int32_t allocation_type;            // 0 to 8
  size_t bytes;                       // size of the buffer
  const void* allocation;
  const char* name;
  struct tpd_delegate* delegate;
  int buffer_handle;
  bool data_is_stale;
  bool is_variable;
  struct {
    int32_t type;
    void* params;
  } quantization;
  void* sparsity;
  const struct tpd_int_array* dims_signature;
};

// The prefix of the context that the delegate reads; the runtime allocates it
// and it continues beyond recommended_num_threads. Its functions work only
// inside the delegate's prepare (and kernel init); kernel prepare and invoke
// use only tensors, resize_tensor and report_error.
struct tpd_context {
  size_t tensors_size;
  int (*get_execution_plan)(struct tpd_context* context, struct tpd_int_array** plan);
  struct tpd_tensor* tensors;
  void* impl;
  // Takes ownership of new_dims (malloc'ed; the runtime frees it).
  int (*resize_tensor)(struct tpd_context* context, struct tpd_tensor* tensor,
                       struct tpd_int_array* new_dims);
  void (*report_error)(struct tpd_context* context, const char* format, ...);
  int (*add_tensors)(struct tpd_context* context, int count, int* first_index);
  int (*get_node_and_registration)(struct tpd_context* context, int node_index,
                                   struct tpd_node** node,
                                   struct tpd_registration** registration);
  // The registration is passed by value (in memory on x86-64: the callee
  // reads as much of it as its own declaration has).
  int (*replace_node_subsets)(struct tpd_context* context,
                              struct tpd_registration registration,
                              const struct tpd_int_array* nodes,
                              struct tpd_delegate* delegate);
  int recommended_num_threads;
};

// A node of the graph (owned by the runtime).
struct tpd_node {
  struct tpd_int_array* inputs;       // tensor indices; -1: an absent optional input
  struct tpd_int_array* outputs;
  struct tpd_int_array* intermediates;
  struct tpd_int_array* temporaries;
  void* user_data;                    // what the kernel's init returned
  void* builtin_data;                 // SOFTMAX: struct tpd_softmax_params*; LOG_SOFTMAX: NULL
  const void* custom_initial_data;
  int custom_initial_data_size;
  struct tpd_delegate* delegate;
  bool might_have_side_effect;
};

// A kernel: what the delegate hands the runtime for each node it takes, and
// what the runtime reports for each node of the plan.
struct tpd_registration {
  // buffer: a struct tpd_delegate_params*, length 0.
  void* (*init)(struct tpd_context* context, const char* buffer, size_t length);
  void (*free)(struct tpd_context* context, void* user_data);
  int (*prepare)(struct tpd_context* context, struct tpd_node* node);
  int (*invoke)(struct tpd_context* context, struct tpd_node* node);
  const char* (*profiling_string)(const struct tpd_context* context, const struct tpd_node* node);
  int32_t builtin_code;
  const char* custom_name;
  int version;
  void* registration_external;        // must be NULL (non-NULL: an "opaque" operator)
  void (*async_kernel)(void);         // NULL
  uint64_t inplace_operator;          // 0: no in-place
  unsigned char zero_tail[TPD_ZERO_TAIL_BYTES];
};

// The delegate, allocated (zeroed) by the delegate library.
struct tpd_delegate {
  void* data;
  int (*prepare)(struct tpd_context* context, struct tpd_delegate* delegate);
  void (*copy_from_buffer_handle)(void);  // NULL
  void (*copy_to_buffer_handle)(void);    // NULL
  void (*free_buffer_handle)(void);       // NULL
  int64_t flags;
  void* opaque_delegate_builder;          // must be NULL
  unsigned char zero_tail[TPD_ZERO_TAIL_BYTES];
};

// What kernel init receives as its buffer (arrays owned by the runtime).
struct tpd_delegate_params {
  struct tpd_delegate* delegate;
  struct tpd_int_array* nodes_to_replace;
  struct tpd_int_array* input_tensors;
  struct tpd_int_array* output_tensors;
};

// builtin_data of a SOFTMAX node.
struct tpd_softmax_params {
  float beta;
};

// ---- The layout the delegate relies on -------------------------------------------
_Static_assert(offsetof(struct tpd_int_array, data) == 4, "int array: data");

_Static_assert(offsetof(struct tpd_tensor, type) == 0, "tensor: type");
_Static_assert(offsetof(struct tpd_tensor, data) == 8, "tensor: data");
_Static_assert(offsetof(struct tpd_tensor, dims) == 16, "tensor: dims");
_Static_assert(offsetof(struct tpd_tensor, quant_params) == 24, "tensor: params");
_Static_assert(offsetof(struct tpd_tensor, allocation_type) == 32, "tensor: allocation_type");
_Static_assert(offsetof(struct tpd_tensor, bytes) == 40, "tensor: bytes");
_Static_assert(offsetof(struct tpd_tensor, allocation) == 48, "tensor: allocation");
_Static_assert(offsetof(struct tpd_tensor, name) == 56, "tensor: name");
_Static_assert(offsetof(struct tpd_tensor, delegate) == 64, "tensor: delegate");
_Static_assert(offsetof(struct tpd_tensor, buffer_handle) == 72, "tensor: buffer_handle");
_Static_assert(offsetof(struct tpd_tensor, data_is_stale) == 76, "tensor: data_is_stale");
_Static_assert(offsetof(struct tpd_tensor, is_variable) == 77, "tensor: is_variable");
_Static_assert(offsetof(struct tpd_tensor, quantization) == 80, "tensor: quantization");
_Static_assert(offsetof(struct tpd_tensor, sparsity) == 96, "tensor: sparsity");
_Static_assert(offsetof(struct tpd_tensor, dims_signature) == 104, "tensor: dims_signature");
_Static_assert(sizeof(struct tpd_tensor) == 112, "tensor: size (the array stride)");

_Static_assert(offsetof(struct tpd_context, tensors_size) == 0, "context: tensors_size");
_Static_assert(offsetof(struct tpd_context, get_execution_plan) == 8, "context: get_execution_plan");
_Static_assert(offsetof(struct tpd_context, tensors) == 16, "context: tensors");
_Static_assert(offsetof(struct tpd_context, impl) == 24, "context: impl");
_Static_assert(offsetof(struct tpd_context, resize_tensor) == 32, "context: resize_tensor");
_Static_assert(offsetof(struct tpd_context, report_error) == 40, "context: report_error");
_Static_assert(offsetof(struct tpd_context, add_tensors) == 48, "context: add_tensors");
_Static_assert(offsetof(struct tpd_context, get_node_and_registration) == 56,
               "context: get_node_and_registration");
_Static_assert(offsetof(struct tpd_context, replace_node_subsets) == 64,
               "context: replace_node_subsets");
_Static_assert(offsetof(struct tpd_context, recommended_num_threads) == 72,
               "context: recommended_num_threads");

_Static_assert(offsetof(struct tpd_node, inputs) == 0, "node: inputs");
_Static_assert(offsetof(struct tpd_node, outputs) == 8, "node: outputs");
_Static_assert(offsetof(struct tpd_node, intermediates) == 16, "node: intermediates");
_Static_assert(offsetof(struct tpd_node, temporaries) == 24, "node: temporaries");
_Static_assert(offsetof(struct tpd_node, user_data) == 32, "node: user_data");
_Static_assert(offsetof(struct tpd_node, builtin_data) == 40, "node: builtin_data");
_Static_assert(offsetof(struct tpd_node, custom_initial_data) == 48, "node: custom_initial_data");
_Static_assert(offsetof(struct tpd_node, custom_initial_data_size) == 56,
               "node: custom_initial_data_size");
_Static_assert(offsetof(struct tpd_node, delegate) == 64, "node: delegate");
_Static_assert(offsetof(struct tpd_node, might_have_side_effect) == 72,
               "node: might_have_side_effect");
_Static_assert(sizeof(struct tpd_node) == 80, "node: size");

_Static_assert(offsetof(struct tpd_registration, init) == 0, "registration: init");
_Static_assert(offsetof(struct tpd_registration, free) == 8, "registration: free");
_Static_assert(offsetof(struct tpd_registration, prepare) == 16, "registration: prepare");
_Static_assert(offsetof(struct tpd_registration, invoke) == 24, "registration: invoke");
_Static_assert(offsetof(struct tpd_registration, profiling_string) == 32,
               "registration: profiling_string");
_Static_assert(offsetof(struct tpd_registration, builtin_code) == 40, "registration: builtin_code");
_Static_assert(offsetof(struct tpd_registration, custom_name) == 48, "registration: custom_name");
_Static_assert(offsetof(struct tpd_registration, version) == 56, "registration: version");
_Static_assert(offsetof(struct tpd_registration, registration_external) == 64,
               "registration: registration_external");
_Static_assert(offsetof(struct tpd_registration, async_kernel) == 72, "registration: async_kernel");
_Static_assert(offsetof(struct tpd_registration, inplace_operator) == 80,
               "registration: inplace_operator");
_Static_assert(offsetof(struct tpd_registration, zero_tail) == 88, "registration: the runtime's 88 bytes");

_Static_assert(offsetof(struct tpd_delegate, data) == 0, "delegate: data");
_Static_assert(offsetof(struct tpd_delegate, prepare) == 8, "delegate: prepare");
_Static_assert(offsetof(struct tpd_delegate, copy_from_buffer_handle) == 16,
               "delegate: copy_from_buffer_handle");
_Static_assert(offsetof(struct tpd_delegate, copy_to_buffer_handle) == 24,
               "delegate: copy_to_buffer_handle");
_Static_assert(offsetof(struct tpd_delegate, free_buffer_handle) == 32,
               "delegate: free_buffer_handle");
_Static_assert(offsetof(struct tpd_delegate, flags) == 40, "delegate: flags");
_Static_assert(offsetof(struct tpd_delegate, opaque_delegate_builder) == 48,
               "delegate: opaque_delegate_builder");
_Static_assert(offsetof(struct tpd_delegate, zero_tail) == 56, "delegate: the runtime's 56 bytes");

_Static_assert(offsetof(struct tpd_delegate_params, delegate) == 0, "params: delegate");
_Static_assert(offsetof(struct tpd_delegate_params, nodes_to_replace) == 8,
               "params: nodes_to_replace");
_Static_assert(offsetof(struct tpd_delegate_params, input_tensors) == 16, "params: input_tensors");
_Static_assert(offsetof(struct tpd_delegate_params, output_tensors) == 24, "params: output_tensors");

_Static_assert(offsetof(struct tpd_softmax_params, beta) == 0 &&
               sizeof(struct tpd_softmax_params) == 4, "softmax params: beta");
