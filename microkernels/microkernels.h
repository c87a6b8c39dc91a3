// Declarations of the twopass microkernels and their parameters.
//
// Every kernel takes `batch` in bytes (a non-zero multiple of sizeof(float))
// and never reads or writes outside [input, input + batch) and
// [output, output + batch): remainders use masked loads and stores.
//
// The lists of generated kernels live in microkernels/gen/<family>.h as
// TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators) entries;
// this header, the tests, the benchmarks and the operator's tables all expand
// those lists, so a new variant needs no hand-written declaration.
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Bits of twopass_arch_flags: which ISA a kernel needs. 0 means portable C.
#define TWOPASS_ARCH_X86_AVX2_FMA UINT32_C(0x1)
#define TWOPASS_ARCH_X86_AVX512F  UINT32_C(0x2)

// Inputs x for which the extended-exponent kernels compute exp(beta*x):
// beta*x >= TWOPASS_EXTEXP_MIN_INPUT. Smaller products (-inf included)
// contribute exactly 0 to raddextexp and produce exactly 0 in vscaleextexp.
// Beyond 2^20 in magnitude the float range reduction loses accuracy; the
// operator checks the exponent that raddextexp returns and switches a row
// whose maximum lies outside (-2^20 + 128, 2^20) to the three-pass kernels.
#define TWOPASS_EXTEXP_MIN_INPUT (-0x1.0p+20f)
#define TWOPASS_EXTEXP_MAX_INPUT 0x1.0p+20f

// The empty sum of raddextexp: value 0, exponent -FLT_MAX (finite, so that
// merging two empty accumulators never computes (-inf) - (-inf) = NaN).
#define TWOPASS_EXTEXP_EMPTY_EXPONENT (-0x1.FFFFFEp+127f)

// Parameters of the kernels that compute exp(beta * x).
// beta*x is computed as an exact FMA two-product p + e (p = fl(beta*x)), so
// the exponent's argument is not rounded before the range reduction.
struct twopass_f32_exp_params {
  float beta;
};

// Pass 1 of two-pass softmax: sum[0] * 2^sum[1] = sum_i exp(beta * x_i).
// sum[1] is an integer-valued float; sum[0] is 0 when nothing contributed.
// NaN, and +inf in beta*x, make the result NaN or infinite.
typedef void (*twopass_f32_raddextexp_ukernel_fn)(
    size_t batch, const float* input, float* sum,
    const struct twopass_f32_exp_params* params);

// Pass 2 of two-pass softmax:
// y_i = exp(beta * x_i) * scale_value * 2^scale_exponent, computed as
// (m_i * scale_value) * 2^(n_i + scale_exponent) with exp(beta*x_i) = m_i * 2^n_i,
// so it never overflows while n_i + scale_exponent <= 0.
typedef void (*twopass_f32_vscaleextexp_ukernel_fn)(
    size_t batch, const float* input, float* output, float scale_value,
    float scale_exponent, const struct twopass_f32_exp_params* params);

// Three-pass, pass 1: *output = max_i x_i (rmax) or min_i x_i (rmin).
// A NaN input may or may not be returned; the following exp pass propagates it.
typedef void (*twopass_f32_rmax_ukernel_fn)(
    size_t batch, const float* input, float* output);

// Three-pass, pass 2: y_i = exp(beta * x_i - *max); *sum = sum_i y_i.
// *max is the largest beta*x (rounded), so no y_i overflows. Results below
// the smallest normal float are flushed to 0.
typedef void (*twopass_f32_raddstoreexpminusmax_ukernel_fn)(
    size_t batch, const float* input, const float* max, float* output,
    float* sum, const struct twopass_f32_exp_params* params);

// As raddstoreexpminusmax, without storing y (log-softmax needs only the sum).
typedef void (*twopass_f32_raddexpminusmax_ukernel_fn)(
    size_t batch, const float* input, const float* max, float* sum,
    const struct twopass_f32_exp_params* params);

// y_i = x_i * scale (three-pass, pass 3).
typedef void (*twopass_f32_vscale_ukernel_fn)(
    size_t batch, const float* input, float* output, float scale);

// y_i = fma(x_i, scale, shift) + bias: x_i * scale + shift rounded once, then
// bias added (log-softmax's last pass: y = (beta*x - max) - log(sum), where
// the first step is small and exact enough near the max for any magnitude).
typedef void (*twopass_f32_vaffine_ukernel_fn)(
    size_t batch, const float* input, float* output, float scale, float shift, float bias);

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators) \
  void ukernel(size_t batch, const float* input, float* sum,             \
               const struct twopass_f32_exp_params* params);
#include "microkernels/gen/f32-raddextexp.h"
#undef TWOPASS_UKERNEL

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators) \
  void ukernel(size_t batch, const float* input, float* output,          \
               float scale_value, float scale_exponent,                  \
               const struct twopass_f32_exp_params* params);
#include "microkernels/gen/f32-vscaleextexp.h"
#undef TWOPASS_UKERNEL

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators) \
  void ukernel(size_t batch, const float* input, float* output);
#include "microkernels/gen/f32-rmax.h"
#include "microkernels/gen/f32-rmin.h"
#undef TWOPASS_UKERNEL

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators) \
  void ukernel(size_t batch, const float* input, const float* max,       \
               float* output, float* sum,                                \
               const struct twopass_f32_exp_params* params);
#include "microkernels/gen/f32-raddstoreexpminusmax.h"
#undef TWOPASS_UKERNEL

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators) \
  void ukernel(size_t batch, const float* input, const float* max,       \
               float* sum, const struct twopass_f32_exp_params* params);
#include "microkernels/gen/f32-raddexpminusmax.h"
#undef TWOPASS_UKERNEL

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators) \
  void ukernel(size_t batch, const float* input, float* output, float scale);
#include "microkernels/gen/f32-vscale.h"
#undef TWOPASS_UKERNEL

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators) \
  void ukernel(size_t batch, const float* input, float* output,          \
               float scale, float shift, float bias);
#include "microkernels/gen/f32-vaffine.h"
#undef TWOPASS_UKERNEL

#ifdef __cplusplus
}  // extern "C"
#endif
