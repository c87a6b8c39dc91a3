// SoftmaxOperatorTester: runs twopass softmax / log-softmax operators and
// checks them against the test library's long-double reference
// (testing/reference.h), in the style of XNNPACK's test/softmax-operator-tester.h.
//
// What one TestF32() call checks:
//   * numerics of every element against long double, with the contract's
//     tolerances (include/twopass.h):
//       softmax      |y - ref| <= 1e-5 * ref + 1e-37 and |sum(y) - 1| <= 1e-5
//       log-softmax  |y - ref| <= 2e-6 * max(1, |ref|)  (a bound scaled with
//                    |beta*x_i| and |lse| would let the results near the max
//                    of a large-magnitude row go to 0)
//     and the special-value rules on the exact product beta*x_i;
//   * nothing outside the rows is written: canaries before and after both
//     buffers and in the padding between rows (or PROT_NONE pages right at
//     the ends of the buffers), the input is read-only while the operator
//     runs (mprotect), and the input (padding included) is unchanged;
//   * the padding of the input holds NaN: a row that reads it goes NaN;
//   * run is repeatable without a new setup and gives the same bits;
//   * optionally (check_threads) the same bits with threadpools of 1, 2 and 4
//     threads and NULL, with reshape and run given different pools, and
//     (check_position) a row's bits do not depend on where it sits in the
//     batch (batch of one, separate buffers);
//   * twopass_get_operator_info reports the forced algorithm and ISA;
//   * with_lse: the setup variant with an lse array, each row's lse against
//     the reference, nothing written around the array, and the same bits in
//     every rerun and with every pool;
//   * with TWOPASS_FLAG_MASKED_ROWS_ZERO in flags, rows of only -inf
//     products give zeros (log-softmax -inf).
#pragma once
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <pthreadpool.h>

#include <twopass.h>

#include "test/softmax-operator-checks.h"
#include "test/softmax-operator-params.h"
#include "testing/float-bits.h"
#include "testing/gtest-isa.h"
#include "testing/gtest-status.h"
#include "testing/guarded-buffer.h"
#include "testing/isa.h"
#include "testing/status.h"
#include "testing/threadpool.h"

namespace twopass {
namespace optest {

using testlib::BestIsaFlag;
using testlib::BitsFloat;
using testlib::FloatBits;
using testlib::GuardedBuffer;
using testlib::kInputGuardBits;
using testlib::kOutputCanaryBits;
using testlib::MissingIsa;
using testlib::Placement;
using testlib::PlacementName;
using testlib::Quiesce;
using testlib::SharedPool;
using testlib::StatusName;

// twopass_run_operator, then Quiesce(threadpool).
inline enum xnn_status RunOperator(twopass_operator_t op, pthreadpool_t threadpool) {
  const enum xnn_status status = twopass_run_operator(op, threadpool);
  Quiesce(threadpool);
  return status;
}

// A buffer check of testing/guarded-buffer.h as a googletest assertion.
inline ::testing::AssertionResult NothingWritten(const std::string& error) {
  if (error.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << error;
}

// ---- The tester --------------------------------------------------------------------

class SoftmaxOperatorTester {
 public:
  SoftmaxOperatorTester& channels(size_t channels) {
    channels_ = channels;
    return *this;
  }
  size_t channels() const { return channels_; }

  // Strides in elements; 0 (default) means `channels`.
  SoftmaxOperatorTester& input_stride(size_t input_stride) {
    input_stride_ = input_stride;
    return *this;
  }
  size_t input_stride() const { return input_stride_ == 0 ? channels_ : input_stride_; }

  SoftmaxOperatorTester& output_stride(size_t output_stride) {
    output_stride_ = output_stride;
    return *this;
  }
  size_t output_stride() const { return output_stride_ == 0 ? channels_ : output_stride_; }

  SoftmaxOperatorTester& batch_size(size_t batch_size) {
    batch_size_ = batch_size;
    return *this;
  }
  size_t batch_size() const { return batch_size_; }

  SoftmaxOperatorTester& beta(float beta) {
    beta_ = beta;
    return *this;
  }
  float beta() const { return beta_; }

  // TWOPASS_FLAG_* given to create.
  SoftmaxOperatorTester& flags(uint32_t flags) {
    flags_ = flags;
    return *this;
  }
  uint32_t flags() const { return flags_; }

  // Threads of the pool given to reshape and run (0: NULL pool).
  SoftmaxOperatorTester& threads(size_t threads) {
    threads_ = threads;
    return *this;
  }
  size_t threads() const { return threads_; }

  SoftmaxOperatorTester& log_softmax(bool log_softmax) {
    log_softmax_ = log_softmax;
    return *this;
  }
  bool log_softmax() const { return log_softmax_; }

  // input == output; the output stride is the input stride.
  SoftmaxOperatorTester& in_place(bool in_place) {
    in_place_ = in_place;
    return *this;
  }
  bool in_place() const { return in_place_; }

  // Input distribution: uniform in [min, max] (drawn in double, so that
  // ranges up to +-FLT_MAX work).
  SoftmaxOperatorTester& input_range(float min, float max) {
    input_min_ = min;
    input_max_ = max;
    return *this;
  }
  // Every input a random subnormal (of random sign).
  SoftmaxOperatorTester& subnormal_inputs(bool subnormal_inputs) {
    subnormal_inputs_ = subnormal_inputs;
    return *this;
  }
  // `count` copies of `value` at distinct random positions of each injected
  // row (SIZE_MAX: every element).
  SoftmaxOperatorTester& inject(float value, size_t count = 1) {
    injections_.push_back(Injection{value, count, 0, 0});
    return *this;
  }
  // `value` at elements [begin, end) of each injected row.
  SoftmaxOperatorTester& inject_range(float value, size_t begin, size_t end) {
    injections_.push_back(Injection{value, 0, begin, end});
    return *this;
  }
  // Row contents chosen by the test: `fill(r, row)` writes the channels()
  // elements of row r over the random ones (injections are applied after
  // it). `name` goes into the description of a failure.
  SoftmaxOperatorTester& row_values(std::string name,
                                    std::function<void(size_t, float*)> fill) {
    row_values_name_ = std::move(name);
    row_values_ = std::move(fill);
    return *this;
  }
  // Injections go to rows r with r % period == phase (default: every row).
  SoftmaxOperatorTester& injected_rows(size_t period, size_t phase = 0) {
    injection_period_ = period;
    injection_phase_ = phase;
    return *this;
  }

  // Buffer placement; misalignment in floats from a 64-byte boundary.
  SoftmaxOperatorTester& input_placement(Placement placement, size_t misalignment = 0) {
    input_placement_ = placement;
    input_misalignment_ = misalignment;
    return *this;
  }
  SoftmaxOperatorTester& output_placement(Placement placement, size_t misalignment = 0) {
    output_placement_ = placement;
    output_misalignment_ = misalignment;
    return *this;
  }

  // Also compare the bits with pools of 1, 2, 4 threads and NULL.
  SoftmaxOperatorTester& check_threads(bool check_threads) {
    check_threads_ = check_threads;
    return *this;
  }
  // Also compare the bits of the first, middle and last rows computed alone
  // (batch 1, NULL pool, separate buffers).
  SoftmaxOperatorTester& check_position(bool check_position) {
    check_position_ = check_position;
    return *this;
  }
  // Set up with twopass_setup_*_with_lse and check the lse outputs too.
  SoftmaxOperatorTester& with_lse(bool with_lse) {
    with_lse_ = with_lse;
    return *this;
  }
  bool with_lse() const { return with_lse_; }

  SoftmaxOperatorTester& seed(uint32_t seed) {
    seed_ = seed;
    return *this;
  }

  void TestF32() const {
    ASSERT_GT(channels(), 0u);
    ASSERT_GE(input_stride(), channels());
    ASSERT_GE(output_stride(), channels());
    if (in_place()) {
      ASSERT_TRUE(output_stride_ == 0 || output_stride_ == input_stride())
          << "in-place tests use the input stride for the output";
    }
    SCOPED_TRACE(Description());

    // The input, its padding NaN.
    std::vector<float> x(InputElements(), BitsFloat(kInputGuardBits));
    GenerateInput(x.data());
    GuardedBuffer input(x.size(), input_placement_, kInputGuardBits, input_misalignment_);
    std::copy(x.begin(), x.end(), input.data());
    std::unique_ptr<GuardedBuffer> output;
    if (!in_place()) {
      output.reset(new GuardedBuffer(OutputElements(), output_placement_, kOutputCanaryBits,
                                     output_misalignment_));
    }
    float* y = in_place() ? input.data() : output->data();
    const std::vector<float> input_snapshot = input.Snapshot();
    std::unique_ptr<GuardedBuffer> lse;
    if (with_lse()) {
      lse.reset(new GuardedBuffer(std::max<size_t>(batch_size(), 1), Placement::kCanaries,
                                  kOutputCanaryBits, 0));
    }
    float* lse_data = lse ? lse->data() : nullptr;

    twopass_operator_t op = nullptr;
    ASSERT_EQ(xnn_status_success, Create(&op));
    ASSERT_NE(nullptr, op);
    std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> auto_op(
        op, twopass_delete_operator);

    pthreadpool_t pool = SharedPool(threads());
    ASSERT_EQ(xnn_status_success, Reshape(op, batch_size(), pool));
    CheckInfo(op);
    ASSERT_EQ(xnn_status_success, Setup(op, input.data(), y, lse_data));
    if (!in_place()) input.ReadOnly();  // a write to the input crashes
    ASSERT_EQ(xnn_status_success, RunOperator(op, pool));
    input.ReadWrite();

    CheckNothingOutside(input, output.get(), input_snapshot);
    if (lse) {
      ASSERT_TRUE(NothingWritten(lse->CheckOutside("lse")));
    }
    if (::testing::Test::HasFatalFailure() || batch_size() == 0) {
      return;
    }
    const long double worst =
        CheckNumerics(log_softmax(), beta(), Under(x.data(), y, lse_data));
    if (std::getenv("TWOPASS_TEST_PRINT_ERRORS") != nullptr) {
      std::printf("[error] %s: largest error / tolerance %.3Lg\n", Description().c_str(), worst);
    }
    if (::testing::Test::HasFailure()) {
      return;
    }
    Result result{PackRows(y, OutputStride(), channels(), batch_size()), {}};
    if (lse_data != nullptr) result.lse.assign(lse_data, lse_data + batch_size());
    if (!in_place()) CheckSecondRun(op, y, *output, lse_data, result);
    if (check_threads_) CheckThreads(op, x, input.data(), result);
    if (check_position_) CheckPosition(op, x, result);
  }


  std::string Description() const {
    std::ostringstream s;
    s << (log_softmax() ? "log-softmax" : "softmax") << " channels=" << channels()
      << " input_stride=" << input_stride() << " output_stride=" << output_stride()
      << " batch=" << batch_size() << " beta=" << beta() << " flags=0x" << std::hex << flags()
      << std::dec << " (" << IsaName(flags() & IsaMask()) << ", "
      << AlgorithmName(flags() & AlgorithmMask()) << ") threads=" << threads()
      << (in_place() ? " in-place" : "") << (with_lse() ? " with lse" : "") << " input";
    if (subnormal_inputs_) {
      s << " subnormal";
    } else {
      s << " in [" << input_min_ << ", " << input_max_ << "]";
    }
    if (row_values_) s << " rows: " << row_values_name_;
    for (const auto& injection : injections_) {
      if (injection.count != 0) {
        s << " +" << injection.count << "x" << injection.value;
      } else {
        s << " +" << injection.value << "@[" << injection.begin << "," << injection.end << ")";
      }
    }
    if (!injections_.empty() && injection_period_ != 1) {
      s << " (rows % " << injection_period_ << " == " << injection_phase_ << ")";
    }
    s << " input " << PlacementName(input_placement_) << "+" << input_misalignment_;
    if (!in_place()) s << " output " << PlacementName(output_placement_) << "+" << output_misalignment_;
    s << " seed=" << seed_;
    return s.str();
  }

  // ---- Pieces also used by the other operator tests ------------------------------

  static uint32_t IsaMask() {
    return TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_ISA_AVX2 | TWOPASS_FLAG_ISA_AVX512F;
  }
  static uint32_t AlgorithmMask() { return TWOPASS_FLAG_TWO_PASS | TWOPASS_FLAG_THREE_PASS; }

  // create takes beta and the flags; reshape the tester's shape (the output
  // stride is the input stride in place).
  enum xnn_status Create(twopass_operator_t* op) const {
    return log_softmax() ? twopass_create_log_softmax_nc_f32(beta(), flags(), op)
                         : twopass_create_softmax_nc_f32(beta(), flags(), op);
  }
  enum xnn_status Reshape(twopass_operator_t op, size_t batch, pthreadpool_t pool) const {
    const size_t ostride = in_place() ? input_stride() : output_stride();
    return log_softmax() ? twopass_reshape_log_softmax_nc_f32(op, channels(), input_stride(),
                                                              ostride, batch, pool)
                         : twopass_reshape_softmax_nc_f32(op, channels(), input_stride(), ostride,
                                                          batch, pool);
  }
  enum xnn_status Setup(twopass_operator_t op, const float* in, float* out) const {
    return log_softmax() ? twopass_setup_log_softmax_nc_f32(op, in, out)
                         : twopass_setup_softmax_nc_f32(op, in, out);
  }
  // With lse == nullptr, the _with_lse variant without an lse array when
  // with_lse() (the plain one otherwise).
  enum xnn_status Setup(twopass_operator_t op, const float* in, float* out, float* lse) const {
    if (!with_lse()) return Setup(op, in, out);
    return log_softmax() ? twopass_setup_log_softmax_nc_f32_with_lse(op, in, out, lse)
                         : twopass_setup_softmax_nc_f32_with_lse(op, in, out, lse);
  }

 private:
  struct Injection {
    float value;
    size_t count;  // random positions; 0: the range [begin, end)
    size_t begin;
    size_t end;
  };

  void GenerateInput(float* x) const {
    std::mt19937 rng(seed_);
    std::uniform_real_distribution<double> uniform(input_min_, input_max_);
    std::vector<size_t> positions(channels());
    for (size_t r = 0; r < batch_size(); r++) {
      float* row = x + r * input_stride();
      for (size_t i = 0; i < channels(); i++) {
        if (subnormal_inputs_) {
          uint32_t bits = 0;
          while ((bits & UINT32_C(0x007FFFFF)) == 0) bits = static_cast<uint32_t>(rng());
          row[i] = BitsFloat(bits & UINT32_C(0x807FFFFF));
        } else {
          const float v = static_cast<float>(uniform(rng));
          row[i] = std::min(std::max(v, input_min_), input_max_);
        }
      }
      if (row_values_) row_values_(r, row);
      if (injections_.empty() || r % injection_period_ != injection_phase_) continue;
      std::iota(positions.begin(), positions.end(), size_t(0));
      std::shuffle(positions.begin(), positions.end(), rng);
      size_t next = 0;
      for (const auto& injection : injections_) {
        if (injection.count == 0) {
          for (size_t i = injection.begin; i < std::min(injection.end, channels()); i++) {
            row[i] = injection.value;
          }
        } else {
          for (size_t k = 0; k < injection.count && next < channels(); k++) {
            row[positions[next++]] = injection.value;
          }
        }
      }
    }
  }

  void CheckInfo(twopass_operator_t op) const {
    twopass_operator_info info;
    ASSERT_EQ(xnn_status_success, twopass_get_operator_info(op, &info));
    if (flags() & TWOPASS_FLAG_TWO_PASS) {
      EXPECT_EQ(twopass_algorithm_two_pass, info.algorithm);
    } else if (flags() & TWOPASS_FLAG_THREE_PASS) {
      EXPECT_EQ(twopass_algorithm_three_pass, info.algorithm);
    }
    const uint32_t isa = (flags() & IsaMask()) != 0 ? (flags() & IsaMask()) : BestIsaFlag();
    ASSERT_NE(nullptr, info.isa);
    EXPECT_STREQ(IsaName(isa), info.isa);
  }


  static float* LseData(std::vector<float>& lse) { return lse.empty() ? nullptr : lse.data(); }

  size_t OutputStride() const { return in_place() ? input_stride() : output_stride(); }
  size_t InputElements() const {
    return batch_size() == 0 ? 1 : (batch_size() - 1) * input_stride() + channels();
  }
  size_t OutputElements() const {
    return batch_size() == 0 ? 1 : (batch_size() - 1) * OutputStride() + channels();
  }
  RowsUnderTest Under(const float* x, const float* y, const float* lse) const {
    return RowsUnderTest{x,          input_stride(), y, OutputStride(), channels(),
                         batch_size(), (flags() & TWOPASS_FLAG_MASKED_ROWS_ZERO) != 0, lse};
  }

  // The outputs of the first run, packed, and its lse outputs (if any).
  struct Result {
    std::vector<float> y;
    std::vector<float> lse;
  };

  // Nothing outside the rows was written: the canaries around the buffers,
  // the padding between rows, the input (unless in place).
  void CheckNothingOutside(const GuardedBuffer& input, const GuardedBuffer* output,
                           const std::vector<float>& input_snapshot) const {
    const size_t rows = batch_size(), ostride = OutputStride();
    if (output != nullptr) {
      ASSERT_TRUE(input.SameAs(input_snapshot)) << "the input buffer changed";
      ASSERT_TRUE(NothingWritten(output->CheckOutside("output")));
    } else {
      ASSERT_TRUE(NothingWritten(input.CheckOutside("in-place")));
    }
    const float* y = output != nullptr ? output->data() : input.data();
    const uint32_t padding_bits = output != nullptr ? kOutputCanaryBits : kInputGuardBits;
    for (size_t r = 0; r + 1 < rows; r++) {
      for (size_t i = channels(); i < ostride; i++) {
        ASSERT_EQ(padding_bits, FloatBits(y[r * ostride + i]))
            << (output != nullptr ? "output padding written" : "padding written (in place)")
            << ": row " << r << ", element " << i;
      }
    }
  }

  // Run again without a new setup, on the calling thread: same bits.
  void CheckSecondRun(twopass_operator_t op, float* y, const GuardedBuffer& output, float* lse,
                      const Result& result) const {
    for (size_t r = 0; r < batch_size(); r++) {
      std::fill(y + r * OutputStride(), y + r * OutputStride() + channels(), -1.0f);
    }
    if (lse != nullptr) std::fill(lse, lse + batch_size(), -1.0f);
    ASSERT_EQ(xnn_status_success, twopass_run_operator(op, nullptr));
    ExpectSameRows(result.y, PackRows(y, OutputStride(), channels(), batch_size()), channels(),
                   "second run of the same setup");
    if (lse != nullptr) {
      ExpectSameRows(result.lse, std::vector<float>(lse, lse + batch_size()), 1,
                     "lse of the second run of the same setup");
    }
    ASSERT_TRUE(NothingWritten(output.CheckOutside("output")));
  }

  // The same bits with other pools given to reshape and to run.
  void CheckThreads(twopass_operator_t op, const std::vector<float>& x, const float* input,
                    const Result& result) const {
    // (threads of the pool given to reshape, threads of the pool given to run)
    // (Pools of several threads spin after each call: few configurations keep
    // the tests fast on two cores.)
    static const size_t kPools[][2] = {{1, 1}, {2, 2}, {4, 4}, {4, 0}, {0, 2}};
    for (const auto& pools : kPools) {
      std::vector<float> buffer = in_place() ? x : std::vector<float>(OutputElements(), 0.0f);
      const float* in = in_place() ? buffer.data() : input;
      std::vector<float> lse(result.lse.size(), -1.0f);
      ASSERT_EQ(xnn_status_success, Reshape(op, batch_size(), SharedPool(pools[0])));
      ASSERT_EQ(xnn_status_success, Setup(op, in, buffer.data(), LseData(lse)));
      ASSERT_EQ(xnn_status_success, RunOperator(op, SharedPool(pools[1])));
      std::ostringstream what;
      what << "reshape with " << pools[0] << " threads, run with " << pools[1]
           << " threads (0: NULL pool) vs " << threads() << " threads";
      ExpectSameRows(result.y, PackRows(buffer.data(), OutputStride(), channels(), batch_size()),
                     channels(), what.str());
      ExpectSameRows(result.lse, lse, 1, "lse, " + what.str());
    }
  }

  // The first, middle and last rows computed alone (batch 1, NULL pool,
  // separate buffers): the bits they have in the batch.
  void CheckPosition(twopass_operator_t op, const std::vector<float>& x,
                     const Result& result) const {
    const size_t batch = batch_size();
    std::vector<size_t> rows = {0, batch / 2, batch - 1};
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (size_t r : rows) {
      std::vector<float> alone(x.begin() + r * input_stride(),
                               x.begin() + r * input_stride() + channels());
      std::vector<float> out(channels(), 0.0f);
      std::vector<float> lse(with_lse() ? 1 : 0, -1.0f);
      ASSERT_EQ(xnn_status_success, Reshape(op, 1, nullptr));
      ASSERT_EQ(xnn_status_success,
                Setup(op, alone.data(), in_place() ? alone.data() : out.data(), LseData(lse)));
      ASSERT_EQ(xnn_status_success, twopass_run_operator(op, nullptr));
      if (with_lse() && !SameBits(result.lse[r], lse[0])) {
        ADD_FAILURE() << "row " << r << " of " << batch << " computed alone: lse differs, "
                      << Describe(result.lse[r]) << " vs " << Describe(lse[0]);
      }
      const float* got = in_place() ? alone.data() : out.data();
      size_t mismatches = 0;
      for (size_t i = 0; i < channels(); i++) {
        const float expected = result.y[r * channels() + i];
        if (!SameBits(expected, got[i]) && mismatches++ < 5) {
          ADD_FAILURE() << "row " << r << " of " << batch << " computed alone (batch 1, "
                        << "NULL pool) differs at element " << i << ": in the batch "
                        << Describe(expected) << ", alone " << Describe(got[i]);
        }
      }
    }
  }


  size_t channels_ = 1;
  size_t input_stride_ = 0;
  size_t output_stride_ = 0;
  size_t batch_size_ = 1;
  float beta_ = 1.0f;
  uint32_t flags_ = 0;
  size_t threads_ = 1;
  bool log_softmax_ = false;
  bool in_place_ = false;
  float input_min_ = -10.0f;
  float input_max_ = 10.0f;
  bool subnormal_inputs_ = false;
  std::string row_values_name_;
  std::function<void(size_t, float*)> row_values_;
  std::vector<Injection> injections_;
  size_t injection_period_ = 1;
  size_t injection_phase_ = 0;
  Placement input_placement_ = Placement::kCanaries;
  size_t input_misalignment_ = 0;
  Placement output_placement_ = Placement::kCanaries;
  size_t output_misalignment_ = 0;
  bool check_threads_ = false;
  bool check_position_ = false;
  bool with_lse_ = false;
  uint32_t seed_ = UINT32_C(0x50F7A);
};

// The fixture of the suites over every ISA, algorithm and kind (skipped,
// with the reason, where the host lacks the ISA).
class IsaAlgorithmKindTest : public ::testing::TestWithParam<IsaAlgorithmKind> {
 protected:
  void SetUp() override { TEST_REQUIRES_TWOPASS_ISA(isa_algorithm().isa_flag); }
  const IsaAlgorithm& isa_algorithm() const { return std::get<0>(GetParam()); }
  bool log_softmax() const { return std::get<1>(GetParam()); }
  SoftmaxOperatorTester Tester() const {
    return SoftmaxOperatorTester().flags(isa_algorithm().flags()).log_softmax(log_softmax());
  }
};

}  // namespace optest
}  // namespace twopass
