// Kernel sets per ISA, from the measured defaults in operators/defaults.h.
#include "operators/ukernels.h"

#include "operators/defaults.h"

#define TWOPASS_STRINGIFY(name) TWOPASS_STRINGIFY_(name)
#define TWOPASS_STRINGIFY_(name) #name

#define TWOPASS_UKERNEL_SET(isa_name, arch, ISA)                          \
  {                                                                       \
    .isa = isa_name,                                                      \
    .arch_flags = arch,                                                   \
    .raddextexp = TWOPASS_DEFAULT_##ISA##_RADDEXTEXP,                     \
    .vscaleextexp = TWOPASS_DEFAULT_##ISA##_VSCALEEXTEXP,                 \
    .vscaleextexp_nt = TWOPASS_DEFAULT_##ISA##_VSCALEEXTEXP_NT,           \
    .rmax = TWOPASS_DEFAULT_##ISA##_RMAX,                                 \
    .rmin = TWOPASS_DEFAULT_##ISA##_RMIN,                                 \
    .raddstoreexpminusmax = TWOPASS_DEFAULT_##ISA##_RADDSTOREEXPMINUSMAX, \
    .raddexpminusmax = TWOPASS_DEFAULT_##ISA##_RADDEXPMINUSMAX,           \
    .vscale = TWOPASS_DEFAULT_##ISA##_VSCALE,                             \
    .vaffine = TWOPASS_DEFAULT_##ISA##_VAFFINE,                           \
    .names = {                                                            \
      TWOPASS_STRINGIFY(TWOPASS_DEFAULT_##ISA##_RADDEXTEXP),              \
      TWOPASS_STRINGIFY(TWOPASS_DEFAULT_##ISA##_VSCALEEXTEXP),            \
      TWOPASS_STRINGIFY(TWOPASS_DEFAULT_##ISA##_VSCALEEXTEXP_NT),         \
      TWOPASS_STRINGIFY(TWOPASS_DEFAULT_##ISA##_RMAX),                    \
      TWOPASS_STRINGIFY(TWOPASS_DEFAULT_##ISA##_RMIN),                    \
      TWOPASS_STRINGIFY(TWOPASS_DEFAULT_##ISA##_RADDSTOREEXPMINUSMAX),    \
      TWOPASS_STRINGIFY(TWOPASS_DEFAULT_##ISA##_RADDEXPMINUSMAX),         \
      TWOPASS_STRINGIFY(TWOPASS_DEFAULT_##ISA##_VSCALE),                  \
      TWOPASS_STRINGIFY(TWOPASS_DEFAULT_##ISA##_VAFFINE),                 \
    },                                                                    \
  }

const struct twopass_ukernels twopass_avx512f_ukernels =
    TWOPASS_UKERNEL_SET("avx512f", TWOPASS_ARCH_X86_AVX512F, AVX512F);
const struct twopass_ukernels twopass_avx2_ukernels =
    TWOPASS_UKERNEL_SET("avx2", TWOPASS_ARCH_X86_AVX2_FMA, AVX2);
const struct twopass_ukernels twopass_scalar_ukernels =
    TWOPASS_UKERNEL_SET("scalar", 0, SCALAR);
