// Regression tests of the contract on rows that the random rows of
// softmax-operator.cc rarely produce.
//   1. peaked rows: one logit 0 and many near-equal logits d = 12..17 below
//      it, at lengths around the sum blocks (2048) and chunks (32768): a
//      float lane that adds hundreds of values below one ulp of the peak's
//      1.0 drifts, every addition rounding the same way;
//   2. log-softmax at large magnitude: the bias -(max + log S) rounded to
//      one float loses the results near the max (log_softmax([v, v]) must be
//      -ln 2 at any v);
//   3. hostile sizes and buffers: spans beyond PTRDIFF_MAX, overlapping
//      input and output, a failed reshape of the other kind, the kernel that
//      twopass_get_operator_info names for a negative denormal beta;
//   4. special rows (NaN, +inf, -inf, beta*x beyond FLT_MAX, |beta*x| near
//      3e7) of 65539 and 200000 elements, between normal rows, on every pool.
//   5. confident rows (one logit 5..40 above a tail of thousands): the
//      log-softmax of the top class to a relative accuracy, and the lse.
// SoftmaxOperatorTester checks each result against the long-double
// reference of the exact products beta*x_i, with the contract's bounds:
// softmax |y - ref| <= 1e-5 ref + 1e-37 and |sum(y) - 1| <= 1e-5,
// log-softmax |y - ref| <= min(2e-6 max(1, |ref|), 4e-6 |ref| + 1e-12),
// lse |lse - ref| <= 2e-6 max(1, |ref|).
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "softmax-operator-tester.h"

namespace twopass {
namespace optest {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Every ISA x {two-pass, three-pass, the operator's choice}.
std::vector<IsaAlgorithm> IsaAlgorithmsWithDefault() {
  std::vector<IsaAlgorithm> params;
  for (uint32_t isa : {TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2, TWOPASS_FLAG_ISA_AVX512F}) {
    for (uint32_t algorithm : {TWOPASS_FLAG_TWO_PASS, TWOPASS_FLAG_THREE_PASS, UINT32_C(0)}) {
      params.push_back(IsaAlgorithm{isa, algorithm});
    }
  }
  return params;
}

std::string KindName(bool log_softmax) { return log_softmax ? "log_softmax" : "softmax"; }

// "0p7", "m1": a beta in a test name.
std::string BetaName(float beta) {
  std::string name = std::to_string(beta);
  name.erase(name.find_last_not_of('0') + 1);
  if (name.back() == '.') name.pop_back();
  for (char& c : name) {
    if (c == '.') c = 'p';
    if (c == '-') c = 'm';
  }
  return name;
}

// ---- 1. Peaked rows -----------------------------------------------------------------

// Parameters: ISA and algorithm, log-softmax (true) or softmax, beta.
using PeakedParam = std::tuple<IsaAlgorithm, bool, float>;

class PeakedRowTest : public ::testing::TestWithParam<PeakedParam> {
 protected:
  void SetUp() override { TEST_REQUIRES_TWOPASS_ISA(std::get<0>(GetParam()).isa_flag); }
};

// Row r of a batch of 6: the products z = beta*x are 0 at the peak (first,
// middle, last for r % 3 = 0, 1, 2) and -d elsewhere, plus noise uniform in
// [-1e-3, 1e-3] for r >= 3. x = z / beta, so that beta*x has that shape for
// every beta (the reference uses the exact products of the rounded x).
// d = 13.6912 makes every tail term exp(-d) 9.5 ulps of 1.0: a float sum
// holding the peak rounds each addition by half an ulp, the same way.
std::function<void(size_t, float*)> PeakedRows(size_t channels, float d, float beta) {
  return [channels, d, beta](size_t r, float* x) {
    const size_t peak = (r % 3 == 0) ? 0 : (r % 3 == 1) ? channels / 2 : channels - 1;
    std::mt19937 rng(static_cast<uint32_t>(r * 7919 + channels));
    std::uniform_real_distribution<float> noise(-1e-3f, 1e-3f);
    for (size_t i = 0; i < channels; i++) {
      const float z = i == peak ? 0.0f : -d + (r >= 3 ? noise(rng) : 0.0f);
      x[i] = z / beta;
    }
  };
}

TEST_P(PeakedRowTest, lengths_around_blocks_and_chunks) {
  const IsaAlgorithm& isa_algorithm = std::get<0>(GetParam());
  const bool log_softmax = std::get<1>(GetParam());
  const float beta = std::get<2>(GetParam());
  const float distances[] = {12.0f, 13.6912f, 15.0f, 17.0f};
  const size_t lengths[] = {2047, 2048, 2049, 4095, 4096, 32767, 32768, 32769, 65537, 100000};
  const size_t others[] = {0, 2, 3};  // the second d of long rows: 12, 15, 17 in turn
  // To keep each case well under a second (the long-double reference costs
  // more than the operator): rows of several chunks run with beta = 1 only,
  // and rows beyond two blocks with d = 13.6912 (the worst) and one other d.
  for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
    const size_t channels = lengths[k];
    if (channels > TWOPASS_CHUNK_ELEMENTS + 1 && beta != 1.0f) continue;
    for (size_t j = 0; j < 4; j++) {
      const float d = distances[j];
      if (channels > 4096 && j != 1 && j != others[k % 3]) continue;
      SoftmaxOperatorTester()
          .flags(isa_algorithm.flags())
          .log_softmax(log_softmax)
          .beta(beta)
          .channels(channels)
          .batch_size(6)
          .threads(2)
          .row_values("peaked, d = " + std::to_string(d) +
                          " (rows 0-2 constant tail, 3-5 noisy; peak first, middle, last)",
                      PeakedRows(channels, d, beta))
          .with_lse(true)
          .TestF32();
    }
  }
}

// Confident rows: one logit `gap` above a tail spread over [-2, 0] (gaps 0.5
// to 40: top probabilities from about 1/2 to 1 - 1e-14 with thousands of
// tail elements), the peak at a different place in each row. Log-softmax's
// top output is -log1p(tail / peak), which the relative bound
// (4e-6 |ref| + 1e-12) checks to its digits; the lse too.
std::function<void(size_t, float*)> ConfidentRows(size_t channels, float beta) {
  return [channels, beta](size_t r, float* x) {
    static const float gaps[] = {0.0f, 5.0f, 10.0f, 15.0f, 20.0f, 25.0f, 30.0f, 40.0f};
    const size_t peak = (r * 2654435761u) % channels;
    std::mt19937 rng(static_cast<uint32_t>(r * 104729 + channels));
    std::uniform_real_distribution<float> tail(-2.0f, 0.0f);
    double tail_sum = 0.0;
    for (size_t i = 0; i < channels; i++) {
      const float z = tail(rng);
      tail_sum += i == peak ? 0.0 : std::exp((double) z);
      x[i] = z;
    }
    // Row 0: a top probability of about 1/2; row 4: two equal tops half a
    // row apart (in different chunks of long rows); the others: a gap above
    // the tail.
    const float top = r % 8 == 0 ? static_cast<float>(std::log(tail_sum)) : gaps[r % 8];
    x[peak] = top;
    if (r % 8 == 4) x[(peak + channels / 2) % channels] = top;
    for (size_t i = 0; i < channels; i++) x[i] /= beta;
  };
}

TEST_P(PeakedRowTest, confident_rows) {
  const IsaAlgorithm& isa_algorithm = std::get<0>(GetParam());
  const bool log_softmax = std::get<1>(GetParam());
  const float beta = std::get<2>(GetParam());
  for (size_t channels : {size_t(1), size_t(2), size_t(17), size_t(1000), size_t(6625),
                          size_t(TWOPASS_CHUNK_ELEMENTS + 1000)}) {
    SoftmaxOperatorTester()
        .flags(isa_algorithm.flags())
        .log_softmax(log_softmax)
        .beta(beta)
        .channels(channels)
        .batch_size(8)
        .threads(2)
        .row_values("confident: one logit 0.5 to 40 above a tail in [-2, 0]",
                    ConfidentRows(channels, beta))
        .with_lse(true)
        .TestF32();
  }
  // A denormal top (the kernels flush it to 0) and no zero in the row.
  SoftmaxOperatorTester()
      .flags(isa_algorithm.flags())
      .log_softmax(log_softmax)
      .beta(beta)
      .channels(1000)
      .batch_size(2)
      .row_values("a denormal top over a tail of -20",
                  [beta](size_t r, float* x) {
                    for (size_t i = 0; i < 1000; i++) x[i] = -20.0f / beta;
                    x[(r * 331) % 1000] = 1e-40f;
                  })
      .with_lse(true)
      .TestF32();
  // In place (the shift step and the peak steps read the output row), and
  // strided rows.
  for (size_t channels : {size_t(6625), size_t(TWOPASS_CHUNK_ELEMENTS + 1000)}) {
    SoftmaxOperatorTester()
        .flags(isa_algorithm.flags())
        .log_softmax(log_softmax)
        .beta(beta)
        .channels(channels)
        .batch_size(8)
        .in_place(true)
        .row_values("confident, in place", ConfidentRows(channels, beta))
        .with_lse(true)
        .TestF32();
    SoftmaxOperatorTester()
        .flags(isa_algorithm.flags())
        .log_softmax(log_softmax)
        .beta(beta)
        .channels(channels)
        .input_stride(channels + 3)
        .output_stride(channels + 17)
        .batch_size(8)
        .threads(4)
        .row_values("confident, strided", ConfidentRows(channels, beta))
        .with_lse(true)
        .TestF32();
  }
}

INSTANTIATE_TEST_SUITE_P(
    IsaAlgorithmKindBeta, PeakedRowTest,
    ::testing::Combine(::testing::ValuesIn(IsaAlgorithmsWithDefault()), ::testing::Bool(),
                       ::testing::Values(1.0f, 0.7f, -1.0f)),
    [](const ::testing::TestParamInfo<PeakedParam>& info) {
      const IsaAlgorithm& p = std::get<0>(info.param);
      return std::string(IsaName(p.isa_flag)) + "_" + AlgorithmName(p.algorithm_flag) + "_" +
             KindName(std::get<1>(info.param)) + "_beta_" + BetaName(std::get<2>(info.param));
    });

// ---- 2. Log-softmax at large magnitude --------------------------------------------

class LargeMagnitudeLogSoftmaxTest : public ::testing::TestWithParam<IsaAlgorithm> {
 protected:
  void SetUp() override { TEST_REQUIRES_TWOPASS_ISA(GetParam().isa_flag); }
  SoftmaxOperatorTester Tester(float beta) const {
    return SoftmaxOperatorTester().flags(GetParam().flags()).log_softmax(true).beta(beta);
  }
};

const float kMagnitudes[] = {1e2f, 1e4f, 1e6f, 1e8f, 1e12f, 1e20f, 1e30f, -1e30f};
const float kLargeMagnitudeBetas[] = {1.0f, 2.5f, 0.3f};

TEST_P(LargeMagnitudeLogSoftmaxTest, two_equal_values) {
  // log_softmax([v, v]) = -ln 2 exactly, at every scale.
  for (float v : kMagnitudes) {
    for (float beta : kLargeMagnitudeBetas) {
      Tester(beta)
          .channels(2)
          .batch_size(1)
          .row_values("[v, v], v = " + std::to_string(v),
                      [v](size_t, float* x) { x[0] = x[1] = v; })
          .TestF32();
    }
  }
}

TEST_P(LargeMagnitudeLogSoftmaxTest, random_rows_offset) {
  // Random rows within +-10 (at least 4 ulps of v) of v: the results near
  // the max are small, and must stay accurate to 2e-6 in absolute terms.
  for (float v : kMagnitudes) {
    const float spread = std::max(10.0f, 4.0f * (std::nextafter(std::fabs(v), kInf) - std::fabs(v)));
    for (float beta : {2.5f, 0.3f}) {
      for (size_t channels : {size_t(1000), size_t(40000)}) {
        Tester(beta)
            .channels(channels)
            .batch_size(2)
            .threads(2)
            .input_range(v - spread, v + spread)
            .seed(static_cast<uint32_t>(channels))
            .TestF32();
      }
    }
  }
}

TEST_P(LargeMagnitudeLogSoftmaxTest, difference_beyond_float_range) {
  // x - m overflows float (x near -FLT_MAX, m near +FLT_MAX) while
  // beta*(x - m) is finite for a small beta (found by the fuzzer: beta
  // 2.9e-11 gave -inf for a finite result). Some elements near the max too.
  for (float beta : {2.90598656e-11f, 0.5f, -1.0e-20f}) {
    Tester(beta)
        .channels(157)
        .batch_size(2)
        .row_values("x in +-[1e38, FLT_MAX], the max row element repeated",
                    [](size_t r, float* x) {
                      for (size_t i = 0; i < 157; i++) {
                        const float magnitude = 1.0e38f + (2.4e38f / 157.0f) * static_cast<float>(i);
                        x[i] = (i + r) % 3 == 0 ? -magnitude : magnitude;
                      }
                    })
        .TestF32();
  }
}

INSTANTIATE_TEST_SUITE_P(IsaAlgorithm, LargeMagnitudeLogSoftmaxTest,
                         ::testing::ValuesIn(AllIsaAlgorithms()), IsaAlgorithmName);

// ---- 3. Hostile sizes and buffers --------------------------------------------------

// Parameter: log-softmax (true) or softmax.
class HostileSizesTest : public ::testing::TestWithParam<bool> {
 protected:
  SoftmaxOperatorTester Tester() const { return SoftmaxOperatorTester().log_softmax(GetParam()); }

  // Reshape to these sizes must fail with invalid_parameter (for a batch of
  // one row as for none), and leave the operator without a plan.
  void ExpectReshapeRejected(size_t channels, size_t input_stride, size_t output_stride) const {
    const SoftmaxOperatorTester tester =
        Tester().channels(channels).input_stride(input_stride).output_stride(output_stride);
    twopass_operator_t op = nullptr;
    ASSERT_STATUS(xnn_status_success, tester.Create(&op));
    for (size_t batch : {size_t(1), size_t(0)}) {
      const enum xnn_status status = tester.Reshape(op, batch, nullptr);
      EXPECT_EQ(xnn_status_invalid_parameter, status)
          << "reshape(channels " << channels << ", input_stride " << input_stride
          << ", output_stride " << output_stride << ", batch " << batch << ") returned "
          << StatusName(status) << ": rows of more than PTRDIFF_MAX bytes must be refused";
      twopass_operator_info info;
      EXPECT_STATUS(xnn_status_invalid_state, twopass_get_operator_info(op, &info));
    }
    twopass_delete_operator(op);
  }
};

// Element counts whose byte size does not fit in ptrdiff_t.
const size_t kHugeCounts[] = {SIZE_MAX, SIZE_MAX / 2, SIZE_MAX / 4 + 1, PTRDIFF_MAX / 4 + 1};

TEST_P(HostileSizesTest, reshape_channels_beyond_ptrdiff) {
  for (size_t channels : kHugeCounts) {
    ExpectReshapeRejected(channels, channels, channels);
  }
}

TEST_P(HostileSizesTest, reshape_strides_beyond_ptrdiff) {
  for (size_t stride : kHugeCounts) {
    ExpectReshapeRejected(10, stride, 10);
    ExpectReshapeRejected(10, 10, stride);
    ExpectReshapeRejected(10, stride, stride);
  }
}

TEST_P(HostileSizesTest, reshape_span_beyond_ptrdiff) {
  // (batch, channels, stride): (batch - 1) * stride + channels elements that
  // wrap around size_t or exceed PTRDIFF_MAX bytes. (8 * (2^61 - 1) + 10
  // wraps to 2.) Each stride alone is accepted by reshape.
  struct Case {
    size_t batch, channels, stride;
  };
  const Case cases[] = {
      {3, 10, PTRDIFF_MAX / 8},
      {2, 10, PTRDIFF_MAX / 4},
      {9, 10, PTRDIFF_MAX / 4},
      {SIZE_MAX, 10, 10},
      {SIZE_MAX / 4 + 2, 1, 1},
      {3, PTRDIFF_MAX / 8, PTRDIFF_MAX / 8},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("batch " + std::to_string(c.batch) + ", channels " + std::to_string(c.channels) +
                 ", stride " + std::to_string(c.stride));
    const SoftmaxOperatorTester tester =
        Tester().channels(c.channels).input_stride(c.stride).output_stride(c.stride);
    twopass_operator_t op = nullptr;
    ASSERT_STATUS(xnn_status_success, tester.Create(&op));
    std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> auto_op(
        op, twopass_delete_operator);
    // A small batch that fits, set up on real buffers, then the hostile reshape.
    std::vector<float> x(c.channels < 100 ? 100 : 1, 1.0f), y(x.size(), 5.0f);
    if (c.channels < 100) {
      ASSERT_STATUS(xnn_status_success, tester.Reshape(op, 1, nullptr));
      ASSERT_STATUS(xnn_status_success, tester.Setup(op, x.data(), y.data()));
    }
    EXPECT_STATUS(xnn_status_invalid_parameter, tester.Reshape(op, c.batch, nullptr));
    EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
    for (float v : y) ASSERT_EQ(5.0f, v) << "a refused operator wrote the output";
  }
  // The largest span that fits is accepted: 4 * (PTRDIFF_MAX / 8) + 40 bytes.
  const SoftmaxOperatorTester widest =
      Tester().channels(10).input_stride(PTRDIFF_MAX / 8).output_stride(10);
  twopass_operator_t op = nullptr;
  ASSERT_STATUS(xnn_status_success, widest.Create(&op));
  EXPECT_STATUS(xnn_status_success, widest.Reshape(op, 2, nullptr));
  twopass_delete_operator(op);
}

TEST_P(HostileSizesTest, setup_overlapping_buffers) {
  // Output overlapping the input without being it: refused, and nothing runs.
  const size_t c = 16;
  std::vector<float> buffer(8 * c, 1.0f);
  float* base = buffer.data() + 2 * c;  // room before and after
  struct Case {
    const char* what;
    size_t batch, stride;
    ptrdiff_t output_offset;  // output - input, in elements
  };
  const Case cases[] = {
      {"output = input + 1", 1, c, 1},
      {"output = input + channels / 2, one row", 1, c, c / 2},
      {"output = input - 3", 2, c, -3},
      {"output row r = input row r + 1", 3, c, static_cast<ptrdiff_t>(c)},
      {"output row r overlaps input row r + 1", 3, c, static_cast<ptrdiff_t>(c) + 3},
      {"output row r overlaps input row r + 1 (padded rows)", 2, c + 4, static_cast<ptrdiff_t>(c)},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.what);
    const SoftmaxOperatorTester tester = Tester().channels(c).input_stride(k.stride).output_stride(k.stride);
    twopass_operator_t op = nullptr;
    ASSERT_STATUS(xnn_status_success, tester.Create(&op));
    ASSERT_STATUS(xnn_status_success, tester.Reshape(op, k.batch, nullptr));
    EXPECT_STATUS(xnn_status_invalid_parameter, tester.Setup(op, base, base + k.output_offset));
    EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
    twopass_delete_operator(op);
  }
  for (float v : buffer) ASSERT_EQ(1.0f, v) << "a refused setup wrote to the buffer";
}

// Runs an operator of `tester`'s kind and sizes on (input, output) with
// `batch` rows; returns the status of the first call that failed.
enum xnn_status RunOn(const SoftmaxOperatorTester& tester, size_t batch, const float* input,
                      float* output) {
  twopass_operator_t op = nullptr;
  enum xnn_status status = tester.Create(&op);
  if (status == xnn_status_success) status = tester.Reshape(op, batch, SharedPool(2));
  if (status == xnn_status_success) status = tester.Setup(op, input, output);
  if (status == xnn_status_success) status = RunOperator(op, SharedPool(2));
  twopass_delete_operator(op);
  return status;
}

TEST_P(HostileSizesTest, setup_non_overlapping_layouts) {
  // In place (equal pointers and strides), and interleaved rows that share
  // no element (input stride 2C, output = input + C): accepted, and each row
  // gives the bits it gives from separate, dense buffers.
  const size_t c = 1000, batch = 3;
  std::vector<float> dense(batch * c);
  std::mt19937 rng(13);
  std::uniform_real_distribution<float> uniform(-10.0f, 10.0f);
  for (float& v : dense) v = uniform(rng);
  std::vector<float> expected(batch * c);
  ASSERT_STATUS(xnn_status_success, RunOn(Tester().channels(c), batch, dense.data(), expected.data()));

  std::vector<float> in_place = dense;
  ASSERT_STATUS(xnn_status_success, RunOn(Tester().channels(c), batch, in_place.data(), in_place.data()));

  std::vector<float> interleaved(2 * batch * c, kNaN);
  for (size_t r = 0; r < batch; r++) {
    std::copy(dense.begin() + r * c, dense.begin() + (r + 1) * c, interleaved.begin() + 2 * r * c);
  }
  const SoftmaxOperatorTester strided = Tester().channels(c).input_stride(2 * c).output_stride(2 * c);
  ASSERT_STATUS(xnn_status_success,
                RunOn(strided, batch, interleaved.data(), interleaved.data() + c));
  for (size_t r = 0; r < batch; r++) {
    for (size_t i = 0; i < c; i++) {
      ASSERT_TRUE(SameBits(expected[r * c + i], in_place[r * c + i]))
          << "in place, row " << r << ", element " << i;
      ASSERT_TRUE(SameBits(expected[r * c + i], interleaved[2 * r * c + c + i]))
          << "interleaved output, row " << r << ", element " << i;
      ASSERT_TRUE(SameBits(dense[r * c + i], interleaved[2 * r * c + i]))
          << "interleaved input changed, row " << r << ", element " << i;
    }
  }
}

TEST_P(HostileSizesTest, failed_reshape_of_other_kind_invalidates_setup) {
  // The README and the header: a reshape, even a failed one, requires a new setup.
  const SoftmaxOperatorTester tester = Tester().channels(10);
  const SoftmaxOperatorTester other = SoftmaxOperatorTester().log_softmax(!GetParam()).channels(10);
  twopass_operator_t op = nullptr;
  ASSERT_STATUS(xnn_status_success, tester.Create(&op));
  std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> auto_op(
      op, twopass_delete_operator);
  std::vector<float> x(10, 1.0f), y(10, 5.0f);
  ASSERT_STATUS(xnn_status_success, tester.Reshape(op, 1, nullptr));
  ASSERT_STATUS(xnn_status_success, tester.Setup(op, x.data(), y.data()));
  ASSERT_STATUS(xnn_status_success, twopass_run_operator(op, nullptr));
  std::fill(y.begin(), y.end(), 5.0f);
  EXPECT_STATUS(xnn_status_invalid_parameter, other.Reshape(op, 1, nullptr));
  EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
  for (float v : y) EXPECT_EQ(5.0f, v) << "run after a failed reshape wrote the output";
}

TEST_P(HostileSizesTest, operator_info_negative_denormal_beta) {
  // Denormals are flushed: beta = -1e-40 runs as beta = 0, whose first
  // three-pass kernel is rmax (rmin is for beta < 0).
  for (float beta : {-1e-40f, 1e-40f, -std::numeric_limits<float>::denorm_min()}) {
    for (uint32_t isa : {TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2, TWOPASS_FLAG_ISA_AVX512F}) {
      if (!MissingIsa(isa).empty()) continue;
      const SoftmaxOperatorTester tester =
          Tester().channels(100).beta(beta).flags(isa | TWOPASS_FLAG_THREE_PASS);
      twopass_operator_t op = nullptr;
      ASSERT_STATUS(xnn_status_success, tester.Create(&op));
      ASSERT_STATUS(xnn_status_success, tester.Reshape(op, 1, nullptr));
      twopass_operator_info info;
      ASSERT_STATUS(xnn_status_success, twopass_get_operator_info(op, &info));
      ASSERT_NE(nullptr, info.ukernels[0]);
      EXPECT_NE(nullptr, std::strstr(info.ukernels[0], "_rmax_"))
          << "beta " << beta << " (" << IsaName(isa) << "): first kernel " << info.ukernels[0];
      twopass_delete_operator(op);
    }
    // And the results are those of beta = 0: uniform.
    Tester().channels(100).beta(beta).flags(TWOPASS_FLAG_THREE_PASS).batch_size(2).TestF32();
  }
}

INSTANTIATE_TEST_SUITE_P(Kind, HostileSizesTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return KindName(info.param);
                         });

// ---- 4. Special rows -----------------------------------------------------------------

// One special row, configured on a tester whose other rows are random.
struct SpecialRow {
  const char* name;
  std::function<SoftmaxOperatorTester(SoftmaxOperatorTester, size_t channels)> apply;
};

// x = base + k * step for k = 0, 1, ..., 12, 0, 1, ... (so the extreme value
// base repeats): the middle row of a batch of 3.
std::function<void(size_t, float*)> SteppedRow(size_t channels, float base, float step) {
  return [=](size_t r, float* x) {
    if (r != 1) return;
    for (size_t i = 0; i < channels; i++) x[i] = base + static_cast<float>(i % 13) * step;
  };
}

const SpecialRow kSpecialRows[] = {
    {"one_nan", [](SoftmaxOperatorTester t, size_t) { return t.inject(kNaN, 1); }},
    {"one_pos_inf", [](SoftmaxOperatorTester t, size_t) { return t.inject(kInf, 1); }},
    {"all_neg_inf", [](SoftmaxOperatorTester t, size_t) { return t.inject(-kInf, SIZE_MAX); }},
    {"half_neg_inf",
     [](SoftmaxOperatorTester t, size_t n) { return t.inject(-kInf, n / 2); }},
    {"beta_0_one_neg_inf",
     [](SoftmaxOperatorTester t, size_t) { return t.beta(0.0f).inject(-kInf, 1); }},
    // |beta*x| ~ 3.3e7: fl(beta*max) is off by up to 1 from the exact product.
    {"beta_1p1_max_3e7",
     [](SoftmaxOperatorTester t, size_t n) {
       return t.beta(1.1f).row_values("3e7 - 2k", SteppedRow(n, 3e7f, -2.0f));
     }},
    {"beta_m1p1_min_m3e7",
     [](SoftmaxOperatorTester t, size_t n) {
       return t.beta(-1.1f).row_values("-3e7 + 2k", SteppedRow(n, -3e7f, 2.0f));
     }},
    // beta*x up to 1e39, beyond FLT_MAX, for finite x.
    {"beta_10_x_near_1e38",
     [](SoftmaxOperatorTester t, size_t n) {
       return t.beta(10.0f).row_values("1e38 - k ulp", SteppedRow(n, 1e38f, -0x1.0p+103f));
     }},
};

// Parameters: ISA and algorithm, log-softmax (true) or softmax, index into kSpecialRows.
using SpecialParam = std::tuple<IsaAlgorithm, bool, size_t>;

class SpecialRowTest : public ::testing::TestWithParam<SpecialParam> {
 protected:
  void SetUp() override { TEST_REQUIRES_TWOPASS_ISA(std::get<0>(GetParam()).isa_flag); }
};

TEST_P(SpecialRowTest, between_normal_rows) {
  // The special row is row 1 of 3; rows 0 and 2 are random in [-10, 10].
  // Every pool (NULL, 1, 2, 4 threads) gives the same bits, and each row
  // computed alone the bits it has in the batch (check_threads, check_position).
  const SpecialRow& special = kSpecialRows[std::get<2>(GetParam())];
  for (size_t channels : {(size_t(1) << 16) + 3, size_t(200000)}) {
    SoftmaxOperatorTester tester = SoftmaxOperatorTester()
                                       .flags(std::get<0>(GetParam()).flags())
                                       .log_softmax(std::get<1>(GetParam()))
                                       .channels(channels)
                                       .batch_size(3)
                                       .injected_rows(3, 1)
                                       .threads(2)
                                       .check_threads(true)
                                       .check_position(true);
    special.apply(tester, channels).TestF32();
  }
}

INSTANTIATE_TEST_SUITE_P(
    IsaAlgorithmKindRow, SpecialRowTest,
    ::testing::Combine(::testing::ValuesIn(IsaAlgorithmsWithDefault()), ::testing::Bool(),
                       ::testing::Range(size_t(0), sizeof(kSpecialRows) / sizeof(kSpecialRows[0]))),
    [](const ::testing::TestParamInfo<SpecialParam>& info) {
      const IsaAlgorithm& p = std::get<0>(info.param);
      return std::string(IsaName(p.isa_flag)) + "_" + AlgorithmName(p.algorithm_flag) + "_" +
             KindName(std::get<1>(info.param)) + "_" + kSpecialRows[std::get<2>(info.param)].name;
    });

}  // namespace
}  // namespace optest
}  // namespace twopass
