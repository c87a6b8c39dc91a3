// The system XNNPACK softmax (xnn_create_softmax_nc_f32, Debian's 2022
// build) as a second oracle for beta = 1: twopass and XNNPACK must agree
// within the sum of their error bounds, on every ISA and algorithm, with
// strides, batches and threads.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pthreadpool.h>
#include <xnnpack.h>

#include "softmax-operator-tester.h"

namespace twopass {
namespace optest {
namespace {

// twopass is within 1e-5 * ref of the exact result (its contract). XNNPACK's
// three-pass reloading kernel sums the exponentials in float: its error grows
// with the row (measured against long double here: ~1e-6 at 1,000 elements,
// 2.0e-5 at 100,000). The tolerance is the sum of the two. Outputs below
// ~1e-37 may be flushed by either.
inline double RelativeTolerance(size_t channels) {
  return 2e-5 + 4e-10 * static_cast<double>(channels);
}
constexpr double kAbsoluteTolerance = 1e-37;

struct XnnpackCase {
  size_t channels;
  size_t input_stride;
  size_t output_stride;
  size_t batch;
  size_t threads;
  float min;
  float max;
};

class SoftmaxOperatorXnnpackTest : public ::testing::TestWithParam<IsaAlgorithm> {
 protected:
  static void SetUpTestSuite() { ASSERT_EQ(xnn_status_success, xnn_initialize(nullptr)); }

  void SetUp() override { TEST_REQUIRES_TWOPASS_ISA(GetParam().isa_flag); }

  void Compare(const XnnpackCase& c, uint32_t seed) {
    SCOPED_TRACE("channels=" + std::to_string(c.channels) + " input_stride=" +
                 std::to_string(c.input_stride) + " output_stride=" + std::to_string(c.output_stride) +
                 " batch=" + std::to_string(c.batch) + " threads=" + std::to_string(c.threads) +
                 " input in [" + std::to_string(c.min) + ", " + std::to_string(c.max) + "]");
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(c.min, c.max);
    // XNNPACK may read up to XNN_EXTRA_BYTES past its input.
    std::vector<float> x((c.batch - 1) * c.input_stride + c.channels + XNN_EXTRA_BYTES / sizeof(float));
    std::generate(x.begin(), x.end(), [&]() { return dist(rng); });
    const size_t output_elements = (c.batch - 1) * c.output_stride + c.channels;
    std::vector<float> y_xnnpack(output_elements, 0.0f), y_twopass(output_elements, 0.0f);
    pthreadpool_t pool = SharedPool(c.threads);

    xnn_operator_t xnn_op = nullptr;
    ASSERT_EQ(xnn_status_success,
              xnn_create_softmax_nc_f32(c.channels, c.input_stride, c.output_stride, 0, &xnn_op));
    ASSERT_EQ(xnn_status_success,
              xnn_setup_softmax_nc_f32(xnn_op, c.batch, x.data(), y_xnnpack.data(), pool));
    ASSERT_EQ(xnn_status_success, xnn_run_operator(xnn_op, pool));
    Quiesce(pool);
    ASSERT_EQ(xnn_status_success, xnn_delete_operator(xnn_op));

    twopass_operator_t op = nullptr;
    ASSERT_EQ(xnn_status_success, twopass_create_softmax_nc_f32(1.0f, GetParam().flags(), &op));
    ASSERT_EQ(xnn_status_success, twopass_reshape_softmax_nc_f32(op, c.channels, c.input_stride,
                                                                 c.output_stride, c.batch, pool));
    ASSERT_EQ(xnn_status_success, twopass_setup_softmax_nc_f32(op, x.data(), y_twopass.data()));
    ASSERT_EQ(xnn_status_success, RunOperator(op, pool));
    ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));

    size_t failures = 0;
    double worst = 0.0;
    for (size_t r = 0; r < c.batch; r++) {
      for (size_t i = 0; i < c.channels; i++) {
        const double a = y_twopass[r * c.output_stride + i];
        const double b = y_xnnpack[r * c.output_stride + i];
        const double tolerance = RelativeTolerance(c.channels) * std::max(a, b) + kAbsoluteTolerance;
        const double error = std::fabs(a - b);
        if (std::max(a, b) > 1e-30) worst = std::max(worst, error / std::max(a, b));
        if (!(error <= tolerance) && failures++ < 5) {
          // Which one is off: the long-double reference of the element.
          const RowReference ref(1.0f, x.data() + r * c.input_stride, c.channels, false);
          const long double exact = ref.Softmax(i);
          ADD_FAILURE() << "row " << r << ", element " << i << " (x = "
                        << x[r * c.input_stride + i] << "): twopass " << Describe(a)
                        << ", XNNPACK " << Describe(b) << ", |difference| " << error
                        << " > " << tolerance << "; long-double reference " << Describe(exact)
                        << ": relative error of twopass " << Describe((a - exact) / exact)
                        << ", of XNNPACK " << Describe((b - exact) / exact);
        }
      }
      // Padding between output rows is left alone by both.
      for (size_t i = c.channels; r + 1 < c.batch && i < c.output_stride; i++) {
        ASSERT_EQ(0.0f, y_twopass[r * c.output_stride + i]) << "twopass wrote the padding";
      }
    }
    if (std::getenv("TWOPASS_TEST_PRINT_ERRORS") != nullptr) {
      std::printf("[xnnpack] channels=%zu batch=%zu: largest relative difference %.3g\n",
                  c.channels, c.batch, worst);
    }
  }
};

TEST_P(SoftmaxOperatorXnnpackTest, channels) {
  uint32_t seed = 1;
  for (size_t channels : {size_t(1), size_t(2), size_t(7), size_t(16), size_t(17), size_t(100),
                          size_t(145), size_t(1000), size_t(1001), size_t(4096)}) {
    Compare({channels, channels, channels, 3, 1, -10.0f, 10.0f}, seed++);
  }
}

TEST_P(SoftmaxOperatorXnnpackTest, long_rows) {
  uint32_t seed = 100;
  Compare({TWOPASS_CHUNK_ELEMENTS + 1, TWOPASS_CHUNK_ELEMENTS + 1, TWOPASS_CHUNK_ELEMENTS + 1, 3, 4,
           -10.0f, 10.0f}, seed++);
  Compare({100000, 100000, 100000, 1, 2, -10.0f, 10.0f}, seed++);
}

TEST_P(SoftmaxOperatorXnnpackTest, strides) {
  Compare({100, 117, 100, 5, 2, -10.0f, 10.0f}, 7);
  Compare({100, 100, 129, 5, 2, -10.0f, 10.0f}, 8);
  Compare({333, 350, 340, 7, 4, -10.0f, 10.0f}, 9);
}

TEST_P(SoftmaxOperatorXnnpackTest, batches_and_threads) {
  uint32_t seed = 200;
  for (size_t threads : {size_t(0), size_t(1), size_t(2), size_t(4)}) {
    for (size_t batch : {size_t(1), size_t(2), size_t(5), size_t(64)}) {
      Compare({257, 257, 257, batch, threads, -10.0f, 10.0f}, seed++);
    }
  }
}

TEST_P(SoftmaxOperatorXnnpackTest, input_ranges) {
  const std::pair<float, float> ranges[] = {
      {-1.0f, 1.0f}, {-50.0f, 50.0f}, {-200.0f, 200.0f}, {1000.0f, 1020.0f}, {-1e4f, -1e4f + 30.0f},
  };
  uint32_t seed = 300;
  for (const auto& range : ranges) {
    Compare({500, 500, 500, 3, 1, range.first, range.second}, seed++);
  }
}

INSTANTIATE_TEST_SUITE_P(IsaAlgorithm, SoftmaxOperatorXnnpackTest,
                         ::testing::ValuesIn(AllIsaAlgorithms()), IsaAlgorithmName);

TEST(SoftmaxOperatorXnnpackDefault, channels) {
  // twopass's own choice of ISA and algorithm against XNNPACK.
  ASSERT_EQ(xnn_status_success, xnn_initialize(nullptr));
  for (size_t channels : {size_t(10), size_t(1000), size_t(50000)}) {
    std::vector<float> x(2 * channels + XNN_EXTRA_BYTES / sizeof(float));
    for (size_t i = 0; i < x.size(); i++) x[i] = 6.0f * std::sin(0.1f * static_cast<float>(i * i % 1013));
    std::vector<float> a(2 * channels), b(2 * channels);
    xnn_operator_t xnn_op = nullptr;
    ASSERT_EQ(xnn_status_success, xnn_create_softmax_nc_f32(channels, channels, channels, 0, &xnn_op));
    ASSERT_EQ(xnn_status_success, xnn_setup_softmax_nc_f32(xnn_op, 2, x.data(), a.data(), SharedPool(2)));
    ASSERT_EQ(xnn_status_success, xnn_run_operator(xnn_op, SharedPool(2)));
    Quiesce(SharedPool(2));
    ASSERT_EQ(xnn_status_success, xnn_delete_operator(xnn_op));
    twopass_operator_t op = nullptr;
    ASSERT_EQ(xnn_status_success, twopass_create_softmax_nc_f32(1.0f, 0, &op));
    ASSERT_EQ(xnn_status_success,
              twopass_reshape_softmax_nc_f32(op, channels, channels, channels, 2, SharedPool(2)));
    ASSERT_EQ(xnn_status_success, twopass_setup_softmax_nc_f32(op, x.data(), b.data()));
    ASSERT_EQ(xnn_status_success, RunOperator(op, SharedPool(2)));
    ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));
    for (size_t i = 0; i < a.size(); i++) {
      const double m = std::max(a[i], b[i]);
      ASSERT_LE(std::fabs(static_cast<double>(a[i]) - b[i]), RelativeTolerance(channels) * m + kAbsoluteTolerance)
          << "channels " << channels << ", element " << i << ": XNNPACK " << a[i] << ", twopass " << b[i];
    }
  }
}

}  // namespace
}  // namespace optest
}  // namespace twopass
