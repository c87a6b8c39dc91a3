// What the host runs, asked of the library's own hardware layer (the one
// the operators choose their kernels with), so that tests, fuzzers and
// benchmarks agree with the operators on every host.
#pragma once

#include <cstdint>
#include <string>

#include <twopass.h>

extern "C" {  // a C header without C++ guards
#include "operators/hardware.h"
}
#if __has_include("operators/arch-flags.h")
#include "operators/arch-flags.h"
#else
#include "microkernels/microkernels.h"
#endif

namespace twopass {
namespace testlib {

// TWOPASS_ARCH_* bits of the host.
inline uint32_t HostArchFlags() { return twopass_get_hardware()->arch_flags; }

// "" if the host has everything `arch_flags` (TWOPASS_ARCH_* bits; 0 =
// portable C) needs, else the missing features.
inline std::string MissingArch(uint32_t arch_flags) {
  std::string missing;
  const auto add = [&missing](const char* feature) {
    if (!missing.empty()) missing += ", ";
    missing += feature;
  };
  const uint32_t host = HostArchFlags();
  // The AVX2 kernels use FMA3 and F16C too: the hardware layer sets the bit for all three.
  if ((arch_flags & TWOPASS_ARCH_X86_AVX2_FMA) && !(host & TWOPASS_ARCH_X86_AVX2_FMA)) {
    add("AVX2+FMA3+F16C");
  }
  if ((arch_flags & TWOPASS_ARCH_X86_AVX512F) && !(host & TWOPASS_ARCH_X86_AVX512F)) {
    add("AVX512F");
  }
  if (arch_flags & ~(TWOPASS_ARCH_X86_AVX2_FMA | TWOPASS_ARCH_X86_AVX512F)) {
    add("unknown arch flags");  // a TWOPASS_ARCH_* bit this header does not know
  }
  return missing;
}

// TWOPASS_ARCH_* bits an operator ISA flag (TWOPASS_FLAG_ISA_*) needs.
inline uint32_t ArchOfIsaFlag(uint32_t isa_flag) {
  switch (isa_flag) {
    case 0:
    case TWOPASS_FLAG_ISA_SCALAR: return 0;
    case TWOPASS_FLAG_ISA_AVX2: return TWOPASS_ARCH_X86_AVX2_FMA;
    case TWOPASS_FLAG_ISA_AVX512F: return TWOPASS_ARCH_X86_AVX512F;
    default: return ~UINT32_C(0);
  }
}

// "" when the host runs the kernels of `isa_flag` (0: best available), else
// what it lacks.
inline std::string MissingIsa(uint32_t isa_flag) {
  const uint32_t arch = ArchOfIsaFlag(isa_flag);
  return arch == ~UINT32_C(0) ? "unknown ISA flag" : MissingArch(arch);
}

inline bool HostHasIsa(uint32_t isa_flag) { return MissingIsa(isa_flag).empty(); }

inline const char* IsaName(uint32_t isa_flag) {
  switch (isa_flag) {
    case TWOPASS_FLAG_ISA_SCALAR: return "scalar";
    case TWOPASS_FLAG_ISA_AVX2: return "avx2";
    case TWOPASS_FLAG_ISA_AVX512F: return "avx512f";
    default: return "best";
  }
}

// The ISA an operator picks without an ISA flag.
inline uint32_t BestIsaFlag() {
  if (HostHasIsa(TWOPASS_FLAG_ISA_AVX512F)) return TWOPASS_FLAG_ISA_AVX512F;
  if (HostHasIsa(TWOPASS_FLAG_ISA_AVX2)) return TWOPASS_FLAG_ISA_AVX2;
  return TWOPASS_FLAG_ISA_SCALAR;
}

}  // namespace testlib
}  // namespace twopass
