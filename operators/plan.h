// The plan of a softmax or log-softmax operator: every choice that depends on
// beta, the flags, the host and the shape, made once by reshape
// (operators/plan.c) and executed by run (operators/softmax-rows.c).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <twopass.h>
#include "operators/hardware.h"
#include "operators/ukernel-table.h"

#ifdef __cplusplus
extern "C" {
#endif

enum twopass_operator_type {
  twopass_operator_type_softmax = 1,
  twopass_operator_type_log_softmax = 2,
};

// An instruction set the operator can run on, best first in the plan
// builder's list.
struct twopass_isa {
  uint32_t flag;        // TWOPASS_FLAG_ISA_* that forces it
  uint32_t arch_flags;  // TWOPASS_ARCH_* bits the host needs
  const char* name;
};

// The steps a row goes through. Each step runs one kernel over every chunk
// of the row, then combines the chunks' results in chunk order and picks the
// row's next step (operators/softmax-rows.c draws the paths).
enum twopass_step {
  twopass_step_extexp_sum,    // raddextexp -> (value, exponent), softmax's scale
  twopass_step_extexp_logsum, // raddextexp -> (value, exponent), log-softmax's bias
  twopass_step_extexp_scale,  // vscaleextexp: two-pass softmax output
  twopass_step_max,           // rmax or rmin -> m
  twopass_step_shift,         // vaffine: (x - m) * shift_scale into the output
  twopass_step_expsum_store,  // raddstoreexpminusmax -> sum, exps in the output
  twopass_step_expsum,        // raddexpminusmax -> sum
  twopass_step_scale,         // vscale, in place on the stored exps
  twopass_step_affine,        // vaffine: (beta*x - max) - log(sum)
  twopass_step_wide_sum,      // 16-bit rows needing a shift, in double: sum of exp(beta*x - beta*m)
  twopass_step_wide_last,     // y from that sum, rounded to the row's type
  twopass_step_peak_max,      // confident two-pass rows: max (or min) of x
  twopass_step_peak_find,     // confident rows: the first element at the row's max
  twopass_step_peak_sum,      // three-pass: the peak's chunk summed again without the peak
  twopass_step_extexp_peak_sum,  // two-pass: the same with the extended-exponent sum
  twopass_step_find_nan,      // a row of only -inf products, or NaN ones among them?
  twopass_step_x16_max,       // 16-bit rows' fallback: x16 rmax or rmin -> m
  twopass_step_x16_expsum,    // x16 raddexpminusmax -> sum
  twopass_step_expscale,     // vscaleexpminusmax: softmax from exp(beta*x - max) * scale (x16 fallback; f32 rows with an lse)
  twopass_step_x16_find_nan,  // find_nan of a 16-bit row
  twopass_step_fill,          // every output the same: a NaN row, or a masked one
  twopass_step_done,
  twopass_step_count,
};

struct twopass_plan {
  enum twopass_operator_type type;
  enum twopass_algorithm algorithm;
  const struct twopass_isa* isa;
  enum twopass_datatype datatype;  // of the input and output rows
  size_t element_size;             // bytes of one element of them
  // The kernel of each step the plan can reach (NULL for the others).
  const struct twopass_ukernel* kernels[twopass_step_count];
  // The primary path's kernels, in order, as get_operator_info reports them.
  const struct twopass_ukernel* passes[3];

  // A row's path: it starts at `first`. Two-pass is `extexp_sum` ->
  // `extexp_last`; a row whose extended sum is out of the kernels' range
  // falls back to `fallback`: for float rows the three-pass path, max ->
  // [shift] -> `expsum` -> `expsum_last`; for 16-bit rows (always two-pass)
  // a three-pass path that recomputes the exps, x16_max -> x16_expsum ->
  // expscale (log-softmax: affine), or where it would need a shift the wide
  // path in double, x16_max -> wide_sum -> wide_last. Each sum step's finish
  // computes what its last step needs (softmax a reciprocal, log-softmax a
  // logarithm), nothing more.
  enum twopass_step first;        // extexp_sum (or logsum) or max
  enum twopass_step fallback;     // max or x16_max
  enum twopass_step extexp_sum;   // extexp_sum or extexp_logsum
  enum twopass_step extexp_last;  // extexp_scale or affine
  enum twopass_step expsum;       // expsum_store or expsum (lse and log-softmax: expsum)
  enum twopass_step expsum_last;  // scale or affine
  // What a row of only -inf products gives: NaN, or with
  // TWOPASS_FLAG_MASKED_ROWS_ZERO 0 (softmax) or -inf (log-softmax).
  float masked_fill;

  float beta;
  // Combines the chunks' results of `max`: fmaxf, or fminf when beta < 0
  // (the largest beta*x is then beta*min(x)).
  float (*extremum)(float, float);
  // The shift step stores (x - m) * shift_scale and the later steps use
  // shift_beta = beta / shift_scale (both exact: shift_scale is 1 or 1/2).
  float shift_scale;
  float shift_beta;

  // Shape, in elements.
  size_t channels;
  size_t input_stride;
  size_t output_stride;
  size_t batch_size;
  size_t chunks;  // per row: ceil(channels / TWOPASS_CHUNK_ELEMENTS)

  // Schedule: rows in tasks of `row_tile` rows, or (when there are fewer
  // rows than threads and rows have several chunks) every step split into
  // (row, chunk) tasks. Either gives the same bits.
  bool split_rows;
  size_t split_head;  // split rows: the first step's chunks in its first round (<= chunks)
  size_t row_tile;
};

// The best ISA the host runs, or the one a TWOPASS_FLAG_ISA_* flag asks for;
// NULL when the host lacks it.
const struct twopass_isa* twopass_select_isa(const struct twopass_hardware* hardware,
                                             uint32_t isa_flag);

// Bytes of one element of a row of this type.
size_t twopass_element_size(enum twopass_datatype datatype);

// Builds the plan for rows of a validated shape on the given host (the
// detected one, twopass_get_hardware(), or a recorded one in tests).
void twopass_build_plan(struct twopass_plan* plan, const struct twopass_hardware* hardware,
                        enum twopass_operator_type type, enum twopass_datatype datatype,
                        const struct twopass_isa* isa, float beta, uint32_t flags,
                        size_t channels, size_t input_stride, size_t output_stride,
                        size_t batch_size, size_t threads);

#ifdef __cplusplus
}  // extern "C"
#endif
