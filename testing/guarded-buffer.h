// The guarded buffer of the operator tests, fuzzers and benchmarks: `elements`
// floats inside a region whose every other element holds `fill_bits` (output
// canaries, or the NaN padding of inputs), placed as the Placement says.
// CheckOutside() verifies that nothing outside the data was written.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "testing/float-bits.h"
#include "testing/guarded-pages.h"

namespace twopass {
namespace testlib {

enum class Placement {
  kCanaries,           // canaries on both sides (data offset by `misalignment` floats)
  kEndsAtGuardPage,    // the last element touches a PROT_NONE page
  kStartsAtGuardPage,  // the first element follows a PROT_NONE page (page aligned)
  kExactHeap,          // a heap block of exactly `elements` floats, no margin: under
                       // AddressSanitizer any access past either end is reported
};

inline const char* PlacementName(Placement placement) {
  switch (placement) {
    case Placement::kCanaries: return "canaries around";
    case Placement::kEndsAtGuardPage: return "ends at a guard page";
    case Placement::kStartsAtGuardPage: return "starts at a guard page";
    case Placement::kExactHeap: return "exact heap block";
  }
  return "?";
}

class GuardedBuffer {
 public:
  static constexpr size_t kCanaryElements = 64;

  GuardedBuffer(size_t elements, Placement placement, uint32_t fill_bits,
                size_t misalignment = 0)
      : elements_(elements), fill_bits_(fill_bits) {
    if (placement == Placement::kExactHeap) {
      heap_.reset(new float[elements == 0 ? 1 : elements]);
      region_ = heap_.get();
      region_size_ = elements;
      data_ = region_;
    } else {
      pages_.reset(new GuardedPages(elements + 2 * kCanaryElements + 16));
      region_ = pages_->begin();
      region_size_ = pages_->capacity();
      data_ = placement == Placement::kCanaries      ? region_ + kCanaryElements + misalignment % 16
              : placement == Placement::kEndsAtGuardPage ? pages_->AtEnd(elements)
                                                         : pages_->AtStart(elements);
    }
    Refill();
  }

  // The data; nullptr for an empty buffer (as a batch of 0 rows has).
  float* data() const { return elements_ == 0 ? nullptr : data_; }
  size_t elements() const { return elements_; }
  uint32_t fill_bits() const { return fill_bits_; }

  // Everything, data included, back to the fill value.
  void Refill() { std::fill(region_, region_ + region_size_, BitsFloat(fill_bits_)); }

  // Write protection of the data and canaries (no-ops for heap buffers).
  void ReadOnly() {
    if (pages_) pages_->ReadOnly();
  }
  void ReadWrite() {
    if (pages_) pages_->ReadWrite();
  }

  // The whole region, data and canaries, for before/after comparisons.
  std::vector<float> Snapshot() const { return std::vector<float>(region_, region_ + region_size_); }
  bool SameAs(const std::vector<float>& snapshot) const {
    // (An empty region has no pointer to give memcmp.)
    return snapshot.size() == region_size_ &&
           (region_size_ == 0 ||
            std::memcmp(snapshot.data(), region_, region_size_ * sizeof(float)) == 0);
  }

  // "" if every element outside the data, and outside `rows` rows of
  // `channels` floats `stride` apart inside it, still holds the fill bits;
  // else the first one that does not. rows = 0: the whole data is skipped.
  std::string CheckOutside(const char* what, size_t rows = 0, size_t channels = 0,
                           size_t stride = 1) const {
    return Check(what, [&](const float* p) {
      const bool in_data = p >= data_ && p < data_ + elements_;
      return in_data &&
             (rows == 0 || InRows(static_cast<size_t>(p - data_), rows, channels, stride));
    });
  }

  // "" if nothing at all, data included, was written since the last Refill().
  std::string CheckUntouched(const char* what) const {
    return Check(what, [](const float*) { return false; });
  }

 private:
  template <typename Skip>
  std::string Check(const char* what, const Skip& skip) const {
    for (const float* p = region_; p != region_ + region_size_; p++) {
      if (skip(p)) continue;
      if (FloatBits(*p) != fill_bits_) {
        return std::string(what) + " buffer: element " +
               std::to_string(static_cast<long long>(p - data_)) +
               " (relative to its start; buffer of " + std::to_string(elements_) +
               " elements) outside the rows was written: " + DescribeFloat(*p);
      }
    }
    return "";
  }

  static bool InRows(size_t index, size_t rows, size_t channels, size_t stride) {
    return index / stride < rows && index % stride < channels;
  }

  size_t elements_;
  uint32_t fill_bits_;
  std::unique_ptr<GuardedPages> pages_;
  std::unique_ptr<float[]> heap_;
  float* region_ = nullptr;
  size_t region_size_ = 0;
  float* data_ = nullptr;
};

}  // namespace testlib
}  // namespace twopass
