// The checks of SoftmaxOperatorTester on the rows an operator wrote:
// numerics against the library's long-double reference (testing/reference.h)
// with the contract's tolerances, reporting the first failures of a batch in
// full, and bitwise comparisons of two results.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/float-bits.h"
#include "testing/reference.h"

namespace twopass {
namespace optest {

using testlib::Describe;
using testlib::RowReference;
using testlib::SameBits;

// Rows of `channels` floats `istride` / `ostride` apart: inputs x, outputs y.
struct RowsUnderTest {
  const float* x;
  size_t istride;
  const float* y;
  size_t ostride;
  size_t channels;
  size_t batch;
  bool masked_rows_zero = false;  // TWOPASS_FLAG_MASKED_ROWS_ZERO
  const float* lse = nullptr;     // one per row, when the setup asked for it
};

// Counts failures and shows the first eight; `message()` builds the text only
// for those shown (a broken kernel fails on every element of a long row).
class FailureLog {
 public:
  template <typename Message>
  void Add(const Message& message) {
    if (failures_++ < kShown) ADD_FAILURE() << message();
  }
  ~FailureLog() {
    if (failures_ > kShown) ADD_FAILURE() << failures_ << " failures in all (first 8 shown)";
  }

 private:
  static constexpr size_t kShown = 8;
  size_t failures_ = 0;
};

// The row of the reference that has no finite product or a NaN or +inf one.
inline void CheckNanRow(const RowsUnderTest& rows, size_t r, FailureLog& log) {
  const float* yr = rows.y + r * rows.ostride;
  for (size_t i = 0; i < rows.channels; i++) {
    if (!std::isnan(yr[i])) {
      log.Add([&] {
        return "row " + std::to_string(r) + ", element " + std::to_string(i) +
               ": the row has a NaN or +inf product beta*x (or no finite one): expected NaN, "
               "got " + Describe(yr[i]);
      });
    }
  }
}

// Checks y_i against the reference; returns its error / tolerance (0 when
// it is exact or fails).
inline long double CheckElement(bool log_softmax, const RowReference& ref, float yi,
                                const std::function<void(const std::string&)>& fail, size_t i) {
  if (ref.minus_inf[i]) {
    if (log_softmax ? !(yi == -std::numeric_limits<float>::infinity()) : !(yi == 0.0f)) {
      fail(std::string("beta*x = -inf: expected exactly ") + (log_softmax ? "-inf" : "0") +
           ", got " + Describe(yi));
    }
    return 0.0L;
  }
  // Log-softmax: (z - max) - log(sum), not z - lse: at |max| ~ 1e30, lse has
  // no digit of log(sum) left, even in long double.
  const long double expected = log_softmax ? ref.LogSoftmax(i) : ref.Softmax(i);
  const long double tolerance =
      log_softmax ? testlib::LogSoftmaxTolerance(expected) : testlib::SoftmaxTolerance(expected);
  const long double error = std::fabs(static_cast<long double>(yi) - expected);
  if (log_softmax && testlib::LogSoftmaxBeyondFloat(expected, tolerance) &&
      yi == -std::numeric_limits<float>::infinity()) {
    return 0.0L;
  }
  if (!(error <= tolerance)) {
    fail(std::string(log_softmax ? "log-softmax" : "softmax") + ": expected " +
         Describe(expected) + (log_softmax ? " (lse " + Describe(ref.lse) + ")" : "") +
         ", got " + Describe(yi) + ", |error| " + Describe(error) + " > tolerance " +
         Describe(tolerance));
    return 0.0L;
  }
  return error / tolerance;
}

// Every element of every row against the reference of the exact products
// beta*x_i; softmax rows also sum to 1 within the contract. Returns the
// largest error / tolerance seen.
inline long double CheckNumerics(bool log_softmax, float beta, const RowsUnderTest& rows) {
  FailureLog log;
  long double worst = 0.0L;
  for (size_t r = 0; r < rows.batch; r++) {
    const float* xr = rows.x + r * rows.istride;
    const float* yr = rows.y + r * rows.ostride;
    const RowReference ref(beta, xr, rows.channels, /*flush=*/false);
    if (rows.lse != nullptr) {
      const std::string error = testlib::CheckLse(ref, rows.lse[r]);
      if (!error.empty()) log.Add([&] { return "row " + std::to_string(r) + ": " + error; });
    }
    if (ref.masked && rows.masked_rows_zero) {
      const std::string error = testlib::CheckMaskedRow(
          log_softmax ? testlib::Kind::log_softmax : testlib::Kind::softmax, yr, rows.channels);
      if (!error.empty()) log.Add([&] { return "row " + std::to_string(r) + ": " + error; });
      continue;
    }
    if (ref.nan_row) {
      CheckNanRow(rows, r, log);
      continue;
    }
    long double sum = 0.0L;
    for (size_t i = 0; i < rows.channels; i++) {
      const auto fail = [&](const std::string& what) {
        log.Add([&] {
          return "row " + std::to_string(r) + ", element " + std::to_string(i) + " (x = " +
                 Describe(xr[i]) + "): " + what;
        });
      };
      worst = std::max(worst, CheckElement(log_softmax, ref, yr[i], fail, i));
      if (!ref.minus_inf[i]) sum += yr[i];
    }
    if (!log_softmax && !(std::fabs(sum - 1.0L) <= testlib::kSumTolerance)) {
      log.Add([&] {
        return "row " + std::to_string(r) + ": |sum(y) - 1| = " + Describe(std::fabs(sum - 1.0L)) +
               " > 1e-5 (sum " + Describe(sum) + ")";
      });
    }
  }
  return worst;
}

// The rows of y (`stride` apart), packed.
inline std::vector<float> PackRows(const float* y, size_t stride, size_t channels, size_t batch) {
  std::vector<float> rows(batch * channels);
  for (size_t r = 0; r < batch; r++) {
    std::copy(y + r * stride, y + r * stride + channels, rows.begin() + r * channels);
  }
  return rows;
}

// Packed rows with the same bits (any NaN matching any NaN).
inline void ExpectSameRows(const std::vector<float>& expected, const std::vector<float>& got,
                           size_t channels, const std::string& what) {
  size_t mismatches = 0;
  for (size_t k = 0; k < expected.size(); k++) {
    if (!SameBits(expected[k], got[k]) && mismatches++ < 5) {
      ADD_FAILURE() << what << ": bits differ at row " << k / channels << ", element "
                    << k % channels << ": " << Describe(expected[k]) << " vs "
                    << Describe(got[k]);
    }
  }
}

}  // namespace optest
}  // namespace twopass
