// Auto-generated file. Do not edit!
//   Template: microkernels/f32-vscaleextexp/avx512f-p5-scalef.c.in
//   Generator: scripts/xngen.py
//
// Pass 2 of the two-pass softmax, AVX-512F:
// y = exp(beta*x) * scale_value * 2^scale_exponent = (p * scale_value) * 2^(n + scale_exponent),
// with exp(beta*x) = p * 2^n as in raddextexp. VSCALEFPS applies 2^(n + scale_exponent)
// in one instruction and saturates to 0 instead of overflowing a float exponent.
// BETA1=1 makes the unit-beta variant (name token beta1) that plain softmax
// gets at plan time: it computes exp(x), never reads params->beta and skips
// the two-product, as beta*x = x is exact.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/microkernels.h"

void twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u128(
    size_t batch,
    const float* input,
    float* output,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(output != NULL);

  const __m512 vbeta = _mm512_set1_ps(params->beta);
  const __m512 vlog2e = _mm512_set1_ps(0x1.715476p+0f);
  const __m512 vminus_ln2_hi = _mm512_set1_ps(-0x1.62E43p-1f);
  const __m512 vminus_ln2_lo = _mm512_set1_ps(0x1.05C61p-29f);
  const __m512 vc5 = _mm512_set1_ps(0x1.0F9F9Cp-7f);
  const __m512 vc4 = _mm512_set1_ps(0x1.573A1Ap-5f);
  const __m512 vc3 = _mm512_set1_ps(0x1.555A80p-3f);
  const __m512 vc2 = _mm512_set1_ps(0x1.FFFDC6p-2f);
  const __m512 vc1 = _mm512_set1_ps(0x1.FFFFF6p-1f);
  const __m512 vone = _mm512_set1_ps(1.0f);
  const __m512 vmin_input = _mm512_set1_ps(TWOPASS_EXTEXP_MIN_INPUT);
  const __m512 vscalev = _mm512_set1_ps(params->scale);
  const __m512 vscalee = _mm512_set1_ps(params->scale_exponent);

  for (; batch >= 128 * sizeof(float); batch -= 128 * sizeof(float)) {
    const __m512 vx0 = _mm512_loadu_ps(input + 0);
    const __m512 vx1 = _mm512_loadu_ps(input + 16);
    const __m512 vx2 = _mm512_loadu_ps(input + 32);
    const __m512 vx3 = _mm512_loadu_ps(input + 48);
    const __m512 vx4 = _mm512_loadu_ps(input + 64);
    const __m512 vx5 = _mm512_loadu_ps(input + 80);
    const __m512 vx6 = _mm512_loadu_ps(input + 96);
    const __m512 vx7 = _mm512_loadu_ps(input + 112);
    input += 128;

    // z = beta*x exactly, as z + err: err is added to the reduced argument.
    const __m512 vz0 = _mm512_mul_ps(vx0, vbeta);
    const __m512 vz1 = _mm512_mul_ps(vx1, vbeta);
    const __m512 vz2 = _mm512_mul_ps(vx2, vbeta);
    const __m512 vz3 = _mm512_mul_ps(vx3, vbeta);
    const __m512 vz4 = _mm512_mul_ps(vx4, vbeta);
    const __m512 vz5 = _mm512_mul_ps(vx5, vbeta);
    const __m512 vz6 = _mm512_mul_ps(vx6, vbeta);
    const __m512 vz7 = _mm512_mul_ps(vx7, vbeta);
    const __m512 verr0 = _mm512_fmsub_ps(vx0, vbeta, vz0);
    const __m512 verr1 = _mm512_fmsub_ps(vx1, vbeta, vz1);
    const __m512 verr2 = _mm512_fmsub_ps(vx2, vbeta, vz2);
    const __m512 verr3 = _mm512_fmsub_ps(vx3, vbeta, vz3);
    const __m512 verr4 = _mm512_fmsub_ps(vx4, vbeta, vz4);
    const __m512 verr5 = _mm512_fmsub_ps(vx5, vbeta, vz5);
    const __m512 verr6 = _mm512_fmsub_ps(vx6, vbeta, vz6);
    const __m512 verr7 = _mm512_fmsub_ps(vx7, vbeta, vz7);

    const __m512 vn0 = _mm512_roundscale_ps(_mm512_mul_ps(vz0, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 vn1 = _mm512_roundscale_ps(_mm512_mul_ps(vz1, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 vn2 = _mm512_roundscale_ps(_mm512_mul_ps(vz2, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 vn3 = _mm512_roundscale_ps(_mm512_mul_ps(vz3, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 vn4 = _mm512_roundscale_ps(_mm512_mul_ps(vz4, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 vn5 = _mm512_roundscale_ps(_mm512_mul_ps(vz5, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 vn6 = _mm512_roundscale_ps(_mm512_mul_ps(vz6, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 vn7 = _mm512_roundscale_ps(_mm512_mul_ps(vz7, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);

    __m512 vt0 = _mm512_fmadd_ps(vn0, vminus_ln2_hi, vz0);
    __m512 vt1 = _mm512_fmadd_ps(vn1, vminus_ln2_hi, vz1);
    __m512 vt2 = _mm512_fmadd_ps(vn2, vminus_ln2_hi, vz2);
    __m512 vt3 = _mm512_fmadd_ps(vn3, vminus_ln2_hi, vz3);
    __m512 vt4 = _mm512_fmadd_ps(vn4, vminus_ln2_hi, vz4);
    __m512 vt5 = _mm512_fmadd_ps(vn5, vminus_ln2_hi, vz5);
    __m512 vt6 = _mm512_fmadd_ps(vn6, vminus_ln2_hi, vz6);
    __m512 vt7 = _mm512_fmadd_ps(vn7, vminus_ln2_hi, vz7);
    vt0 = _mm512_fmadd_ps(vn0, vminus_ln2_lo, vt0);
    vt1 = _mm512_fmadd_ps(vn1, vminus_ln2_lo, vt1);
    vt2 = _mm512_fmadd_ps(vn2, vminus_ln2_lo, vt2);
    vt3 = _mm512_fmadd_ps(vn3, vminus_ln2_lo, vt3);
    vt4 = _mm512_fmadd_ps(vn4, vminus_ln2_lo, vt4);
    vt5 = _mm512_fmadd_ps(vn5, vminus_ln2_lo, vt5);
    vt6 = _mm512_fmadd_ps(vn6, vminus_ln2_lo, vt6);
    vt7 = _mm512_fmadd_ps(vn7, vminus_ln2_lo, vt7);
    vt0 = _mm512_add_ps(vt0, verr0);
    vt1 = _mm512_add_ps(vt1, verr1);
    vt2 = _mm512_add_ps(vt2, verr2);
    vt3 = _mm512_add_ps(vt3, verr3);
    vt4 = _mm512_add_ps(vt4, verr4);
    vt5 = _mm512_add_ps(vt5, verr5);
    vt6 = _mm512_add_ps(vt6, verr6);
    vt7 = _mm512_add_ps(vt7, verr7);

    __m512 vp0 = _mm512_fmadd_ps(vc5, vt0, vc4);
    __m512 vp1 = _mm512_fmadd_ps(vc5, vt1, vc4);
    __m512 vp2 = _mm512_fmadd_ps(vc5, vt2, vc4);
    __m512 vp3 = _mm512_fmadd_ps(vc5, vt3, vc4);
    __m512 vp4 = _mm512_fmadd_ps(vc5, vt4, vc4);
    __m512 vp5 = _mm512_fmadd_ps(vc5, vt5, vc4);
    __m512 vp6 = _mm512_fmadd_ps(vc5, vt6, vc4);
    __m512 vp7 = _mm512_fmadd_ps(vc5, vt7, vc4);
    vp0 = _mm512_fmadd_ps(vp0, vt0, vc3);
    vp1 = _mm512_fmadd_ps(vp1, vt1, vc3);
    vp2 = _mm512_fmadd_ps(vp2, vt2, vc3);
    vp3 = _mm512_fmadd_ps(vp3, vt3, vc3);
    vp4 = _mm512_fmadd_ps(vp4, vt4, vc3);
    vp5 = _mm512_fmadd_ps(vp5, vt5, vc3);
    vp6 = _mm512_fmadd_ps(vp6, vt6, vc3);
    vp7 = _mm512_fmadd_ps(vp7, vt7, vc3);
    vp0 = _mm512_fmadd_ps(vp0, vt0, vc2);
    vp1 = _mm512_fmadd_ps(vp1, vt1, vc2);
    vp2 = _mm512_fmadd_ps(vp2, vt2, vc2);
    vp3 = _mm512_fmadd_ps(vp3, vt3, vc2);
    vp4 = _mm512_fmadd_ps(vp4, vt4, vc2);
    vp5 = _mm512_fmadd_ps(vp5, vt5, vc2);
    vp6 = _mm512_fmadd_ps(vp6, vt6, vc2);
    vp7 = _mm512_fmadd_ps(vp7, vt7, vc2);
    vp0 = _mm512_fmadd_ps(vp0, vt0, vc1);
    vp1 = _mm512_fmadd_ps(vp1, vt1, vc1);
    vp2 = _mm512_fmadd_ps(vp2, vt2, vc1);
    vp3 = _mm512_fmadd_ps(vp3, vt3, vc1);
    vp4 = _mm512_fmadd_ps(vp4, vt4, vc1);
    vp5 = _mm512_fmadd_ps(vp5, vt5, vc1);
    vp6 = _mm512_fmadd_ps(vp6, vt6, vc1);
    vp7 = _mm512_fmadd_ps(vp7, vt7, vc1);
    vp0 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz0, vmin_input, _CMP_NLT_UQ), vp0, vt0, vone);
    vp1 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz1, vmin_input, _CMP_NLT_UQ), vp1, vt1, vone);
    vp2 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz2, vmin_input, _CMP_NLT_UQ), vp2, vt2, vone);
    vp3 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz3, vmin_input, _CMP_NLT_UQ), vp3, vt3, vone);
    vp4 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz4, vmin_input, _CMP_NLT_UQ), vp4, vt4, vone);
    vp5 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz5, vmin_input, _CMP_NLT_UQ), vp5, vt5, vone);
    vp6 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz6, vmin_input, _CMP_NLT_UQ), vp6, vt6, vone);
    vp7 = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz7, vmin_input, _CMP_NLT_UQ), vp7, vt7, vone);

    const __m512 vy0 = _mm512_scalef_ps(_mm512_mul_ps(vp0, vscalev), _mm512_add_ps(vn0, vscalee));
    const __m512 vy1 = _mm512_scalef_ps(_mm512_mul_ps(vp1, vscalev), _mm512_add_ps(vn1, vscalee));
    const __m512 vy2 = _mm512_scalef_ps(_mm512_mul_ps(vp2, vscalev), _mm512_add_ps(vn2, vscalee));
    const __m512 vy3 = _mm512_scalef_ps(_mm512_mul_ps(vp3, vscalev), _mm512_add_ps(vn3, vscalee));
    const __m512 vy4 = _mm512_scalef_ps(_mm512_mul_ps(vp4, vscalev), _mm512_add_ps(vn4, vscalee));
    const __m512 vy5 = _mm512_scalef_ps(_mm512_mul_ps(vp5, vscalev), _mm512_add_ps(vn5, vscalee));
    const __m512 vy6 = _mm512_scalef_ps(_mm512_mul_ps(vp6, vscalev), _mm512_add_ps(vn6, vscalee));
    const __m512 vy7 = _mm512_scalef_ps(_mm512_mul_ps(vp7, vscalev), _mm512_add_ps(vn7, vscalee));

    _mm512_storeu_ps(output + 0, vy0);
    _mm512_storeu_ps(output + 16, vy1);
    _mm512_storeu_ps(output + 32, vy2);
    _mm512_storeu_ps(output + 48, vy3);
    _mm512_storeu_ps(output + 64, vy4);
    _mm512_storeu_ps(output + 80, vy5);
    _mm512_storeu_ps(output + 96, vy6);
    _mm512_storeu_ps(output + 112, vy7);
    output += 128;
  }
  while (batch != 0) {
    const size_t elements = batch >> 2;
    const __mmask16 vmask = elements >= 16
        ? (__mmask16) 0xFFFF : _cvtu32_mask16((UINT32_C(1) << elements) - 1);
    const size_t processed = elements >= 16 ? 16 : elements;
    const __m512 vx = _mm512_maskz_loadu_ps(vmask, input);
    input += processed;

    const __m512 vz = _mm512_mul_ps(vx, vbeta);
    const __m512 verr = _mm512_fmsub_ps(vx, vbeta, vz);
    const __m512 vn = _mm512_roundscale_ps(_mm512_mul_ps(vz, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 vt = _mm512_fmadd_ps(vn, vminus_ln2_hi, vz);
    vt = _mm512_fmadd_ps(vn, vminus_ln2_lo, vt);
    vt = _mm512_add_ps(vt, verr);
    __m512 vp = _mm512_fmadd_ps(vc5, vt, vc4);
    vp = _mm512_fmadd_ps(vp, vt, vc3);
    vp = _mm512_fmadd_ps(vp, vt, vc2);
    vp = _mm512_fmadd_ps(vp, vt, vc1);
    vp = _mm512_maskz_fmadd_ps(_mm512_cmp_ps_mask(vz, vmin_input, _CMP_NLT_UQ), vp, vt, vone);
    const __m512 vy = _mm512_scalef_ps(_mm512_mul_ps(vp, vscalev), _mm512_add_ps(vn, vscalee));

    _mm512_mask_storeu_ps(output, vmask, vy);
    output += processed;
    batch -= processed * sizeof(float);
  }
}
