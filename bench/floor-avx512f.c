// The floor's passes with AVX-512F (bench/floor.h); compiled with -mavx512f.
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

#include "bench/floor.h"

float twopass_floor_read__avx512f(size_t n, const float* x) {
  __m512 m0 = _mm512_set1_ps(-INFINITY), m1 = m0, m2 = m0, m3 = m0;
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    m0 = _mm512_max_ps(m0, _mm512_loadu_ps(x + i));
    m1 = _mm512_max_ps(m1, _mm512_loadu_ps(x + i + 16));
    m2 = _mm512_max_ps(m2, _mm512_loadu_ps(x + i + 32));
    m3 = _mm512_max_ps(m3, _mm512_loadu_ps(x + i + 48));
  }
  __m512 m = _mm512_max_ps(_mm512_max_ps(m0, m1), _mm512_max_ps(m2, m3));
  float max = _mm512_reduce_max_ps(m);
  for (; i < n; i++) max = x[i] > max ? x[i] : max;
  return max;
}

void twopass_floor_copy__avx512f(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m512 v0 = _mm512_loadu_ps(x + i), v1 = _mm512_loadu_ps(x + i + 16);
    const __m512 v2 = _mm512_loadu_ps(x + i + 32), v3 = _mm512_loadu_ps(x + i + 48);
    _mm512_storeu_ps(y + i, v0);
    _mm512_storeu_ps(y + i + 16, v1);
    _mm512_storeu_ps(y + i + 32, v2);
    _mm512_storeu_ps(y + i + 48, v3);
  }
  for (; i < n; i++) y[i] = x[i];
}

void twopass_floor_copy_nt__avx512f(size_t n, const float* x, float* y) {
  size_t i = 0;
  // Ordinary stores up to the first 64-byte boundary of y (streaming stores
  // need aligned addresses), streaming ones after it.
  for (; i < n && ((uintptr_t) (y + i) & 63) != 0; i++) y[i] = x[i];
  for (; i + 64 <= n; i += 64) {
    const __m512 v0 = _mm512_loadu_ps(x + i), v1 = _mm512_loadu_ps(x + i + 16);
    const __m512 v2 = _mm512_loadu_ps(x + i + 32), v3 = _mm512_loadu_ps(x + i + 48);
    _mm512_stream_ps(y + i, v0);
    _mm512_stream_ps(y + i + 16, v1);
    _mm512_stream_ps(y + i + 32, v2);
    _mm512_stream_ps(y + i + 48, v3);
  }
  for (; i < n; i++) y[i] = x[i];
  _mm_sfence();
}
