// libtwopass_tflite_delegate.so: a TFLite / LiteRT external delegate that runs
// float32 and float16 SOFTMAX (any beta, any rank >= 1, over the last axis)
// and LOG_SOFTMAX nodes with twopass operators (float16: twopass's f16
// operators, which TFLite's own kernels do not have). Load it from Python with
//
//   delegate = load_delegate("build/libtwopass_tflite_delegate.so", {"num_threads": "2"})
//   interpreter = Interpreter(model_path=..., experimental_delegates=[delegate])
//
// Options (values are strings):
//   num_threads  threads of the pthreadpool that all of this delegate's nodes
//                share: a positive integer up to 1024; 0 or -1 (the default):
//                the interpreter's num_threads when positive, else 1. The pool
//                is made when the delegate is first applied and kept until it
//                is destroyed.
//   strict       0 (default) or 1: when the runtime's structures do not look
//                like the layout the delegate was built for (tflite-abi.h), 0
//                leaves the graph to TFLite (with a one-line warning on
//                stderr), 1 fails the interpreter's construction.
//   verbose      0 (default) or 1: one line on stderr per claimed node and per
//                application of the delegate.
//   masked_rows_zero
//                0 (default) or 1: 1 makes a row whose every beta*x is -inf
//                (a fully masked attention row) all zeros (LOG_SOFTMAX: all
//                -inf) instead of TFLite's NaN (TWOPASS_FLAG_MASKED_ROWS_ZERO).
// A bad option makes tflite_plugin_create_delegate return NULL after passing
// the reason to report_error (Python puts it in its ValueError).
//
// The library exports these functions and nothing else. It imports no TFLite
// symbol: it reaches the runtime only through the context it is handed.
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// The entry points of TFLite's external delegate loader. The delegate is
// really a TfLiteDelegate*; destroy accepts NULL. The runtime may pass the
// count as a C int: only its low 32 bits are used.
void* tflite_plugin_create_delegate(const char* const* option_keys,
                                    const char* const* option_values, size_t num_options,
                                    void (*report_error)(const char* message));
void tflite_plugin_destroy_delegate(void* delegate);

// Counters over the life of the process (all delegates of this library), for
// tests: nodes handed to twopass kernels, kernel invocations, and applications
// in which the layout check failed (the graph was then left to TFLite).
uint64_t twopass_tflite_delegate_claimed_nodes(void);
uint64_t twopass_tflite_delegate_invocations(void);
uint64_t twopass_tflite_delegate_layout_failures(void);

#ifdef __cplusplus
}  // extern "C"
#endif
