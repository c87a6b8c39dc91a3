// TWOPASS_FLAG_MASKED_ROWS_ZERO over every ISA, algorithm and kind: rows of
// only -inf products give zeros (log-softmax -inf); a NaN or +inf product
// still makes the row NaN, and every other row is as without the flag.
#include <cfloat>
#include <cstddef>
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "softmax-operator-tester.h"

namespace twopass {
namespace optest {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class MaskedRowsTest : public IsaAlgorithmKindTest {
 protected:
  SoftmaxOperatorTester Masked() const {
    return Tester().flags(isa_algorithm().flags() | TWOPASS_FLAG_MASKED_ROWS_ZERO);
  }
};

TEST_P(MaskedRowsTest, masked_rows_among_others) {
  // Rows 1 and 3 of 4 fully masked.
  for (size_t channels : SpecialChannels()) {
    Masked().channels(channels).batch_size(4).inject(-kInf, SIZE_MAX).injected_rows(2, 1)
        .seed(channels).TestF32();
  }
}

TEST_P(MaskedRowsTest, partly_masked_rows_unchanged) {
  for (size_t channels : SpecialChannels()) {
    if (channels < 2) continue;
    Masked().channels(channels).batch_size(3).inject(-kInf, channels - 1).seed(channels).TestF32();
  }
}

TEST_P(MaskedRowsTest, nan_or_plus_inf_in_a_masked_row) {
  for (size_t channels : SpecialChannels()) {
    // (The range fills the row; the single value goes to a random element.)
    Masked().channels(channels).batch_size(2).inject_range(-kInf, 0, SIZE_MAX).inject(kNaN, 1)
        .seed(channels).TestF32();
    Masked().channels(channels).batch_size(2).inject_range(-kInf, 0, SIZE_MAX).inject(kInf, 1)
        .seed(channels).TestF32();
    Masked().channels(channels).batch_size(2).inject(kNaN, SIZE_MAX).TestF32();
  }
}

TEST_P(MaskedRowsTest, beta_signs) {
  for (size_t channels : {size_t(1), size_t(17), size_t(1000)}) {
    // beta < 0: x = +inf gives beta*x = -inf.
    Masked().channels(channels).batch_size(2).beta(-0.5f).inject(kInf, SIZE_MAX).TestF32();
    Masked().channels(channels).batch_size(2).beta(3.0f).inject(-kInf, SIZE_MAX).TestF32();
    // beta = 0: 0 * -inf is NaN, not -inf.
    Masked().channels(channels).batch_size(2).beta(0.0f).inject(-kInf, SIZE_MAX).TestF32();
  }
}

TEST_P(MaskedRowsTest, overflowing_products_are_finite) {
  // beta*x = 2 * -FLT_MAX rounds to -inf in float but is a finite product:
  // a uniform row, not a masked one.
  Masked().channels(100).batch_size(2).beta(2.0f).inject(-FLT_MAX, SIZE_MAX).TestF32();
}

TEST_P(MaskedRowsTest, long_rows_on_threads) {
  // Rows of several chunks, split over the threads when they are few; a
  // NaN in the last chunk only.
  const size_t channels = 3 * TWOPASS_CHUNK_ELEMENTS + 5;
  Masked().channels(channels).batch_size(2).threads(4).inject(-kInf, SIZE_MAX)
      .check_threads(true).check_position(true).TestF32();
  Masked().channels(channels).batch_size(1).threads(2).inject(-kInf, SIZE_MAX)
      .inject_range(kNaN, channels - 1, channels).TestF32();
}

INSTANTIATE_TEST_SUITE_P(IsaAlgorithmKind, MaskedRowsTest, AllIsaAlgorithmKinds(),
                         IsaAlgorithmKindName);

}  // namespace
}  // namespace optest
}  // namespace twopass
