// Self-test of the fuzzers' checks: a check that cannot fail proves nothing.
//   * The oracle (testing/reference.h) accepts correct rows and rejects
//     plausible wrong ones (special values, tolerances, sums).
//   * The harness (fuzz/softmax-harness.h) replays the seed corpus cleanly,
//     and with each planted bug (a stand-in for a broken kernel/operator)
//     at least one seed fails, with the expected message.
//   * Under AddressSanitizer, a planted read one element past the last row
//     (what a wrong remainder mask does) is reported as a heap overflow.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/softmax-harness.h"

// CMake passes the source tree's corpus; Bazel runs tests from the runfiles
// tree, where it is fuzz/corpus.
#ifndef TWOPASS_FUZZ_CORPUS_DIR
#define TWOPASS_FUZZ_CORPUS_DIR "fuzz/corpus"
#endif

namespace twopass_fuzz {
namespace {

using twopass::testlib::RowReference;

// ---- Oracle ---------------------------------------------------------------------

std::vector<float> Exact(Kind kind, float beta, const std::vector<float>& x) {
  const RowReference ref(beta, x.data(), x.size(), false);
  std::vector<float> y(x.size());
  for (size_t i = 0; i < x.size(); i++) {
    y[i] = ref.nan_row ? NAN : (float)(kind == Kind::softmax ? ref.Softmax(i) : ref.LogSoftmax(i));
  }
  return y;
}

TEST(FuzzOracle, accepts_correct_rows) {
  const std::vector<float> x = {1.0f, -2.0f, 3.5f, -INFINITY, 0.0f};
  for (Kind kind : {Kind::softmax, Kind::log_softmax}) {
    for (float beta : {1.0f, -1.0f, 0.5f, 0.0f}) {
      std::vector<float> row = x;
      if (beta <= 0.0f) row[3] = 1.0f;  // -inf * -1 = +inf: a NaN row
      const std::vector<float> y = Exact(kind, beta, row);
      EXPECT_EQ(CheckRow(kind, beta, row.data(), y.data(), row.size()), "");
    }
  }
}

TEST(FuzzOracle, rejects_plausible_wrong_rows) {
  const std::vector<float> x = {1.0f, -2.0f, 3.5f, -INFINITY, 0.0f};
  std::vector<float> y = Exact(Kind::softmax, 1.0f, x);
  y[3] = 1e-30f;  // -inf must give exactly 0
  EXPECT_NE(CheckRow(Kind::softmax, 1.0f, x.data(), y.data(), x.size()), "");
  y = Exact(Kind::softmax, 1.0f, x);
  y[2] *= 1.00003f;  // beyond 1e-5 relative
  EXPECT_NE(CheckRow(Kind::softmax, 1.0f, x.data(), y.data(), x.size()), "");
  y = Exact(Kind::log_softmax, 1.0f, x);
  y[3] = -1e30f;  // must be -inf
  EXPECT_NE(CheckRow(Kind::log_softmax, 1.0f, x.data(), y.data(), x.size()), "");
  y = Exact(Kind::log_softmax, 1.0f, x);
  y[0] += 1e-5f;  // beyond 2e-6 * max(1, |ref|) = 5.6e-6 (ref = 1 - lse = -2.8)
  EXPECT_NE(CheckRow(Kind::log_softmax, 1.0f, x.data(), y.data(), x.size()), "");
  // Large magnitudes: log_softmax([v, v]) = -ln 2 to 2e-6, however large v
  // (the bias rounded to a float gave -0.6875 at v = 1e6, 0 at 1e8).
  for (float v : {1e6f, 1e8f, -1e30f}) {
    const std::vector<float> pair = {v, v};
    const std::vector<float> rounded_bias = {v == 1e6f ? -0.6875f : 0.0f, -0.6875f};
    EXPECT_NE(CheckRow(Kind::log_softmax, 1.0f, pair.data(), rounded_bias.data(), 2), "") << v;
    const std::vector<float> accurate = {-0.693147f, -0.6931482f};
    EXPECT_EQ(CheckRow(Kind::log_softmax, 1.0f, pair.data(), accurate.data(), 2), "") << v;
  }

  // NaN rows: a NaN, a +inf product, all -inf.
  for (const std::vector<float>& row :
       {std::vector<float>{1.0f, NAN}, std::vector<float>{1.0f, INFINITY},
        std::vector<float>{-INFINITY, -INFINITY}}) {
    const std::vector<float> plausible = {0.5f, 0.5f};
    EXPECT_NE(CheckRow(Kind::softmax, 1.0f, row.data(), plausible.data(), 2), "");
    const std::vector<float> nans = {NAN, NAN};
    EXPECT_EQ(CheckRow(Kind::softmax, 1.0f, row.data(), nans.data(), 2), "");
  }
  // beta < 0: x = -inf gives +inf: a NaN row; x = +inf gives -inf: exactly 0.
  const std::vector<float> row = {INFINITY, 2.0f};
  const std::vector<float> good = {0.0f, 1.0f};
  EXPECT_EQ(CheckRow(Kind::softmax, -1.0f, row.data(), good.data(), 2), "");
  const std::vector<float> nans = {NAN, NAN};
  EXPECT_NE(CheckRow(Kind::softmax, -1.0f, row.data(), nans.data(), 2), "");
}

TEST(FuzzOracle, denormals_may_be_flushed) {
  // beta = FLT_MAX, x = 1e-39 (denormal): exact z = 0.34, flushed z = 0.
  const std::vector<float> x = {1e-39f, 0.0f};
  const std::vector<float> flushed = {0.5f, 0.5f};
  EXPECT_EQ(CheckRow(Kind::softmax, FLT_MAX, x.data(), flushed.data(), 2), "");
  const std::vector<float> wrong = {0.6f, 0.4f};
  EXPECT_NE(CheckRow(Kind::softmax, FLT_MAX, x.data(), wrong.data(), 2), "");
}

TEST(FuzzOracle, log_softmax_beyond_float_range_may_be_minus_inf) {
  const std::vector<float> x = {-FLT_MAX, FLT_MAX};
  const std::vector<float> y = {-INFINITY, 0.0f};
  EXPECT_EQ(CheckRow(Kind::log_softmax, 1.0f, x.data(), y.data(), 2), "");
  // ... but not where the true value is a float.
  const std::vector<float> x2 = {-1e38f, 1e38f};
  EXPECT_NE(CheckRow(Kind::log_softmax, 1.0f, x2.data(), y.data(), 2), "");
}

TEST(FuzzOracle, masked_rows_and_lse) {
  using twopass::testlib::RowChecks;
  const std::vector<float> masked = {-INFINITY, -INFINITY, -INFINITY};
  RowChecks zero;
  zero.masked_rows_zero = true;
  const std::vector<float> zeros = {0.0f, 0.0f, 0.0f}, nans = {NAN, NAN, NAN};
  const std::vector<float> minus_infs = {-INFINITY, -INFINITY, -INFINITY};
  EXPECT_EQ(CheckRow(Kind::softmax, 1.0f, masked.data(), zeros.data(), 3, zero), "");
  EXPECT_NE(CheckRow(Kind::softmax, 1.0f, masked.data(), nans.data(), 3, zero), "");
  EXPECT_NE(CheckRow(Kind::softmax, 1.0f, masked.data(), zeros.data(), 3), "");  // NaN without the flag
  EXPECT_EQ(CheckRow(Kind::log_softmax, 1.0f, masked.data(), minus_infs.data(), 3, zero), "");
  EXPECT_NE(CheckRow(Kind::log_softmax, 1.0f, masked.data(), zeros.data(), 3, zero), "");
  // A NaN among the -inf: still a NaN row.
  const std::vector<float> with_nan = {-INFINITY, NAN, -INFINITY};
  EXPECT_NE(CheckRow(Kind::softmax, 1.0f, with_nan.data(), zeros.data(), 3, zero), "");
  EXPECT_EQ(CheckRow(Kind::softmax, 1.0f, with_nan.data(), nans.data(), 3, zero), "");

  // lse = log(3) + 1 for x = {1, 1, 1}; -inf for a masked row, NaN for a NaN row.
  const std::vector<float> ones = {1.0f, 1.0f, 1.0f};
  const std::vector<float> thirds = Exact(Kind::softmax, 1.0f, ones);
  RowChecks lse;
  float value = (float)(1.0 + std::log(3.0));
  lse.lse = &value;
  EXPECT_EQ(CheckRow(Kind::softmax, 1.0f, ones.data(), thirds.data(), 3, lse), "");
  value *= 1.00001f;  // beyond 2e-6
  EXPECT_NE(CheckRow(Kind::softmax, 1.0f, ones.data(), thirds.data(), 3, lse), "");
  value = -INFINITY;
  EXPECT_EQ(CheckRow(Kind::softmax, 1.0f, masked.data(), nans.data(), 3, lse), "");
  EXPECT_NE(CheckRow(Kind::softmax, 1.0f, with_nan.data(), nans.data(), 3, lse), "");
  value = NAN;
  EXPECT_EQ(CheckRow(Kind::softmax, 1.0f, with_nan.data(), nans.data(), 3, lse), "");
  EXPECT_NE(CheckRow(Kind::softmax, 1.0f, masked.data(), nans.data(), 3, lse), "");
  // Beyond the float range, either way: lse rounds to an infinity of its sign.
  const std::vector<float> huge = {-0x1.01b592p+126f}, one = {1.0f};
  const std::vector<float> log_one = {0.0f};
  for (float beta : {1e20f, -1e20f}) {
    value = beta > 0.0f ? -INFINITY : INFINITY;
    EXPECT_EQ(CheckRow(Kind::log_softmax, beta, huge.data(), log_one.data(), 1, lse), "") << beta;
    EXPECT_EQ(CheckRow(Kind::softmax, beta, huge.data(), one.data(), 1, lse), "") << beta;
    value = -value;
    EXPECT_NE(CheckRow(Kind::softmax, beta, huge.data(), one.data(), 1, lse), "") << beta;
    value = beta > 0.0f ? -FLT_MAX : FLT_MAX;
    EXPECT_NE(CheckRow(Kind::softmax, beta, huge.data(), one.data(), 1, lse), "") << beta;
  }
  // Within the tolerance of FLT_MAX (beta = 1 + 2^-23 times FLT_MAX): FLT_MAX
  // and +inf are both its float.
  const std::vector<float> flt_max = {FLT_MAX}, half_pair = {1.0f};
  for (float v : {FLT_MAX, INFINITY}) {
    value = v;
    EXPECT_EQ(CheckRow(Kind::softmax, 1.00000012f, flt_max.data(), half_pair.data(), 1, lse), "");
  }
}

// ---- Harness with planted bugs -----------------------------------------------------

std::vector<std::vector<uint8_t>> Seeds() {
  std::vector<std::vector<uint8_t>> seeds;
  const std::filesystem::path dir =
      std::filesystem::path(TWOPASS_FUZZ_CORPUS_DIR) / "softmax-fuzzer";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream stream(file, std::ios::binary);
    seeds.emplace_back((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  }
  return seeds;
}

// How many seeds fail with `plant`; `first` gets the first message that
// contains `expected` (else the first message).
size_t Failures(Plant plant, const char* expected, std::string* first) {
  size_t failures = 0;
  first->clear();
  bool matched = false;
  for (const auto& seed : Seeds()) {
    const std::string error = RunSoftmaxCase(seed.data(), seed.size(), plant);
    if (error.empty()) continue;
    failures++;
    if (!matched && (first->empty() || error.find(expected) != std::string::npos)) {
      *first = error;
      matched = error.find(expected) != std::string::npos;
    }
  }
  return failures;
}

TEST(FuzzHarness, seed_corpus_passes_without_a_planted_bug) {
  const auto seeds = Seeds();
  ASSERT_GE(seeds.size(), 50u);
  for (const auto& seed : seeds) {
    EXPECT_EQ(RunSoftmaxCase(seed.data(), seed.size(), Plant::none), "");
  }
}

#ifndef TWOPASS_FUZZ_ASAN
// Without ASan, a write one past a row lands in the padding or the canary
// margin; with ASan (exact-size buffers) the last row's write is a
// heap-buffer-overflow instead (tested below).
TEST(FuzzHarness, catches_a_write_past_the_row) {
  std::string first;
  EXPECT_GT(Failures(Plant::write_past_row, "outside the rows was written", &first), 0u);
  EXPECT_NE(first.find("outside the rows was written"), std::string::npos) << first;
}
#endif

TEST(FuzzHarness, catches_plausible_values_for_minus_inf) {
  std::string first;
  EXPECT_GT(Failures(Plant::neginf_plausible, "-inf product", &first), 0u);
  EXPECT_NE(first.find("-inf product"), std::string::npos) << first;
}

TEST(FuzzHarness, catches_dropped_nan) {
  std::string first;
  EXPECT_GT(Failures(Plant::nan_dropped, "NaN row expected", &first), 0u);
  EXPECT_NE(first.find("NaN row expected"), std::string::npos) << first;
}

TEST(FuzzHarness, catches_a_small_relative_error) {
  std::string first;
  EXPECT_GT(Failures(Plant::scaled, "|error|", &first), 0u);
  EXPECT_NE(first.find("|error|"), std::string::npos) << first;
}

TEST(FuzzHarness, catches_a_wrong_status) {
  std::string first;
  EXPECT_GT(Failures(Plant::status_lies, "invalid arguments", &first), 0u);
  EXPECT_NE(first.find("invalid arguments"), std::string::npos) << first;
}

TEST(FuzzHarness, catches_a_small_lse_error) {
  std::string first;
  EXPECT_GT(Failures(Plant::lse_shifted, "lse", &first), 0u);
  EXPECT_NE(first.find("lse"), std::string::npos) << first;
}

TEST(FuzzHarness, catches_masked_rows_left_nan) {
  std::string first;
  EXPECT_GT(Failures(Plant::masked_nan, "masked row", &first), 0u);
  EXPECT_NE(first.find("masked row"), std::string::npos) << first;
}

#ifdef TWOPASS_FUZZ_ASAN
TEST(FuzzHarnessDeathTest, asan_catches_a_read_past_the_last_row) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::vector<std::vector<uint8_t>> seeds = Seeds();
  EXPECT_DEATH(
      {
        for (const auto& seed : seeds)
          RunSoftmaxCase(seed.data(), seed.size(), Plant::read_past_row);
      },
      "heap-buffer-overflow");
}

TEST(FuzzHarnessDeathTest, asan_catches_a_write_past_the_last_row) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::vector<std::vector<uint8_t>> seeds = Seeds();
  EXPECT_DEATH(
      {
        for (const auto& seed : seeds)
          RunSoftmaxCase(seed.data(), seed.size(), Plant::write_past_row);
      },
      "heap-buffer-overflow");
}
#endif

}  // namespace
}  // namespace twopass_fuzz
