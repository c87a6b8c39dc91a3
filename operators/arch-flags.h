// Bits of twopass_hardware.arch_flags and of a kernel's needs: which ISA a
// kernel runs on. 0 means portable C. The hardware layer owns them; the
// generated kernel lists name them.
#pragma once

#include <stdint.h>

#define TWOPASS_ARCH_X86_AVX2_FMA UINT32_C(0x1)  // AVX2 + FMA3 + F16C
#define TWOPASS_ARCH_X86_AVX512F  UINT32_C(0x2)
