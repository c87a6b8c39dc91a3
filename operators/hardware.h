// What the host offers, detected once with cpuinfo.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "operators/arch-flags.h"

struct twopass_hardware {
  // TWOPASS_ARCH_* bits of operators/arch-flags.h.
  uint32_t arch_flags;
  // Size of one L2 cache instance, in bytes (1 MiB if cpuinfo cannot tell).
  size_t l2_cache_bytes;
  // Size of one instance of the last-level cache (L3, or L2 where cpuinfo
  // reports no L3), in bytes (8 MiB if cpuinfo cannot tell).
  size_t llc_bytes;
  // One processor's share of that cache: llc_bytes over the processors that
  // share one instance (as the three-pass/two-pass crossover sees it).
  size_t llc_share_bytes;
};

// Never NULL; detection runs once, on the first call.
const struct twopass_hardware* twopass_get_hardware(void);
