// Pointer alignment and the non-temporal store rule, for every datatype and
// kind: a row pointer that is not a multiple of its element size (or an lse
// pointer not a multiple of 4) is invalid_parameter at setup, on every path
// (the non-temporal kernels included, which could never bring such an output
// to a streaming boundary); and reshape streams the output exactly when the
// batch's output bytes reach half the last-level cache.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <twopass.h>

#include "testing/gtest-isa.h"
#include "testing/gtest-status.h"
#include "testing/x16.h"

namespace twopass {
namespace {

using testlib::Datatype;
using testlib::X16Api;

// The entry points of one datatype and kind, with void rows.
struct Api {
  Datatype datatype;
  bool log_softmax;
  size_t element_size;
  X16Api calls;
};

X16Api F32Api(bool log_softmax) {
  if (log_softmax) {
    return X16Api{
        twopass_create_log_softmax_nc_f32, twopass_reshape_log_softmax_nc_f32,
        [](twopass_operator_t op, const void* x, void* y) {
          return twopass_setup_log_softmax_nc_f32(op, static_cast<const float*>(x),
                                                  static_cast<float*>(y));
        },
        [](twopass_operator_t op, const void* x, void* y, float* lse) {
          return twopass_setup_log_softmax_nc_f32_with_lse(op, static_cast<const float*>(x),
                                                           static_cast<float*>(y), lse);
        }};
  }
  return X16Api{twopass_create_softmax_nc_f32, twopass_reshape_softmax_nc_f32,
                [](twopass_operator_t op, const void* x, void* y) {
                  return twopass_setup_softmax_nc_f32(op, static_cast<const float*>(x),
                                                      static_cast<float*>(y));
                },
                [](twopass_operator_t op, const void* x, void* y, float* lse) {
                  return twopass_setup_softmax_nc_f32_with_lse(
                      op, static_cast<const float*>(x), static_cast<float*>(y), lse);
                }};
}

Api ApiOf(Datatype datatype, bool log_softmax) {
  if (datatype == Datatype::kF32) {
    return Api{datatype, log_softmax, sizeof(float), F32Api(log_softmax)};
  }
  return Api{datatype, log_softmax, sizeof(uint16_t), testlib::X16ApiOf(datatype, log_softmax)};
}

struct Case {
  Datatype datatype;
  bool log_softmax;
  uint32_t isa;
};

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return std::string(testlib::DatatypeName(info.param.datatype)) +
         (info.param.log_softmax ? "_log_softmax_" : "_softmax_") +
         testlib::IsaName(info.param.isa);
}

class SoftmaxOperatorAlignmentTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    const std::string missing = testlib::MissingIsa(GetParam().isa);
    if (!missing.empty()) GTEST_SKIP() << missing;
    api_ = ApiOf(GetParam().datatype, GetParam().log_softmax);
    // Two-pass: the algorithm that streams its output.
    ASSERT_STATUS(xnn_status_success,
                  api_.calls.create(1.0f, GetParam().isa | TWOPASS_FLAG_TWO_PASS, &op_));
  }
  void TearDown() override {
    if (op_ != nullptr) EXPECT_STATUS(xnn_status_success, twopass_delete_operator(op_));
  }

  // Whether reshape to `batch` rows of `channels` chose a non-temporal kernel.
  bool Streams(size_t channels, size_t batch) {
    EXPECT_STATUS(xnn_status_success,
                  api_.calls.reshape(op_, channels, channels, channels, batch, nullptr));
    twopass_operator_info info;
    EXPECT_STATUS(xnn_status_success, twopass_get_operator_info(op_, &info));
    for (const char* name : info.ukernels) {
      if (name != nullptr && std::strstr(name, "_nt_") != nullptr) return true;
    }
    return false;
  }

  size_t LastLevelCacheBytes() {
    EXPECT_STATUS(xnn_status_success, api_.calls.reshape(op_, 1, 1, 1, 1, nullptr));
    twopass_operator_info info;
    EXPECT_STATUS(xnn_status_success, twopass_get_operator_info(op_, &info));
    return info.llc_bytes;
  }

  // Every misaligned input, output and lse pointer is refused, and leaves
  // nothing to run. The pointers are never dereferenced (setup fails), so
  // they may lie beyond `base`'s allocation only in address arithmetic.
  void ExpectMisalignedRefused(uintptr_t base, size_t span_bytes) {
    const uintptr_t x = base;
    const uintptr_t y = base + span_bytes + 4096;
    const uintptr_t lse = y + span_bytes + 4096;
    auto ptr = [](uintptr_t p) { return reinterpret_cast<void*>(p); };
    const size_t size = api_.element_size;
    for (size_t off = 1; off < size; off++) {
      EXPECT_EQ(xnn_status_invalid_parameter,
                  api_.calls.setup(op_, ptr(x + off), ptr(y)))
          << "input +" << off << " bytes";
      EXPECT_EQ(xnn_status_invalid_parameter,
                  api_.calls.setup(op_, ptr(x), ptr(y + off)))
          << "output +" << off << " bytes";
      EXPECT_EQ(xnn_status_invalid_parameter,
                  api_.calls.setup_with_lse(op_, ptr(x), ptr(y + off),
                                              static_cast<float*>(ptr(lse))))
          << "output +" << off << " bytes, with lse";
      EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op_, nullptr));
    }
    for (size_t off = 1; off < sizeof(float); off++) {
      EXPECT_EQ(xnn_status_invalid_parameter,
                  api_.calls.setup_with_lse(op_, ptr(x), ptr(y),
                                              static_cast<float*>(ptr(lse + off))))
          << "lse +" << off << " bytes";
      EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op_, nullptr));
    }
  }

  Api api_;
  twopass_operator_t op_ = nullptr;
};

TEST_P(SoftmaxOperatorAlignmentTest, misaligned_pointers_small_rows) {
  const size_t channels = 100, batch = 3;
  ASSERT_STATUS(xnn_status_success,
                api_.calls.reshape(op_, channels, channels, channels, batch, nullptr));
  const size_t bytes = channels * batch * api_.element_size;
  std::vector<uint8_t> x(bytes + 16, 0), y(bytes + 16, 0x5A);
  std::vector<float> lse(batch + 2, 7.0f);
  const size_t size = api_.element_size;
  for (size_t off = 1; off < size; off++) {
    EXPECT_STATUS(xnn_status_invalid_parameter,
                  api_.calls.setup(op_, x.data() + off, y.data() + size));
    EXPECT_STATUS(xnn_status_invalid_parameter,
                  api_.calls.setup(op_, x.data() + size, y.data() + off));
    EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op_, nullptr));
  }
  for (size_t off = 1; off < sizeof(float); off++) {
    float* misaligned = reinterpret_cast<float*>(reinterpret_cast<uint8_t*>(lse.data()) + off);
    EXPECT_STATUS(xnn_status_invalid_parameter,
                  api_.calls.setup_with_lse(op_, x.data(), y.data(), misaligned));
    EXPECT_STATUS(xnn_status_invalid_state, twopass_run_operator(op_, nullptr));
  }
  for (uint8_t b : y) EXPECT_EQ(0x5A, b);
  for (float v : lse) EXPECT_EQ(7.0f, v);
  // Aligned to the element but to nothing larger: fine.
  ASSERT_STATUS(xnn_status_success,
                api_.calls.setup_with_lse(op_, x.data() + size, y.data() + size, lse.data() + 1));
  ASSERT_STATUS(xnn_status_success, twopass_run_operator(op_, nullptr));
}

TEST_P(SoftmaxOperatorAlignmentTest, misaligned_pointers_nontemporal_rows) {
  // A batch whose output is half the last-level cache takes the streaming
  // kernel (on ISAs that have one); its misaligned pointers are refused too.
  const size_t channels = 3 * TWOPASS_CHUNK_ELEMENTS + 5;
  const size_t row_bytes = channels * api_.element_size;
  const size_t half = LastLevelCacheBytes() - LastLevelCacheBytes() / 2;
  const size_t batch = (half + row_bytes - 1) / row_bytes;
  const bool can_stream = GetParam().isa != TWOPASS_FLAG_ISA_SCALAR && !GetParam().log_softmax;
  EXPECT_EQ(can_stream, Streams(channels, batch)) << batch << " x " << row_bytes << " bytes";
  std::vector<uint8_t> base(64);
  ExpectMisalignedRefused(reinterpret_cast<uintptr_t>(base.data()), batch * row_bytes);
}

TEST_P(SoftmaxOperatorAlignmentTest, nontemporal_from_half_the_last_level_cache) {
  // Output bytes (not rows) decide: just over a quarter of the LLC does not
  // stream, just under half does not, half does. Only two-pass softmax on
  // AVX2 and AVX-512F has streaming kernels: the others never stream.
  const bool can_stream = GetParam().isa != TWOPASS_FLAG_ISA_SCALAR && !GetParam().log_softmax;
  const size_t llc = LastLevelCacheBytes();
  const size_t size = api_.element_size;
  const size_t half = llc - llc / 2;
  const size_t quarter_row = (llc / 4) / size + 1;  // a row just over a quarter
  EXPECT_FALSE(Streams(quarter_row, 1)) << quarter_row << " elements, LLC " << llc;
  EXPECT_EQ(can_stream, Streams(quarter_row, 2)) << "2 x " << quarter_row << ", LLC " << llc;
  const size_t below_half = (half - 1) / size;
  EXPECT_FALSE(Streams(below_half, 1)) << below_half << " elements, LLC " << llc;
  EXPECT_EQ(can_stream, Streams((half + size - 1) / size, 1)) << "LLC " << llc;
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (Datatype datatype : {Datatype::kF32, Datatype::kBF16, Datatype::kF16}) {
    for (bool log_softmax : {false, true}) {
      for (uint32_t isa :
           {TWOPASS_FLAG_ISA_AVX512F, TWOPASS_FLAG_ISA_AVX2, TWOPASS_FLAG_ISA_SCALAR}) {
        cases.push_back(Case{datatype, log_softmax, isa});
      }
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(All, SoftmaxOperatorAlignmentTest, ::testing::ValuesIn(AllCases()),
                         CaseName);

}  // namespace
}  // namespace twopass
