// Page guards for the reliability tests (test/page-guard-*.cc): buffers
// placed so that their first or last element touches an unmapped
// (PROT_NONE) page. A kernel that reads or writes even one byte outside its
// row gets SIGSEGV -- including a SIMD load or store whose mask is wrong,
// which AddressSanitizer cannot see (masked-off lanes are not checked, and
// an access that stays inside a heap redzone's granule may go unreported).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "testing/float-bits.h"
#include "testing/gtest-isa.h"
#include "testing/guarded-pages.h"
#include "testing/isa.h"

namespace twopass {
namespace guard {

enum class Placement { end, start };

inline const char* PlacementName(Placement placement) {
  return placement == Placement::end ? "ends at a guard page" : "starts after a guard page";
}

inline float* Place(GuardedPages& pages, Placement placement, size_t n) {
  return placement == Placement::end ? pages.AtEnd(n) : pages.AtStart(n);
}

// "" if the host runs kernels that need `arch_flags`, else what it lacks.
inline std::string MissingArch(uint32_t arch_flags) { return testlib::MissingArch(arch_flags); }

constexpr uint32_t kCanaryBits = testlib::kOutputCanaryBits;

}  // namespace guard
}  // namespace twopass

// The page-guard tests' name for TEST_REQUIRES_ARCH_FLAGS.
#define TWOPASS_GUARD_REQUIRES_ARCH(arch_flags) TEST_REQUIRES_ARCH_FLAGS(arch_flags)
