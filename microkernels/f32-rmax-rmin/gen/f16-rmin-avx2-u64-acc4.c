// Auto-generated file. Do not edit!
//   Template: microkernels/f32-rmax-rmin/avx2.c.in
//   Generator: scripts/xngen.py
//
// Reduce-max (OP=MAX) or reduce-min (OP=MIN) of a row, AVX2.
// The remainder is loaded under a mask (never past the row), its empty lanes
// filled with the identity (-inf for max, +inf for min).
// DATATYPE=f16: 16-bit elements (their bits as uint16_t), converted exactly
// to float on load (microkernels/convert/avx2.h); the result is a float. The
// remainder goes through a local buffer, its empty lanes then set to the identity.
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/convert/avx2.h"
#include "microkernels/microkernels.h"

void twopass_f16_rmin_ukernel__avx2_u64_acc4(
    size_t batch,
    const uint16_t* input,
    float* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(uint16_t) == 0);
  assert(input != NULL);
  assert(output != NULL);

  // 7 ones then 7 zeros: loading 8 entries at &mask_table[7 - k] gives a mask of k lanes.
  static const int32_t mask_table[14] = {-1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0};

  const __m256 videntity = _mm256_set1_ps(+INFINITY);
  __m256 vacc0 = videntity;
  __m256 vacc1 = videntity;
  __m256 vacc2 = videntity;
  __m256 vacc3 = videntity;
  for (; batch >= 64 * sizeof(uint16_t); batch -= 64 * sizeof(uint16_t)) {
    vacc0 = _mm256_min_ps(vacc0, twopass_avx2_load_f16(input + 0));
    vacc1 = _mm256_min_ps(vacc1, twopass_avx2_load_f16(input + 8));
    vacc2 = _mm256_min_ps(vacc2, twopass_avx2_load_f16(input + 16));
    vacc3 = _mm256_min_ps(vacc3, twopass_avx2_load_f16(input + 24));
    vacc0 = _mm256_min_ps(vacc0, twopass_avx2_load_f16(input + 32));
    vacc1 = _mm256_min_ps(vacc1, twopass_avx2_load_f16(input + 40));
    vacc2 = _mm256_min_ps(vacc2, twopass_avx2_load_f16(input + 48));
    vacc3 = _mm256_min_ps(vacc3, twopass_avx2_load_f16(input + 56));
    input += 64;
  }
  vacc0 = _mm256_min_ps(vacc0, vacc1);
  vacc0 = _mm256_min_ps(vacc0, vacc2);
  vacc0 = _mm256_min_ps(vacc0, vacc3);
  for (; batch >= 8 * sizeof(uint16_t); batch -= 8 * sizeof(uint16_t)) {
    vacc0 = _mm256_min_ps(vacc0, twopass_avx2_load_f16(input));
    input += 8;
  }
  if (batch != 0) {
    assert(batch >= 1 * sizeof(uint16_t));
    assert(batch <= 7 * sizeof(uint16_t));
    const __m256i vmask = _mm256_loadu_si256((const __m256i*) &mask_table[7 - (batch >> 1)]);
    const __m256 vx = _mm256_blendv_ps(videntity, twopass_avx2_load_tail_f16(input, batch), _mm256_castsi256_ps(vmask));
    vacc0 = _mm256_min_ps(vacc0, vx);
  }
  __m128 vacc4 = _mm_min_ps(_mm256_castps256_ps128(vacc0), _mm256_extractf128_ps(vacc0, 1));
  vacc4 = _mm_min_ps(vacc4, _mm_movehl_ps(vacc4, vacc4));
  vacc4 = _mm_min_ss(vacc4, _mm_movehdup_ps(vacc4));
  *output = _mm_cvtss_f32(vacc4);
}
