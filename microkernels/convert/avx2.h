// Conversions between 8 elements of a 16-bit row (bf16, f16) and a __m256 of
// floats, for the AVX2 (+ FMA3 + F16C) kernels. Loads are exact; stores round
// once to nearest even and keep NaN a quiet NaN (see convert/scalar.h). The
// *_tail helpers move 1..7 elements through a local buffer: AVX2 has no
// 16-bit masked loads or stores, and a full-width access could cross into an
// unmapped page.
#pragma once

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <immintrin.h>

// bf16: the bits are the high half of a float.
static inline __m256 twopass_avx2_load_bf16(const uint16_t* input) {
  const __m256i vh = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i*) input));
  return _mm256_castsi256_ps(_mm256_slli_epi32(vh, 16));
}

// The 8 rounded bf16 values, in order, in the 16-bit lanes of a __m128i.
// 9 operations: the rounding and the NaN select stay in the 32-bit lanes (the
// bf16 is the high half of each), then one byte shuffle gathers the high
// halves of each 128-bit lane into its low 8 bytes and one quadword
// permutation joins the two lanes (a shift, a pack and the permutation
// before: 11).
static inline __m128i twopass_avx2_cvt_bf16(__m256 vf) {
  const __m256i vu = _mm256_castps_si256(vf);
  // Round to nearest even: u + 0x7FFF + (bit 16 of u); the high half is the
  // result (a carry into the exponent is the correct rounding up, to inf too).
  const __m256i vodd = _mm256_and_si256(_mm256_srli_epi32(vu, 16), _mm256_set1_epi32(1));
  const __m256i vrounded = _mm256_add_epi32(_mm256_add_epi32(vu, _mm256_set1_epi32(0x7FFF)), vodd);
  // NaN: the rounding could turn a low-half payload into inf; truncate and
  // set the quiet bit (bit 22 of the float, bit 6 of the bf16) instead.
  const __m256i vnan = _mm256_castps_si256(_mm256_cmp_ps(vf, vf, _CMP_UNORD_Q));
  const __m256i vquiet = _mm256_or_si256(vu, _mm256_set1_epi32(0x00400000));
  const __m256i vh = _mm256_blendv_epi8(vrounded, vquiet, vnan);
  // Bytes 2-3 of every 32-bit lane to the low 8 bytes of its 128-bit lane
  // (h0-3 x | h4-7 x), then quadwords 0 and 2.
  const __m256i vgather = _mm256_setr_epi8(
      2, 3, 6, 7, 10, 11, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1,
      2, 3, 6, 7, 10, 11, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m256i vhalves = _mm256_shuffle_epi8(vh, vgather);
  return _mm256_castsi256_si128(_mm256_permute4x64_epi64(vhalves, _MM_SHUFFLE(3, 1, 2, 0)));
}

static inline void twopass_avx2_store_bf16(uint16_t* output, __m256 vf) {
  _mm_storeu_si128((__m128i*) output, twopass_avx2_cvt_bf16(vf));
}

// output 16-byte aligned.
static inline void twopass_avx2_stream_bf16(uint16_t* output, __m256 vf) {
  _mm_stream_si128((__m128i*) output, twopass_avx2_cvt_bf16(vf));
}

// f16: F16C. VCVTPS2PH rounds as its immediate says (nearest even) and
// quiets NaN.
static inline __m256 twopass_avx2_load_f16(const uint16_t* input) {
  return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*) input));
}

static inline void twopass_avx2_store_f16(uint16_t* output, __m256 vf) {
  _mm_storeu_si128((__m128i*) output,
                   _mm256_cvtps_ph(vf, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}

// output 16-byte aligned.
static inline void twopass_avx2_stream_f16(uint16_t* output, __m256 vf) {
  _mm_stream_si128((__m128i*) output,
                   _mm256_cvtps_ph(vf, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}

// The remainders: bytes = 2 * (1..7) elements; the lanes past them load +0.
static inline __m256 twopass_avx2_load_tail_bf16(const uint16_t* input, size_t bytes) {
  assert(bytes >= 2 && bytes <= 14);
  uint16_t buffer[8] = {0};
  memcpy(buffer, input, bytes);
  return twopass_avx2_load_bf16(buffer);
}

static inline __m256 twopass_avx2_load_tail_f16(const uint16_t* input, size_t bytes) {
  assert(bytes >= 2 && bytes <= 14);
  uint16_t buffer[8] = {0};
  memcpy(buffer, input, bytes);
  return twopass_avx2_load_f16(buffer);
}

static inline void twopass_avx2_store_tail_bf16(uint16_t* output, size_t bytes, __m256 vf) {
  assert(bytes >= 2 && bytes <= 14);
  uint16_t buffer[8];
  twopass_avx2_store_bf16(buffer, vf);
  memcpy(output, buffer, bytes);
}

static inline void twopass_avx2_store_tail_f16(uint16_t* output, size_t bytes, __m256 vf) {
  assert(bytes >= 2 && bytes <= 14);
  uint16_t buffer[8];
  twopass_avx2_store_f16(buffer, vf);
  memcpy(output, buffer, bytes);
}
