// Skips a googletest test whose ISA the host lacks, naming what is missing
// (XNNPACK's TEST_REQUIRES_X86_*); every ISA the host has runs.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "testing/isa.h"

// `arch_flags`: TWOPASS_ARCH_* bits of the kernel under test.
#define TEST_REQUIRES_ARCH_FLAGS(arch_flags)                                               \
  do {                                                                                     \
    const std::string twopass_missing_isa = ::twopass::testlib::MissingArch(arch_flags);   \
    if (!twopass_missing_isa.empty()) {                                                    \
      GTEST_SKIP() << "host lacks " << twopass_missing_isa << ": kernel not run";          \
    }                                                                                      \
  } while (0)

#define TEST_REQUIRES_X86_AVX2_FMA TEST_REQUIRES_ARCH_FLAGS(TWOPASS_ARCH_X86_AVX2_FMA)
#define TEST_REQUIRES_X86_AVX512F TEST_REQUIRES_ARCH_FLAGS(TWOPASS_ARCH_X86_AVX512F)

// `isa_flag`: a TWOPASS_FLAG_ISA_* value given to an operator.
#define TEST_REQUIRES_TWOPASS_ISA(isa_flag)                                              \
  do {                                                                                   \
    const std::string twopass_missing = ::twopass::testlib::MissingIsa(isa_flag);        \
    if (!twopass_missing.empty()) {                                                      \
      GTEST_SKIP() << "host lacks " << twopass_missing << ": "                           \
                   << ::twopass::testlib::IsaName(isa_flag) << " kernels not run";       \
    }                                                                                    \
  } while (0)

namespace twopass {
namespace test {
// The microkernel tests' name for it.
inline std::string MissingArchFeatures(uint32_t arch_flags) {
  return testlib::MissingArch(arch_flags);
}
}  // namespace test
}  // namespace twopass
