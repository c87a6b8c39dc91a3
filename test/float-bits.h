// The bits of a float and back, for the microkernel and operator testers.
#pragma once

#include <cstdint>
#include <cstring>

namespace twopass {

inline uint32_t FloatBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}

inline float BitsFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

}  // namespace twopass
