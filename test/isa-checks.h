// ISA checks for the microkernel tests, in the style of XNNPACK's
// test/isa-checks.h: a test of a kernel whose ISA the host lacks is skipped
// with a message naming what is missing; every ISA the host has runs.
#pragma once

#include <cstdint>
#include <string>

#include <cpuinfo.h>
#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "operators/arch-flags.h"

namespace twopass {
namespace test {

// Returns "" if the host has everything `arch_flags` (a combination of
// TWOPASS_ARCH_* bits; 0 = portable C) needs, else the missing features.
inline std::string MissingArchFeatures(uint32_t arch_flags) {
  if (arch_flags == 0) {
    return "";
  }
  if (!cpuinfo_initialize()) {
    return "cpuinfo_initialize() failed: host ISA unknown";
  }
  std::string missing;
  const auto add = [&missing](const char* feature) {
    if (!missing.empty()) missing += ", ";
    missing += feature;
  };
  if (arch_flags & TWOPASS_ARCH_X86_AVX2_FMA) {
    // The AVX2 kernels use FMA3 too: both are needed.
    if (!cpuinfo_has_x86_avx2()) add("AVX2");
    if (!cpuinfo_has_x86_fma3()) add("FMA3");
  }
  if (arch_flags & TWOPASS_ARCH_X86_AVX512F) {
    if (!cpuinfo_has_x86_avx512f()) add("AVX512F");
  }
  const uint32_t known = TWOPASS_ARCH_X86_AVX2_FMA | TWOPASS_ARCH_X86_AVX512F;
  if (arch_flags & ~known) {
    add("unknown arch flags");  // a TWOPASS_ARCH_* bit this header does not know
  }
  return missing;
}

}  // namespace test
}  // namespace twopass

// Skips the current test unless the host has every ISA in `flags`.
#define TEST_REQUIRES_ARCH_FLAGS(flags)                                   \
  do {                                                                    \
    const std::string twopass_missing_isa =                               \
        ::twopass::test::MissingArchFeatures(flags);                      \
    if (!twopass_missing_isa.empty()) {                                   \
      GTEST_SKIP() << "host lacks " << twopass_missing_isa                \
                   << ": kernel not run";                                 \
    }                                                                     \
  } while (0)

#define TEST_REQUIRES_X86_AVX2_FMA TEST_REQUIRES_ARCH_FLAGS(TWOPASS_ARCH_X86_AVX2_FMA)
#define TEST_REQUIRES_X86_AVX512F TEST_REQUIRES_ARCH_FLAGS(TWOPASS_ARCH_X86_AVX512F)
