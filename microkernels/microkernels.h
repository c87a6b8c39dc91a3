// Declarations of the twopass microkernels and their parameters.
//
// Every kernel takes `batch` in bytes of its input (a non-zero multiple of
// the element size: sizeof(float), or 2 for the 16-bit rows bf16 and f16) and
// never reads or writes outside [input, input + batch) and the output's range
// (the same elements): remainders use masked loads and stores, or (16-bit
// elements) a local buffer.
//
// The bf16 and f16 kernels (twopass_bf16_*, twopass_f16_*: raddextexp,
// vscaleextexp, vaffine, and the three-pass fallback's rmax, rmin,
// raddexpminusmax, vscaleexpminusmax) are the f32 kernels of the same
// templates with the conversions of microkernels/convert/: x_i is the exact
// float value of element i, the arithmetic is the f32 kernel's, and an output
// element is its float result rounded once to the 16-bit type (nearest even;
// NaN stays a quiet NaN; overflow to inf). The reductions' outputs stay
// floats.
//
// The lists of generated kernels live in microkernels/<folder>/gen/<family>.h as
// TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1)
// entries; this header, the tests and the benchmarks expand those lists, so a
// new variant needs no hand-written declaration. arch_flags are the
// TWOPASS_ARCH_* bits of operators/arch-flags.h (expanding code that reads
// them includes it).
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Inputs x for which the extended-exponent kernels compute exp(beta*x):
// beta*x >= TWOPASS_EXTEXP_MIN_INPUT. Smaller products (-inf included)
// contribute exactly 0 to raddextexp and produce exactly 0 in vscaleextexp.
// Beyond 2^20 in magnitude the float range reduction loses accuracy; the
// operator checks the exponent that raddextexp returns and switches a row
// whose maximum lies outside (-2^20 + 128, 2^20) to the three-pass kernels.
#define TWOPASS_EXTEXP_MIN_INPUT (-0x1.0p+20f)
// n = round(fl(z * log2(e))) of z = TWOPASS_EXTEXP_MIN_INPUT (-1512775.37
// rounded), and of no float z below it (-2^20 - 2^-3 gives -1512775.55): so
// n >= TWOPASS_EXTEXP_MIN_EXPONENT exactly when z >= TWOPASS_EXTEXP_MIN_INPUT.
// Kernels that keep n but not z test n (the below_min_input tests check the
// boundary on both sides).
#define TWOPASS_EXTEXP_MIN_EXPONENT (-1512775.0f)
#define TWOPASS_EXTEXP_MAX_INPUT 0x1.0p+20f

// The empty sum of raddextexp: value 0, exponent -FLT_MAX (finite, so that
// merging two empty accumulators never computes (-inf) - (-inf) = NaN).
#define TWOPASS_EXTEXP_EMPTY_EXPONENT (-0x1.FFFFFEp+127f)

// Parameters of every microkernel, its last argument (as XNNPACK's
// microparams): one type for all families, so that every kernel has one of
// three shapes; each family reads only its own fields.
struct twopass_f32_params {
  // exp(beta*x) kernels (raddextexp, vscaleextexp, raddstoreexpminusmax,
  // raddexpminusmax): beta*x is taken as an exact FMA two-product p + e
  // (p = fl(beta*x)) in the extended-exponent kernels, so the exponent's
  // argument is not rounded before the range reduction. The beta1 variants
  // compute exp(x) and do not read it.
  float beta;
  // raddstoreexpminusmax, raddexpminusmax: exp(beta*x - max). max is the
  // largest beta*x (rounded), so no result overflows.
  float max;
  // vscale: x*scale; vaffine: fma(x, scale, shift) + bias;
  // vscaleextexp: exp(beta*x) * scale * 2^scale_exponent.
  float scale;
  float scale_exponent;  // vscaleextexp
  float shift;           // vaffine
  float bias;            // vaffine
};

// Reductions: rmax, rmin (output[0] = max/min x_i), raddexpminusmax
// (output[0] = sum_i exp(beta*x_i - max)), raddextexp
// (output[0] * 2^output[1] = sum_i exp(beta*x_i)). rmax and rmin ignore params.
typedef void (*twopass_f32_reduce_ukernel_fn)(size_t batch, const float* input, float* output,
                                              const struct twopass_f32_params* params);
// Elementwise maps: vscale, vaffine, vscaleextexp (input == output allowed;
// the operator runs vscale in place).
typedef void (*twopass_f32_vunary_ukernel_fn)(size_t batch, const float* input, float* output,
                                              const struct twopass_f32_params* params);
// Map and reduce: raddstoreexpminusmax (output[i] = exp(beta*x_i - max),
// *sum = their sum).
typedef void (*twopass_f32_raddstore_ukernel_fn)(size_t batch, const float* input, float* output,
                                                 float* sum,
                                                 const struct twopass_f32_params* params);
// 16-bit rows (bf16, f16): elements are passed as their bits.
typedef void (*twopass_x16_reduce_ukernel_fn)(size_t batch, const uint16_t* input, float* output,
                                              const struct twopass_f32_params* params);
typedef void (*twopass_x16_vunary_ukernel_fn)(size_t batch, const uint16_t* input, uint16_t* output,
                                              const struct twopass_f32_params* params);
union twopass_f32_ukernel_fn {
  twopass_f32_reduce_ukernel_fn reduce;
  twopass_f32_vunary_ukernel_fn vunary;
  twopass_f32_raddstore_ukernel_fn raddstore;
  twopass_x16_reduce_ukernel_fn reduce_x16;
  twopass_x16_vunary_ukernel_fn vunary_x16;
};

// What each family computes, beyond the shapes above:
// - raddextexp (two-pass pass 1): output[1] is an integer-valued float;
//   output[0] is 0 when nothing contributed. NaN, and +inf in beta*x, make
//   the result NaN or infinite.
// - vscaleextexp (two-pass pass 2): y_i = (m_i * scale) * 2^(n_i + scale_exponent)
//   with exp(beta*x_i) = m_i * 2^n_i, so it never overflows while
//   n_i + scale_exponent <= 0.
// - rmax, rmin (three-pass pass 1): a NaN input may or may not be returned;
//   the following exp pass propagates it.
// - raddstoreexpminusmax, raddexpminusmax (three-pass pass 2): results below
//   the smallest normal float are flushed to 0; raddexpminusmax stores no y
//   (log-softmax needs only the sum).
// - vscale (three-pass pass 3): y_i = x_i * scale.
// - vaffine: y_i = fma(x_i, scale, shift) + bias, x_i * scale + shift rounded
//   once, then bias added (log-softmax's last pass: y = (beta*x - max) - log(sum),
//   where the first step is small and exact enough near the max for any magnitude).
// - vscaleexpminusmax: y_i = exp(beta*x_i - max) * scale, the exp computed as
//   in raddexpminusmax (flushed to 0 below the smallest normal float): the
//   last pass of a three-pass softmax that recomputes the exps (scale = 1/sum).

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  void ukernel(size_t batch, const float* input, float* output,                \
               const struct twopass_f32_params* params);
#include "microkernels/f32-raddextexp/gen/f32-raddextexp.h"
#include "microkernels/f32-rmax-rmin/gen/f32-rmax.h"
#include "microkernels/f32-rmax-rmin/gen/f32-rmin.h"
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-raddexpminusmax.h"
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-vscaleexpminusmax.h"
#include "microkernels/f32-vscaleextexp/gen/f32-vscaleextexp.h"
#include "microkernels/f32-vscale-vaffine/gen/f32-vscale.h"
#include "microkernels/f32-vscale-vaffine/gen/f32-vaffine.h"
#undef TWOPASS_UKERNEL

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  void ukernel(size_t batch, const float* input, float* output, float* sum,    \
               const struct twopass_f32_params* params);
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-raddstoreexpminusmax.h"
#undef TWOPASS_UKERNEL

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  void ukernel(size_t batch, const uint16_t* input, float* output,             \
               const struct twopass_f32_params* params);
#include "microkernels/f32-raddextexp/gen/bf16-raddextexp.h"
#include "microkernels/f32-raddextexp/gen/f16-raddextexp.h"
#include "microkernels/f32-rmax-rmin/gen/bf16-rmax.h"
#include "microkernels/f32-rmax-rmin/gen/bf16-rmin.h"
#include "microkernels/f32-rmax-rmin/gen/f16-rmax.h"
#include "microkernels/f32-rmax-rmin/gen/f16-rmin.h"
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/bf16-raddexpminusmax.h"
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f16-raddexpminusmax.h"
#undef TWOPASS_UKERNEL

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  void ukernel(size_t batch, const uint16_t* input, uint16_t* output,          \
               const struct twopass_f32_params* params);
#include "microkernels/f32-vscaleextexp/gen/bf16-vscaleextexp.h"
#include "microkernels/f32-vscaleextexp/gen/f16-vscaleextexp.h"
#include "microkernels/f32-vscale-vaffine/gen/bf16-vaffine.h"
#include "microkernels/f32-vscale-vaffine/gen/f16-vaffine.h"
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/bf16-vscaleexpminusmax.h"
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f16-vscaleexpminusmax.h"
#undef TWOPASS_UKERNEL

#ifdef __cplusplus
}  // extern "C"
#endif
