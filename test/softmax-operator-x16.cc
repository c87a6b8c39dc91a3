// bf16 and f16 softmax and log-softmax operators over every ISA the host has:
// row lengths around the kernels' tiles and the chunks, strides, in place,
// beta, special values, rows of the three-pass fallback and of the wide
// (double) path, masked rows, lse,
// threads compared bitwise, statuses and operator info.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include <twopass.h>

#include "test/softmax-operator-x16-tester.h"
#include "testing/gtest-isa.h"
#include "testing/isa.h"

namespace twopass {
namespace test {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// (datatype, ISA flag, log-softmax)
using X16Param = std::tuple<Datatype, uint32_t, bool>;

class X16OperatorTest : public ::testing::TestWithParam<X16Param> {
 protected:
  void SetUp() override { TEST_REQUIRES_TWOPASS_ISA(isa()); }
  Datatype datatype() const { return std::get<0>(GetParam()); }
  uint32_t isa() const { return std::get<1>(GetParam()); }
  bool log_softmax() const { return std::get<2>(GetParam()); }
  X16OperatorTester Tester() const {
    return X16OperatorTester(datatype(), log_softmax()).flags(isa());
  }
};

TEST_P(X16OperatorTest, channels_small) {
  for (size_t channels = 1; channels <= 40; channels++) {
    Tester().channels(channels).batch_size(3).Test();
  }
}

TEST_P(X16OperatorTest, channels_around_tiles) {
  for (size_t channels : {63, 64, 65, 95, 96, 97, 127, 128, 129, 193, 1000, 4099}) {
    Tester().channels(channels).batch_size(3).Test();
  }
}

TEST_P(X16OperatorTest, long_rows_on_threads) {
  Tester().channels(3 * TWOPASS_CHUNK_ELEMENTS + 17).batch_size(2).threads(4)
      .check_threads(true).with_lse(true).Test();
  Tester().channels(300000).batch_size(1).threads(2).check_threads(true).Test();
}

TEST_P(X16OperatorTest, strides_and_in_place) {
  Tester().channels(100).input_stride(103).output_stride(101).batch_size(7).threads(2).Test();
  Tester().channels(1000).input_stride(1001).batch_size(4).in_place(true).Test();
  Tester().channels(33).batch_size(5).in_place(true).with_lse(true).Test();
}

TEST_P(X16OperatorTest, beta) {
  for (float beta : {0.5f, -1.0f, 3.0f, 0.0f, 1e-3f}) {
    Tester().channels(1000).batch_size(3).beta(beta).with_lse(true).Test();
  }
}

TEST_P(X16OperatorTest, batch_sizes) {
  for (size_t batch : {size_t(1), size_t(2), size_t(17), size_t(100)}) {
    Tester().channels(129).batch_size(batch).threads(2).check_threads(true).Test();
  }
}

TEST_P(X16OperatorTest, special_values) {
  for (size_t channels : {size_t(1), size_t(7), size_t(100), size_t(1000)}) {
    const auto put = [](float value, size_t row, size_t at) {
      return [=](size_t r, float* x) { if (r == row) x[at] = value; };
    };
    Tester().channels(channels).batch_size(3).with_lse(true).row_values(put(kNaN, 1, channels / 2)).Test();
    Tester().channels(channels).batch_size(3).with_lse(true).row_values(put(kInf, 0, 0)).Test();
    Tester().channels(channels).batch_size(3).with_lse(true)
        .row_values(put(-kInf, 2, channels - 1)).Test();
    // Fully masked rows: NaN, or zeros with the flag; lse -inf either way.
    const auto mask = [channels](size_t r, float* x) {
      if (r == 1) for (size_t i = 0; i < channels; i++) x[i] = -kInf;
    };
    Tester().channels(channels).batch_size(3).with_lse(true).row_values(mask).Test();
    Tester().channels(channels).batch_size(3).with_lse(true).row_values(mask)
        .flags(isa() | TWOPASS_FLAG_MASKED_ROWS_ZERO).Test();
  }
}

TEST_P(X16OperatorTest, wide_rows) {
  // Products beyond the two-pass kernels' range take the three-pass fallback
  // (or, where its max would need a shift, the double path).
  const float big = datatype() == Datatype::kF16 ? 60000.0f : 1e30f;
  Tester().channels(1000).batch_size(2).input_range(-big, big).with_lse(true).Test();
  Tester().channels(1000).batch_size(2).beta(100.0f).input_range(-60000.0f, 60000.0f)
      .with_lse(true).Test();
  Tester().channels(3 * TWOPASS_CHUNK_ELEMENTS + 5).batch_size(2).threads(4)
      .beta(-50.0f).input_range(-60000.0f, 60000.0f).check_threads(true).with_lse(true).Test();
  // A peak far above the rest.
  Tester().channels(300).batch_size(2).beta(30.0f)
      .row_values([](size_t, float* x) { x[5] = 60000.0f; }).Test();
}

TEST_P(X16OperatorTest, confident_rows) {
  // One logit 0.5..40 above a tail in [-2, 0] (top probabilities from about
  // 1/2 to 1 - 1e-14), and peaked rows (a tail d = 12..17 below the peak):
  // log-softmax of the top class to a relative accuracy, and the lse.
  for (size_t channels : {size_t(1), size_t(3), size_t(1000), size_t(6625),
                          size_t(TWOPASS_CHUNK_ELEMENTS + 700)}) {
    for (float beta : {1.0f, 0.7f}) {
      const auto confident = [channels, beta](size_t r, float* x) {
        static const float gaps[] = {0.5f, 5.0f, 10.0f, 15.0f, 20.0f, 25.0f, 30.0f, 40.0f};
        for (size_t i = 0; i < channels; i++) {
          x[i] = -2.0f * static_cast<float>((i * 7919 + r * 104729) % 1000) / 1000.0f / beta;
        }
        x[(r * 2654435761u) % channels] = gaps[r % 8] / beta;
      };
      Tester().channels(channels).batch_size(8).beta(beta).threads(2).check_threads(true)
          .row_values(confident).with_lse(true).Test();
      // Tops of 0 and -0 (equal values, different bits), in either order.
      const auto zeros = [channels](size_t r, float* x) {
        for (size_t i = 0; i < channels; i++) x[i] = -20.0f;
        x[r % 2 == 0 ? 0 : channels - 1] = -0.0f;
        if (channels > 1) x[r % 2 == 0 ? channels - 1 : 0] = 0.0f;
      };
      Tester().channels(channels).batch_size(2).beta(beta).row_values(zeros).with_lse(true)
          .Test();
      // Denormal tops, which the kernels flush to 0, with no zero in the row, over a
      // tail in range (two-pass) or of -1e4 (f16) / -1e9 (bf16): the 16-bit
      // fallback, whose max is then 0 while no element's bits are.
      for (float tail : {-20.0f, datatype() == Datatype::kF16 ? -60000.0f : -1e9f}) {
        const float denormal = datatype() == Datatype::kF16 ? 3e-6f : 1e-39f;
        const auto denormal_top = [channels, tail, denormal](size_t r, float* x) {
          for (size_t i = 0; i < channels; i++) x[i] = tail;
          x[(r * 7) % channels] = denormal;
          if (r % 2 == 1) x[(r * 7 + 1) % channels] = -denormal;
        };
        Tester().channels(channels).batch_size(2).beta(beta).row_values(denormal_top)
            .with_lse(true).Test();
      }
      // f16 denormals keep their values (they widen to normal floats): a row
      // of distinct denormals whose products matter (found by the fuzzer).
      if (datatype() == Datatype::kF16) {
        const auto denormals = [channels](size_t r, float* x) {
          for (size_t i = 0; i < channels; i++) {
            x[i] = static_cast<float>(static_cast<int>((i * 37 + r * 11) % 25) - 12) * 0x1p-24f;
          }
        };
        Tester().channels(channels).batch_size(2).beta(3822605.25f * beta).row_values(denormals)
            .with_lse(true).Test();
      }
      for (float d : {12.0f, 13.6912f, 17.0f}) {
        const auto peaked = [channels, beta, d](size_t r, float* x) {
          for (size_t i = 0; i < channels; i++) x[i] = -d / beta;
          x[r % 3 == 0 ? 0 : r % 3 == 1 ? channels / 2 : channels - 1] = 0.0f;
        };
        Tester().channels(channels).batch_size(3).beta(beta).row_values(peaked).with_lse(true)
            .Test();
      }
    }
  }
}

// Rows beyond the two-pass kernels' range on the 16-bit three-pass kernels:
// masked rows of the type's lowest finite value (finfo.min) or of -1e9,
// logits beyond 1e6, f16 with beta = 100; each with and without
// TWOPASS_FLAG_MASKED_ROWS_ZERO, with lse, on 1 chunk and on several chunks
// split over threads (bitwise the same for 0, 1, 2 and 4 threads).
TEST_P(X16OperatorTest, three_pass_fallback_rows) {
  const bool bf16 = datatype() == Datatype::kBF16;
  const float lowest = bf16 ? -0x1.FEp127f : -65504.0f;  // finfo(T).min
  const auto all = [](float value) {
    return [value](size_t, float* x, size_t n) { for (size_t i = 0; i < n; i++) x[i] = value; };
  };
  struct Case {
    const char* name;
    float beta;
    float min, max;  // random values in [min, max]
    std::function<void(size_t, float*, size_t)> fill;
  };
  const std::vector<Case> cases = {
      {"all finfo.min", 1.0f, -10.0f, 10.0f, all(lowest)},
      {"all -1e9 (f16: -inf)", 1.0f, -10.0f, 10.0f, all(-1e9f)},
      // Half the row masked with finfo.min, the rest ordinary logits.
      {"half finfo.min", 1.0f, -10.0f, 10.0f,
       [lowest](size_t, float* x, size_t n) { for (size_t i = 0; i < n; i += 2) x[i] = lowest; }},
      // Logits near +-2e6 with a spread (f16: +-60000 with beta 100).
      {"beyond 1e6", bf16 ? 1.0f : 100.0f, bf16 ? 1.9e6f : 59000.0f, bf16 ? 2.1e6f : 61000.0f,
       nullptr},
      {"beyond -1e6", bf16 ? 1.0f : 100.0f, bf16 ? -2.1e6f : -61000.0f,
       bf16 ? -1.9e6f : -59000.0f, nullptr},
      {"beta 100", 100.0f, bf16 ? -70000.0f : -65504.0f, bf16 ? 70000.0f : 65504.0f, nullptr},
      {"beta -100", -100.0f, -65504.0f, 65504.0f, nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    for (size_t channels : {size_t(1), size_t(37), size_t(1000),
                            size_t(2 * TWOPASS_CHUNK_ELEMENTS + 129)}) {
      const size_t batch = channels > TWOPASS_CHUNK_ELEMENTS ? 1 : 3;
      for (uint32_t masked : {0u, TWOPASS_FLAG_MASKED_ROWS_ZERO}) {
        auto tester = Tester().flags(isa() | masked).channels(channels).batch_size(batch)
            .beta(c.beta).input_range(c.min, c.max).with_lse(true).threads(2)
            .check_threads(true);
        if (c.fill) {
          const auto fill = c.fill;
          tester.row_values([fill, channels](size_t r, float* x) {
            if (r != 1) fill(r, x, channels);  // row 1 (where there is one): random
          });
        }
        tester.Test();
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
}

// A row whose largest product is not within 1/4 of a float, which float rows
// shift by m first: 16-bit rows take the double path instead.
TEST_P(X16OperatorTest, shift_needing_rows) {
  const bool bf16 = datatype() == Datatype::kBF16;
  const float beta = bf16 ? 0.1f : 100.1f;
  const float center = bf16 ? -3e38f : -60000.0f;
  for (size_t channels : {size_t(5), size_t(1000), size_t(TWOPASS_CHUNK_ELEMENTS + 3)}) {
    Tester().channels(channels).batch_size(2).beta(beta).threads(2).check_threads(true)
        .input_range(center * 1.01f, center * 0.99f).with_lse(true).Test();
  }
}

INSTANTIATE_TEST_SUITE_P(
    DatatypeIsaKind, X16OperatorTest,
    ::testing::Combine(::testing::Values(Datatype::kBF16, Datatype::kF16),
                       ::testing::Values(TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2,
                                         TWOPASS_FLAG_ISA_AVX512F),
                       ::testing::Bool()),
    [](const ::testing::TestParamInfo<X16Param>& info) {
      return std::string(DatatypeName(std::get<0>(info.param))) + "_" +
             testlib::IsaName(std::get<1>(info.param)) +
             (std::get<2>(info.param) ? "_log_softmax" : "_softmax");
    });

// ---- Statuses and info (the best ISA) ----------------------------------------------------

class X16OperatorApiTest : public ::testing::TestWithParam<std::tuple<Datatype, bool>> {
 protected:
  X16Api api() const { return X16ApiOf(std::get<0>(GetParam()), std::get<1>(GetParam())); }
  Datatype datatype() const { return std::get<0>(GetParam()); }
};

TEST_P(X16OperatorApiTest, three_pass_is_unsupported) {
  twopass_operator_t op = nullptr;
  EXPECT_EQ(xnn_status_unsupported_parameter, api().create(1.0f, TWOPASS_FLAG_THREE_PASS, &op));
  EXPECT_EQ(nullptr, op);
  EXPECT_EQ(xnn_status_invalid_parameter, api().create(kNaN, 0, &op));
  EXPECT_EQ(xnn_status_invalid_parameter, api().create(1.0f, 0x80000000u, &op));
  ASSERT_EQ(xnn_status_success, api().create(1.0f, TWOPASS_FLAG_TWO_PASS, &op));
  ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));
}

TEST_P(X16OperatorApiTest, other_datatype_or_kind_is_invalid) {
  twopass_operator_t op = nullptr;
  ASSERT_EQ(xnn_status_success, api().create(1.0f, 0, &op));
  EXPECT_EQ(xnn_status_invalid_parameter, twopass_reshape_softmax_nc_f32(op, 8, 8, 8, 2, nullptr));
  EXPECT_EQ(xnn_status_invalid_parameter,
            twopass_reshape_log_softmax_nc_f32(op, 8, 8, 8, 2, nullptr));
  const X16Api other = X16ApiOf(datatype() == Datatype::kBF16 ? Datatype::kF16 : Datatype::kBF16,
                                std::get<1>(GetParam()));
  EXPECT_EQ(xnn_status_invalid_parameter, other.reshape(op, 8, 8, 8, 2, nullptr));
  ASSERT_EQ(xnn_status_success, api().reshape(op, 8, 8, 8, 2, nullptr));
  std::vector<uint16_t> x(16, 0), y(16, 0);
  std::vector<float> f(16, 0.0f);
  EXPECT_EQ(xnn_status_invalid_parameter, other.setup(op, x.data(), y.data()));
  EXPECT_EQ(xnn_status_invalid_parameter, twopass_setup_softmax_nc_f32(op, f.data(), f.data()));
  EXPECT_EQ(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
  // Overlaps, in 16-bit elements: y one element into x, lse inside y.
  EXPECT_EQ(xnn_status_invalid_parameter, api().setup(op, x.data(), x.data() + 1));
  float* lse_in_y = reinterpret_cast<float*>(y.data() + 14);
  EXPECT_EQ(xnn_status_invalid_parameter, api().setup_with_lse(op, x.data(), y.data(), lse_in_y));
  ASSERT_EQ(xnn_status_success, api().setup(op, x.data(), x.data()));  // in place
  ASSERT_EQ(xnn_status_success, twopass_run_operator(op, nullptr));
  ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));
}

TEST_P(X16OperatorApiTest, operator_info_names_the_16_bit_kernels) {
  const std::string prefix = std::string("twopass_") + DatatypeName(datatype()) + "_";
  for (uint32_t isa : {TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2, TWOPASS_FLAG_ISA_AVX512F}) {
    if (!testlib::HostHasIsa(isa)) continue;
    twopass_operator_t op = nullptr;
    ASSERT_EQ(xnn_status_success, api().create(0.5f, isa, &op));
    ASSERT_EQ(xnn_status_success, api().reshape(op, 100, 100, 100, 1, nullptr));
    twopass_operator_info info;
    ASSERT_EQ(xnn_status_success, twopass_get_operator_info(op, &info));
    EXPECT_EQ(twopass_algorithm_two_pass, info.algorithm);
    EXPECT_STREQ(testlib::IsaName(isa), info.isa);
    for (size_t pass = 0; pass < 2; pass++) {
      ASSERT_NE(nullptr, info.ukernels[pass]);
      EXPECT_EQ(0u, std::string(info.ukernels[pass]).rfind(prefix, 0)) << info.ukernels[pass];
      EXPECT_NE(nullptr, std::strstr(info.ukernels[pass], testlib::IsaName(isa)));
    }
    EXPECT_EQ(nullptr, info.ukernels[2]);
    ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));
  }
}

INSTANTIATE_TEST_SUITE_P(
    DatatypeKind, X16OperatorApiTest,
    ::testing::Combine(::testing::Values(Datatype::kBF16, Datatype::kF16), ::testing::Bool()),
    [](const ::testing::TestParamInfo<std::tuple<Datatype, bool>>& info) {
      return std::string(DatatypeName(std::get<0>(info.param))) +
             (std::get<1>(info.param) ? "_log_softmax" : "_softmax");
    });

}  // namespace
}  // namespace test
}  // namespace twopass
