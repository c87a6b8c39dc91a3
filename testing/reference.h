// The reference of every softmax and log-softmax check (operator tests, fuzz
// oracle, benchmarks): long double from the exact products z_i = beta*x_i,
// with the special-value rules of include/twopass.h and the contract's
// tolerances:
//   softmax      |y_i - ref_i| <= 1e-5 * ref_i + 1e-37, |sum_i y_i - 1| <= 1e-5
//   log-softmax  |y_i - ref_i| <= 2e-6 * max(1, |ref_i|)
//   z_i = -inf in a row with a finite z: y_i = 0 exactly (log-softmax: -inf);
//   every z_i = -inf: NaN row (all 0, log-softmax all -inf, with
//     TWOPASS_FLAG_MASKED_ROWS_ZERO); any z_i NaN or +inf: NaN row.
//   lse (the optional row output): |lse - ref| <= 2e-6 * max(1, |ref|), NaN
//     for a NaN row, -inf for a row of all -inf products.
// Choices of CheckRow (docs/reliability.md):
//   * Denormals: the operators run with denormals flushed (DAZ/FTZ, as
//     XNNPACK), so a denormal beta or x_i may act as a zero of the same sign.
//     A row that holds one (or a denormal beta) passes if it matches either
//     the exact reference or the one with denormals flushed.
//   * Log-softmax outputs whose true value lies beyond the float range
//     (z_i = -FLT_MAX with lse = +FLT_MAX, ...) may be -inf: -inf is
//     accepted where ref_i - tolerance < -FLT_MAX; nothing else is relaxed.
//   * Every row with finite products is in the contract and is checked.
//     While a bug is open, TWOPASS_FUZZ_IGNORE (comma-separated) can skip
//     the numerics of its rows (memory, status and other checks still run):
//       product-overflow  some finite exact |beta*x_i| exceeds FLT_MAX;
//       inexact-max       the largest product is not within 1 of a float
//                         (|z_max - fl(z_max)| > 1, i.e. |z_max| >~ 2^25).
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "testing/float-bits.h"

namespace twopass {
namespace testlib {

enum class Kind { softmax = 0, log_softmax = 1 };

// The contract's bounds on |y_i - ref_i|.
inline long double SoftmaxTolerance(long double ref) { return 1e-5L * ref + 1e-37L; }
// Log-softmax: the absolute bound, and near 0 (the log-probability of a
// confident row's top class) a relative one.
inline long double LogSoftmaxTolerance(long double ref) {
  const long double absolute = 2e-6L * (std::fabs(ref) > 1.0L ? std::fabs(ref) : 1.0L);
  const long double relative = 4e-6L * std::fabs(ref) + 1e-12L;
  return relative < absolute ? relative : absolute;
}
// lse: the absolute bound of log-softmax.
inline long double LseTolerance(long double ref) {
  return 2e-6L * (std::fabs(ref) > 1.0L ? std::fabs(ref) : 1.0L);
}
constexpr long double kSumTolerance = 1e-5L;  // |sum_i y_i - 1|, softmax
// A log-softmax output whose true value lies below -FLT_MAX has no float
// value: -inf is its rounding.
inline bool LogSoftmaxBeyondFloat(long double ref, long double tolerance) {
  return ref - tolerance < -(long double)FLT_MAX;
}

// Checks the TWOPASS_FUZZ_IGNORE environment variable (comma-separated).
inline bool Ignored(const char* what) {
  const char* list = std::getenv("TWOPASS_FUZZ_IGNORE");
  if (list == nullptr) return false;
  const std::string s = std::string(",") + list + ",";
  return s.find(std::string(",") + what + ",") != std::string::npos;
}

// The long-double reference of one row. Special products are classified
// from the float operands, never from a long-double infinity: valgrind
// emulates the x87 in double precision and stores a long-double infinity as
// LDBL_MAX, and the oracle must also run under valgrind (in double precision,
// still far more accurate than the tolerances).
struct RowReference {
  bool nan_row = false;
  bool masked = false;            // every z_i = -inf (a NaN row unless masked rows give zeros)
  bool product_overflow = false;  // some finite exact |beta*x_i| > FLT_MAX
  bool inexact_max = false;       // |max - fl(max)| > 1: fl(beta*max x) is off by > 1
  long double max = 0.0L;         // largest finite z
  long double sum = 0.0L;         // sum exp(z_i - max)
  long double lse = 0.0L;         // max + log(sum)
  std::vector<long double> z;     // exact products (0 where minus_inf)
  std::vector<char> minus_inf;    // z_i = -inf

  RowReference(float beta, const float* x, size_t n, bool flush) : z(n), minus_inf(n, 0) {
    const float b = flush ? FlushDenormal(beta) : beta;
    bool any_finite = false;
    for (size_t i = 0; i < n; i++) {
      const float xi = flush ? FlushDenormal(x[i]) : x[i];
      if (std::isnan(xi) || std::isnan(b)) {
        nan_row = true;
      } else if (std::isinf(xi) || std::isinf(b)) {
        if (xi == 0.0f || b == 0.0f) {
          nan_row = true;  // 0 * inf
        } else if ((xi > 0.0f) == (b > 0.0f)) {
          nan_row = true;  // +inf
        } else {
          minus_inf[i] = 1;
        }
      } else {
        // A float product has at most 48 significant bits: exact in long
        // double (and in double).
        z[i] = (long double)b * (long double)xi;
        if (!any_finite || z[i] > max) max = z[i];
        any_finite = true;
        if (std::fabs(z[i]) > (long double)FLT_MAX) product_overflow = true;
      }
    }
    if (!any_finite && !nan_row) masked = true;
    if (!any_finite) nan_row = true;  // all -inf (or n == 0)
    if (nan_row) return;
    if (!product_overflow) {
      inexact_max = std::fabs(max - (long double)(float)max) > 1.0L;
    }
    for (size_t i = 0; i < n; i++) {
      if (!minus_inf[i]) sum += std::exp(z[i] - max);
    }
    lse = max + std::log(sum);
  }

  long double Softmax(size_t i) const { return minus_inf[i] ? 0.0L : std::exp(z[i] - max) / sum; }
  // (z - max) - log(sum), not z - lse: at |max| ~ 1e30 lse = max + log(sum)
  // has no digit of log(sum) left, even in long double.
  long double LogSoftmax(size_t i) const {
    return minus_inf[i] ? -(long double)INFINITY : (z[i] - max) - std::log(sum);
  }
};

// What a row check expects beyond the defaults: the rule of
// TWOPASS_FLAG_MASKED_ROWS_ZERO, and the row's lse output (nullptr: none).
struct RowChecks {
  bool masked_rows_zero = false;
  const float* lse = nullptr;
};

// "" if lse (the row's log-sum-exp output) meets the contract.
inline std::string CheckLse(const RowReference& ref, float lse) {
  char buffer[256];
  if (ref.masked || ref.nan_row) {
    const bool ok = ref.masked ? lse == -INFINITY : std::isnan(lse);
    if (ok) return "";
    std::snprintf(buffer, sizeof(buffer), "lse of a %s row must be %s, got %s",
                  ref.masked ? "all -inf" : "NaN", ref.masked ? "-inf" : "NaN",
                  DescribeFloat(lse).c_str());
    return buffer;
  }
  const long double tolerance = LseTolerance(ref.lse);
  if (std::fabs((long double)lse - ref.lse) <= tolerance) return "";
  // A true value within the tolerance of beyond the float range may round to
  // the infinity of its sign (as log-softmax outputs beyond -FLT_MAX may be
  // -inf): a row's largest product above FLT_MAX gives +inf, one below
  // -FLT_MAX -inf.
  if (lse == INFINITY && ref.lse + tolerance > (long double)FLT_MAX) return "";
  if (lse == -INFINITY && ref.lse - tolerance < -(long double)FLT_MAX) return "";
  std::snprintf(buffer, sizeof(buffer), "lse %s, reference %s, |error| > %.3Le",
                DescribeFloat(lse).c_str(), Describe(ref.lse).c_str(), tolerance);
  return buffer;
}

// "" if every y_i of a masked row (all products -inf) is the masked rows'
// value: 0, or -inf for log-softmax.
inline std::string CheckMaskedRow(Kind kind, const float* y, size_t n) {
  const float fill = kind == Kind::softmax ? 0.0f : -INFINITY;
  for (size_t i = 0; i < n; i++) {
    if (!(y[i] == fill) || std::signbit(y[i]) != std::signbit(fill)) {
      char buffer[256];
      std::snprintf(buffer, sizeof(buffer),
                    "masked row (all -inf products) must give %s, y[%zu] = %s",
                    kind == Kind::softmax ? "+0" : "-inf", i, DescribeFloat(y[i]).c_str());
      return buffer;
    }
  }
  return "";
}

// "" if y (n outputs of one row) meets the contract for this reference.
inline std::string CheckOutputs(Kind kind, const RowReference& ref, const float* y, size_t n,
                                bool masked_rows_zero) {
  char buffer[512];
  if (ref.masked && masked_rows_zero) return CheckMaskedRow(kind, y, n);
  if (ref.nan_row) {
    for (size_t i = 0; i < n; i++) {
      if (!std::isnan(y[i])) {
        std::snprintf(buffer, sizeof(buffer),
                      "NaN row expected (NaN/+inf product or all -inf), y[%zu] = %s", i,
                      DescribeFloat(y[i]).c_str());
        return buffer;
      }
    }
    return "";
  }
  if (kind == Kind::softmax) {
    long double total = 0.0L;
    for (size_t i = 0; i < n; i++) {
      if (ref.minus_inf[i]) {  // -inf product: exactly 0
        if (y[i] != 0.0f) {
          std::snprintf(buffer, sizeof(buffer), "-inf product must give exactly 0, y[%zu] = %s", i,
                        DescribeFloat(y[i]).c_str());
          return buffer;
        }
        continue;
      }
      const long double r = ref.Softmax(i);
      const long double tolerance = SoftmaxTolerance(r);
      if (!(std::fabs((long double)y[i] - r) <= tolerance)) {
        std::snprintf(buffer, sizeof(buffer),
                      "softmax y[%zu] = %s, reference %s, |error| > %.3Le (z = %s)", i,
                      DescribeFloat(y[i]).c_str(), Describe(r).c_str(), tolerance,
                      Describe(ref.z[i]).c_str());
        return buffer;
      }
      total += y[i];
    }
    if (!(std::fabs(total - 1.0L) <= kSumTolerance)) {
      std::snprintf(buffer, sizeof(buffer), "softmax row sum %s, |sum - 1| > 1e-5",
                    Describe(total).c_str());
      return buffer;
    }
    return "";
  }
  for (size_t i = 0; i < n; i++) {
    if (ref.minus_inf[i]) {  // -inf product: -inf
      if (!(y[i] == -INFINITY)) {
        std::snprintf(buffer, sizeof(buffer),
                      "-inf product must give -inf in log-softmax, y[%zu] = %s", i,
                      DescribeFloat(y[i]).c_str());
        return buffer;
      }
      continue;
    }
    const long double r = ref.LogSoftmax(i);
    const long double tolerance = LogSoftmaxTolerance(r);
    if (std::fabs((long double)y[i] - r) <= tolerance) continue;
    // The true value is beyond the float range: -inf is the only float left.
    if (y[i] == -INFINITY && LogSoftmaxBeyondFloat(r, tolerance)) continue;
    std::snprintf(buffer, sizeof(buffer),
                  "log-softmax y[%zu] = %s, reference %s, |error| > %.3Le (z = %s, lse = %s)", i,
                  DescribeFloat(y[i]).c_str(), Describe(r).c_str(), tolerance,
                  Describe(ref.z[i]).c_str(), Describe(ref.lse).c_str());
    return buffer;
  }
  return "";
}

// "" if y (n outputs of one row) and the lse output, if any, meet the
// contract for this reference.
inline std::string CheckAgainst(Kind kind, const RowReference& ref, const float* y, size_t n,
                                const RowChecks& checks = RowChecks()) {
  const std::string error = CheckOutputs(kind, ref, y, n, checks.masked_rows_zero);
  if (!error.empty() || checks.lse == nullptr) return error;
  return CheckLse(ref, *checks.lse);
}

// Rows of a known open issue that TWOPASS_FUZZ_IGNORE names: their numerics
// are not checked (everything else is).
inline bool Skipped(const RowReference& ref) {
  return (ref.product_overflow && Ignored("product-overflow")) ||
         (ref.inexact_max && Ignored("inexact-max"));
}

// "" if the outputs y of row x meet the contract; otherwise what is wrong.
inline std::string CheckRow(Kind kind, float beta, const float* x, const float* y, size_t n,
                            const RowChecks& checks = RowChecks()) {
  const RowReference exact(beta, x, n, /*flush=*/false);
  if (Skipped(exact)) return "";
  const std::string error = CheckAgainst(kind, exact, y, n, checks);
  if (error.empty()) return "";
  bool denormals = IsDenormal(beta);
  for (size_t i = 0; i < n && !denormals; i++) denormals = IsDenormal(x[i]);
  if (denormals) {
    const RowReference flushed(beta, x, n, /*flush=*/true);
    if (Skipped(flushed)) return "";
    if (CheckAgainst(kind, flushed, y, n, checks).empty()) return "";
  }
  return error;
}

}  // namespace testlib
}  // namespace twopass
