// Page-guard tests of the operators: for every ISA the host has,
// both algorithms and both operator kinds, rows whose buffers end exactly at
// (or start exactly after) a PROT_NONE page, for every row length up to 40,
// the lengths around every kernel tile (remainders of the defaults' tiles:
// 64, 96, 128, 144, 32, ...), and rows of one, two and three chunks (also on
// a 4-thread pool, where few long rows are split into chunk tasks). Layouts:
//   * one row, input and output each ending at a guard page;
//   * three rows with padded strides, the buffers ending at guard pages; the
//     input padding holds NaN (a row that reads it turns NaN) and the output
//     padding a canary that must survive;
//   * two rows starting right after a guard page;
//   * two rows in place, ending at a guard page.
// The input is read-only (mprotect) while the operator runs, except in place.
// Every row is checked against the long-double oracle of the fuzzers.
#include <gtest/gtest.h>
#include <pthreadpool.h>
#include <twopass.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "testing/gtest-isa.h"
#include "testing/page-guard.h"
#include "testing/reference.h"
#include "testing/threadpool.h"

namespace twopass {
namespace guard {
namespace {

using testlib::Kind;
using testlib::kInputGuardBits;

pthreadpool_t Pool4() { return testlib::SharedPool(4); }

std::vector<size_t> ChannelCounts() {
  std::vector<size_t> counts;
  for (size_t n = 1; n <= 40; n++) counts.push_back(n);
  for (size_t tile : {48, 64, 72, 80, 96, 128, 144, 160, 192, 288, 384}) {
    for (size_t n : {tile - 1, tile, tile + 1}) {
      if (n > 40) counts.push_back(n);
    }
  }
  counts.push_back(2 * 192 + 1);
  counts.push_back(1000);
  counts.push_back(4097);
  for (size_t n : {TWOPASS_CHUNK_ELEMENTS - 1, TWOPASS_CHUNK_ELEMENTS, TWOPASS_CHUNK_ELEMENTS + 1,
                   2 * TWOPASS_CHUNK_ELEMENTS + 13}) {
    counts.push_back(n);
  }
  return counts;
}

struct Layout {
  const char* name;
  size_t batch;
  size_t input_padding;
  size_t output_padding;
  Placement placement;
  bool in_place;
  bool pool;
};

const Layout kLayouts[] = {
    {"one row at the guard pages", 1, 0, 0, Placement::end, false, false},
    {"three padded rows at the guard pages", 3, 3, 5, Placement::end, false, false},
    {"two rows after the guard pages", 2, 1, 0, Placement::start, false, false},
    {"two rows in place at a guard page", 2, 2, 2, Placement::end, true, false},
    {"one row on 4 threads at the guard pages", 1, 0, 0, Placement::end, false, true},
    {"two padded rows on 4 threads", 2, 7, 1, Placement::end, false, true},
};

using Param = std::tuple<uint32_t /* ISA flag */, uint32_t /* algorithm flag */, Kind>;

class PageGuardOperator : public ::testing::TestWithParam<Param> {};

TEST_P(PageGuardOperator, rows_at_guard_pages) {
  const uint32_t isa = std::get<0>(GetParam());
  const uint32_t algorithm = std::get<1>(GetParam());
  const Kind kind = std::get<2>(GetParam());
  TEST_REQUIRES_TWOPASS_ISA(isa);
  const float beta = 0.75f;

  for (size_t channels : ChannelCounts()) {
    for (const Layout& layout : kLayouts) {
      // Long rows are costly: one row, on NULL and on 4 threads (chunk tasks).
      if (channels > 5000 && layout.batch > 1) continue;
      SCOPED_TRACE(testing::Message() << "channels = " << channels << ", " << layout.name);
      const size_t input_stride = channels + layout.input_padding;
      const size_t output_stride =
          layout.in_place ? input_stride : channels + layout.output_padding;
      const size_t batch = layout.batch;
      const size_t in_size = (batch - 1) * input_stride + channels;
      const size_t out_size = (batch - 1) * output_stride + channels;
      GuardedPages input_pages(in_size);
      GuardedPages output_pages(layout.in_place ? 1 : out_size);
      float* x = Place(input_pages, layout.placement, in_size);
      std::vector<float> values(batch * channels);
      uint32_t state = static_cast<uint32_t>(channels * 7 + batch);
      for (float& v : values) {
        state = state * 1664525u + 1013904223u;
        v = static_cast<float>(static_cast<int32_t>(state >> 8) % 20000) * 1e-3f;
      }
      for (size_t i = 0; i < in_size; i++) x[i] = BitsFloat(kInputGuardBits);
      for (size_t r = 0; r < batch; r++) {
        std::copy(values.begin() + r * channels, values.begin() + (r + 1) * channels,
                  x + r * input_stride);
      }
      float* y = x;
      if (!layout.in_place) {
        y = Place(output_pages, layout.placement, out_size);
        for (size_t i = 0; i < out_size; i++) y[i] = BitsFloat(kCanaryBits);
      }

      twopass_operator_t op = nullptr;
      const uint32_t flags = isa | algorithm;
      pthreadpool_t pool = layout.pool ? Pool4() : nullptr;
      if (kind == Kind::softmax) {
        ASSERT_EQ(xnn_status_success, twopass_create_softmax_nc_f32(beta, flags, &op));
        ASSERT_EQ(xnn_status_success, twopass_reshape_softmax_nc_f32(
                                          op, channels, input_stride, output_stride, batch, pool));
        ASSERT_EQ(xnn_status_success, twopass_setup_softmax_nc_f32(op, x, y));
      } else {
        ASSERT_EQ(xnn_status_success, twopass_create_log_softmax_nc_f32(beta, flags, &op));
        ASSERT_EQ(xnn_status_success, twopass_reshape_log_softmax_nc_f32(
                                          op, channels, input_stride, output_stride, batch, pool));
        ASSERT_EQ(xnn_status_success, twopass_setup_log_softmax_nc_f32(op, x, y));
      }
      if (!layout.in_place) input_pages.ReadOnly();
      const enum xnn_status status = twopass_run_operator(op, pool);
      input_pages.ReadWrite();
      ASSERT_EQ(xnn_status_success, status);
      ASSERT_EQ(xnn_status_success, twopass_delete_operator(op));

      for (size_t r = 0; r < batch; r++) {
        const std::string error = testlib::CheckRow(kind, beta, values.data() + r * channels,
                                                         y + r * output_stride, channels);
        ASSERT_EQ(error, "") << "row " << r;
      }
      for (size_t i = 0; i < out_size; i++) {
        if (i % output_stride < channels) continue;
        ASSERT_EQ(FloatBits(y[i]), layout.in_place ? kInputGuardBits : kCanaryBits)
            << "padding element " << i << " was written";
      }
      if (!layout.in_place) {
        for (size_t i = 0; i < in_size; i++) {
          const uint32_t expected =
              i % input_stride < channels
                  ? FloatBits(values[i / input_stride * channels + i % input_stride])
                  : kInputGuardBits;
          ASSERT_EQ(FloatBits(x[i]), expected) << "input element " << i << " changed";
        }
      }
    }
  }
}

std::string ParamName(const ::testing::TestParamInfo<Param>& info) {
  const uint32_t isa = std::get<0>(info.param);
  const uint32_t algorithm = std::get<1>(info.param);
  std::string name = isa == TWOPASS_FLAG_ISA_SCALAR ? "scalar"
                     : isa == TWOPASS_FLAG_ISA_AVX2 ? "avx2"
                                                    : "avx512f";
  name += algorithm == TWOPASS_FLAG_TWO_PASS ? "_two_pass" : "_three_pass";
  name += std::get<2>(info.param) == Kind::softmax ? "_softmax" : "_log_softmax";
  return name;
}

INSTANTIATE_TEST_SUITE_P(
    Operators, PageGuardOperator,
    ::testing::Combine(::testing::Values(TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2,
                                         TWOPASS_FLAG_ISA_AVX512F),
                       ::testing::Values(TWOPASS_FLAG_TWO_PASS, TWOPASS_FLAG_THREE_PASS),
                       ::testing::Values(Kind::softmax, Kind::log_softmax)),
    ParamName);

}  // namespace
}  // namespace guard
}  // namespace twopass
