// The bf16 and f16 cases of the softmax fuzzer (fuzz/softmax-harness.h): the
// case's values rounded to the datatype, run through the 16-bit operators,
// checked against the oracle of 16-bit rows (testing/x16.h) with the lse
// array and the masked rows' flag when the case has them; nothing outside
// the rows written (canaries around and between the output rows, the input
// unchanged; under ASan, exact-size buffers), and the same bits on a second
// run with another pool. Of the misuses, those of create and reshape apply
// (beta, flags, shapes); TWOPASS_FLAG_THREE_PASS must be unsupported_parameter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <twopass.h>

#include "testing/x16.h"

namespace twopass_fuzz {

using twopass::testlib::Datatype;

using twopass::testlib::X16Api;

inline X16Api X16ApiOf(Datatype datatype, Kind kind) {
  return twopass::testlib::X16ApiOf(datatype, kind == Kind::log_softmax);
}

// 16-bit buffers with canaries around (none under ASan, which sees any
// access past an exact-size heap block) and an lse array.
struct X16Buffers {
#ifdef TWOPASS_FUZZ_ASAN
  static constexpr size_t kMargin = 0;
#else
  static constexpr size_t kMargin = 16;
#endif
  static constexpr uint16_t kCanary = UINT16_C(0x7DAD);
  static constexpr uint16_t kPadding = UINT16_C(0x7FC1);  // NaN in both types

  std::vector<uint16_t> input, output;
  std::vector<float> lse;

  explicit X16Buffers(const Case& c)
      : input(Elements(c, c.input_stride) + 2 * kMargin, kPadding),
        output(c.in_place ? 0 : Elements(c, c.output_stride) + 2 * kMargin, kCanary),
        lse(c.with_lse ? c.batch : 0, -1.0f) {
    for (size_t r = 0; r < c.batch; r++) {
      for (size_t i = 0; i < c.channels; i++) {
        input[kMargin + r * c.input_stride + i] =
            twopass::testlib::ToX16(c.datatype, c.values[r * c.channels + i]);
      }
    }
  }
  static size_t Elements(const Case& c, size_t stride) {
    return c.batch == 0 ? 0 : (c.batch - 1) * stride + c.channels;
  }
  const uint16_t* x() const { return input.data() + kMargin; }
  uint16_t* y() { return (output.empty() ? input.data() : output.data()) + kMargin; }
  float* lse_data() { return lse.empty() ? nullptr : lse.data(); }

  // "" if every element outside the output rows holds its fill.
  std::string CheckOutside(const Case& c) {
    const std::vector<uint16_t>& buffer = output.empty() ? input : output;
    const uint16_t fill = output.empty() ? kPadding : kCanary;
    for (size_t k = 0; k < buffer.size(); k++) {
      const size_t i = k - kMargin;  // wraps below the data: not in a row
      const bool in_row = k >= kMargin && i / c.output_stride < c.batch &&
                          i % c.output_stride < c.channels;
      if (!in_row && buffer[k] != fill) {
        return "element " + std::to_string((long long) k - (long long) kMargin) +
               " outside the rows was written";
      }
    }
    return "";
  }
};

// Every row of the case against the 16-bit oracle (of the case's values,
// already rounded to the datatype: in place the buffer holds the outputs).
inline std::string CheckX16Rows(const Case& c, X16Buffers& b) {
  std::vector<float> y(c.channels);
  for (size_t r = 0; r < c.batch; r++) {
    const float* x = c.values.data() + r * c.channels;
    for (size_t i = 0; i < c.channels; i++) {
      y[i] = twopass::testlib::FromX16(c.datatype, b.y()[r * c.output_stride + i]);
    }
    twopass::testlib::RowChecks checks;
    checks.masked_rows_zero = c.masked_rows_zero;
    checks.lse = c.with_lse ? &b.lse[r] : nullptr;
    const std::string e =
        twopass::testlib::CheckX16Row(c.datatype, c.kind, c.beta, x, y.data(), c.channels, checks);
    if (!e.empty()) return Failure(c, "row " + std::to_string(r) + ": " + e);
  }
  return "";
}

// A second run with another pool: the same bits (not in place).
inline std::string CheckX16SecondRun(const Case& c, twopass_operator_t op, X16Buffers& b) {
  const std::vector<uint16_t> first = b.output;
  const std::vector<float> first_lse = b.lse;
  std::fill(b.output.begin(), b.output.end(), X16Buffers::kCanary);
  std::fill(b.lse.begin(), b.lse.end(), -1.0f);
  const enum xnn_status status = twopass_run_operator(op, Pool(c.pool == 0 ? 2 : 0));
  if (status != xnn_status_success) return ExpectStatus(c, "second run", status, xnn_status_success);
  if (first != b.output) return Failure(c, "the outputs differ between threadpools");
  for (size_t r = 0; r < first_lse.size(); r++) {
    if (!SameBits(first_lse[r], b.lse[r])) {
      return Failure(c, "lse of row " + std::to_string(r) + " differs between threadpools");
    }
  }
  return "";
}

inline std::string RunX16Created(const Case& c, const X16Api& api, twopass_operator_t op,
                                 const Arguments& a) {
  pthreadpool_t pool = Pool(c.pool);
  enum xnn_status status =
      api.reshape(op, a.channels, a.input_stride, a.output_stride, c.batch, pool);
  if (a.invalid_shape) return ExpectStatus(c, "reshape to an invalid shape", status,
                                           xnn_status_invalid_parameter);
  if (status != xnn_status_success) return ExpectStatus(c, "reshape", status, xnn_status_success);
  X16Buffers b(c);
  status = api.setup_with_lse(op, b.x(), b.y(), b.lse_data());
  if (status != xnn_status_success) return ExpectStatus(c, "setup", status, xnn_status_success);
  status = twopass_run_operator(op, pool);
  if (status != xnn_status_success) return ExpectStatus(c, "run", status, xnn_status_success);
  std::string e = b.CheckOutside(c);
  if (!e.empty()) return Failure(c, e);
  if (c.batch == 0) return "";
  e = CheckX16Rows(c, b);
  if (e.empty() && !c.in_place) e = CheckX16SecondRun(c, op, b);
  return e;
}

inline std::string RunX16Case(const Case& c) {
  const X16Api api = X16ApiOf(c.datatype, c.kind);
  const Arguments a = ArgumentsOf(c);
  twopass_operator_t op = nullptr;
  enum xnn_status status = api.create(a.beta, a.flags, &op);
  if (a.invalid) return CheckRefusedCreate(c, a, status, op);
  // Three-pass (unsupported_parameter) and an ISA the host lacks
  // (unsupported_hardware): either status is right when both apply.
  const bool three_pass = c.algorithm_flag == TWOPASS_FLAG_THREE_PASS;
  const bool missing_isa = !HostHasIsa(c.isa_flag);
  if (three_pass || missing_isa) {
    if (status == xnn_status_success) {
      twopass_delete_operator(op);
      return Failure(c, "create (16-bit) succeeded with three-pass or an ISA the host lacks");
    }
    if ((three_pass && status == xnn_status_unsupported_parameter) ||
        (missing_isa && status == xnn_status_unsupported_hardware)) {
      return "";
    }
    return ExpectStatus(c, "create (16-bit)", status,
                        three_pass ? xnn_status_unsupported_parameter
                                   : xnn_status_unsupported_hardware);
  }
  if (status != xnn_status_success) return ExpectStatus(c, "create", status, xnn_status_success);
  const std::string e = RunX16Created(c, api, op, a);
  twopass_delete_operator(op);
  return e;
}

}  // namespace twopass_fuzz
