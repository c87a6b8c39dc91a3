// Log-softmax operator tests over every ISA the host has and both algorithms
// (the same coverage as softmax-operator.cc; the tester checks
// |y - ref| <= 2e-6 * max(1, |beta*x_i|, |lse|), and -inf for -inf products).
#include <cfloat>
#include <cmath>
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

class LogSoftmaxOperatorTest : public ::testing::TestWithParam<IsaAlgorithm> {
 protected:
  void SetUp() override { TEST_REQUIRES_TWOPASS_ISA(GetParam().isa_flag); }
  SoftmaxOperatorTester Tester() const {
    return SoftmaxOperatorTester().flags(GetParam().flags()).log_softmax(true);
  }
};

TEST_P(LogSoftmaxOperatorTest, channels_small) {
  for (size_t channels = 1; channels <= 40; channels++) {
    Tester().channels(channels).batch_size(3).seed(channels).TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, channels_around_tiles) {
  for (size_t channels : ChannelsAroundTiles(GetParam().flags(), true)) {
    Tester().channels(channels).batch_size(3).seed(channels).TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, channels_around_chunks) {
  // Fewer rows than threads: the rows' chunks are split over the threads.
  for (size_t channels : ChannelsAroundChunks()) {
    Tester().channels(channels).batch_size(2).threads(4).seed(channels).TestF32();
  }
  // Batch 1..3 on every pool (1, 2, 4 threads and NULL), bitwise; each row
  // alone gives the bits it has in the batch.
  for (size_t batch = 1; batch <= 3; batch++) {
    Tester()
        .channels(3 * TWOPASS_CHUNK_ELEMENTS + 17)
        .batch_size(batch)
        .threads(batch == 1 ? 2 : 4)
        .check_threads(true)
        .check_position(batch == 3)
        .seed(batch)
        .TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, million_elements) {
  Tester().channels(1000000).batch_size(1).threads(2).check_threads(true).TestF32();
}

TEST_P(LogSoftmaxOperatorTest, batch_sizes) {
  for (size_t batch : {size_t(1), size_t(2), size_t(3), size_t(4), size_t(5), size_t(7), size_t(12)}) {
    Tester().channels(100).batch_size(batch).threads(4).check_threads(batch % 2 == 1 && batch <= 5).TestF32();
    Tester().channels(5000).batch_size(batch).threads(2).check_position(batch == 7).TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, batch_zero) {
  for (size_t channels : {size_t(1), size_t(100), size_t(TWOPASS_CHUNK_ELEMENTS + 1)}) {
    Tester().channels(channels).batch_size(0).TestF32();
    Tester().channels(channels).input_stride(channels + 3).batch_size(0).in_place(true).TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, input_stride) {
  for (size_t channels : {size_t(1), size_t(15), size_t(100), size_t(1000)}) {
    for (size_t pad : {size_t(1), size_t(7), size_t(64)}) {
      Tester().channels(channels).input_stride(channels + pad).batch_size(5).TestF32();
    }
  }
}

TEST_P(LogSoftmaxOperatorTest, output_stride) {
  for (size_t channels : {size_t(1), size_t(15), size_t(100), size_t(1000)}) {
    for (size_t pad : {size_t(1), size_t(7), size_t(64)}) {
      Tester().channels(channels).output_stride(channels + pad).batch_size(5).TestF32();
    }
  }
}

TEST_P(LogSoftmaxOperatorTest, input_and_output_stride) {
  for (size_t channels : {size_t(3), size_t(33), size_t(257)}) {
    Tester()
        .channels(channels)
        .input_stride(channels + 5)
        .output_stride(channels + 11)
        .batch_size(7)
        .threads(2)
        .TestF32();
  }
  Tester()
      .channels(2 * TWOPASS_CHUNK_ELEMENTS + 3)
      .input_stride(2 * TWOPASS_CHUNK_ELEMENTS + 20)
      .output_stride(2 * TWOPASS_CHUNK_ELEMENTS + 7)
      .batch_size(2)
      .threads(4)
      .check_threads(true)
      .TestF32();
}

TEST_P(LogSoftmaxOperatorTest, in_place) {
  for (size_t channels : {size_t(1), size_t(17), size_t(1000), size_t(TWOPASS_CHUNK_ELEMENTS + 5)}) {
    Tester()
        .channels(channels)
        .batch_size(3)
        .in_place(true)
        .threads(channels > 1000 ? 4 : 1)
        .check_threads(channels > 1000)
        .TestF32();
    Tester()
        .channels(channels)
        .input_stride(channels + 9)
        .output_stride(channels + 9)
        .batch_size(3)
        .in_place(true)
        .check_position(true)
        .TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, misaligned_pointers) {
  for (size_t offset = 1; offset < 16; offset++) {
    Tester()
        .channels(97 + offset)
        .batch_size(2)
        .input_placement(Placement::kCanaries, offset)
        .output_placement(Placement::kCanaries, 16 - offset)
        .seed(offset)
        .TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, guard_pages) {
  // (input, output) placements: canaries, or PROT_NONE pages right before or after.
  const std::pair<Placement, Placement> placements[] = {
      {Placement::kCanaries, Placement::kCanaries},
      {Placement::kEndsAtGuardPage, Placement::kEndsAtGuardPage},
      {Placement::kStartsAtGuardPage, Placement::kStartsAtGuardPage},
      {Placement::kEndsAtGuardPage, Placement::kStartsAtGuardPage},
      {Placement::kStartsAtGuardPage, Placement::kEndsAtGuardPage},
  };
  for (size_t channels : {size_t(1), size_t(5), size_t(31), size_t(1001),
                          size_t(2 * TWOPASS_CHUNK_ELEMENTS + 1)}) {
    const size_t threads = channels > TWOPASS_CHUNK_ELEMENTS ? 2 : 1;
    for (const auto& placement : placements) {
      Tester()
          .channels(channels)
          .batch_size(channels > TWOPASS_CHUNK_ELEMENTS ? 1 : 2)
          .threads(threads)
          .input_placement(placement.first, 3)
          .output_placement(placement.second, 5)
          .TestF32();
    }
    for (Placement placement : {Placement::kEndsAtGuardPage, Placement::kStartsAtGuardPage}) {
      Tester()
          .channels(channels)
          .batch_size(channels > TWOPASS_CHUNK_ELEMENTS ? 1 : 2)
          .threads(threads)
          .in_place(true)
          .input_placement(placement)
          .TestF32();
    }
  }
}

TEST_P(LogSoftmaxOperatorTest, beta) {
  for (float beta : {0.5f, 2.0f, 1e-3f, 10.0f, 1e-30f, 123.456f}) {
    for (size_t channels : {size_t(1), size_t(37), size_t(1000)}) {
      Tester().channels(channels).batch_size(3).beta(beta).TestF32();
    }
  }
}

TEST_P(LogSoftmaxOperatorTest, beta_2_7_inputs_around_100) {
  for (size_t channels : {size_t(16), size_t(1000), size_t(TWOPASS_CHUNK_ELEMENTS + 100)}) {
    Tester().channels(channels).batch_size(2).beta(2.7f).input_range(90.0f, 110.0f).TestF32();
    Tester().channels(channels).batch_size(2).beta(2.7f).input_range(-110.0f, 110.0f).TestF32();
    Tester().channels(channels).batch_size(2).beta(-2.7f).input_range(-110.0f, -90.0f).TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, beta_negative) {
  for (float beta : {-1.0f, -0.5f, -3.0f}) {
    for (size_t channels : {size_t(1), size_t(19), size_t(500)}) {
      Tester().channels(channels).batch_size(2).beta(beta).TestF32();
    }
  }
  // Long rows split over threads: the chunks' minima are combined.
  Tester().channels(TWOPASS_CHUNK_ELEMENTS + 1).batch_size(2).beta(-1.0f).threads(4).TestF32();
}

TEST_P(LogSoftmaxOperatorTest, beta_zero) {
  for (size_t channels : {size_t(1), size_t(3), size_t(1000), size_t(TWOPASS_CHUNK_ELEMENTS + 1)}) {
    Tester().channels(channels).batch_size(2).beta(0.0f).input_range(-1e30f, 1e30f).TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, large_inputs) {
  const std::pair<float, float> ranges[] = {
      {-1e30f, 1e30f},          {1e30f, 1.001e30f},       {-1.001e30f, -1e30f},
      {-FLT_MAX, FLT_MAX},      {0.99f * FLT_MAX, FLT_MAX}, {-FLT_MAX, -0.99f * FLT_MAX},
      {-1e7f, 1e7f},            {1e6f, 1e6f + 30.0f},     {-1e6f - 30.0f, -1e6f},
      {1.04e6f, 1.04e6f + 30.0f}, {3e6f, 3e6f + 30.0f},   {-3e6f - 30.0f, -3e6f},
      {1e5f, 1e5f + 20.0f},     {-88.0f, 88.0f},          {-200.0f, -100.0f},
      {80.0f, 100.0f},          {-1000.0f, 1000.0f},      {1e4f, 1e4f + 100.0f},
  };
  for (const auto& range : ranges) {
    for (size_t channels : {size_t(1), size_t(33), size_t(1000)}) {
      Tester().channels(channels).batch_size(2).input_range(range.first, range.second).TestF32();
    }
  }
  // Long rows, split into chunks over threads: the chunks' sums are combined
  // across the kernels' range limits.
  for (size_t k : {size_t(0), size_t(3), size_t(7), size_t(10), size_t(11)}) {
    Tester()
        .channels(TWOPASS_CHUNK_ELEMENTS + 17)
        .batch_size(1)
        .threads(2)
        .input_range(ranges[k].first, ranges[k].second)
        .TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, large_inputs_with_beta) {
  for (float beta : {0.25f, 3.0f, -0.75f}) {
    for (size_t channels : {size_t(7), size_t(1000)}) {
      Tester().channels(channels).batch_size(2).beta(beta).input_range(-1e30f, 1e30f).TestF32();
      Tester().channels(channels).batch_size(2).beta(beta).input_range(1e5f, 1e5f + 50.0f).TestF32();
      // beta*x rounds by up to ulp/2 ~ 1e3 here: exp of that rounding error overflows.
      Tester().channels(channels).batch_size(2).beta(beta).input_range(1e10f, 1.00001e10f).TestF32();
      Tester().channels(channels).batch_size(2).beta(beta).input_range(-FLT_MAX / 4, FLT_MAX / 4).TestF32();
    }
  }
}

TEST_P(LogSoftmaxOperatorTest, product_beyond_float_range) {
  // beta*x is finite as an exact product but beyond FLT_MAX: the outputs of
  // the largest elements are still small (beta*x_i - lse) and representable.
  for (size_t channels : {size_t(1), size_t(20), size_t(1000)}) {
    Tester().channels(channels).batch_size(2).beta(2.0f).input_range(0.9f * FLT_MAX, FLT_MAX).TestF32();
    Tester().channels(channels).batch_size(2).beta(-2.0f).input_range(-FLT_MAX, -0.9f * FLT_MAX).TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, subnormal_inputs) {
  for (size_t channels : {size_t(1), size_t(17), size_t(1000)}) {
    Tester().channels(channels).batch_size(2).subnormal_inputs(true).TestF32();
    Tester().channels(channels).batch_size(2).beta(1e30f).subnormal_inputs(true).TestF32();
  }
}

std::vector<size_t> SpecialChannels() {
  return {1, 2, 7, 16, 17, 100, 145, 1000};
}

TEST_P(LogSoftmaxOperatorTest, negative_infinity_some) {
  for (size_t channels : SpecialChannels()) {
    for (size_t count : {size_t(1), channels / 2, channels - 1}) {
      if (count == 0) continue;
      Tester().channels(channels).batch_size(3).inject(-kInf, count).seed(channels + count).TestF32();
    }
  }
}

TEST_P(LogSoftmaxOperatorTest, negative_infinity_all) {
  for (size_t channels : SpecialChannels()) {
    Tester().channels(channels).batch_size(3).inject(-kInf, SIZE_MAX).injected_rows(2).TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, negative_infinity_whole_chunks) {
  // Whole chunks of -inf (their partial sums are empty), rows split over
  // threads (batch 2 < 4 threads) or not.
  const size_t chunk = TWOPASS_CHUNK_ELEMENTS;
  Tester().channels(2 * chunk + 5).batch_size(2).threads(1).inject_range(-kInf, 0, chunk).TestF32();
  Tester().channels(2 * chunk + 5).batch_size(2).threads(4).inject_range(-kInf, 0, chunk).TestF32();
  Tester().channels(2 * chunk + 5).batch_size(2).threads(4).inject_range(-kInf, chunk, 2 * chunk + 5).TestF32();
  Tester().channels(2 * chunk + 5).batch_size(2).threads(4).inject_range(-kInf, 1, 2 * chunk + 5).TestF32();
  Tester().channels(2 * chunk + 5).batch_size(3).threads(4).inject(-kInf, SIZE_MAX).injected_rows(2, 1).TestF32();
}

TEST_P(LogSoftmaxOperatorTest, nan) {
  for (size_t channels : SpecialChannels()) {
    Tester().channels(channels).batch_size(3).inject(kNaN, 1).injected_rows(2).TestF32();
    Tester().channels(channels).batch_size(2).inject(kNaN, 1).inject(-kInf, 1).TestF32();
  }
  Tester().channels(TWOPASS_CHUNK_ELEMENTS + 9).batch_size(2).threads(4).inject(kNaN, 1).injected_rows(2, 1).TestF32();
}

TEST_P(LogSoftmaxOperatorTest, positive_infinity) {
  for (size_t channels : SpecialChannels()) {
    Tester().channels(channels).batch_size(3).inject(kInf, 1).injected_rows(2, 1).TestF32();
    Tester().channels(channels).batch_size(2).inject(kInf, 1).inject(-kInf, 1).TestF32();
    Tester().channels(channels).batch_size(2).inject(kInf, SIZE_MAX).TestF32();
  }
  Tester().channels(TWOPASS_CHUNK_ELEMENTS + 9).batch_size(2).threads(4).inject(kInf, 1).injected_rows(2).TestF32();
}

TEST_P(LogSoftmaxOperatorTest, special_values_with_negative_beta) {
  for (size_t channels : SpecialChannels()) {
    Tester().channels(channels).batch_size(2).beta(-1.0f).inject(kInf, (channels + 1) / 2).TestF32();
    Tester().channels(channels).batch_size(2).beta(-2.5f).inject(-kInf, 1).TestF32();
    Tester().channels(channels).batch_size(2).beta(-1.0f).inject(kInf, SIZE_MAX).TestF32();
  }
}

TEST_P(LogSoftmaxOperatorTest, special_values_with_zero_beta) {
  for (size_t channels : SpecialChannels()) {
    Tester().channels(channels).batch_size(3).beta(0.0f).inject(kInf, 1).injected_rows(3).TestF32();
    Tester().channels(channels).batch_size(3).beta(0.0f).inject(-kInf, 1).injected_rows(3, 1).TestF32();
  }
}

INSTANTIATE_TEST_SUITE_P(IsaAlgorithm, LogSoftmaxOperatorTest, ::testing::ValuesIn(AllIsaAlgorithms()),
                         IsaAlgorithmName);

TEST(LogSoftmaxOperatorDefault, million_elements_batch_2) {
  // Two rows of 31 chunks on four threads: each row's chunks are split over
  // the threads; each row computed alone gives the same bits.
  SoftmaxOperatorTester()
      .log_softmax(true).channels(1000000)
      .batch_size(2)
      .threads(4)
      .input_range(-30.0f, 5.0f)
      .check_position(true)
      .TestF32();
}

TEST(LogSoftmaxOperatorDefault, channels) {
  for (size_t channels : {size_t(1), size_t(10), size_t(1000), size_t(100000)}) {
    SoftmaxOperatorTester()
        .log_softmax(true)
        .channels(channels)
        .batch_size(3)
        .threads(2)
        .check_threads(true)
        .TestF32();
  }
}

TEST(LogSoftmaxOperatorInfo, algorithm_and_isa) {
  for (const IsaAlgorithm& param : AllIsaAlgorithms()) {
    if (!MissingIsaFeatures(param.isa_flag).empty()) continue;
    twopass_operator_t op = nullptr;
    ASSERT_EQ(xnn_status_success,
              twopass_create_log_softmax_nc_f32(100, 100, 100, 1.0f, param.flags(), &op));
    twopass_operator_info info;
    ASSERT_EQ(xnn_status_success, twopass_get_operator_info(op, &info));
    EXPECT_STREQ(IsaName(param.isa_flag), info.isa);
    EXPECT_EQ(param.algorithm_flag == TWOPASS_FLAG_TWO_PASS ? twopass_algorithm_two_pass
                                                            : twopass_algorithm_three_pass,
              info.algorithm);
    EXPECT_NE(nullptr, info.ukernels[0]);
    EXPECT_NE(nullptr, info.ukernels[1]);
    for (const char* name : info.ukernels) {
      if (name != nullptr) {
        EXPECT_NE(nullptr, std::strstr(name, IsaName(param.isa_flag))) << name;
      }
    }
    ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));
  }
}

}  // namespace
}  // namespace optest
}  // namespace twopass
