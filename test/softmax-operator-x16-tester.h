// X16OperatorTester: runs the bf16 and f16 softmax / log-softmax operators
// and checks them against the long-double reference of the exact values of
// the 16-bit inputs (testing/reference.h), with the float contract plus half
// an ulp of the row's type for the one rounding to it:
//   softmax      |y - ref| <= 1e-5 ref + 1e-37 + ulp_T/2, |sum(y) - 1| <= 1e-5 + sum ulp_T(y)/2
//   log-softmax  |y - ref| <= 2e-6 max(1, |ref|) + ulp_T/2 (-inf where ref is beyond T's range)
// the special-value rules, the lse outputs, that nothing outside the rows is
// written (canaries around and between the output rows, the input
// unchanged), and the same bits with pools of 1, 2 and 4 threads and NULL.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pthreadpool.h>

#include <twopass.h>

#include "test/x16-test-utils.h"
#include "testing/float-bits.h"
#include "testing/gtest-status.h"
#include "testing/reference.h"
#include "testing/threadpool.h"
#include "testing/x16.h"

namespace twopass {
namespace test {

using testlib::Describe;
using testlib::RowReference;

using testlib::X16Api;
using testlib::X16ApiOf;

class X16OperatorTester {
 public:
  X16OperatorTester(Datatype datatype, bool log_softmax)
      : datatype_(datatype), log_softmax_(log_softmax) {}

  X16OperatorTester& channels(size_t v) { channels_ = v; return *this; }
  X16OperatorTester& input_stride(size_t v) { input_stride_ = v; return *this; }
  X16OperatorTester& output_stride(size_t v) { output_stride_ = v; return *this; }
  X16OperatorTester& batch_size(size_t v) { batch_size_ = v; return *this; }
  X16OperatorTester& beta(float v) { beta_ = v; return *this; }
  X16OperatorTester& flags(uint32_t v) { flags_ = v; return *this; }
  X16OperatorTester& threads(size_t v) { threads_ = v; return *this; }
  X16OperatorTester& in_place(bool v) { in_place_ = v; return *this; }
  X16OperatorTester& with_lse(bool v) { with_lse_ = v; return *this; }
  X16OperatorTester& check_threads(bool v) { check_threads_ = v; return *this; }
  X16OperatorTester& input_range(float min, float max) {
    input_min_ = min;
    input_max_ = max;
    return *this;
  }
  // Writes row r's values (floats, rounded to the datatype afterwards) over
  // the random ones.
  X16OperatorTester& row_values(std::function<void(size_t, float*)> fill) {
    fill_ = std::move(fill);
    return *this;
  }

  size_t istride() const { return input_stride_ ? input_stride_ : channels_; }
  size_t ostride() const { return in_place_ ? istride() : (output_stride_ ? output_stride_ : channels_); }

  void Test() const {
    SCOPED_TRACE(Description());
    const X16Api api = X16ApiOf(datatype_, log_softmax_);
    const size_t in_elements = batch_size_ == 0 ? 0 : (batch_size_ - 1) * istride() + channels_;
    const size_t out_elements = batch_size_ == 0 ? 0 : (batch_size_ - 1) * ostride() + channels_;
    std::vector<uint16_t> x(in_elements + 2 * kMargin, kInputPadding);
    Generate(x.data() + kMargin);
    const std::vector<uint16_t> x_snapshot = x;
    std::vector<uint16_t> out(out_elements + 2 * kMargin, GuardedOutput16::kCanary);
    std::vector<float> lse(batch_size_ + 2, -1.0f);

    twopass_operator_t op = nullptr;
    ASSERT_EQ(xnn_status_success, api.create(beta_, flags_, &op));
    std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> holder(
        op, twopass_delete_operator);
    uint16_t* in = x.data() + kMargin;
    uint16_t* y = in_place_ ? in : out.data() + kMargin;
    float* lse_data = with_lse_ ? lse.data() + 1 : nullptr;
    ASSERT_EQ(xnn_status_success, api.reshape(op, channels_, istride(), ostride(), batch_size_,
                                              testlib::SharedPool(threads_)));
    ASSERT_EQ(xnn_status_success, Setup(api, op, in, y, lse_data));
    ASSERT_EQ(xnn_status_success, twopass_run_operator(op, testlib::SharedPool(threads_)));
    testlib::Quiesce(testlib::SharedPool(threads_));

    if (!in_place_) {
      EXPECT_TRUE(x == x_snapshot) << "the input changed";
    }
    CheckOutside(in_place_ ? x : out, in_place_ ? kInputPadding : GuardedOutput16::kCanary);
    EXPECT_EQ(-1.0f, lse.front());
    EXPECT_EQ(-1.0f, lse.back());
    if (::testing::Test::HasFailure()) return;
    CheckRows(x_snapshot.data() + kMargin, y, lse_data);
    if (check_threads_ && !in_place_ && !::testing::Test::HasFailure()) {
      CheckThreads(api, op, in, y, lse_data);
    }
  }

  std::string Description() const {
    std::ostringstream s;
    s << DatatypeName(datatype_) << (log_softmax_ ? " log-softmax" : " softmax")
      << " channels=" << channels_ << " strides=" << istride() << "/" << ostride()
      << " batch=" << batch_size_ << " beta=" << beta_ << " flags=0x" << std::hex << flags_
      << std::dec << " threads=" << threads_ << (in_place_ ? " in-place" : "")
      << (with_lse_ ? " lse" : "") << " input in [" << input_min_ << ", " << input_max_ << "]";
    return s.str();
  }

 private:
  static constexpr size_t kMargin = 32;
  static constexpr uint16_t kInputPadding = UINT16_C(0x7FC1);  // NaN in both types

  enum xnn_status Setup(const X16Api& api, twopass_operator_t op, const uint16_t* in,
                        uint16_t* y, float* lse) const {
    return with_lse_ ? api.setup_with_lse(op, in, y, lse) : api.setup(op, in, y);
  }

  void Generate(uint16_t* x) const {
    std::mt19937 rng(UINT32_C(0x16B17) + static_cast<uint32_t>(channels_));
    std::uniform_real_distribution<double> uniform(input_min_, input_max_);
    std::vector<float> row(channels_);
    for (size_t r = 0; r < batch_size_; r++) {
      for (float& v : row) v = static_cast<float>(uniform(rng));
      if (fill_) fill_(r, row.data());
      for (size_t i = 0; i < channels_; i++) x[r * istride() + i] = ToX16(datatype_, row[i]);
    }
  }

  // Every element outside the rows still holds its fill.
  void CheckOutside(const std::vector<uint16_t>& buffer, uint16_t fill) const {
    std::vector<bool> in_rows(buffer.size(), false);
    for (size_t r = 0; r < batch_size_; r++) {
      for (size_t i = 0; i < channels_; i++) in_rows[kMargin + r * ostride() + i] = true;
    }
    for (size_t k = 0; k < buffer.size(); k++) {
      if (!in_rows[k] && buffer[k] != fill) {
        ADD_FAILURE() << "element " << static_cast<long long>(k) - static_cast<long long>(kMargin)
                      << " outside the rows was written";
        return;
      }
    }
  }

  void CheckRows(const uint16_t* x, const uint16_t* y, const float* lse) const {
    testlib::RowChecks checks;
    checks.masked_rows_zero = (flags_ & TWOPASS_FLAG_MASKED_ROWS_ZERO) != 0;
    const testlib::Kind kind = log_softmax_ ? testlib::Kind::log_softmax : testlib::Kind::softmax;
    size_t failures = 0;
    for (size_t r = 0; r < batch_size_ && failures < 8; r++) {
      std::vector<float> xr(channels_), yr(channels_);
      for (size_t i = 0; i < channels_; i++) {
        xr[i] = FromX16(datatype_, x[r * istride() + i]);
        yr[i] = FromX16(datatype_, y[r * ostride() + i]);
      }
      checks.lse = lse != nullptr ? &lse[r] : nullptr;
      const std::string error =
          testlib::CheckX16Row(datatype_, kind, beta_, xr.data(), yr.data(), channels_, checks);
      if (!error.empty()) {
        failures++;
        ADD_FAILURE() << "row " << r << ": " << error;
      }
    }
  }

  void CheckThreads(const X16Api& api, twopass_operator_t op, const uint16_t* in,
                    const uint16_t* y, const float* lse) const {
    const size_t stride = ostride();
    const size_t out_elements = (batch_size_ - 1) * stride + channels_;
    const std::vector<uint16_t> first(y, y + out_elements);
    const std::vector<float> first_lse(lse, lse + (lse ? batch_size_ : 0));
    for (size_t threads : {size_t(0), size_t(1), size_t(2), size_t(4)}) {
      std::vector<uint16_t> again(out_elements, 0);
      std::vector<float> again_lse(batch_size_, 0.0f);
      pthreadpool_t pool = testlib::SharedPool(threads);
      ASSERT_EQ(xnn_status_success,
                api.reshape(op, channels_, istride(), stride, batch_size_, pool));
      ASSERT_EQ(xnn_status_success,
                Setup(api, op, in, again.data(), lse ? again_lse.data() : nullptr));
      ASSERT_EQ(xnn_status_success, twopass_run_operator(op, pool));
      testlib::Quiesce(pool);
      for (size_t r = 0; r < batch_size_; r++) {
        for (size_t i = 0; i < channels_; i++) {
          ASSERT_EQ(first[r * stride + i], again[r * stride + i])
              << "row " << r << " element " << i << " with " << threads << " threads";
        }
        if (lse) {
          ASSERT_TRUE(testlib::SameBits(first_lse[r], again_lse[r])) << "lse of row " << r;
        }
      }
    }
  }

  Datatype datatype_;
  bool log_softmax_;
  size_t channels_ = 1;
  size_t input_stride_ = 0;
  size_t output_stride_ = 0;
  size_t batch_size_ = 1;
  float beta_ = 1.0f;
  uint32_t flags_ = 0;
  size_t threads_ = 1;
  bool in_place_ = false;
  bool with_lse_ = false;
  bool check_threads_ = false;
  float input_min_ = -10.0f;
  float input_max_ = 10.0f;
  std::function<void(size_t, float*)> fill_;
};

}  // namespace test
}  // namespace twopass
