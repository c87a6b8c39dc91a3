// Every status of the softmax and log-softmax operators (include/twopass.h):
// bad input gets a clear status, never a crash or a stray write.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "softmax-operator-tester.h"

namespace twopass {
namespace optest {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr size_t kChunk = TWOPASS_CHUNK_ELEMENTS;

// The row shape given to reshape.
struct Shape {
  size_t channels;
  size_t input_stride;
  size_t output_stride;
};

inline std::ostream& operator<<(std::ostream& out, const Shape& shape) {
  return out << "channels=" << shape.channels << ", input_stride=" << shape.input_stride
             << ", output_stride=" << shape.output_stride;
}

// The calls of one operator kind, so that every test runs on both.
struct Kind {
  bool log_softmax;

  enum xnn_status Create(float beta, uint32_t flags, twopass_operator_t* op) const {
    return log_softmax ? twopass_create_log_softmax_nc_f32(beta, flags, op)
                       : twopass_create_softmax_nc_f32(beta, flags, op);
  }
  enum xnn_status Reshape(twopass_operator_t op, const Shape& shape, size_t batch,
                          pthreadpool_t pool) const {
    return log_softmax
               ? twopass_reshape_log_softmax_nc_f32(op, shape.channels, shape.input_stride,
                                                    shape.output_stride, batch, pool)
               : twopass_reshape_softmax_nc_f32(op, shape.channels, shape.input_stride,
                                                shape.output_stride, batch, pool);
  }
  enum xnn_status Setup(twopass_operator_t op, const float* in, float* out) const {
    return log_softmax ? twopass_setup_log_softmax_nc_f32(op, in, out)
                       : twopass_setup_softmax_nc_f32(op, in, out);
  }
  // The calls of the other kind.
  Kind Other() const { return Kind{!log_softmax}; }
};

class SoftmaxOperatorErrorsTest : public ::testing::TestWithParam<Kind> {
 protected:
  const Kind& kind() const { return GetParam(); }

  // Creating with these arguments fails with `expected` and leaves no operator.
  void ExpectCreateFails(enum xnn_status expected, float beta, uint32_t flags) {
    twopass_operator_t op = nullptr;
    const enum xnn_status status = kind().Create(beta, flags, &op);
    EXPECT_EQ(expected, status) << "create(beta=" << beta << ", flags=0x" << std::hex << flags
                                << ") returned " << StatusName(status) << ", expected "
                                << StatusName(expected);
    if (status == xnn_status_success && op != nullptr) {
      twopass_delete_operator(op);
    }
    if (status != xnn_status_success) {
      EXPECT_EQ(nullptr, op) << "a failed create left an operator";
    }
  }

  // Reshaping a created operator to `shape` returns `expected`; a failed
  // reshape leaves the operator without a plan (no info, no setup, no run).
  void ExpectReshapeFails(enum xnn_status expected, const Shape& shape) {
    twopass_operator_t op = nullptr;
    ASSERT_STATUS(xnn_status_success, kind().Create(1.0f, 0, &op));
    const enum xnn_status status = kind().Reshape(op, shape, 1, nullptr);
    EXPECT_EQ(expected, status) << "reshape(" << shape << ", batch=1) returned "
                                << StatusName(status) << ", expected " << StatusName(expected);
    if (status != xnn_status_success) {
      ExpectNoPlan(op);
    }
    EXPECT_STATUS(xnn_status_success, twopass_delete_operator(op));
  }

  // What an operator without a successful reshape answers.
  void ExpectNoPlan(twopass_operator_t op) const {
    twopass_operator_info info;
    std::vector<float> x(4, 1.0f), y(4, 5.0f);
    EXPECT_STATUS(xnn_status_invalid_state, twopass_get_operator_info(op, &info));
    EXPECT_STATUS(xnn_status_invalid_state, kind().Setup(op, x.data(), y.data()));
    EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
    for (float v : y) EXPECT_EQ(5.0f, v);
  }

  // A created operator for rows of this shape (strides 0: `channels`), deleted
  // at the end of the test; Reshape() below reshapes it to that shape.
  twopass_operator_t Make(size_t channels, size_t input_stride = 0, size_t output_stride = 0,
                          uint32_t flags = 0) {
    shape_ = Shape{channels, input_stride == 0 ? channels : input_stride,
                   output_stride == 0 ? channels : output_stride};
    twopass_operator_t op = nullptr;
    const enum xnn_status status = kind().Create(1.0f, flags, &op);
    EXPECT_EQ(xnn_status_success, status) << StatusName(status);
    if (op != nullptr) ops_.push_back(op);
    return op;
  }

  // Reshapes to the shape of the last Make().
  enum xnn_status Reshape(twopass_operator_t op, size_t batch, pthreadpool_t pool) const {
    return kind().Reshape(op, shape_, batch, pool);
  }

  void TearDown() override {
    for (twopass_operator_t op : ops_) {
      EXPECT_EQ(xnn_status_success, twopass_delete_operator(op));
    }
  }

  std::vector<twopass_operator_t> ops_;
  Shape shape_ = Shape{1, 1, 1};
};

// ---- create: beta and flags ------------------------------------------------------------

TEST_P(SoftmaxOperatorErrorsTest, create_non_finite_beta) {
  for (float beta : {kNaN, kInf, -kInf, -kNaN}) {
    ExpectCreateFails(xnn_status_invalid_parameter, beta, 0);
    ExpectCreateFails(xnn_status_invalid_parameter, beta, TWOPASS_FLAG_TWO_PASS);
  }
}

TEST_P(SoftmaxOperatorErrorsTest, create_null_output_pointer) {
  EXPECT_STATUS(xnn_status_invalid_parameter, kind().Create(1.0f, 0, nullptr));
  // Bad arguments and a NULL out pointer: still a status, no crash.
  EXPECT_STATUS(xnn_status_invalid_parameter, kind().Create(kNaN, 0xFFFFFFFF, nullptr));
}

TEST_P(SoftmaxOperatorErrorsTest, create_unknown_flags) {
  const uint32_t known = TWOPASS_FLAG_TWO_PASS | TWOPASS_FLAG_THREE_PASS |
                         TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_ISA_AVX2 |
                         TWOPASS_FLAG_ISA_AVX512F | TWOPASS_FLAG_MASKED_ROWS_ZERO;
  for (uint32_t bit = 0; bit < 32; bit++) {
    const uint32_t flag = UINT32_C(1) << bit;
    if (flag & known) continue;
    ExpectCreateFails(xnn_status_invalid_parameter, 1.0f, flag);
    ExpectCreateFails(xnn_status_invalid_parameter, 1.0f,
                      flag | TWOPASS_FLAG_TWO_PASS | TWOPASS_FLAG_ISA_SCALAR);
  }
  ExpectCreateFails(xnn_status_invalid_parameter, 1.0f, ~known);
}

TEST_P(SoftmaxOperatorErrorsTest, create_two_algorithm_flags) {
  ExpectCreateFails(xnn_status_invalid_parameter, 1.0f,
                    TWOPASS_FLAG_TWO_PASS | TWOPASS_FLAG_THREE_PASS);
  ExpectCreateFails(xnn_status_invalid_parameter, 1.0f,
                    TWOPASS_FLAG_TWO_PASS | TWOPASS_FLAG_THREE_PASS | TWOPASS_FLAG_ISA_SCALAR);
}

TEST_P(SoftmaxOperatorErrorsTest, create_two_isa_flags) {
  const uint32_t pairs[] = {
      TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_ISA_AVX2,
      TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_ISA_AVX512F,
      TWOPASS_FLAG_ISA_AVX2 | TWOPASS_FLAG_ISA_AVX512F,
      TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_ISA_AVX2 | TWOPASS_FLAG_ISA_AVX512F,
  };
  for (uint32_t flags : pairs) {
    ExpectCreateFails(xnn_status_invalid_parameter, 1.0f, flags);
    ExpectCreateFails(xnn_status_invalid_parameter, 1.0f, flags | TWOPASS_FLAG_TWO_PASS);
  }
}

TEST_P(SoftmaxOperatorErrorsTest, create_valid_arguments) {
  // The boundaries of the checks above succeed.
  for (uint32_t flags : {UINT32_C(0), TWOPASS_FLAG_TWO_PASS, TWOPASS_FLAG_THREE_PASS,
                         TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_THREE_PASS}) {
    ExpectCreateFails(xnn_status_success, 1.0f, flags);
  }
  ExpectCreateFails(xnn_status_success, 0.0f, 0);
  ExpectCreateFails(xnn_status_success, -std::numeric_limits<float>::max(), 0);
  ExpectCreateFails(xnn_status_success, std::numeric_limits<float>::max(), 0);
  ExpectCreateFails(xnn_status_success, std::numeric_limits<float>::denorm_min(), 0);
  ExpectCreateFails(xnn_status_success, -std::numeric_limits<float>::denorm_min(), 0);
}

// ---- reshape: the shape ----------------------------------------------------------------

TEST_P(SoftmaxOperatorErrorsTest, reshape_zero_channels) {
  ExpectReshapeFails(xnn_status_invalid_parameter, Shape{0, 0, 0});
  ExpectReshapeFails(xnn_status_invalid_parameter, Shape{0, 10, 10});
}

TEST_P(SoftmaxOperatorErrorsTest, reshape_input_stride_smaller_than_channels) {
  ExpectReshapeFails(xnn_status_invalid_parameter, Shape{10, 9, 10});
  ExpectReshapeFails(xnn_status_invalid_parameter, Shape{10, 0, 10});
  ExpectReshapeFails(xnn_status_invalid_parameter, Shape{kChunk + 1, kChunk, kChunk + 1});
}

TEST_P(SoftmaxOperatorErrorsTest, reshape_output_stride_smaller_than_channels) {
  ExpectReshapeFails(xnn_status_invalid_parameter, Shape{10, 10, 9});
  ExpectReshapeFails(xnn_status_invalid_parameter, Shape{10, 10, 0});
  ExpectReshapeFails(xnn_status_invalid_parameter, Shape{10, 20, 1});
}

TEST_P(SoftmaxOperatorErrorsTest, reshape_valid_shapes) {
  // The boundaries of the checks above succeed.
  ExpectReshapeFails(xnn_status_success, Shape{1, 1, 1});
  ExpectReshapeFails(xnn_status_success, Shape{10, 11, 12});
  ExpectReshapeFails(xnn_status_success, Shape{10, 10, 10});
}

TEST_P(SoftmaxOperatorErrorsTest, reshape_after_failed_reshape) {
  // A failed reshape drops the plan of the good one before it; a good
  // reshape after it builds a new one, and the operator computes again.
  twopass_operator_t op = Make(10);
  ASSERT_NE(nullptr, op);
  ASSERT_STATUS(xnn_status_success, Reshape(op, 1, nullptr));
  EXPECT_STATUS(xnn_status_invalid_parameter, kind().Reshape(op, Shape{10, 9, 10}, 1, nullptr));
  ExpectNoPlan(op);
  EXPECT_STATUS(xnn_status_invalid_parameter, kind().Reshape(op, Shape{0, 10, 10}, 1, nullptr));
  ExpectNoPlan(op);
  std::vector<float> x(10, 1.0f), y(10, 0.0f);
  ASSERT_STATUS(xnn_status_success, Reshape(op, 1, nullptr));
  twopass_operator_info info;
  EXPECT_STATUS(xnn_status_success, twopass_get_operator_info(op, &info));
  ASSERT_STATUS(xnn_status_success, kind().Setup(op, x.data(), y.data()));
  ASSERT_STATUS(xnn_status_success, twopass_run_operator(op, nullptr));
  EXPECT_FLOAT_EQ(kind().log_softmax ? -std::log(10.0f) : 0.1f, y[7]);
}

// ---- ISA flags: unsupported_hardware exactly when the host lacks the ISA ---------------

class SoftmaxOperatorIsaTest : public ::testing::TestWithParam<uint32_t> {};

TEST_P(SoftmaxOperatorIsaTest, create_with_isa_flag) {
  const uint32_t isa = GetParam();
  const std::string missing = MissingIsa(isa);
  for (bool log_softmax : {false, true}) {
    for (uint32_t algorithm : {UINT32_C(0), TWOPASS_FLAG_TWO_PASS, TWOPASS_FLAG_THREE_PASS}) {
      twopass_operator_t op = nullptr;
      const Kind kind{log_softmax};
      const enum xnn_status status = kind.Create(1.0f, isa | algorithm, &op);
      if (!missing.empty()) {
        EXPECT_EQ(xnn_status_unsupported_hardware, status)
            << "host lacks " << missing << ": " << IsaName(isa) << " must be refused, got "
            << StatusName(status);
        if (status == xnn_status_success) twopass_delete_operator(op);
        continue;
      }
      ASSERT_EQ(xnn_status_success, status) << IsaName(isa) << ": " << StatusName(status);
      ASSERT_STATUS(xnn_status_success, kind.Reshape(op, Shape{64, 64, 64}, 1, nullptr));
      twopass_operator_info info;
      ASSERT_EQ(xnn_status_success, twopass_get_operator_info(op, &info));
      EXPECT_STREQ(IsaName(isa), info.isa);
      EXPECT_EQ(xnn_status_success, twopass_delete_operator(op));
    }
  }
}

TEST_P(SoftmaxOperatorIsaTest, run_with_isa_flag) {
  TEST_REQUIRES_TWOPASS_ISA(GetParam());
  SoftmaxOperatorTester().flags(GetParam()).channels(300).batch_size(4).TestF32();
  SoftmaxOperatorTester().flags(GetParam()).log_softmax(true).channels(300).batch_size(4).TestF32();
}

INSTANTIATE_TEST_SUITE_P(Isa, SoftmaxOperatorIsaTest,
                         ::testing::Values(TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2,
                                           TWOPASS_FLAG_ISA_AVX512F),
                         [](const ::testing::TestParamInfo<uint32_t>& info) {
                           return std::string(IsaName(info.param));
                         });

// ---- reshape -------------------------------------------------------------------------

TEST_P(SoftmaxOperatorErrorsTest, reshape_null_operator) {
  EXPECT_STATUS(xnn_status_invalid_parameter, kind().Reshape(nullptr, Shape{1, 1, 1}, 1, nullptr));
  EXPECT_STATUS(xnn_status_invalid_parameter,
                kind().Reshape(nullptr, Shape{1, 1, 1}, 0, SharedPool(2)));
  // Bad shapes and a NULL operator: still a status, no crash.
  EXPECT_STATUS(xnn_status_invalid_parameter, kind().Reshape(nullptr, Shape{0, 0, 0}, 1, nullptr));
}

TEST_P(SoftmaxOperatorErrorsTest, reshape_other_operator_kind) {
  twopass_operator_t op = Make(10);
  ASSERT_NE(nullptr, op);
  EXPECT_STATUS(xnn_status_invalid_parameter, kind().Other().Reshape(op, shape_, 1, nullptr));
  // The operator still works with its own calls.
  std::vector<float> x(10, 1.0f), y(10, 0.0f);
  ASSERT_STATUS(xnn_status_success, Reshape(op, 1, nullptr));
  ASSERT_STATUS(xnn_status_success, kind().Setup(op, x.data(), y.data()));
  ASSERT_STATUS(xnn_status_success, twopass_run_operator(op, nullptr));
  EXPECT_FLOAT_EQ(kind().log_softmax ? -std::log(10.0f) : 0.1f, y[3]);
}

TEST_P(SoftmaxOperatorErrorsTest, reshape_out_of_memory) {
  // Rows of more than one chunk keep per-chunk results: a workspace that
  // cannot be allocated is out_of_memory, at reshape. (Batches whose rows
  // span more than PTRDIFF_MAX bytes, e.g. SIZE_MAX, are invalid_parameter:
  // softmax-operator-contract.cc.)
  std::vector<size_t> batches;
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // Sizes whose rows fit in the address space but whose workspace malloc
  // refuses (2^49 and 2^45 bytes; sanitizers abort on such requests unless
  // allocator_may_return_null=1).
  batches.push_back(SIZE_MAX >> 20);
  batches.push_back(size_t(1) << 40);
#endif
  for (size_t batch : batches) {
    twopass_operator_t op = Make(kChunk + 1);
    ASSERT_NE(nullptr, op);
    EXPECT_STATUS(xnn_status_out_of_memory, Reshape(op, batch, nullptr));
    // A failed reshape leaves no setup to run.
    EXPECT_STATUS(xnn_status_invalid_state, kind().Setup(op, nullptr, nullptr));
    EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
    // ...and the operator still works after a good reshape.
    std::vector<float> x(kChunk + 1, 2.0f), y(kChunk + 1, 0.0f);
    ASSERT_STATUS(xnn_status_success, Reshape(op, 1, SharedPool(2)));
    ASSERT_STATUS(xnn_status_success, kind().Setup(op, x.data(), y.data()));
    ASSERT_STATUS(xnn_status_success, RunOperator(op, SharedPool(2)));
    const float expected = kind().log_softmax ? -std::log(static_cast<float>(kChunk + 1))
                                              : 1.0f / static_cast<float>(kChunk + 1);
    EXPECT_NEAR(expected, y[kChunk], std::fabs(expected) * 1e-5f);
  }
  // A failed reshape after a successful setup invalidates the old setup
  // (here: rows spanning more than PTRDIFF_MAX bytes).
  twopass_operator_t op = Make(3 * kChunk);
  ASSERT_NE(nullptr, op);
  std::vector<float> x(3 * kChunk, 0.5f), y(3 * kChunk, 7.0f);
  ASSERT_STATUS(xnn_status_success, Reshape(op, 1, nullptr));
  ASSERT_STATUS(xnn_status_success, kind().Setup(op, x.data(), y.data()));
  EXPECT_STATUS(xnn_status_invalid_parameter, Reshape(op, SIZE_MAX / 4, nullptr));
  EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
  for (float v : y) ASSERT_EQ(7.0f, v) << "a failed run wrote the output";
}

// ---- setup ---------------------------------------------------------------------------

TEST_P(SoftmaxOperatorErrorsTest, setup_null_operator) {
  std::vector<float> x(4), y(4);
  EXPECT_STATUS(xnn_status_invalid_parameter, kind().Setup(nullptr, x.data(), y.data()));
}

TEST_P(SoftmaxOperatorErrorsTest, setup_other_operator_kind) {
  twopass_operator_t op = Make(4);
  ASSERT_NE(nullptr, op);
  std::vector<float> x(4, 1.0f), y(4, 5.0f);
  ASSERT_STATUS(xnn_status_success, Reshape(op, 1, nullptr));
  EXPECT_STATUS(xnn_status_invalid_parameter, kind().Other().Setup(op, x.data(), y.data()));
  // A failed setup of the other kind sets nothing up.
  EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
  for (float v : y) EXPECT_EQ(5.0f, v);
}

TEST_P(SoftmaxOperatorErrorsTest, setup_before_reshape) {
  twopass_operator_t op = Make(4);
  ASSERT_NE(nullptr, op);
  std::vector<float> x(4, 1.0f), y(4, 5.0f);
  EXPECT_STATUS(xnn_status_invalid_state, kind().Setup(op, x.data(), y.data()));
  EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
  for (float v : y) EXPECT_EQ(5.0f, v);
}

TEST_P(SoftmaxOperatorErrorsTest, setup_null_input_or_output) {
  twopass_operator_t op = Make(4);
  ASSERT_NE(nullptr, op);
  std::vector<float> x(8, 1.0f), y(8, 5.0f);
  for (size_t batch : {size_t(1), size_t(2)}) {
    ASSERT_STATUS(xnn_status_success, Reshape(op, batch, nullptr));
    EXPECT_STATUS(xnn_status_invalid_parameter, kind().Setup(op, nullptr, y.data()));
    EXPECT_STATUS(xnn_status_invalid_parameter, kind().Setup(op, x.data(), nullptr));
    EXPECT_STATUS(xnn_status_invalid_parameter, kind().Setup(op, nullptr, nullptr));
  }
  for (float v : y) EXPECT_EQ(5.0f, v);
}

TEST_P(SoftmaxOperatorErrorsTest, setup_in_place_with_different_strides) {
  // In place needs each output row to start where its input row does.
  twopass_operator_t op = Make(4, 6, 8);
  ASSERT_NE(nullptr, op);
  std::vector<float> buffer(32, 1.0f);
  ASSERT_STATUS(xnn_status_success, Reshape(op, 3, nullptr));
  EXPECT_STATUS(xnn_status_invalid_parameter, kind().Setup(op, buffer.data(), buffer.data()));
  EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
  for (float v : buffer) EXPECT_EQ(1.0f, v);
}

// ---- batch 0 -------------------------------------------------------------------------

TEST_P(SoftmaxOperatorErrorsTest, batch_zero_touches_nothing) {
  for (size_t channels : {size_t(1), size_t(100), 3 * kChunk + 1}) {
    twopass_operator_t op = Make(channels);
    ASSERT_NE(nullptr, op);
    for (pthreadpool_t pool : {SharedPool(0), SharedPool(4)}) {
      // NULL pointers are fine with no rows.
      ASSERT_STATUS(xnn_status_success, Reshape(op, 0, pool));
      ASSERT_STATUS(xnn_status_success, kind().Setup(op, nullptr, nullptr));
      ASSERT_STATUS(xnn_status_success, RunOperator(op, pool));
      // Real buffers are not touched.
      std::vector<float> x(16, 3.0f), y(16, 5.0f);
      ASSERT_STATUS(xnn_status_success, Reshape(op, 0, pool));
      ASSERT_STATUS(xnn_status_success, kind().Setup(op, x.data(), y.data()));
      ASSERT_STATUS(xnn_status_success, RunOperator(op, pool));
      ASSERT_STATUS(xnn_status_success, twopass_run_operator(op, nullptr));
      for (float v : x) EXPECT_EQ(3.0f, v);
      for (float v : y) EXPECT_EQ(5.0f, v);
    }
  }
}

// ---- run -----------------------------------------------------------------------------

TEST_P(SoftmaxOperatorErrorsTest, run_null_operator) {
  EXPECT_STATUS(xnn_status_invalid_parameter, twopass_run_operator(nullptr, nullptr));
  EXPECT_STATUS(xnn_status_invalid_parameter, twopass_run_operator(nullptr, SharedPool(2)));
}

TEST_P(SoftmaxOperatorErrorsTest, run_before_reshape) {
  twopass_operator_t op = Make(4);
  ASSERT_NE(nullptr, op);
  EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
}

TEST_P(SoftmaxOperatorErrorsTest, run_before_setup) {
  twopass_operator_t op = Make(4);
  ASSERT_NE(nullptr, op);
  ASSERT_STATUS(xnn_status_success, Reshape(op, 2, nullptr));
  EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op, nullptr));
}

TEST_P(SoftmaxOperatorErrorsTest, run_after_second_reshape_without_setup) {
  // Reshape invalidates the pointers given to setup.
  for (size_t channels : {size_t(4), 2 * kChunk}) {
    twopass_operator_t op = Make(channels);
    ASSERT_NE(nullptr, op);
    std::vector<float> x(2 * channels, 1.0f), y(2 * channels, 5.0f);
    ASSERT_STATUS(xnn_status_success, Reshape(op, 2, nullptr));
    ASSERT_STATUS(xnn_status_success, kind().Setup(op, x.data(), y.data()));
    ASSERT_STATUS(xnn_status_success, twopass_run_operator(op, nullptr));
    std::fill(y.begin(), y.end(), 5.0f);
    for (size_t batch : {size_t(2), size_t(1), size_t(0)}) {
      ASSERT_STATUS(xnn_status_success, Reshape(op, batch, SharedPool(2)));
      EXPECT_STATUS(xnn_status_invalid_state, RunOperator(op, SharedPool(2)));
    }
    for (float v : y) ASSERT_EQ(5.0f, v) << "run after reshape without setup wrote the output";
    // A new setup makes it runnable again.
    ASSERT_STATUS(xnn_status_success, Reshape(op, 2, SharedPool(2)));
    ASSERT_STATUS(xnn_status_success, kind().Setup(op, x.data(), y.data()));
    ASSERT_STATUS(xnn_status_success, RunOperator(op, SharedPool(4)));
    EXPECT_NE(5.0f, y[0]);
  }
}

// ---- delete and info -------------------------------------------------------------------

TEST_P(SoftmaxOperatorErrorsTest, delete_null_operator) {
  EXPECT_STATUS(xnn_status_invalid_parameter, twopass_delete_operator(nullptr));
}

TEST_P(SoftmaxOperatorErrorsTest, delete_in_every_state) {
  std::vector<float> x(2 * kChunk, 1.0f), y(2 * kChunk);
  for (int state = 0; state < 4; state++) {
    twopass_operator_t op = nullptr;
    ASSERT_STATUS(xnn_status_success, kind().Create(1.0f, 0, &op));
    if (state >= 1) {
      ASSERT_STATUS(xnn_status_success,
                    kind().Reshape(op, Shape{kChunk + 1, kChunk + 1, kChunk + 1}, 1, nullptr));
    }
    if (state >= 2) ASSERT_STATUS(xnn_status_success, kind().Setup(op, x.data(), y.data()));
    if (state >= 3) ASSERT_STATUS(xnn_status_success, RunOperator(op, SharedPool(2)));
    EXPECT_STATUS(xnn_status_success, twopass_delete_operator(op));
  }
}

TEST_P(SoftmaxOperatorErrorsTest, operator_info_null_arguments) {
  twopass_operator_info info;
  EXPECT_STATUS(xnn_status_invalid_parameter, twopass_get_operator_info(nullptr, &info));
  twopass_operator_t op = Make(4);
  ASSERT_NE(nullptr, op);
  EXPECT_STATUS(xnn_status_invalid_parameter, twopass_get_operator_info(op, nullptr));
  ASSERT_STATUS(xnn_status_success, Reshape(op, 1, nullptr));
  EXPECT_STATUS(xnn_status_invalid_parameter, twopass_get_operator_info(op, nullptr));
}

TEST_P(SoftmaxOperatorErrorsTest, operator_info_before_reshape) {
  // The plan, and so the info, comes from reshape.
  twopass_operator_t op = Make(4);
  ASSERT_NE(nullptr, op);
  twopass_operator_info info;
  EXPECT_STATUS(xnn_status_invalid_state, twopass_get_operator_info(op, &info));
  ASSERT_STATUS(xnn_status_success, Reshape(op, 0, nullptr));
  EXPECT_STATUS(xnn_status_success, twopass_get_operator_info(op, &info));
}

INSTANTIATE_TEST_SUITE_P(Kind, SoftmaxOperatorErrorsTest,
                         ::testing::Values(Kind{false}, Kind{true}),
                         [](const ::testing::TestParamInfo<Kind>& info) {
                           return std::string(info.param.log_softmax ? "log_softmax" : "softmax");
                         });

}  // namespace
}  // namespace optest
}  // namespace twopass
