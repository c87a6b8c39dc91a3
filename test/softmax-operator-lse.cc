// The setup variants with an lse output, over every ISA, algorithm and kind:
// each row's log-sum-exp against the long-double reference (the log-softmax
// tolerance), its special values, the same bits with every pool, and the
// lse array's own statuses.
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "softmax-operator-tester.h"

namespace twopass {
namespace optest {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class LseTest : public IsaAlgorithmKindTest {
 protected:
  SoftmaxOperatorTester Lse() const { return Tester().with_lse(true); }
};

TEST_P(LseTest, channels_around_tiles) {
  for (size_t channels : ChannelsAroundTiles(isa_algorithm().flags(), log_softmax())) {
    Lse().channels(channels).batch_size(3).seed(channels).TestF32();
  }
}

TEST_P(LseTest, long_rows_on_threads) {
  Lse().channels(3 * TWOPASS_CHUNK_ELEMENTS + 17).batch_size(2).threads(4)
      .check_threads(true).check_position(true).TestF32();
  Lse().channels(200000).batch_size(5).threads(2).check_threads(true).TestF32();
}

TEST_P(LseTest, beta_and_magnitudes) {
  for (float beta : {1.0f, 0.5f, -1.0f, 3.0f, 0.0f}) {
    Lse().channels(1000).batch_size(2).beta(beta).input_range(-100.0f, 100.0f).TestF32();
    // Beyond the two-pass kernels' range, and rows that need the shift step.
    Lse().channels(1000).batch_size(2).beta(beta).input_range(1e7f, 1.0001e7f).TestF32();
    Lse().channels(300).batch_size(2).beta(beta).input_range(-1e30f, 1e30f).TestF32();
  }
  // The largest product beyond the float range: lse rounds to +inf.
  Lse().channels(10).batch_size(1).beta(4.0f).inject(FLT_MAX, 1).TestF32();
}

TEST_P(LseTest, special_rows) {
  for (size_t channels : SpecialChannels()) {
    Lse().channels(channels).batch_size(3).inject(kNaN, 1).injected_rows(3).TestF32();
    Lse().channels(channels).batch_size(3).inject(kInf, 1).injected_rows(3, 1).TestF32();
    Lse().channels(channels).batch_size(3).inject(-kInf, SIZE_MAX).injected_rows(3, 2).TestF32();
    Lse().channels(channels).batch_size(2).inject_range(-kInf, 0, SIZE_MAX).inject(kNaN, 1)
        .TestF32();
    if (channels > 1) Lse().channels(channels).batch_size(2).inject(-kInf, channels - 1).TestF32();
    // With masked rows giving zeros the lse of such a row is still -inf.
    Lse().flags(isa_algorithm().flags() | TWOPASS_FLAG_MASKED_ROWS_ZERO).channels(channels)
        .batch_size(2).inject(-kInf, SIZE_MAX).injected_rows(2, 1).TestF32();
  }
}

TEST_P(LseTest, in_place_and_strides) {
  Lse().channels(1000).input_stride(1003).batch_size(4).in_place(true).TestF32();
  Lse().channels(100).input_stride(128).output_stride(101).batch_size(7).threads(2).TestF32();
}

TEST_P(LseTest, null_lse_writes_none) {
  Lse().channels(100).batch_size(3).TestF32();  // checked with an array first
  const SoftmaxOperatorTester tester = Lse().channels(100).batch_size(3);
  twopass_operator_t op = nullptr;
  ASSERT_EQ(xnn_status_success, tester.Create(&op));
  std::vector<float> x(300, 1.0f), y(300, 0.0f);
  ASSERT_EQ(xnn_status_success, tester.Reshape(op, 3, nullptr));
  ASSERT_EQ(xnn_status_success, tester.Setup(op, x.data(), y.data(), nullptr));
  ASSERT_EQ(xnn_status_success, twopass_run_operator(op, nullptr));
  EXPECT_NEAR(log_softmax() ? -std::log(100.0) : 0.01, y[0], 1e-6);
  ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));
}

TEST_P(LseTest, lse_overlapping_rows_is_invalid) {
  const SoftmaxOperatorTester tester = Lse().channels(8).input_stride(10).batch_size(4);
  twopass_operator_t op = nullptr;
  ASSERT_EQ(xnn_status_success, tester.Create(&op));
  ASSERT_EQ(xnn_status_success, tester.Reshape(op, 4, nullptr));
  std::vector<float> x(40, 0.0f), y(40, 0.0f), lse(4, 0.0f);
  // Anywhere in the input's span (row padding included) or the output's (32 floats).
  for (float* bad : {x.data(), x.data() + 8, x.data() + 36, y.data() + 29, y.data() - 3}) {
    EXPECT_EQ(xnn_status_invalid_parameter, tester.Setup(op, x.data(), y.data(), bad));
    EXPECT_EQ(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
  }
  ASSERT_EQ(xnn_status_success, tester.Setup(op, x.data(), y.data(), lse.data()));
  ASSERT_EQ(xnn_status_success, twopass_run_operator(op, nullptr));
  for (float v : lse) EXPECT_FLOAT_EQ(std::log(8.0f), v);
  ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));
}

INSTANTIATE_TEST_SUITE_P(IsaAlgorithmKind, LseTest, AllIsaAlgorithmKinds(), IsaAlgorithmKindName);

}  // namespace
}  // namespace optest
}  // namespace twopass
