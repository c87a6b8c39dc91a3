// One fuzz case of the softmax / log-softmax operators: the input bytes
// choose the operator kind, channels, strides, batch, beta, flags (algorithm,
// ISA), in-place, the threadpool, an API misuse, and the row values
// (NaN, infinities, denormals, huge magnitudes and raw bit patterns included).
// RunSoftmaxCase() runs it through the public API and returns "" when every
// check passes, else what failed:
//   * statuses: invalid_parameter / unsupported_hardware / invalid_state
//     exactly where include/twopass.h documents them (beta and flags at
//     create, the shape at reshape);
//   * every row against the long-double oracle (testing/reference.h), and
//     its lse when the case sets up with an lse array;
//   * nothing outside the rows is written: output padding between rows and
//     canaries around the buffers are unchanged, the input (padding included)
//     is unchanged, in place the padding is unchanged; under AddressSanitizer
//     the buffers are allocated at their exact size, so a read or write one
//     element past the last row is a heap-buffer-overflow report;
//   * a failed call (wrong state) writes nothing;
//   * a second run (no new setup) on another threadpool gives the same bits.
//
// Byte layout (missing bytes read as 0; fuzz/make-seeds.py writes seeds):
//   u8  mode: bit 0 log-softmax; bits 1-2 algorithm (0 auto, 1 two-pass,
//       2 three-pass, 3 auto); bits 3-4 ISA (0 best, 1 scalar, 2 avx2,
//       3 avx512f); bit 5 in place; bits 6-7 pool (0 NULL, 1 two threads,
//       2 four threads, 3 NULL)
//   u8  misuse (see enum Misuse; values >= misuse_count mean none)
//   u8  size class, u16 size parameter (little-endian) -> channels
//   u8  batch (mod 7; mod 3 for rows of two chunks, mod 2 for three)
//   u8  input padding, u8 output padding (0 if a multiple of 4, else mod 20)
//   u8  beta selector (index into kBetas; >= kBetaCount: raw u32 bits follow)
//   u32 random seed (its top byte also picks TWOPASS_FLAG_MASKED_ROWS_ZERO,
//       an lse array, fully masked rows and bf16 / f16 rows: ParseOptions),
//       u8 center, u8 spread
//       (indices into kCenters / kSpreads), u8 special-value density
//   then (u32 element index, u32 float bits) overrides until the end.
//
// A planted bug (TWOPASS_FUZZ_PLANT, or the plant argument) corrupts the
// results the way a broken kernel or operator would; used to show that the
// checks fail when they should (docs/reliability.md).
#pragma once

#include <pthreadpool.h>
#include <twopass.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/softmax-case.h"
#include "testing/guarded-buffer.h"
#include "testing/isa.h"
#include "testing/reference.h"
#include "testing/status.h"
#include "testing/threadpool.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TWOPASS_FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(TWOPASS_FUZZ_ASAN)
#define TWOPASS_FUZZ_ASAN 1
#endif

namespace twopass_fuzz {

using twopass::testlib::CheckRow;
using twopass::testlib::GuardedBuffer;
using twopass::testlib::HostHasIsa;
using twopass::testlib::kInputGuardBits;
using twopass::testlib::kOutputCanaryBits;
using twopass::testlib::SameBits;
using twopass::testlib::StatusName;

// Pools of the whole process: 1 two threads, 2 four threads, else NULL.
inline pthreadpool_t Pool(int which) {
  return twopass::testlib::SharedPool(which == 1 ? 2 : which == 2 ? 4 : 0);
}

// Under AddressSanitizer the buffers are heap blocks of exactly their size,
// so that ASan reports any access past them; otherwise canaries around.
inline std::unique_ptr<GuardedBuffer> MakeBuffer(size_t size, uint32_t fill_bits) {
#ifdef TWOPASS_FUZZ_ASAN
  const twopass::testlib::Placement placement = twopass::testlib::Placement::kExactHeap;
#else
  const twopass::testlib::Placement placement = twopass::testlib::Placement::kCanaries;
#endif
  return std::unique_ptr<GuardedBuffer>(new GuardedBuffer(size, placement, fill_bits));
}

// ---- The calls of one operator kind ------------------------------------------------

struct Api {
  decltype(&twopass_create_softmax_nc_f32) create;
  decltype(&twopass_reshape_softmax_nc_f32) reshape;
  decltype(&twopass_setup_softmax_nc_f32) setup;
  decltype(&twopass_setup_softmax_nc_f32_with_lse) setup_with_lse;
};

inline Api ApiOf(Kind kind) {
  if (kind == Kind::softmax) {
    return {twopass_create_softmax_nc_f32, twopass_reshape_softmax_nc_f32,
            twopass_setup_softmax_nc_f32, twopass_setup_softmax_nc_f32_with_lse};
  }
  return {twopass_create_log_softmax_nc_f32, twopass_reshape_log_softmax_nc_f32,
          twopass_setup_log_softmax_nc_f32, twopass_setup_log_softmax_nc_f32_with_lse};
}

inline Kind OtherKind(Kind kind) {
  return kind == Kind::softmax ? Kind::log_softmax : Kind::softmax;
}

// ---- Planted bugs --------------------------------------------------------------

// Applies `f(y, x)` to every output element and its input value.
template <typename F>
void ForEachOutput(const Case& c, float* output, const F& f) {
  for (size_t r = 0; r < c.batch; r++) {
    for (size_t i = 0; i < c.channels; i++) {
      f(output[r * c.output_stride + i], c.values[r * c.channels + i]);
    }
  }
}

// Whether every product beta*x of row r is -inf.
inline bool MaskedRow(const Case& c, size_t r) {
  for (size_t i = 0; i < c.channels; i++) {
    if (!((long double)c.beta * c.values[r * c.channels + i] == -INFINITY)) return false;
  }
  return true;
}

// Corrupts the outputs of a run as the planted bug says.
inline void ApplyPlant(Plant plant, const Case& c, const float* input, float* output,
                       float* lse) {
  if (c.batch == 0) return;
  if (plant == Plant::lse_shifted && lse != nullptr) {
    for (size_t r = 0; r < c.batch; r++) lse[r] += 1e-5f * std::fmax(1.0f, std::fabs(lse[r]));
  } else if (plant == Plant::masked_nan && c.masked_rows_zero) {
    for (size_t r = 0; r < c.batch; r++) {
      if (!MaskedRow(c, r)) continue;
      for (size_t i = 0; i < c.channels; i++) output[r * c.output_stride + i] = NAN;
    }
  }
  if (plant == Plant::write_past_row && c.channels % 16 == 13) {
    for (size_t r = 0; r < c.batch; r++) output[r * c.output_stride + c.channels] = 0.0f;
  } else if (plant == Plant::read_past_row && c.channels % 8 == 5) {
    volatile float sink = input[(c.batch - 1) * c.input_stride + c.channels];
    (void)sink;
  } else if (plant == Plant::neginf_plausible) {
    ForEachOutput(c, output, [&](float& y, float x) {
      if ((long double)c.beta * x == -INFINITY) y = c.kind == Kind::softmax ? 1e-30f : -1e30f;
    });
  } else if (plant == Plant::nan_dropped) {
    ForEachOutput(c, output, [&](float& y, float) {
      if (std::isnan(y)) y = 1.0f / (float)c.channels;
    });
  } else if (plant == Plant::scaled && c.kind == Kind::softmax && c.channels > 1000) {
    ForEachOutput(c, output, [](float& y, float) { y *= 1.00004f; });
  }
}

// ---- Statuses ------------------------------------------------------------------

inline std::string Failure(const Case& c, const std::string& what) {
  return c.Describe() + ": " + what;
}

inline std::string ExpectStatus(const Case& c, const char* call, enum xnn_status got,
                                enum xnn_status expected) {
  if (got == expected) return "";
  return Failure(
      c, std::string(call) + " returned " + StatusName(got) + ", expected " + StatusName(expected));
}

// The arguments of create and reshape after the case's misuse.
struct Arguments {
  size_t channels, input_stride, output_stride;
  float beta;
  uint32_t flags;
  bool invalid = false;        // refused by create
  bool invalid_shape = false;  // refused by reshape
};

inline void ApplyFlagMisuse(const Case& c, Arguments& a) {
  const uint32_t known = TWOPASS_FLAG_TWO_PASS | TWOPASS_FLAG_THREE_PASS |
                         TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_ISA_AVX2 |
                         TWOPASS_FLAG_ISA_AVX512F | TWOPASS_FLAG_MASKED_ROWS_ZERO;
  if (c.misuse == misuse_unknown_flag) {
    uint32_t bit = UINT32_C(1) << (c.channels % 32);
    while (bit & known) bit <<= 1;
    a.flags |= bit;
  } else if (c.misuse == misuse_two_algorithms) {
    a.flags |= TWOPASS_FLAG_TWO_PASS | TWOPASS_FLAG_THREE_PASS;
  } else if (c.misuse == misuse_two_isas) {
    a.flags |= c.isa_flag == TWOPASS_FLAG_ISA_SCALAR
                   ? TWOPASS_FLAG_ISA_AVX2
                   : TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_ISA_AVX2;
  } else {
    return;
  }
  a.invalid = true;
}

inline Arguments ArgumentsOf(const Case& c) {
  Arguments a{c.channels, c.input_stride, c.output_stride, c.beta, c.Flags()};
  switch (c.misuse) {
    case misuse_zero_channels: a.channels = 0; a.invalid_shape = true; break;
    case misuse_small_input_stride: a.input_stride = c.channels - 1; a.invalid_shape = true; break;
    case misuse_small_output_stride: a.output_stride = c.channels - 1; a.invalid_shape = true; break;
    case misuse_nan_beta: a.beta = NAN; break;
    case misuse_inf_beta: a.beta = INFINITY; break;
    case misuse_minus_inf_beta: a.beta = -INFINITY; break;
    default: ApplyFlagMisuse(c, a); break;
  }
  a.invalid = a.invalid || !std::isfinite(a.beta);
  return a;
}

// The status of create for arguments it must refuse (or an ISA the host
// lacks): "" if right. The operator, if any was made, is deleted.
inline std::string CheckRefusedCreate(const Case& c, const Arguments& a, enum xnn_status status,
                                      twopass_operator_t op) {
  if (status == xnn_status_success) {
    twopass_delete_operator(op);
    return Failure(c, a.invalid ? "create accepted invalid arguments"
                                : "create succeeded with an ISA the host lacks");
  }
  // Malformed arguments are invalid_parameter; a valid request for an ISA
  // the host lacks is unsupported_hardware (either is fine when both apply).
  if (a.invalid && !HostHasIsa(c.isa_flag) && status == xnn_status_unsupported_hardware) {
    return "";
  }
  return ExpectStatus(c, "create", status,
                      a.invalid ? xnn_status_invalid_parameter : xnn_status_unsupported_hardware);
}

// NULL for every call that takes an operator: invalid_parameter.
inline std::string CheckNullOperator(const Case& c, const Api& api, pthreadpool_t pool) {
  std::string e = ExpectStatus(
      c, "reshape(NULL)",
      api.reshape(nullptr, c.channels, c.input_stride, c.output_stride, c.batch, pool),
      xnn_status_invalid_parameter);
  float x = 0.0f, y = 0.0f;
  if (e.empty()) {
    e = ExpectStatus(c, "setup(NULL)", api.setup(nullptr, &x, &y), xnn_status_invalid_parameter);
  }
  if (e.empty()) {
    e = ExpectStatus(c, "run(NULL)", twopass_run_operator(nullptr, pool),
                     xnn_status_invalid_parameter);
  }
  if (e.empty()) {
    e = ExpectStatus(c, "delete(NULL)", twopass_delete_operator(nullptr),
                     xnn_status_invalid_parameter);
  }
  return e;
}

// A shape refused at reshape leaves no plan: no info, no run.
inline std::string CheckInvalidShape(const Case& c, const Api& api, const Arguments& a,
                                     twopass_operator_t op, pthreadpool_t pool) {
  std::string e = ExpectStatus(
      c, "reshape to an invalid shape",
      api.reshape(op, a.channels, a.input_stride, a.output_stride, c.batch, pool),
      xnn_status_invalid_parameter);
  struct twopass_operator_info info;
  if (e.empty()) {
    e = ExpectStatus(c, "get_operator_info after a failed reshape",
                     twopass_get_operator_info(op, &info), xnn_status_invalid_state);
  }
  if (e.empty()) {
    e = ExpectStatus(c, "run after a failed reshape", twopass_run_operator(op, pool),
                     xnn_status_invalid_state);
  }
  return e;
}

// ---- Buffers -------------------------------------------------------------------

// The case's rows in an input buffer (padding NaN) and an output buffer of
// canaries (none in place), and what the input was before any call.
struct CaseBuffers {
  std::unique_ptr<GuardedBuffer> input;
  std::unique_ptr<GuardedBuffer> output;  // nullptr in place
  std::unique_ptr<GuardedBuffer> lse;     // nullptr without an lse array
  std::vector<float> input_snapshot;

  explicit CaseBuffers(const Case& c) {
    const size_t in_size = c.batch == 0 ? 0 : (c.batch - 1) * c.input_stride + c.channels;
    const size_t out_size = c.batch == 0 ? 0 : (c.batch - 1) * c.output_stride + c.channels;
    input = MakeBuffer(in_size, kInputGuardBits);
    if (!c.in_place) output = MakeBuffer(out_size, kOutputCanaryBits);
    if (c.with_lse) lse = MakeBuffer(c.batch, kOutputCanaryBits);
    for (size_t r = 0; r < c.batch; r++) {
      std::memcpy(x() + r * c.input_stride, c.values.data() + r * c.channels,
                  c.channels * sizeof(float));
    }
    input_snapshot = input->Snapshot();
  }
  float* x() const { return input->data(); }
  float* y() const { return output ? output->data() : input->data(); }
  float* lse_data() const { return lse ? lse->data() : nullptr; }

  // The case's setup: with the lse array when it has one.
  enum xnn_status Setup(const Api& api, twopass_operator_t op) const {
    return lse ? api.setup_with_lse(op, x(), y(), lse_data()) : api.setup(op, x(), y());
  }

  // No call before a successful run may write anything.
  std::string Untouched(const Case& c) const {
    if (!input->SameAs(input_snapshot)) {
      return Failure(c, "a call that must not run wrote the input buffer");
    }
    if (output && !output->CheckUntouched("output").empty()) {
      return Failure(c, "a call that must not run wrote the output buffer");
    }
    if (lse && !lse->CheckUntouched("lse").empty()) {
      return Failure(c, "a call that must not run wrote the lse array");
    }
    return "";
  }
};

// ---- Misuses of the lifecycle ----------------------------------------------------

// Misuses before reshape; `done` tells whether the case ends here.
inline std::string MisuseBeforeReshape(const Case& c, const Api& api, twopass_operator_t op,
                                       const CaseBuffers& b, pthreadpool_t pool, bool& done) {
  done = true;
  std::string e;
  switch (c.misuse) {
    case misuse_reshape_other_kind:
      return ExpectStatus(c, "reshape of the other kind",
                          ApiOf(OtherKind(c.kind))
                              .reshape(op, c.channels, c.input_stride, c.output_stride, c.batch,
                                       pool),
                          xnn_status_invalid_parameter);
    case misuse_setup_before_reshape:
      return ExpectStatus(c, "setup before reshape", api.setup(op, b.x(), b.y()),
                          xnn_status_invalid_state);
    case misuse_run_before_reshape:
      e = ExpectStatus(c, "run before reshape", twopass_run_operator(op, pool),
                       xnn_status_invalid_state);
      return e.empty() ? b.Untouched(c) : e;
    default:
      done = false;
      return "";
  }
}

inline std::string NullPointerSetup(const Case& c, const Api& api, twopass_operator_t op,
                                    const CaseBuffers& b, pthreadpool_t pool) {
  const float* x = c.misuse == misuse_null_input ? nullptr : b.x();
  float* y = c.misuse == misuse_null_output ? nullptr : b.y();
  if (c.batch != 0) {
    return ExpectStatus(c, "setup with a NULL pointer", api.setup(op, x, y),
                        xnn_status_invalid_parameter);
  }
  std::string e =
      ExpectStatus(c, "setup(NULL) with batch 0", api.setup(op, x, y), xnn_status_success);
  if (e.empty()) {
    e = ExpectStatus(c, "run with batch 0", twopass_run_operator(op, pool), xnn_status_success);
  }
  return e;
}

// Misuses between reshape and setup; `done` tells whether the case ends here.
inline std::string MisuseBeforeSetup(const Case& c, const Api& api, twopass_operator_t op,
                                     const CaseBuffers& b, pthreadpool_t pool, bool& done) {
  done = true;
  std::string e;
  switch (c.misuse) {
    case misuse_setup_other_kind:
      return ExpectStatus(c, "setup of the other kind",
                          ApiOf(OtherKind(c.kind)).setup(op, b.x(), b.y()),
                          xnn_status_invalid_parameter);
    case misuse_null_input:
    case misuse_null_output:
      return NullPointerSetup(c, api, op, b, pool);
    case misuse_run_before_setup:
      e = ExpectStatus(c, "run before setup", twopass_run_operator(op, pool),
                       xnn_status_invalid_state);
      return e.empty() ? b.Untouched(c) : e;
    default:
      done = false;
      return "";
  }
}

// A second reshape invalidates the setup: run is invalid_state, writes nothing.
inline std::string RunAfterReshape(const Case& c, const Api& api, twopass_operator_t op,
                                   const CaseBuffers& b, pthreadpool_t pool) {
  const enum xnn_status status =
      api.reshape(op, c.channels, c.input_stride, c.output_stride, c.batch, pool);
  if (status != xnn_status_success) {
    return ExpectStatus(c, "second reshape", status, xnn_status_success);
  }
  const std::string e = ExpectStatus(c, "run after reshape without setup",
                                     twopass_run_operator(op, pool), xnn_status_invalid_state);
  return e.empty() ? b.Untouched(c) : e;
}

// ---- Results -------------------------------------------------------------------

// Nothing outside the rows written, the input unchanged, every row in the contract.
inline std::string CheckResults(const Case& c, const CaseBuffers& b) {
  std::string e;
  if (c.in_place) {
    e = b.input->CheckOutside("in place", c.batch, c.channels, c.input_stride);
  } else {
    e = b.output->CheckOutside("output", c.batch, c.channels, c.output_stride);
    if (e.empty() && !b.input->SameAs(b.input_snapshot)) e = "the input buffer was modified";
  }
  if (e.empty() && b.lse) e = b.lse->CheckOutside("lse", 1, c.batch, c.batch);
  if (!e.empty()) return Failure(c, e);
  for (size_t r = 0; r < c.batch; r++) {
    twopass::testlib::RowChecks checks;
    checks.masked_rows_zero = c.masked_rows_zero;
    checks.lse = b.lse ? b.lse_data() + r : nullptr;
    e = CheckRow(c.kind, c.beta, c.values.data() + r * c.channels, b.y() + r * c.output_stride,
                 c.channels, checks);
    if (!e.empty()) return Failure(c, "row " + std::to_string(r) + ": " + e);
  }
  return "";
}

// A second run without a new setup, on another pool: the same bits.
inline std::string CheckSecondRun(const Case& c, twopass_operator_t op, const CaseBuffers& b,
                                  Plant plant) {
  float* y = b.y();
  const size_t out_size = (c.batch - 1) * c.output_stride + c.channels;
  const std::vector<float> first(y, y + out_size);
  const std::vector<float> first_lse(b.lse_data(), b.lse_data() + (b.lse ? c.batch : 0));
  b.output->Refill();
  if (b.lse) b.lse->Refill();
  const enum xnn_status status = twopass_run_operator(op, Pool(c.pool == 0 ? 2 : 0));
  if (status != xnn_status_success) {
    return ExpectStatus(c, "second run", status, xnn_status_success);
  }
  ApplyPlant(plant, c, b.x(), y, b.lse_data());
  for (size_t r = 0; r < first_lse.size(); r++) {
    if (!SameBits(first_lse[r], b.lse_data()[r])) {
      return Failure(c, "lse of row " + std::to_string(r) + " differs between threadpools: " +
                            DescribeFloat(first_lse[r]) + " vs " + DescribeFloat(b.lse_data()[r]));
    }
  }
  for (size_t r = 0; r < c.batch; r++) {
    for (size_t i = 0; i < c.channels; i++) {
      const float a = first[r * c.output_stride + i];
      const float d = y[r * c.output_stride + i];
      if (!SameBits(a, d)) {
        char message[256];
        std::snprintf(message, sizeof(message),
                      "row %zu element %zu differs between threadpools: %s vs %s", r, i,
                      DescribeFloat(a).c_str(), DescribeFloat(d).c_str());
        return Failure(c, message);
      }
    }
  }
  return "";
}

// ---- The case ------------------------------------------------------------------

// reshape, setup and run of a created operator, with the case's misuse.
inline std::string RunCreated(const Case& c, const Api& api, twopass_operator_t op,
                              Plant plant) {
  pthreadpool_t pool = Pool(c.pool);
  const CaseBuffers b(c);
  bool done = false;
  std::string e = MisuseBeforeReshape(c, api, op, b, pool, done);
  if (done) return e;
  enum xnn_status status =
      api.reshape(op, c.channels, c.input_stride, c.output_stride, c.batch, pool);
  if (status != xnn_status_success) return ExpectStatus(c, "reshape", status, xnn_status_success);
  e = MisuseBeforeSetup(c, api, op, b, pool, done);
  if (done) return e;
  status = b.Setup(api, op);
  if (status != xnn_status_success) return ExpectStatus(c, "setup", status, xnn_status_success);
  if (c.misuse == misuse_run_after_reshape) return RunAfterReshape(c, api, op, b, pool);

  status = twopass_run_operator(op, pool);
  if (status != xnn_status_success) return ExpectStatus(c, "run", status, xnn_status_success);
  ApplyPlant(plant, c, b.x(), b.y(), b.lse_data());
  if (c.batch == 0) return b.Untouched(c);
  e = CheckResults(c, b);
  if (e.empty() && !c.in_place) e = CheckSecondRun(c, op, b, plant);
  return e;
}

}  // namespace twopass_fuzz

#include "fuzz/softmax-x16.h"

namespace twopass_fuzz {

// Runs a case; "" when every check passed.
inline std::string RunCase(const Case& c, Plant plant) {
  if (c.datatype != twopass::testlib::Datatype::kF32) return RunX16Case(c);
  const Api api = ApiOf(c.kind);
  const Arguments a = ArgumentsOf(c);
  if (c.misuse == misuse_null_out_pointer) {
    return ExpectStatus(c, "create(out = NULL)", api.create(a.beta, a.flags, nullptr),
                        xnn_status_invalid_parameter);
  }
  twopass_operator_t op = nullptr;
  enum xnn_status status = api.create(a.beta, a.flags, &op);
  if (plant == Plant::status_lies && !std::isfinite(a.beta)) status = xnn_status_success;
  if (a.invalid || !HostHasIsa(c.isa_flag)) return CheckRefusedCreate(c, a, status, op);
  if (status != xnn_status_success) return ExpectStatus(c, "create", status, xnn_status_success);
  struct Deleter {
    twopass_operator_t op;
    ~Deleter() { twopass_delete_operator(op); }
  } deleter{op};
  if (c.misuse == misuse_null_operator) return CheckNullOperator(c, api, Pool(c.pool));
  if (a.invalid_shape) return CheckInvalidShape(c, api, a, op, Pool(c.pool));
  return RunCreated(c, api, op, plant);
}

inline std::string RunSoftmaxCase(const uint8_t* data, size_t size, Plant plant) {
  return RunCase(ParseCase(data, size), plant);
}

// Prints a failing case with its row values (for regression tests).
inline void PrintCase(const Case& c, const std::string& error) {
  std::fprintf(stderr, "twopass fuzz failure: %s\n", error.c_str());
  const size_t shown = c.values.size() < 64 ? c.values.size() : 64;
  std::fprintf(stderr, "values (%zu of %zu):", shown, c.values.size());
  for (size_t i = 0; i < shown; i++) {
    std::fprintf(stderr, " %a", (double)c.values[i]);
  }
  std::fprintf(stderr, "\n");
}

}  // namespace twopass_fuzz
