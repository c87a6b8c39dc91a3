// Softmax and log-softmax operator tests over every ISA the host has and both
// algorithms: row sizes around every kernel tile and chunk boundary up to a
// million elements, strides, guard zones, misaligned pointers, in-place,
// beta, special values, batch 0, threads compared bitwise. The tester checks
// softmax against |y - ref| <= 1e-5 ref and log-softmax against
// |y - ref| <= 2e-6 * max(1, |ref|), and -inf for -inf products.
// The cases of one kind only are here too (softmax) or in
// log-softmax-operator.cc.
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
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

class SoftmaxOperatorTest : public IsaAlgorithmKindTest {};

TEST_P(SoftmaxOperatorTest, channels_small) {
  for (size_t channels = 1; channels <= 40; channels++) {
    Tester().channels(channels).batch_size(3).seed(channels).TestF32();
  }
}

TEST_P(SoftmaxOperatorTest, channels_around_tiles) {
  for (size_t channels : ChannelsAroundTiles(isa_algorithm().flags(), log_softmax())) {
    Tester().channels(channels).batch_size(3).seed(channels).TestF32();
  }
}

TEST_P(SoftmaxOperatorTest, channels_around_chunks) {
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

TEST_P(SoftmaxOperatorTest, million_elements) {
  Tester()
      .channels(1000000)
      .batch_size(1)
      .threads(2)
      .check_threads(true)
      .TestF32();
}

TEST_P(SoftmaxOperatorTest, batch_sizes) {
  for (size_t batch : {size_t(1), size_t(2), size_t(3), size_t(4), size_t(5), size_t(7), size_t(12)}) {
    Tester().channels(100).batch_size(batch).threads(4).check_threads(batch % 2 == 1 && batch <= 5).TestF32();
    Tester().channels(5000).batch_size(batch).threads(2).check_position(batch == 7).TestF32();
  }
}

TEST_P(SoftmaxOperatorTest, batch_zero) {
  for (size_t channels : {size_t(1), size_t(100), size_t(TWOPASS_CHUNK_ELEMENTS + 1)}) {
    Tester().channels(channels).batch_size(0).TestF32();
    Tester().channels(channels).input_stride(channels + 3).batch_size(0).in_place(true).TestF32();
  }
}

TEST_P(SoftmaxOperatorTest, input_stride) {
  for (size_t channels : {size_t(1), size_t(15), size_t(100), size_t(1000)}) {
    for (size_t pad : {size_t(1), size_t(7), size_t(64)}) {
      Tester().channels(channels).input_stride(channels + pad).batch_size(5).TestF32();
    }
  }
}

TEST_P(SoftmaxOperatorTest, output_stride) {
  for (size_t channels : {size_t(1), size_t(15), size_t(100), size_t(1000)}) {
    for (size_t pad : {size_t(1), size_t(7), size_t(64)}) {
      Tester().channels(channels).output_stride(channels + pad).batch_size(5).TestF32();
    }
  }
}

TEST_P(SoftmaxOperatorTest, input_and_output_stride) {
  for (size_t channels : {size_t(3), size_t(33), size_t(257)}) {
    Tester()
        .channels(channels)
        .input_stride(channels + 5)
        .output_stride(channels + 11)
        .batch_size(7)
        .threads(2)
        .TestF32();
  }
  // Long strided rows split into chunks over threads.
  Tester()
      .channels(2 * TWOPASS_CHUNK_ELEMENTS + 3)
      .input_stride(2 * TWOPASS_CHUNK_ELEMENTS + 20)
      .output_stride(2 * TWOPASS_CHUNK_ELEMENTS + 7)
      .batch_size(2)
      .threads(4)
      .check_threads(true)
      .TestF32();
}

TEST_P(SoftmaxOperatorTest, in_place) {
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

TEST_P(SoftmaxOperatorTest, misaligned_pointers) {
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

TEST_P(SoftmaxOperatorTest, guard_pages) {
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

TEST_P(SoftmaxOperatorTest, beta) {
  for (float beta : {0.5f, 2.0f, 1e-3f, 10.0f, 1e-30f, 123.456f}) {
    for (size_t channels : {size_t(1), size_t(37), size_t(1000)}) {
      Tester().channels(channels).batch_size(3).beta(beta).TestF32();
    }
  }
}

TEST_P(SoftmaxOperatorTest, beta_2_7_inputs_around_100) {
  // The reference uses the exact product beta*x: a kernel that rounds beta*x
  // to float first fails here (design doc, "Contract details").
  for (size_t channels : {size_t(16), size_t(1000), size_t(TWOPASS_CHUNK_ELEMENTS + 100)}) {
    Tester().channels(channels).batch_size(2).beta(2.7f).input_range(90.0f, 110.0f).TestF32();
    Tester().channels(channels).batch_size(2).beta(2.7f).input_range(-110.0f, 110.0f).TestF32();
    Tester().channels(channels).batch_size(2).beta(-2.7f).input_range(-110.0f, -90.0f).TestF32();
  }
}

TEST_P(SoftmaxOperatorTest, beta_negative) {
  for (float beta : {-1.0f, -0.5f, -3.0f}) {
    for (size_t channels : {size_t(1), size_t(19), size_t(500)}) {
      Tester().channels(channels).batch_size(2).beta(beta).TestF32();
    }
  }
  // Long rows split over threads: the chunks' minima are combined.
  Tester().channels(TWOPASS_CHUNK_ELEMENTS + 1).batch_size(2).beta(-1.0f).threads(4).TestF32();
}

TEST_P(SoftmaxOperatorTest, beta_zero) {
  // Every product 0: a uniform distribution.
  for (size_t channels : {size_t(1), size_t(3), size_t(1000), size_t(TWOPASS_CHUNK_ELEMENTS + 1)}) {
    Tester().channels(channels).batch_size(2).beta(0.0f).input_range(-1e30f, 1e30f).TestF32();
  }
}

TEST_P(SoftmaxOperatorTest, large_inputs) {
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

TEST_P(SoftmaxOperatorTest, large_inputs_with_beta) {
  // Products up to 1e30 in magnitude, beta != 1.
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

TEST_P(SoftmaxOperatorTest, product_beyond_float_range) {
  // beta*x is finite (as the exact product the contract uses) but larger
  // than FLT_MAX in magnitude.
  for (size_t channels : {size_t(1), size_t(20), size_t(1000)}) {
    Tester().channels(channels).batch_size(2).beta(2.0f).input_range(0.9f * FLT_MAX, FLT_MAX).TestF32();
    Tester().channels(channels).batch_size(2).beta(4.0f).input_range(-FLT_MAX, FLT_MAX).TestF32();
    Tester().channels(channels).batch_size(2).beta(-2.0f).input_range(-FLT_MAX, -0.9f * FLT_MAX).TestF32();
  }
}

TEST_P(SoftmaxOperatorTest, subnormal_inputs) {
  for (size_t channels : {size_t(1), size_t(17), size_t(1000)}) {
    Tester().channels(channels).batch_size(2).subnormal_inputs(true).TestF32();
    Tester().channels(channels).batch_size(2).beta(1e30f).subnormal_inputs(true).TestF32();
  }
}

// ---- Special values ------------------------------------------------------------------

TEST_P(SoftmaxOperatorTest, negative_infinity_some) {
  for (size_t channels : SpecialChannels()) {
    for (size_t count : {size_t(1), channels / 2, channels - 1}) {
      if (count == 0) continue;
      Tester().channels(channels).batch_size(3).inject(-kInf, count).seed(channels + count).TestF32();
    }
  }
}

TEST_P(SoftmaxOperatorTest, negative_infinity_all) {
  for (size_t channels : SpecialChannels()) {
    // Rows 0 and 2 all -inf (NaN), row 1 finite.
    Tester().channels(channels).batch_size(3).inject(-kInf, SIZE_MAX).injected_rows(2).TestF32();
  }
}

TEST_P(SoftmaxOperatorTest, negative_infinity_whole_chunks) {
  // Whole chunks of -inf (their partial sums are empty), rows split over
  // threads (batch 2 < 4 threads) or not.
  const size_t chunk = TWOPASS_CHUNK_ELEMENTS;
  Tester().channels(2 * chunk + 5).batch_size(2).threads(1).inject_range(-kInf, 0, chunk).TestF32();
  Tester().channels(2 * chunk + 5).batch_size(2).threads(4).inject_range(-kInf, 0, chunk).TestF32();
  Tester().channels(2 * chunk + 5).batch_size(2).threads(4).inject_range(-kInf, chunk, 2 * chunk + 5).TestF32();
  Tester().channels(2 * chunk + 5).batch_size(2).threads(4).inject_range(-kInf, 1, 2 * chunk + 5).TestF32();
  Tester().channels(2 * chunk + 5).batch_size(3).threads(4).inject(-kInf, SIZE_MAX).injected_rows(2, 1).TestF32();
}

TEST_P(SoftmaxOperatorTest, nan) {
  for (size_t channels : SpecialChannels()) {
    Tester().channels(channels).batch_size(3).inject(kNaN, 1).injected_rows(2).TestF32();
    Tester().channels(channels).batch_size(2).inject(kNaN, 1).inject(-kInf, 1).TestF32();
  }
  Tester().channels(TWOPASS_CHUNK_ELEMENTS + 9).batch_size(2).threads(4).inject(kNaN, 1).injected_rows(2, 1).TestF32();
}

TEST_P(SoftmaxOperatorTest, positive_infinity) {
  for (size_t channels : SpecialChannels()) {
    Tester().channels(channels).batch_size(3).inject(kInf, 1).injected_rows(2, 1).TestF32();
    Tester().channels(channels).batch_size(2).inject(kInf, 1).inject(-kInf, 1).TestF32();
    Tester().channels(channels).batch_size(2).inject(kInf, SIZE_MAX).TestF32();
  }
  Tester().channels(TWOPASS_CHUNK_ELEMENTS + 9).batch_size(2).threads(4).inject(kInf, 1).injected_rows(2).TestF32();
}

TEST_P(SoftmaxOperatorTest, special_values_with_negative_beta) {
  // beta < 0: x = +inf gives beta*x = -inf (contributes 0); x = -inf makes the row NaN.
  for (size_t channels : SpecialChannels()) {
    Tester().channels(channels).batch_size(2).beta(-1.0f).inject(kInf, (channels + 1) / 2).TestF32();
    Tester().channels(channels).batch_size(2).beta(-2.5f).inject(-kInf, 1).TestF32();
    Tester().channels(channels).batch_size(2).beta(-1.0f).inject(kInf, SIZE_MAX).TestF32();
  }
}

TEST_P(SoftmaxOperatorTest, special_values_with_zero_beta) {
  // beta = 0: 0 * inf = NaN.
  for (size_t channels : SpecialChannels()) {
    Tester().channels(channels).batch_size(3).beta(0.0f).inject(kInf, 1).injected_rows(3).TestF32();
    Tester().channels(channels).batch_size(3).beta(0.0f).inject(-kInf, 1).injected_rows(3, 1).TestF32();
  }
}

INSTANTIATE_TEST_SUITE_P(IsaAlgorithmKind, SoftmaxOperatorTest, AllIsaAlgorithmKinds(),
                         IsaAlgorithmKindName);

// ---- Default flags: the operator picks the ISA and the algorithm -----------------------

TEST(SoftmaxOperatorDefault, million_elements_batch_2) {
  // Two rows of 31 chunks on four threads: each row's chunks are split over
  // the threads; each row computed alone gives the same bits.
  SoftmaxOperatorTester()
      .channels(1000000)
      .batch_size(2)
      .threads(4)
      .input_range(-30.0f, 5.0f)
      .check_position(true)
      .TestF32();
}

TEST(SoftmaxOperatorDefault, channels) {
  for (size_t channels : {size_t(1), size_t(10), size_t(1000), size_t(100000)}) {
    SoftmaxOperatorTester().channels(channels).batch_size(3).threads(2).check_threads(true).TestF32();
  }
}

TEST(SoftmaxOperatorDefault, operator_info) {
  twopass_operator_t op = nullptr;
  // A small row fits the cache: three-pass; a huge one: two-pass.
  for (size_t channels : {size_t(1), size_t(1000), size_t(1) << 28}) {
    ASSERT_EQ(xnn_status_success, twopass_create_softmax_nc_f32(1.0f, 0, &op));
    ASSERT_EQ(xnn_status_success,
              twopass_reshape_softmax_nc_f32(op, channels, channels, channels, 1, nullptr));
    twopass_operator_info info;
    ASSERT_EQ(xnn_status_success, twopass_get_operator_info(op, &info));
    EXPECT_STREQ(IsaName(BestIsaFlag()), info.isa);
    EXPECT_GT(info.l2_cache_bytes, 0u);
    const double working_set = 8.0 * static_cast<double>(channels);
    if (working_set <= static_cast<double>(info.l2_cache_bytes)) {
      EXPECT_EQ(twopass_algorithm_three_pass, info.algorithm) << "channels " << channels;
    }
    if (working_set >= 64.0 * static_cast<double>(info.l2_cache_bytes)) {
      EXPECT_EQ(twopass_algorithm_two_pass, info.algorithm) << "channels " << channels;
    }
    ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));
  }
}

TEST(SoftmaxOperatorInfo, algorithm_and_isa) {
  for (const IsaAlgorithm& param : AllIsaAlgorithms()) {
    if (!MissingIsa(param.isa_flag).empty()) continue;
    twopass_operator_t op = nullptr;
    ASSERT_EQ(xnn_status_success, twopass_create_softmax_nc_f32(1.0f, param.flags(), &op));
    ASSERT_EQ(xnn_status_success, twopass_reshape_softmax_nc_f32(op, 100, 100, 100, 1, nullptr));
    twopass_operator_info info;
    ASSERT_EQ(xnn_status_success, twopass_get_operator_info(op, &info));
    EXPECT_STREQ(IsaName(param.isa_flag), info.isa);
    if (param.algorithm_flag == TWOPASS_FLAG_TWO_PASS) {
      EXPECT_EQ(twopass_algorithm_two_pass, info.algorithm);
      EXPECT_NE(nullptr, info.ukernels[0]);
      EXPECT_NE(nullptr, info.ukernels[1]);
      EXPECT_EQ(nullptr, info.ukernels[2]);
    } else {
      EXPECT_EQ(twopass_algorithm_three_pass, info.algorithm);
      EXPECT_NE(nullptr, info.ukernels[0]);
      EXPECT_NE(nullptr, info.ukernels[1]);
      EXPECT_NE(nullptr, info.ukernels[2]);
    }
    for (const char* name : info.ukernels) {
      if (name != nullptr) {
        EXPECT_NE(nullptr, std::strstr(name, IsaName(param.isa_flag))) << name;
      }
    }
    ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));
  }
}

// ---- Non-temporal stores ------------------------------------------------------------

TEST(SoftmaxOperatorNonTemporal, batch_beyond_last_level_cache) {
  // Two-pass softmax stores y with the non-temporal kernel when the batch's
  // output is at least half the last-level cache: reshape chooses, and the
  // choice changes no bit (each row computed alone, with a batch of 1, gives
  // the bits it has in the batch). The output is misaligned, so the kernel
  // also runs its head up to the first 64-byte boundary.
  for (uint32_t isa : {TWOPASS_FLAG_ISA_AVX512F, TWOPASS_FLAG_ISA_AVX2}) {
    if (!MissingIsa(isa).empty()) continue;
    const uint32_t flags = isa | TWOPASS_FLAG_TWO_PASS;
    const size_t channels = 3 * TWOPASS_CHUNK_ELEMENTS + 5;
    twopass_operator_t op = nullptr;
    ASSERT_EQ(xnn_status_success, twopass_create_softmax_nc_f32(1.0f, flags, &op));
    ASSERT_EQ(xnn_status_success,
              twopass_reshape_softmax_nc_f32(op, channels, channels, channels, 1, nullptr));
    twopass_operator_info info;
    ASSERT_EQ(xnn_status_success, twopass_get_operator_info(op, &info));
    ASSERT_GT(info.llc_bytes, 0u);
    const size_t batch = info.llc_bytes / 2 / sizeof(float) / channels + 1;
    ASSERT_EQ(xnn_status_success,
              twopass_reshape_softmax_nc_f32(op, channels, channels, channels, batch, nullptr));
    ASSERT_EQ(xnn_status_success, twopass_get_operator_info(op, &info));
    EXPECT_NE(nullptr, std::strstr(info.ukernels[1], "_nt_")) << info.ukernels[1];
    ASSERT_EQ(xnn_status_success,
              twopass_reshape_softmax_nc_f32(op, channels, channels, channels, 1, nullptr));
    ASSERT_EQ(xnn_status_success, twopass_get_operator_info(op, &info));
    EXPECT_EQ(nullptr, std::strstr(info.ukernels[1], "_nt_")) << info.ukernels[1];
    ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));

    SoftmaxOperatorTester()
        .flags(flags)
        .channels(channels)
        .batch_size(batch)
        .threads(2)
        .output_placement(Placement::kCanaries, 3)
        .check_position(true)
        .TestF32();
  }
}

// ---- Operator reuse ------------------------------------------------------------------

TEST(SoftmaxOperatorReuse, reshape_to_other_batch_sizes) {
  // One operator, reshaped to growing and shrinking batches (its workspace for
  // long rows grows), each result bitwise equal to a fresh operator's.
  const size_t channels = 2 * TWOPASS_CHUNK_ELEMENTS + 33;
  const SoftmaxOperatorTester tester = SoftmaxOperatorTester().channels(channels);
  std::vector<float> x(5 * channels);
  for (size_t i = 0; i < x.size(); i++) x[i] = std::sin(0.37f * static_cast<float>(i)) * 8.0f;
  twopass_operator_t reused = nullptr;
  ASSERT_EQ(xnn_status_success, tester.Create(&reused));
  for (size_t batch : {size_t(1), size_t(3), size_t(5), size_t(2), size_t(4), size_t(1)}) {
    std::vector<float> y_reused(batch * channels, 0.0f), y_fresh(batch * channels, 1.0f);
    ASSERT_EQ(xnn_status_success, tester.Reshape(reused, batch, SharedPool(4)));
    ASSERT_EQ(xnn_status_success, tester.Setup(reused, x.data(), y_reused.data()));
    ASSERT_EQ(xnn_status_success, RunOperator(reused, SharedPool(4)));
    twopass_operator_t fresh = nullptr;
    ASSERT_EQ(xnn_status_success, tester.Create(&fresh));
    ASSERT_EQ(xnn_status_success, tester.Reshape(fresh, batch, nullptr));
    ASSERT_EQ(xnn_status_success, tester.Setup(fresh, x.data(), y_fresh.data()));
    ASSERT_EQ(xnn_status_success, twopass_run_operator(fresh, nullptr));
    ASSERT_EQ(xnn_status_success, twopass_delete_operator(fresh));
    for (size_t i = 0; i < y_fresh.size(); i++) {
      ASSERT_TRUE(SameBits(y_fresh[i], y_reused[i]))
          << "batch " << batch << ", element " << i << ": " << y_fresh[i] << " vs " << y_reused[i];
    }
  }
  ASSERT_EQ(xnn_status_success, twopass_delete_operator(reused));
}

// ---- One operator, many shapes ----------------------------------------------------

struct RowShape {
  size_t channels, input_stride, output_stride, batch;
};

// Row lengths below, at and beyond the kernels' tiles and the chunk size,
// with and without padding, batches of 0 to 4.
constexpr size_t kTwoChunks = 2 * TWOPASS_CHUNK_ELEMENTS;
const RowShape kShapes[] = {
    {100, 100, 100, 2},
    {1, 1, 1, 3},
    {17, 20, 33, 4},
    {1000, 1003, 1000, 1},
    {kTwoChunks + 33, kTwoChunks + 40, kTwoChunks + 33, 2},
    {64, 64, 70, 0},
    {5, 7, 5, 3},
    {100, 100, 100, 2},
};

SoftmaxOperatorTester ShapeTester(bool log_softmax, uint32_t flags, const RowShape& shape) {
  return SoftmaxOperatorTester()
      .log_softmax(log_softmax)
      .flags(flags)
      .channels(shape.channels)
      .input_stride(shape.input_stride)
      .output_stride(shape.output_stride);
}

// Runs `op`, already created by `tester`, on the rows of x (reshape, setup,
// run); returns the output buffer (padding 0).
std::vector<float> RunShape(const SoftmaxOperatorTester& tester, twopass_operator_t op,
                            const RowShape& shape, const std::vector<float>& x) {
  std::vector<float> y(shape.batch * shape.output_stride, 0.0f);
  EXPECT_STATUS(xnn_status_success, tester.Reshape(op, shape.batch, SharedPool(2)));
  EXPECT_STATUS(xnn_status_success, tester.Setup(op, x.data(), y.data()));
  EXPECT_STATUS(xnn_status_success, RunOperator(op, SharedPool(2)));
  return y;
}

void ExpectSameInfo(twopass_operator_t expected_op, twopass_operator_t op) {
  twopass_operator_info expected, got;
  ASSERT_STATUS(xnn_status_success, twopass_get_operator_info(expected_op, &expected));
  ASSERT_STATUS(xnn_status_success, twopass_get_operator_info(op, &got));
  EXPECT_EQ(expected.algorithm, got.algorithm);
  EXPECT_STREQ(expected.isa, got.isa);
  for (size_t i = 0; i < 3; i++) {
    EXPECT_EQ(expected.ukernels[i] == nullptr, got.ukernels[i] == nullptr) << "pass " << i;
    if (expected.ukernels[i] != nullptr && got.ukernels[i] != nullptr) {
      EXPECT_STREQ(expected.ukernels[i], got.ukernels[i]) << "pass " << i;
    }
    EXPECT_EQ(expected.ukernel_tiles[i], got.ukernel_tiles[i]) << "pass " << i;
  }
}

// One operator reshaped through every shape of kShapes: each result is
// bitwise that of a fresh operator made for the shape, and so is the info.
void CheckReshapeThroughShapes(bool log_softmax, uint32_t flags) {
  twopass_operator_t reused = nullptr;
  ASSERT_STATUS(xnn_status_success, ShapeTester(log_softmax, flags, kShapes[0]).Create(&reused));
  std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> auto_reused(
      reused, twopass_delete_operator);
  for (const RowShape& shape : kShapes) {
    SCOPED_TRACE("channels " + std::to_string(shape.channels) + ", strides " +
                 std::to_string(shape.input_stride) + "/" + std::to_string(shape.output_stride) +
                 ", batch " + std::to_string(shape.batch));
    const SoftmaxOperatorTester tester = ShapeTester(log_softmax, flags, shape);
    std::vector<float> x(shape.batch * shape.input_stride);
    for (size_t i = 0; i < x.size(); i++) x[i] = std::sin(0.37f * static_cast<float>(i)) * 8.0f;
    const std::vector<float> y_reused = RunShape(tester, reused, shape, x);
    twopass_operator_t fresh = nullptr;
    ASSERT_STATUS(xnn_status_success, tester.Create(&fresh));
    std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> auto_fresh(
        fresh, twopass_delete_operator);
    const std::vector<float> y_fresh = RunShape(tester, fresh, shape, x);
    ExpectSameInfo(fresh, reused);
    for (size_t i = 0; i < y_fresh.size(); i++) {
      ASSERT_TRUE(SameBits(y_fresh[i], y_reused[i]))
          << "element " << i << ": fresh " << Describe(y_fresh[i]) << ", reused "
          << Describe(y_reused[i]);
    }
  }
}

TEST(SoftmaxOperatorReuse, reshape_to_other_shapes) {
  for (bool log_softmax : {false, true}) {
    for (uint32_t algorithm : {TWOPASS_FLAG_TWO_PASS, TWOPASS_FLAG_THREE_PASS, UINT32_C(0)}) {
      SCOPED_TRACE(std::string(log_softmax ? "log-softmax " : "softmax ") +
                   AlgorithmName(algorithm));
      CheckReshapeThroughShapes(log_softmax, algorithm);
    }
  }
}

TEST(SoftmaxOperatorReuse, reshape_after_failed_reshape) {
  // A refused shape leaves no plan; the next good reshape computes as a fresh
  // operator does.
  for (bool log_softmax : {false, true}) {
    const RowShape shape = {300, 310, 300, 3};
    const SoftmaxOperatorTester tester = ShapeTester(log_softmax, 0, shape);
    twopass_operator_t op = nullptr;
    ASSERT_STATUS(xnn_status_success, tester.Create(&op));
    std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> auto_op(
        op, twopass_delete_operator);
    std::vector<float> x(shape.batch * shape.input_stride, 1.5f);
    x[7] = -3.0f;
    const std::vector<float> first = RunShape(tester, op, shape, x);
    const RowShape bad = {300, 299, 300, 3};
    EXPECT_STATUS(xnn_status_invalid_parameter,
                  ShapeTester(log_softmax, 0, bad).Reshape(op, bad.batch, nullptr));
    twopass_operator_info info;
    EXPECT_STATUS(xnn_status_invalid_state, twopass_get_operator_info(op, &info));
    EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
    const std::vector<float> again = RunShape(tester, op, shape, x);
    for (size_t i = 0; i < first.size(); i++) {
      ASSERT_TRUE(SameBits(first[i], again[i])) << "element " << i;
    }
  }
}

TEST(SoftmaxOperatorInfo, follows_the_latest_reshape) {
  // The default algorithm is chosen per shape: a short row is three-pass, a
  // huge one two-pass, and back; the info always names the latest choice.
  twopass_operator_t op = nullptr;
  ASSERT_STATUS(xnn_status_success, twopass_create_softmax_nc_f32(1.0f, 0, &op));
  std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> auto_op(
      op, twopass_delete_operator);
  const size_t huge = size_t(1) << 28;
  for (size_t channels : {size_t(100), huge, size_t(100), huge}) {
    ASSERT_STATUS(xnn_status_success,
                  twopass_reshape_softmax_nc_f32(op, channels, channels, channels, 0, nullptr));
    twopass_operator_info info;
    ASSERT_STATUS(xnn_status_success, twopass_get_operator_info(op, &info));
    EXPECT_EQ(channels == huge ? twopass_algorithm_two_pass : twopass_algorithm_three_pass,
              info.algorithm)
        << "channels " << channels;
    EXPECT_EQ(channels == huge, info.ukernels[2] == nullptr) << "channels " << channels;
  }
}

// The info's tiles: the tile each kernel's name states, 0 for an unused pass.
void ExpectTilesOfNames(const twopass_operator_info& info) {
  for (size_t i = 0; i < 3; i++) {
    if (info.ukernels[i] == nullptr) {
      EXPECT_EQ(0u, info.ukernel_tiles[i]) << "unused pass " << i;
      continue;
    }
    EXPECT_GT(info.ukernel_tiles[i], 0u) << info.ukernels[i];
    EXPECT_EQ(TileOfKernelName(info.ukernels[i]), info.ukernel_tiles[i]) << info.ukernels[i];
  }
}

bool ReportsTiles() {
  twopass_operator_t op = nullptr;
  twopass_operator_info info = {};
  const bool reshaped = twopass_create_softmax_nc_f32(1.0f, 0, &op) == xnn_status_success &&
                        twopass_reshape_softmax_nc_f32(op, 8, 8, 8, 1, nullptr) ==
                            xnn_status_success &&
                        twopass_get_operator_info(op, &info) == xnn_status_success;
  twopass_delete_operator(op);
  return reshaped && (info.ukernel_tiles[0] | info.ukernel_tiles[1] | info.ukernel_tiles[2]) != 0;
}

TEST(SoftmaxOperatorInfo, ukernel_tiles) {
  if (!ReportsTiles()) {
    GTEST_SKIP() << "the operator reports no ukernel_tiles yet (all 0)";
  }
  for (const IsaAlgorithm& param : AllIsaAlgorithms()) {
    if (!MissingIsa(param.isa_flag).empty()) continue;
    for (bool log_softmax : {false, true}) {
      const SoftmaxOperatorTester tester =
          SoftmaxOperatorTester().log_softmax(log_softmax).flags(param.flags()).channels(1000);
      twopass_operator_t op = nullptr;
      ASSERT_STATUS(xnn_status_success, tester.Create(&op));
      std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> auto_op(
          op, twopass_delete_operator);
      ASSERT_STATUS(xnn_status_success, tester.Reshape(op, 1, nullptr));
      twopass_operator_info info;
      ASSERT_STATUS(xnn_status_success, twopass_get_operator_info(op, &info));
      SCOPED_TRACE(tester.Description());
      ExpectTilesOfNames(info);
    }
  }
}

TEST(SoftmaxOperatorSum, million_element_row) {
  // |sum(y) - 1| <= 1e-5 for one row of 1,000,000, on every ISA and algorithm
  // (TestF32 checks it too; this names it).
  for (const IsaAlgorithm& param : AllIsaAlgorithms()) {
    if (!MissingIsa(param.isa_flag).empty()) continue;
    const size_t n = 1000000;
    std::vector<float> x(n), y(n);
    for (size_t i = 0; i < n; i++) x[i] = std::fmod(static_cast<float>(i) * 0.618034f, 1.0f) * 20.0f - 10.0f;
    twopass_operator_t op = nullptr;
    ASSERT_EQ(xnn_status_success, twopass_create_softmax_nc_f32(1.0f, param.flags(), &op));
    ASSERT_EQ(xnn_status_success, twopass_reshape_softmax_nc_f32(op, n, n, n, 1, nullptr));
    ASSERT_EQ(xnn_status_success, twopass_setup_softmax_nc_f32(op, x.data(), y.data()));
    ASSERT_EQ(xnn_status_success, twopass_run_operator(op, nullptr));
    ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));
    long double sum = 0.0L;
    for (float v : y) sum += v;
    EXPECT_LE(std::fabs(sum - 1.0L), 1e-5L)
        << IsaName(param.isa_flag) << " " << AlgorithmName(param.algorithm_flag) << ": sum " << Describe(sum);
  }
}

}  // namespace
}  // namespace optest
}  // namespace twopass
