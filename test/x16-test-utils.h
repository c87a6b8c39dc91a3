// The 16-bit rows (bf16, f16) in the microkernel tests: the datatype of a
// kernel (the datatypes, conversions and rounding allowances are those of
// testing/x16.h), quiet NaNs, and guarded 16-bit buffers. The
// testers take a datatype (TesterBase::datatype): they generate float inputs
// rounded to it, so that the f32 reference of each tester applies unchanged
// to x_i = the exact value of element i.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/guarded-pages.h"
#include "testing/x16.h"

namespace twopass {
namespace test {

// The datatypes, conversions and rounding allowances are the test library's.
using testlib::Datatype;
using testlib::DatatypeName;
using testlib::FromX16;
using testlib::HalfUlp;
using testlib::OverflowThreshold;
using testlib::RoundToDatatype;
using testlib::ToX16;

// The datatype token of a kernel's name (twopass_<datatype>_...).
inline Datatype DatatypeOfName(const std::string& name) {
  if (name.rfind("twopass_bf16_", 0) == 0) return Datatype::kBF16;
  if (name.rfind("twopass_f16_", 0) == 0) return Datatype::kF16;
  return Datatype::kF32;
}

// The quiet bit of a 16-bit NaN.
inline bool IsQuietNaN(Datatype datatype, uint16_t bits) {
  if (datatype == Datatype::kBF16) {
    return (bits & 0x7F80) == 0x7F80 && (bits & 0x0040) != 0;
  }
  return (bits & 0x7C00) == 0x7C00 && (bits & 0x0200) != 0;
}

// Test name suffix of a 16-bit kernel: its datatype and the name after
// "_ukernel__" (bf16_avx2_p5_u32).
struct X16KernelName {
  template <typename Kernel>
  std::string operator()(const ::testing::TestParamInfo<Kernel>& info) const {
    const std::string name = info.param.name;
    const std::string marker = "_ukernel__";
    const size_t pos = name.find(marker);
    return std::string(DatatypeName(DatatypeOfName(name))) + "_" +
           (pos != std::string::npos ? name.substr(pos + marker.size()) : name);
  }
};

// Every row length from 1 to 2 * tile + 1 (every remainder, odd lengths),
// and the 16-element vector boundaries around it.
inline std::vector<size_t> X16Sizes(size_t tile) {
  std::vector<size_t> sizes;
  for (size_t n = 1; n <= 2 * tile + 1; n++) sizes.push_back(n);
  for (size_t n : {size_t(15), size_t(16), size_t(17), size_t(31), size_t(33), 3 * tile + 7}) {
    if (n > 2 * tile + 1) sizes.push_back(n);
  }
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

// The input of a 16-bit kernel between two PROT_NONE pages, read-only while
// the kernel runs, in the layouts of GuardedInput (test/microkernel-test-utils.h):
// ending at the trailing guard page, starting at the leading one, and starting
// 1..15 elements after it (2-byte aligned only).
class GuardedInput16 {
 public:
  explicit GuardedInput16(size_t max_elements) : pages_((max_elements + 1) / 2 + 16) {}

  uint16_t* Place(size_t elements, size_t iteration) {
    uint16_t* begin = reinterpret_cast<uint16_t*>(pages_.begin());
    switch (iteration % 3) {
      case 0:
        return reinterpret_cast<uint16_t*>(pages_.end()) - elements;
      case 1:
        return begin;
      default:
        return begin + 1 + (iteration / 3) % 15;
    }
  }

  void Protect() { pages_.ReadOnly(); }
  void Unprotect() { pages_.ReadWrite(); }

 private:
  testlib::GuardedPages pages_;
};

// The output of a 16-bit kernel with canaries on both sides, starting at an
// offset of iteration % 16 elements.
class GuardedOutput16 {
 public:
  static constexpr size_t kCanaryElements = 64;
  static constexpr uint16_t kCanary = UINT16_C(0x7DAD);

  GuardedOutput16(size_t elements, size_t iteration)
      : elements_(elements), offset_(kCanaryElements + iteration % 16),
        region_(elements + 2 * kCanaryElements + 16, kCanary) {}

  uint16_t* data() { return region_.data() + offset_; }
  const uint16_t* data() const { return region_.data() + offset_; }

  ::testing::AssertionResult CanariesIntact() const {
    for (size_t i = 0; i < region_.size(); i++) {
      const bool in_data = i >= offset_ && i < offset_ + elements_;
      if (!in_data && region_[i] != kCanary) {
        return ::testing::AssertionFailure()
               << "the kernel wrote outside its output: element "
               << static_cast<long long>(i) - static_cast<long long>(offset_) << " of "
               << elements_;
      }
    }
    return ::testing::AssertionSuccess();
  }

 private:
  size_t elements_;
  size_t offset_;
  std::vector<uint16_t> region_;
};

}  // namespace test
}  // namespace twopass
