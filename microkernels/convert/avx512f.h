// Conversions between 16 elements of a 16-bit row (bf16, f16) and a __m512 of
// floats, for the AVX-512F kernels. Loads are exact; stores round once to
// nearest even and keep NaN a quiet NaN (see convert/scalar.h). 16-bit masked
// loads and stores need AVX512BW, which these kernels do not assume: the
// *_tail helpers move 1..15 elements through a local buffer instead.
#pragma once

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <immintrin.h>

// bf16: the bits are the high half of a float.
static inline __m512 twopass_avx512f_load_bf16(const uint16_t* input) {
  const __m512i vh = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i*) input));
  return _mm512_castsi512_ps(_mm512_slli_epi32(vh, 16));
}

// The 16 rounded bf16 values in the 16-bit lanes of a __m256i.
static inline __m256i twopass_avx512f_cvt_bf16(__m512 vf) {
  const __m512i vu = _mm512_castps_si512(vf);
  // Round to nearest even: u + 0x7FFF + (bit 16 of u), then keep the high half.
  const __m512i vodd = _mm512_and_si512(_mm512_srli_epi32(vu, 16), _mm512_set1_epi32(1));
  __m512i vh =
      _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(vu, _mm512_set1_epi32(0x7FFF)), vodd), 16);
  // NaN: the rounding could turn a low-half payload into inf; truncate and
  // set the quiet bit instead.
  const __mmask16 vnan = _mm512_cmp_ps_mask(vf, vf, _CMP_UNORD_Q);
  vh = _mm512_mask_or_epi32(vh, vnan, _mm512_srli_epi32(vu, 16), _mm512_set1_epi32(0x0040));
  // VPMOVDW (AVX512F) keeps the low 16 bits of each lane, in order.
  return _mm512_cvtepi32_epi16(vh);
}

static inline void twopass_avx512f_store_bf16(uint16_t* output, __m512 vf) {
  _mm256_storeu_si256((__m256i*) output, twopass_avx512f_cvt_bf16(vf));
}

// output 32-byte aligned.
static inline void twopass_avx512f_stream_bf16(uint16_t* output, __m512 vf) {
  _mm256_stream_si256((__m256i*) output, twopass_avx512f_cvt_bf16(vf));
}

// f16: VCVTPH2PS / VCVTPS2PH (AVX512F), nearest even, NaN quieted.
static inline __m512 twopass_avx512f_load_f16(const uint16_t* input) {
  return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i*) input));
}

static inline void twopass_avx512f_store_f16(uint16_t* output, __m512 vf) {
  _mm256_storeu_si256((__m256i*) output,
                      _mm512_cvtps_ph(vf, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}

// output 32-byte aligned.
static inline void twopass_avx512f_stream_f16(uint16_t* output, __m512 vf) {
  _mm256_stream_si256((__m256i*) output,
                      _mm512_cvtps_ph(vf, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}

// The remainders: 1..16 elements (16, a full vector, goes direct: the kernels'
// remainder loops also take whole vectors); the lanes past them load +0.
static inline __m512 twopass_avx512f_load_tail_bf16(const uint16_t* input, size_t elements) {
  assert(elements >= 1 && elements <= 16);
  if (elements == 16) {
    return twopass_avx512f_load_bf16(input);
  }
  uint16_t buffer[16] = {0};
  memcpy(buffer, input, elements * sizeof(uint16_t));
  return twopass_avx512f_load_bf16(buffer);
}

static inline __m512 twopass_avx512f_load_tail_f16(const uint16_t* input, size_t elements) {
  assert(elements >= 1 && elements <= 16);
  if (elements == 16) {
    return twopass_avx512f_load_f16(input);
  }
  uint16_t buffer[16] = {0};
  memcpy(buffer, input, elements * sizeof(uint16_t));
  return twopass_avx512f_load_f16(buffer);
}

static inline void twopass_avx512f_store_tail_bf16(uint16_t* output, size_t elements, __m512 vf) {
  assert(elements >= 1 && elements <= 16);
  if (elements == 16) {
    twopass_avx512f_store_bf16(output, vf);
    return;
  }
  uint16_t buffer[16];
  twopass_avx512f_store_bf16(buffer, vf);
  memcpy(output, buffer, elements * sizeof(uint16_t));
}

static inline void twopass_avx512f_store_tail_f16(uint16_t* output, size_t elements, __m512 vf) {
  assert(elements >= 1 && elements <= 16);
  if (elements == 16) {
    twopass_avx512f_store_f16(output, vf);
    return;
  }
  uint16_t buffer[16];
  twopass_avx512f_store_f16(buffer, vf);
  memcpy(output, buffer, elements * sizeof(uint16_t));
}
