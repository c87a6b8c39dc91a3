// Log-softmax operator tests of its own: default flags and operator info.
// Every ISA/algorithm case (sizes, strides, beta, special values...) runs for
// both kinds in softmax-operator.cc.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "softmax-operator-tester.h"

namespace twopass {
namespace optest {
namespace {

TEST(LogSoftmaxOperatorDefault, million_elements_batch_2) {
  // Two rows of 31 chunks on four threads: each row's chunks are split over
  // the threads; each row computed alone gives the same bits.
  SoftmaxOperatorTester()
      .log_softmax(true)
      .channels(1000000)
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
    if (!MissingIsa(param.isa_flag).empty()) continue;
    twopass_operator_t op = nullptr;
    ASSERT_EQ(xnn_status_success, twopass_create_log_softmax_nc_f32(1.0f, param.flags(), &op));
    ASSERT_EQ(xnn_status_success,
              twopass_reshape_log_softmax_nc_f32(op, 100, 100, 100, 1, nullptr));
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
