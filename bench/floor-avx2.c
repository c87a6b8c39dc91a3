// The floor's passes with AVX2 (bench/floor.h); compiled with -mavx2 -mfma.
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

#include "bench/floor.h"

float twopass_floor_read__avx2(size_t n, const float* x) {
  __m256 m0 = _mm256_set1_ps(-INFINITY), m1 = m0, m2 = m0, m3 = m0;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    m0 = _mm256_max_ps(m0, _mm256_loadu_ps(x + i));
    m1 = _mm256_max_ps(m1, _mm256_loadu_ps(x + i + 8));
    m2 = _mm256_max_ps(m2, _mm256_loadu_ps(x + i + 16));
    m3 = _mm256_max_ps(m3, _mm256_loadu_ps(x + i + 24));
  }
  __m256 m = _mm256_max_ps(_mm256_max_ps(m0, m1), _mm256_max_ps(m2, m3));
  __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
  h = _mm_max_ps(h, _mm_movehl_ps(h, h));
  h = _mm_max_ss(h, _mm_movehdup_ps(h));
  float max = _mm_cvtss_f32(h);
  for (; i < n; i++) max = x[i] > max ? x[i] : max;
  return max;
}

void twopass_floor_copy__avx2(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256 v0 = _mm256_loadu_ps(x + i), v1 = _mm256_loadu_ps(x + i + 8);
    const __m256 v2 = _mm256_loadu_ps(x + i + 16), v3 = _mm256_loadu_ps(x + i + 24);
    _mm256_storeu_ps(y + i, v0);
    _mm256_storeu_ps(y + i + 8, v1);
    _mm256_storeu_ps(y + i + 16, v2);
    _mm256_storeu_ps(y + i + 24, v3);
  }
  for (; i < n; i++) y[i] = x[i];
}

void twopass_floor_copy_nt__avx2(size_t n, const float* x, float* y) {
  size_t i = 0;
  // Ordinary stores up to the first 32-byte boundary of y (streaming stores
  // need aligned addresses), streaming ones after it.
  for (; i < n && ((uintptr_t) (y + i) & 31) != 0; i++) y[i] = x[i];
  for (; i + 32 <= n; i += 32) {
    const __m256 v0 = _mm256_loadu_ps(x + i), v1 = _mm256_loadu_ps(x + i + 8);
    const __m256 v2 = _mm256_loadu_ps(x + i + 16), v3 = _mm256_loadu_ps(x + i + 24);
    _mm256_stream_ps(y + i, v0);
    _mm256_stream_ps(y + i + 8, v1);
    _mm256_stream_ps(y + i + 16, v2);
    _mm256_stream_ps(y + i + 24, v3);
  }
  for (; i < n; i++) y[i] = x[i];
  _mm_sfence();
}
