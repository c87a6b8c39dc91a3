// Softmax with the online normalizer (Milakov & Gimelshein, 2018), AVX-512F,
// for the algorithm comparison only: pass 1 keeps a running maximum m and a
// sum d rescaled whenever m grows (d = d * exp(m_old - m_new) + exp(x - m_new),
// two exps per element); pass 2 writes y = exp(x - m) / d (one exp).
// Same exp as the twopass kernels: round-to-nearest n = x*log2(e), Cody-Waite
// reduction, degree-5 polynomial, VSCALEFPS. Built with -mavx512f; callers
// check the ISA at run time.
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "bench/f32-softmax-online.h"

// exp(x) for finite x <= 0 (VSCALEFPS flushes very negative x to +0).
static inline __m512 exp_p5(__m512 vx) {
  const __m512 vlog2e = _mm512_set1_ps(0x1.715476p+0f);
  const __m512 vminus_ln2_hi = _mm512_set1_ps(-0x1.62E43p-1f);
  const __m512 vminus_ln2_lo = _mm512_set1_ps(0x1.05C61p-29f);
  const __m512 vc5 = _mm512_set1_ps(0x1.0F9F9Cp-7f);
  const __m512 vc4 = _mm512_set1_ps(0x1.573A1Ap-5f);
  const __m512 vc3 = _mm512_set1_ps(0x1.555A80p-3f);
  const __m512 vc2 = _mm512_set1_ps(0x1.FFFDC6p-2f);
  const __m512 vc1 = _mm512_set1_ps(0x1.FFFFF6p-1f);
  const __m512 vone = _mm512_set1_ps(1.0f);
  const __m512 vn = _mm512_roundscale_ps(_mm512_mul_ps(vx, vlog2e),
                                         _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 vt = _mm512_fmadd_ps(vn, vminus_ln2_hi, vx);
  vt = _mm512_fmadd_ps(vn, vminus_ln2_lo, vt);
  __m512 vp = _mm512_fmadd_ps(vc5, vt, vc4);
  vp = _mm512_fmadd_ps(vp, vt, vc3);
  vp = _mm512_fmadd_ps(vp, vt, vc2);
  vp = _mm512_fmadd_ps(vp, vt, vc1);
  vp = _mm512_fmadd_ps(vp, vt, vone);
  return _mm512_scalef_ps(vp, vn);
}

// A lane's running maximum starts at -inf: its rescale factor exp(-inf - m)
// must be 0, so the argument is clamped to -104 (below which exp is 0 in float).
static inline __m512 rescale_factor(__m512 vold_max, __m512 vnew_max) {
  return exp_p5(_mm512_max_ps(_mm512_sub_ps(vold_max, vnew_max), _mm512_set1_ps(-104.0f)));
}

#define ONLINE_UPDATE(k, vx)                                                        \
  do {                                                                              \
    const __m512 vnew_max = _mm512_max_ps(vmax##k, vx);                             \
    vsum##k = _mm512_fmadd_ps(vsum##k, rescale_factor(vmax##k, vnew_max),           \
                              exp_p5(_mm512_sub_ps(vx, vnew_max)));                 \
    vmax##k = vnew_max;                                                             \
  } while (0)

void twopass_bench_f32_softmax_online_avx512f(size_t n, const float* x, float* y) {
  __m512 vmax0 = _mm512_set1_ps(-INFINITY);
  __m512 vmax1 = vmax0, vmax2 = vmax0, vmax3 = vmax0;
  __m512 vsum0 = _mm512_setzero_ps();
  __m512 vsum1 = vsum0, vsum2 = vsum0, vsum3 = vsum0;

  // Pass 1: four independent (max, sum) accumulators per lane.
  const float* input = x;
  size_t remaining = n;
  for (; remaining >= 64; remaining -= 64) {
    const __m512 vx0 = _mm512_loadu_ps(input);
    const __m512 vx1 = _mm512_loadu_ps(input + 16);
    const __m512 vx2 = _mm512_loadu_ps(input + 32);
    const __m512 vx3 = _mm512_loadu_ps(input + 48);
    input += 64;
    ONLINE_UPDATE(0, vx0);
    ONLINE_UPDATE(1, vx1);
    ONLINE_UPDATE(2, vx2);
    ONLINE_UPDATE(3, vx3);
  }
  for (; remaining >= 16; remaining -= 16) {
    const __m512 vx = _mm512_loadu_ps(input);
    input += 16;
    ONLINE_UPDATE(0, vx);
  }
  if (remaining != 0) {
    const __mmask16 vmask = _cvtu32_mask16((UINT32_C(1) << remaining) - 1);
    const __m512 vx = _mm512_maskz_loadu_ps(vmask, input);
    const __m512 vnew_max = _mm512_mask_max_ps(vmax1, vmask, vmax1, vx);
    const __m512 vnew_sum = _mm512_fmadd_ps(vsum1, rescale_factor(vmax1, vnew_max),
                                            exp_p5(_mm512_sub_ps(vx, vnew_max)));
    vsum1 = _mm512_mask_mov_ps(vsum1, vmask, vnew_sum);
    vmax1 = vnew_max;
  }

  // Merge accumulators and lanes: m = max of all; d = sum of d_k * exp(m_k - m).
  const __m512 vmax01 = _mm512_max_ps(vmax0, vmax1);
  const __m512 vmax23 = _mm512_max_ps(vmax2, vmax3);
  const float max = _mm512_reduce_max_ps(_mm512_max_ps(vmax01, vmax23));
  const __m512 vmax = _mm512_set1_ps(max);
  __m512 vsum = _mm512_mul_ps(vsum0, rescale_factor(vmax0, vmax));
  vsum = _mm512_fmadd_ps(vsum1, rescale_factor(vmax1, vmax), vsum);
  vsum = _mm512_fmadd_ps(vsum2, rescale_factor(vmax2, vmax), vsum);
  vsum = _mm512_fmadd_ps(vsum3, rescale_factor(vmax3, vmax), vsum);
  const __m512 vscale = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(vsum));

  // Pass 2: y = exp(x - m) / d.
  input = x;
  remaining = n;
  for (; remaining >= 64; remaining -= 64) {
    const __m512 vy0 = exp_p5(_mm512_sub_ps(_mm512_loadu_ps(input), vmax));
    const __m512 vy1 = exp_p5(_mm512_sub_ps(_mm512_loadu_ps(input + 16), vmax));
    const __m512 vy2 = exp_p5(_mm512_sub_ps(_mm512_loadu_ps(input + 32), vmax));
    const __m512 vy3 = exp_p5(_mm512_sub_ps(_mm512_loadu_ps(input + 48), vmax));
    input += 64;
    _mm512_storeu_ps(y, _mm512_mul_ps(vy0, vscale));
    _mm512_storeu_ps(y + 16, _mm512_mul_ps(vy1, vscale));
    _mm512_storeu_ps(y + 32, _mm512_mul_ps(vy2, vscale));
    _mm512_storeu_ps(y + 48, _mm512_mul_ps(vy3, vscale));
    y += 64;
  }
  for (; remaining >= 16; remaining -= 16) {
    const __m512 vy = exp_p5(_mm512_sub_ps(_mm512_loadu_ps(input), vmax));
    input += 16;
    _mm512_storeu_ps(y, _mm512_mul_ps(vy, vscale));
    y += 16;
  }
  if (remaining != 0) {
    const __mmask16 vmask = _cvtu32_mask16((UINT32_C(1) << remaining) - 1);
    const __m512 vy = exp_p5(_mm512_sub_ps(_mm512_maskz_loadu_ps(vmask, input), vmax));
    _mm512_mask_storeu_ps(y, vmask, _mm512_mul_ps(vy, vscale));
  }
}
