// twopass: softmax and log-softmax on x86 CPUs with the Two-Pass Softmax
// Algorithm (Dukhan & Ablavatski, 2020), as XNNPACK-style operators.
//
// Lifecycle, as in XNNPACK: create -> reshape -> setup -> run (repeatable)
// -> delete. Every function returns XNNPACK's enum xnn_status; threads come
// from XNNPACK's pthreadpool (NULL runs on the calling thread).
//
// Definitions, for a row x of `channels` floats:
//   softmax_i     = exp(beta*x_i) / sum_j exp(beta*x_j)
//   log_softmax_i = beta*x_i - log(sum_j exp(beta*x_j))
// beta = 1 gives XNNPACK's softmax. beta*x is used exactly (not rounded to
// float first). The special-value rules apply to the product beta*x_i:
//   * a -inf product, in a row with a finite one, gives exactly 0
//     (log-softmax: -inf); a row of all -inf products gives NaN (all 0,
//     log-softmax all -inf, with TWOPASS_FLAG_MASKED_ROWS_ZERO);
//   * a NaN or +inf product makes the whole row NaN.
// With beta > 0 that is the rule for x_i itself; with beta < 0, x = +inf
// gives beta*x = -inf (contributes 0) and x = -inf makes the row NaN; with
// beta = 0 an infinite x gives 0*inf = NaN.
//
// Threads: rows are distributed over the pool; when there are fewer rows than
// threads, long rows are split into fixed chunks of TWOPASS_CHUNK_ELEMENTS
// (which never depend on the thread count): a row's result is bitwise the
// same with any threadpool, and wherever it sits in the batch. Workers run
// with denormals flushed (PTHREADPOOL_FLAG_DISABLE_DENORMALS), as XNNPACK's,
// also with a NULL threadpool: denormal inputs act as 0 (float and bf16; f16
// denormals widen to normal floats and keep their values), a denormal beta (of
// either sign) is taken as +0 at create, and outputs below FLT_MIN may be
// flushed to 0.
//
// Accuracy, against the exact products beta*x, for any finite beta*x:
// softmax |y - ref| <= 1e-5 ref + 1e-37 and |sum(y) - 1| <= 1e-5; log-softmax
// |y - ref| <= 2e-6 max(1, |ref|) and |y - ref| <= 4e-6 |ref| + 1e-12 (the
// log-probability of a confident row's top class keeps its digits; README.md,
// "Numerics and threads").
//
// Statuses (README.md, "Statuses"): invalid_parameter for a NULL operator or
// pointer, channels 0, a stride < channels, a stride or batch whose span in
// bytes does not fit in ptrdiff_t, a non-finite beta, unknown or conflicting
// flags, the other operator kind or datatype, input and output rows that
// share elements other than in place (input == output with equal strides),
// or an lse array that overlaps either, a row pointer that is not a multiple
// of its element size (4 bytes for float rows, 2 for bf16 and f16) or an lse
// pointer not a multiple of 4; unsupported_parameter for
// TWOPASS_FLAG_THREE_PASS on 16-bit rows; unsupported_hardware for an ISA
// flag the host lacks; invalid_state for setup before a successful reshape,
// or run before setup (a reshape or setup that failed, for any reason,
// requires a new setup); out_of_memory.
//
// One operator is not to be used from two threads at once: run writes the
// operator's workspace (per-row and per-chunk sums), so two runs of one
// operator, or a run during its reshape or setup, race. Different operators
// may run concurrently, on one threadpool or on several.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <pthreadpool.h>
#include <xnnpack.h>  // enum xnn_status

// The library's version: the one definition, read by CMake (the package, the
// shared library's SONAME, twopass.pc) and seen by Bazel users through this header.
#define TWOPASS_VERSION_MAJOR 0
#define TWOPASS_VERSION_MINOR 1
#define TWOPASS_VERSION_PATCH 0

#ifdef __cplusplus
extern "C" {
#endif

// Force the algorithm (default: chosen from the row size and the caches).
#define TWOPASS_FLAG_TWO_PASS    UINT32_C(0x00000001)
#define TWOPASS_FLAG_THREE_PASS  UINT32_C(0x00000002)
// Restrict the kernels to one ISA (default: the best the host has).
#define TWOPASS_FLAG_ISA_SCALAR  UINT32_C(0x00000010)
#define TWOPASS_FLAG_ISA_AVX2    UINT32_C(0x00000020)  // AVX2 + FMA3 + F16C
#define TWOPASS_FLAG_ISA_AVX512F UINT32_C(0x00000040)
// A row whose every product beta*x_i is -inf (a fully masked row, as
// attention masks make) gives all zeros (log-softmax: all -inf) instead of
// NaN. NaN and +inf products keep their rule (a NaN row).
#define TWOPASS_FLAG_MASKED_ROWS_ZERO UINT32_C(0x00000100)

// Rows longer than this are reduced in chunks of this many elements whose
// partial sums are combined in double precision.
#define TWOPASS_CHUNK_ELEMENTS 32768

typedef struct twopass_operator* twopass_operator_t;

// create fixes beta and the flags; reshape takes the shape of the rows (as
// today's XNNPACK NC operators do), so one operator serves any row length:
// `channels` floats per row, rows `input_stride` / `output_stride` floats
// apart, `batch_size` rows. setup takes the buffers of that shape.
enum xnn_status twopass_create_softmax_nc_f32(
    float beta, uint32_t flags, twopass_operator_t* softmax_op_out);
enum xnn_status twopass_reshape_softmax_nc_f32(
    twopass_operator_t softmax_op, size_t channels, size_t input_stride,
    size_t output_stride, size_t batch_size, pthreadpool_t threadpool);
enum xnn_status twopass_setup_softmax_nc_f32(
    twopass_operator_t softmax_op, const float* input, float* output);

// The same, also writing each row's log-sum-exp, lse[r] = log(sum_j
// exp(beta*x_rj)), to lse[0 .. batch_size) (NULL: none; it may not overlap
// the input or the output). Accuracy as log-softmax's, |lse - ref| <=
// 2e-6 max(1, |ref|); a NaN row gives NaN, a row of all -inf products -inf
// (with or without TWOPASS_FLAG_MASKED_ROWS_ZERO); bitwise the same with
// any threadpool, like the outputs.
enum xnn_status twopass_setup_softmax_nc_f32_with_lse(
    twopass_operator_t softmax_op, const float* input, float* output, float* lse);

enum xnn_status twopass_create_log_softmax_nc_f32(
    float beta, uint32_t flags, twopass_operator_t* log_softmax_op_out);
enum xnn_status twopass_reshape_log_softmax_nc_f32(
    twopass_operator_t log_softmax_op, size_t channels, size_t input_stride,
    size_t output_stride, size_t batch_size, pthreadpool_t threadpool);
enum xnn_status twopass_setup_log_softmax_nc_f32(
    twopass_operator_t log_softmax_op, const float* input, float* output);
enum xnn_status twopass_setup_log_softmax_nc_f32_with_lse(
    twopass_operator_t log_softmax_op, const float* input, float* output, float* lse);

// bf16 and f16 rows: the same operators on 16-bit elements (passed as their
// bits: uint16_t, or any 2-byte type), strides in elements, arithmetic in
// float32 and sums as for float rows. Each output is the float32 result
// rounded once to the row's type (nearest even): within half an ulp of that
// type on top of the float contract; special values as for float rows, and
// lse stays float. They always run two-pass (TWOPASS_FLAG_THREE_PASS:
// unsupported_parameter); rows beyond the two-pass kernels' range (NaN,
// infinities, |beta*x| >~ 1e6, fully masked rows) are computed in double by
// the operator itself.
enum xnn_status twopass_create_softmax_nc_bf16(
    float beta, uint32_t flags, twopass_operator_t* softmax_op_out);
enum xnn_status twopass_reshape_softmax_nc_bf16(
    twopass_operator_t softmax_op, size_t channels, size_t input_stride,
    size_t output_stride, size_t batch_size, pthreadpool_t threadpool);
enum xnn_status twopass_setup_softmax_nc_bf16(
    twopass_operator_t softmax_op, const void* input, void* output);
enum xnn_status twopass_setup_softmax_nc_bf16_with_lse(
    twopass_operator_t softmax_op, const void* input, void* output, float* lse);
enum xnn_status twopass_create_log_softmax_nc_bf16(
    float beta, uint32_t flags, twopass_operator_t* log_softmax_op_out);
enum xnn_status twopass_reshape_log_softmax_nc_bf16(
    twopass_operator_t log_softmax_op, size_t channels, size_t input_stride,
    size_t output_stride, size_t batch_size, pthreadpool_t threadpool);
enum xnn_status twopass_setup_log_softmax_nc_bf16(
    twopass_operator_t log_softmax_op, const void* input, void* output);
enum xnn_status twopass_setup_log_softmax_nc_bf16_with_lse(
    twopass_operator_t log_softmax_op, const void* input, void* output, float* lse);

enum xnn_status twopass_create_softmax_nc_f16(
    float beta, uint32_t flags, twopass_operator_t* softmax_op_out);
enum xnn_status twopass_reshape_softmax_nc_f16(
    twopass_operator_t softmax_op, size_t channels, size_t input_stride,
    size_t output_stride, size_t batch_size, pthreadpool_t threadpool);
enum xnn_status twopass_setup_softmax_nc_f16(
    twopass_operator_t softmax_op, const void* input, void* output);
enum xnn_status twopass_setup_softmax_nc_f16_with_lse(
    twopass_operator_t softmax_op, const void* input, void* output, float* lse);
enum xnn_status twopass_create_log_softmax_nc_f16(
    float beta, uint32_t flags, twopass_operator_t* log_softmax_op_out);
enum xnn_status twopass_reshape_log_softmax_nc_f16(
    twopass_operator_t log_softmax_op, size_t channels, size_t input_stride,
    size_t output_stride, size_t batch_size, pthreadpool_t threadpool);
enum xnn_status twopass_setup_log_softmax_nc_f16(
    twopass_operator_t log_softmax_op, const void* input, void* output);
enum xnn_status twopass_setup_log_softmax_nc_f16_with_lse(
    twopass_operator_t log_softmax_op, const void* input, void* output, float* lse);

enum xnn_status twopass_run_operator(twopass_operator_t op, pthreadpool_t threadpool);
enum xnn_status twopass_delete_operator(twopass_operator_t op);

enum twopass_algorithm {
  twopass_algorithm_two_pass = 1,    // extended-exponent sum, then scale
  twopass_algorithm_three_pass = 2,  // max, exp and sum (stored), then scale
};

// What a reshaped operator chose (the plan reshape built), for logs and
// benchmarks; invalid_state before a successful reshape. The strings are
// static; ukernel names are those of microkernels/*/gen/ (NULL for an unused pass).
// Two-pass softmax writes its output with the non-temporal variant of its
// last kernel (`..._nt_...`, AVX-512F and AVX2) when the batch's output
// (batch_size x channels elements, in bytes) is at least half the last-level
// cache (llc_bytes).
struct twopass_operator_info {
  enum twopass_algorithm algorithm;
  const char* isa;              // "avx512f", "avx2" or "scalar"
  const char* ukernels[3];      // one per pass, in order
  size_t l2_cache_bytes;        // per-core L2 cache, as cpuinfo reports it
  size_t llc_bytes;             // last-level cache, for the store choice
  size_t llc_share_bytes;       // one processor's share of it, for the algorithm choice
  size_t ukernel_tiles[3];      // elements per main-loop iteration of each pass's kernel (0: unused)
};

enum xnn_status twopass_get_operator_info(
    twopass_operator_t op, struct twopass_operator_info* info);

#ifdef __cplusplus
}  // extern "C"
#endif
