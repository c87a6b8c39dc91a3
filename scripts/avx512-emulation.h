// AVX-512F kernels on a host without AVX-512 (scripts/test-avx512-emulated.sh):
// SIMDe's portable versions, and
// plain-C versions of what SIMDe 0.7.4 lacks. For testing only.
#pragma once
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>
#include <string.h>

static inline __m512d emu_cvtps_pd(__m256 a) {
  float f[8]; double d[8]; __m512d r;
  memcpy(f, &a, sizeof(f));
  for (int i = 0; i < 8; i++) d[i] = (double) f[i];
  memcpy(&r, d, sizeof(d));
  return r;
}
static inline __m512 emu_maskz_loadu_ps(__mmask16 k, const void* p) {
  float f[16];
  for (int i = 0; i < 16; i++) f[i] = (k >> i) & 1 ? ((const float*) p)[i] : 0.0f;
  __m512 r; memcpy(&r, f, sizeof(f)); return r;
}
static inline __m512 emu_mask_loadu_ps(__m512 src, __mmask16 k, const void* p) {
  float f[16]; memcpy(f, &src, sizeof(f));
  for (int i = 0; i < 16; i++) if ((k >> i) & 1) f[i] = ((const float*) p)[i];
  __m512 r; memcpy(&r, f, sizeof(f)); return r;
}
static inline void emu_mask_storeu_ps(void* p, __mmask16 k, __m512 v) {
  float f[16]; memcpy(f, &v, sizeof(f));
  for (int i = 0; i < 16; i++) if ((k >> i) & 1) ((float*) p)[i] = f[i];
}
static inline void emu_stream_ps(void* p, __m512 v) { memcpy(p, &v, 64); }
static inline double emu_reduce_add_pd(__m512d v) {
  double d[8]; memcpy(d, &v, sizeof(d));
  double a = (d[0] + d[4]) + (d[2] + d[6]), b = (d[1] + d[5]) + (d[3] + d[7]);
  return a + b;
}
static inline float emu_max(float a, float b) { return a > b ? a : b; }
static inline float emu_min(float a, float b) { return a < b ? a : b; }
static inline float emu_reduce_max_ps(__m512 v) {
  float f[16]; memcpy(f, &v, sizeof(f));
  for (int w = 8; w >= 1; w /= 2) for (int i = 0; i < w; i++) f[i] = emu_max(f[i], f[i + w]);
  return f[0];
}
static inline float emu_reduce_min_ps(__m512 v) {
  float f[16]; memcpy(f, &v, sizeof(f));
  for (int w = 8; w >= 1; w /= 2) for (int i = 0; i < w; i++) f[i] = emu_min(f[i], f[i + w]);
  return f[0];
}
// The 16-bit conversions of microkernels/convert/avx512f.h (AVX512F), which
// SIMDe 0.7.4 lacks; f16 through the scalar helpers of convert/scalar.h.
#include "microkernels/convert/scalar.h"
static inline __m512i emu_cvtepu16_epi32(__m256i a) {
  uint16_t h[16]; uint32_t w[16]; __m512i r;
  memcpy(h, &a, sizeof(h));
  for (int i = 0; i < 16; i++) w[i] = h[i];
  memcpy(&r, w, sizeof(w)); return r;
}
static inline __m256i emu_cvtepi32_epi16(__m512i a) {
  uint32_t w[16]; uint16_t h[16]; __m256i r;
  memcpy(w, &a, sizeof(w));
  for (int i = 0; i < 16; i++) h[i] = (uint16_t) w[i];
  memcpy(&r, h, sizeof(h)); return r;
}
static inline __m512 emu_cvtph_ps(__m256i a) {
  uint16_t h[16]; float f[16]; __m512 r;
  memcpy(h, &a, sizeof(h));
  for (int i = 0; i < 16; i++) f[i] = twopass_f16_to_f32(h[i]);
  memcpy(&r, f, sizeof(f)); return r;
}
static inline __m256i emu_cvtps_ph(__m512 a, int rounding) {
  float f[16]; uint16_t h[16]; __m256i r;
  (void) rounding;  // nearest even, the only mode the kernels use
  memcpy(f, &a, sizeof(f));
  for (int i = 0; i < 16; i++) h[i] = twopass_f16_from_f32(f[i]);
  memcpy(&r, h, sizeof(h)); return r;
}
#define _cvtu32_mask16(x) ((__mmask16) (x))
#define _mm512_cvtepu16_epi32 emu_cvtepu16_epi32
#define _mm512_cvtepi32_epi16 emu_cvtepi32_epi16
#define _mm512_cvtph_ps emu_cvtph_ps
#define _mm512_cvtps_ph emu_cvtps_ph
#define _mm512_cvtps_pd emu_cvtps_pd
#define _mm512_maskz_loadu_ps emu_maskz_loadu_ps
#define _mm512_mask_loadu_ps emu_mask_loadu_ps
#define _mm512_mask_storeu_ps emu_mask_storeu_ps
#define _mm512_stream_ps emu_stream_ps
#define _mm512_reduce_add_pd emu_reduce_add_pd
#define _mm512_reduce_max_ps emu_reduce_max_ps
#define _mm512_reduce_min_ps emu_reduce_min_ps
