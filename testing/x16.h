// The 16-bit rows (bf16, f16) in the tests, fuzzers and benchmarks: the
// datatypes, the conversions (the scalar helpers of microkernels/convert/,
// which test/x16-convert.cc checks against exact values), the allowance of a
// result rounded once to the datatype, and the oracle of a 16-bit row:
//   softmax      |y - ref| <= 1e-5 ref + 1e-37 + ulp_T(ref)/2, |sum(y) - 1| <= 1e-5 + sum ulp_T(y)/2
//   log-softmax  |y - ref| <= 2e-6 max(1, |ref|) + ulp_T(ref)/2, or -inf where ref is beyond T
// against the long-double reference of the exact values of the 16-bit inputs
// (testing/reference.h), with its special-value rules.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

#include <pthreadpool.h>
#include <twopass.h>

#include "microkernels/convert/scalar.h"
#include "testing/reference.h"

namespace twopass {
namespace testlib {

enum class Datatype { kF32, kBF16, kF16 };

inline const char* DatatypeName(Datatype datatype) {
  switch (datatype) {
    case Datatype::kF32: return "f32";
    case Datatype::kBF16: return "bf16";
    case Datatype::kF16: return "f16";
  }
  return "?";
}

// f rounded once to the 16-bit datatype (nearest even, NaN kept).
inline uint16_t ToX16(Datatype datatype, float f) {
  return datatype == Datatype::kBF16 ? twopass_bf16_from_f32(f) : twopass_f16_from_f32(f);
}

// The exact float value of 16-bit bits.
inline float FromX16(Datatype datatype, uint16_t bits) {
  return datatype == Datatype::kBF16 ? twopass_bf16_to_f32(bits) : twopass_f16_to_f32(bits);
}

// f rounded to the datatype, as a float (f itself for f32).
inline float RoundToDatatype(Datatype datatype, float f) {
  return datatype == Datatype::kF32 ? f : FromX16(datatype, ToX16(datatype, f));
}

// Half an ulp of the datatype at magnitude r (the subnormal ulp below its
// normal range): what rounding a value near r once to the datatype may add.
// 0 for f32 (the float tolerances already hold its rounding).
inline long double HalfUlp(Datatype datatype, long double r) {
  if (datatype == Datatype::kF32) return 0.0L;
  const int mantissa_bits = datatype == Datatype::kBF16 ? 7 : 10;
  const int min_exponent = datatype == Datatype::kBF16 ? -126 : -14;
  int exponent = min_exponent;
  if (r != 0.0L && std::isfinite(r)) {
    exponent = std::max(min_exponent, std::ilogb(r));
  }
  return std::ldexp(1.0L, exponent - mantissa_bits - 1);
}

// The smallest magnitude that rounds to infinity in the datatype (halfway
// between its largest finite value and the next power of two).
inline long double OverflowThreshold(Datatype datatype) {
  switch (datatype) {
    case Datatype::kBF16: return std::ldexp(0x1.FFp0L, 127);
    case Datatype::kF16: return 65520.0L;
    default: return std::ldexp(0x1.FFFFFFp0L, 127);
  }
}

// "" if y (the n outputs of one 16-bit row, decoded to float) meet the
// contract for this reference (of the row's exact values).
inline std::string CheckX16Outputs(Datatype datatype, Kind kind, bool masked_rows_zero,
                                   const RowReference& ref, const float* y, size_t n) {
  const bool log_softmax = kind == Kind::log_softmax;
  if (ref.masked && masked_rows_zero) return CheckMaskedRow(kind, y, n);
  std::ostringstream error;
  long double sum = 0.0L, sum_slack = 0.0L;
  for (size_t i = 0; i < n; i++) {
    if (ref.nan_row) {
      if (!std::isnan(y[i])) return "NaN row expected, y[" + std::to_string(i) + "] = " + Describe(y[i]);
      continue;
    }
    if (ref.minus_inf[i]) {
      if (!(y[i] == (log_softmax ? -std::numeric_limits<float>::infinity() : 0.0f))) {
        return "-inf product: y[" + std::to_string(i) + "] = " + Describe(y[i]);
      }
      continue;
    }
    const long double r = log_softmax ? ref.LogSoftmax(i) : ref.Softmax(i);
    const long double f32 = log_softmax ? LogSoftmaxTolerance(r) : SoftmaxTolerance(r);
    const long double tolerance = f32 + HalfUlp(datatype, std::fabs(r) + f32);
    const long double err = std::fabs(static_cast<long double>(y[i]) - r);
    const bool beyond = log_softmax && y[i] == -std::numeric_limits<float>::infinity() &&
                        r - tolerance < -OverflowThreshold(datatype);
    if (!(err <= tolerance) && !beyond) {
      error << (log_softmax ? "log-softmax" : "softmax") << " y[" << i << "] = " << Describe(y[i])
            << ", reference " << Describe(r) << ", |error| " << Describe(err) << " > "
            << Describe(tolerance);
      return error.str();
    }
    sum += y[i];
    sum_slack += HalfUlp(datatype, y[i]);
  }
  if (!ref.nan_row && !log_softmax && !(std::fabs(sum - 1.0L) <= kSumTolerance + sum_slack)) {
    error << "softmax row sum " << Describe(sum) << ", |sum - 1| > 1e-5 + " << Describe(sum_slack);
    return error.str();
  }
  return "";
}

// "" if the outputs y of the 16-bit row x (both decoded to float) and its
// lse (if checks.lse) meet the contract; a row with denormal floats (bf16
// has them; the kernels flush them) may match the flushed reference instead.
inline std::string CheckX16Row(Datatype datatype, Kind kind, float beta, const float* x,
                               const float* y, size_t n, const RowChecks& checks) {
  std::string first;
  for (bool flush : {false, true}) {
    const RowReference ref(beta, x, n, flush);
    std::string error = CheckX16Outputs(datatype, kind, checks.masked_rows_zero, ref, y, n);
    if (error.empty() && checks.lse != nullptr) error = CheckLse(ref, *checks.lse);
    if (error.empty()) return "";
    if (!flush) first = error;
    bool denormals = IsDenormal(beta);
    for (size_t i = 0; i < n && !denormals; i++) denormals = IsDenormal(x[i]);
    if (!denormals) break;
  }
  return first;
}

// The entry points of the bf16 / f16 operators of one kind.
struct X16Api {
  enum xnn_status (*create)(float, uint32_t, twopass_operator_t*);
  enum xnn_status (*reshape)(twopass_operator_t, size_t, size_t, size_t, size_t, pthreadpool_t);
  enum xnn_status (*setup)(twopass_operator_t, const void*, void*);
  enum xnn_status (*setup_with_lse)(twopass_operator_t, const void*, void*, float*);
};

// The entry points of a 16-bit datatype and kind (log_softmax: log-softmax).
inline X16Api X16ApiOf(Datatype datatype, bool log_softmax) {
  if (datatype == Datatype::kBF16) {
    return log_softmax ? X16Api{twopass_create_log_softmax_nc_bf16,
                                twopass_reshape_log_softmax_nc_bf16,
                                twopass_setup_log_softmax_nc_bf16,
                                twopass_setup_log_softmax_nc_bf16_with_lse}
                       : X16Api{twopass_create_softmax_nc_bf16, twopass_reshape_softmax_nc_bf16,
                                twopass_setup_softmax_nc_bf16,
                                twopass_setup_softmax_nc_bf16_with_lse};
  }
  return log_softmax ? X16Api{twopass_create_log_softmax_nc_f16,
                              twopass_reshape_log_softmax_nc_f16,
                              twopass_setup_log_softmax_nc_f16,
                              twopass_setup_log_softmax_nc_f16_with_lse}
                     : X16Api{twopass_create_softmax_nc_f16, twopass_reshape_softmax_nc_f16,
                              twopass_setup_softmax_nc_f16, twopass_setup_softmax_nc_f16_with_lse};
}

}  // namespace testlib
}  // namespace twopass
