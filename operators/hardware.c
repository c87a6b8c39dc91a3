#include "operators/hardware.h"

#include <pthread.h>

#include <cpuinfo.h>

static struct twopass_hardware hardware;
static pthread_once_t hardware_once = PTHREAD_ONCE_INIT;

static void detect_hardware(void) {
  hardware.arch_flags = 0;
  hardware.l2_cache_bytes = 1024 * 1024;
  hardware.llc_bytes = 8 * 1024 * 1024;
  hardware.llc_share_bytes = hardware.llc_bytes;
  if (!cpuinfo_initialize()) {
    return;  // Portable kernels only.
  }
  // The AVX2 kernels use FMA3, and the f16 ones F16C: the ISA is all three.
  if (cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3() && cpuinfo_has_x86_f16c()) {
    hardware.arch_flags |= TWOPASS_ARCH_X86_AVX2_FMA;
  }
  if (cpuinfo_has_x86_avx512f()) {
    hardware.arch_flags |= TWOPASS_ARCH_X86_AVX512F;
  }
  const struct cpuinfo_cache* l2 = cpuinfo_get_l2_cache(0);
  if (l2 != NULL && l2->size != 0) {
    hardware.l2_cache_bytes = l2->size;
  }
  const struct cpuinfo_cache* l3 = cpuinfo_get_l3_cache(0);
  const struct cpuinfo_cache* llc = l3 != NULL && l3->size != 0 ? l3 : l2;
  if (llc != NULL && llc->size != 0) {
    hardware.llc_bytes = llc->size;
    hardware.llc_share_bytes =
        llc->processor_count > 1 ? llc->size / llc->processor_count : llc->size;
  } else {
    hardware.llc_bytes = hardware.l2_cache_bytes;
    hardware.llc_share_bytes = hardware.l2_cache_bytes;
  }
}

const struct twopass_hardware* twopass_get_hardware(void) {
  pthread_once(&hardware_once, detect_hardware);
  return &hardware;
}
