// Auto-generated file. Do not edit!
//   Template: microkernels/f32-raddextexp/avx2-p5.c.in
//   Generator: scripts/xngen.py
//
// Pass 1 of the two-pass softmax (Dukhan & Ablavatski, 2020), AVX2 + FMA.
//
// Same algorithm and constants as avx512f-p5-scalef.c.in: exp(beta*x) = p * 2^n,
// and every accumulator lane keeps a pair (v, e) meaning v * 2^e. AVX2 has no
// VSCALEFPS, so the factors 2^d (d <= 0, integer-valued) are built by hand:
//   d = max(d, -127)          (constant second: a NaN d becomes -127)
//   s = bits(d + 0x1.8000FEp23) << 23
// which is 2^d exactly for d >= -126 and +0.0 for d = -127. The lost terms
// (below 2^-126 relative to the accumulator's exponent) are negligible.
// A NaN element has a NaN p, which survives any multiplication by s, so NaN
// (and +inf, whose p is NaN too) reaches the sum.
//
// Each accumulator takes the maximum exponent of all the vectors it receives
// in one tile and is rescaled once: as every scale factor is an exact power of
// two, this gives the same sums as rescaling after every vector.
//
// Each float lane value takes at most 16 additions (or one tile's, if more)
// before it is flushed into a lane pair (double value, float exponent). A
// float sum that already holds a large term (the peak of a row) rounds every
// small addition the same way; each rounding is at most 2^-24 of the partial
// sum, so k additions cost at most k * 2^-24 of the sum, for any input.
// BETA1=1 makes the unit-beta variant (name token beta1) that plain softmax
// gets at plan time: it computes exp(x), never reads params->beta and skips
// the two-product, as beta*x = x is exact.
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "microkernels/microkernels.h"

// 2^d for integer-valued d <= 0: exact for d >= -126, 0 for d <= -127 or NaN.
static inline __m256 exp2_nonpositive(__m256 vd) {
  vd = _mm256_max_ps(vd, _mm256_set1_ps(-127.0f));  // constant second: NaN -> -127
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(
      _mm256_add_ps(vd, _mm256_set1_ps(0x1.8000FEp23f))), 23));
}

// Adds the lane pairs (vaccv, vacce) to the lane pairs (vsum_lo:vsum_hi, vsum_e),
// whose values are doubles. A NaN exponent comes with a NaN value, which
// survives every rescaling.
static inline void flush_to_double(__m256 vaccv, __m256 vacce,
                                   __m256* vsum_e, __m256d* vsum_lo, __m256d* vsum_hi) {
  const __m256 vmax_e = _mm256_max_ps(*vsum_e, vacce);
  const __m256 vsum_scale = exp2_nonpositive(_mm256_sub_ps(*vsum_e, vmax_e));
  const __m256 vacc = _mm256_mul_ps(vaccv, exp2_nonpositive(_mm256_sub_ps(vacce, vmax_e)));
  *vsum_lo = _mm256_fmadd_pd(*vsum_lo, _mm256_cvtps_pd(_mm256_castps256_ps128(vsum_scale)),
                             _mm256_cvtps_pd(_mm256_castps256_ps128(vacc)));
  *vsum_hi = _mm256_fmadd_pd(*vsum_hi, _mm256_cvtps_pd(_mm256_extractf128_ps(vsum_scale, 1)),
                             _mm256_cvtps_pd(_mm256_extractf128_ps(vacc, 1)));
  *vsum_e = vmax_e;
}

void twopass_f32_raddextexp_ukernel__avx2_p5_beta1_u72_acc3(
    size_t batch,
    const float* input,
    float* sum,
    const struct twopass_f32_params* params)
{
  assert(batch != 0);
  assert(batch % sizeof(float) == 0);
  assert(input != NULL);
  assert(sum != NULL);

  // 7 ones then 7 zeros: loading 8 entries at &mask_table[7 - k] gives a mask of k lanes.
  static const int32_t mask_table[14] = {-1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0};

  const __m256 vlog2e = _mm256_set1_ps(0x1.715476p+0f);
  // Cody-Waite split of -ln(2).
  const __m256 vminus_ln2_hi = _mm256_set1_ps(-0x1.62E43p-1f);
  const __m256 vminus_ln2_lo = _mm256_set1_ps(0x1.05C61p-29f);
  // Degree-5 minimax polynomial for exp(t) on [-ln(2)/2, ln(2)/2].
  const __m256 vc5 = _mm256_set1_ps(0x1.0F9F9Cp-7f);
  const __m256 vc4 = _mm256_set1_ps(0x1.573A1Ap-5f);
  const __m256 vc3 = _mm256_set1_ps(0x1.555A80p-3f);
  const __m256 vc2 = _mm256_set1_ps(0x1.FFFDC6p-2f);
  const __m256 vc1 = _mm256_set1_ps(0x1.FFFFF6p-1f);
  const __m256 vone = _mm256_set1_ps(1.0f);
  const __m256 vmin_input = _mm256_set1_ps(TWOPASS_EXTEXP_MIN_INPUT);

  __m256 vsum_e = _mm256_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
  __m256d vsum_lo = _mm256_setzero_pd();
  __m256d vsum_hi = _mm256_setzero_pd();
  // Windows of 4 tiles: 14 additions per float lane.
  while (batch >= 72 * sizeof(float)) {
    size_t tiles = batch / (72 * sizeof(float));
    tiles = tiles < 4 ? tiles : 4;
    batch -= tiles * (72 * sizeof(float));
    __m256 vaccv0 = _mm256_setzero_ps();
    __m256 vaccv1 = _mm256_setzero_ps();
    __m256 vaccv2 = _mm256_setzero_ps();
    __m256 vacce0 = _mm256_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    __m256 vacce1 = _mm256_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    __m256 vacce2 = _mm256_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
    do {
      const __m256 vx0 = _mm256_loadu_ps(input + 0);
      const __m256 vx1 = _mm256_loadu_ps(input + 8);
      const __m256 vx2 = _mm256_loadu_ps(input + 16);
      const __m256 vx3 = _mm256_loadu_ps(input + 24);
      const __m256 vx4 = _mm256_loadu_ps(input + 32);
      const __m256 vx5 = _mm256_loadu_ps(input + 40);
      const __m256 vx6 = _mm256_loadu_ps(input + 48);
      const __m256 vx7 = _mm256_loadu_ps(input + 56);
      const __m256 vx8 = _mm256_loadu_ps(input + 64);
      input += 72;

      const __m256 vz0 = vx0;
      const __m256 vz1 = vx1;
      const __m256 vz2 = vx2;
      const __m256 vz3 = vx3;
      const __m256 vz4 = vx4;
      const __m256 vz5 = vx5;
      const __m256 vz6 = vx6;
      const __m256 vz7 = vx7;
      const __m256 vz8 = vx8;

      const __m256 vn0 = _mm256_round_ps(_mm256_mul_ps(vz0, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m256 vn1 = _mm256_round_ps(_mm256_mul_ps(vz1, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m256 vn2 = _mm256_round_ps(_mm256_mul_ps(vz2, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m256 vn3 = _mm256_round_ps(_mm256_mul_ps(vz3, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m256 vn4 = _mm256_round_ps(_mm256_mul_ps(vz4, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m256 vn5 = _mm256_round_ps(_mm256_mul_ps(vz5, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m256 vn6 = _mm256_round_ps(_mm256_mul_ps(vz6, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m256 vn7 = _mm256_round_ps(_mm256_mul_ps(vz7, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      const __m256 vn8 = _mm256_round_ps(_mm256_mul_ps(vz8, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);

      __m256 vt0 = _mm256_fmadd_ps(vn0, vminus_ln2_hi, vz0);
      __m256 vt1 = _mm256_fmadd_ps(vn1, vminus_ln2_hi, vz1);
      __m256 vt2 = _mm256_fmadd_ps(vn2, vminus_ln2_hi, vz2);
      __m256 vt3 = _mm256_fmadd_ps(vn3, vminus_ln2_hi, vz3);
      __m256 vt4 = _mm256_fmadd_ps(vn4, vminus_ln2_hi, vz4);
      __m256 vt5 = _mm256_fmadd_ps(vn5, vminus_ln2_hi, vz5);
      __m256 vt6 = _mm256_fmadd_ps(vn6, vminus_ln2_hi, vz6);
      __m256 vt7 = _mm256_fmadd_ps(vn7, vminus_ln2_hi, vz7);
      __m256 vt8 = _mm256_fmadd_ps(vn8, vminus_ln2_hi, vz8);
      vt0 = _mm256_fmadd_ps(vn0, vminus_ln2_lo, vt0);
      vt1 = _mm256_fmadd_ps(vn1, vminus_ln2_lo, vt1);
      vt2 = _mm256_fmadd_ps(vn2, vminus_ln2_lo, vt2);
      vt3 = _mm256_fmadd_ps(vn3, vminus_ln2_lo, vt3);
      vt4 = _mm256_fmadd_ps(vn4, vminus_ln2_lo, vt4);
      vt5 = _mm256_fmadd_ps(vn5, vminus_ln2_lo, vt5);
      vt6 = _mm256_fmadd_ps(vn6, vminus_ln2_lo, vt6);
      vt7 = _mm256_fmadd_ps(vn7, vminus_ln2_lo, vt7);
      vt8 = _mm256_fmadd_ps(vn8, vminus_ln2_lo, vt8);

      __m256 vp0 = _mm256_fmadd_ps(vc5, vt0, vc4);
      __m256 vp1 = _mm256_fmadd_ps(vc5, vt1, vc4);
      __m256 vp2 = _mm256_fmadd_ps(vc5, vt2, vc4);
      __m256 vp3 = _mm256_fmadd_ps(vc5, vt3, vc4);
      __m256 vp4 = _mm256_fmadd_ps(vc5, vt4, vc4);
      __m256 vp5 = _mm256_fmadd_ps(vc5, vt5, vc4);
      __m256 vp6 = _mm256_fmadd_ps(vc5, vt6, vc4);
      __m256 vp7 = _mm256_fmadd_ps(vc5, vt7, vc4);
      __m256 vp8 = _mm256_fmadd_ps(vc5, vt8, vc4);
      vp0 = _mm256_fmadd_ps(vp0, vt0, vc3);
      vp1 = _mm256_fmadd_ps(vp1, vt1, vc3);
      vp2 = _mm256_fmadd_ps(vp2, vt2, vc3);
      vp3 = _mm256_fmadd_ps(vp3, vt3, vc3);
      vp4 = _mm256_fmadd_ps(vp4, vt4, vc3);
      vp5 = _mm256_fmadd_ps(vp5, vt5, vc3);
      vp6 = _mm256_fmadd_ps(vp6, vt6, vc3);
      vp7 = _mm256_fmadd_ps(vp7, vt7, vc3);
      vp8 = _mm256_fmadd_ps(vp8, vt8, vc3);
      vp0 = _mm256_fmadd_ps(vp0, vt0, vc2);
      vp1 = _mm256_fmadd_ps(vp1, vt1, vc2);
      vp2 = _mm256_fmadd_ps(vp2, vt2, vc2);
      vp3 = _mm256_fmadd_ps(vp3, vt3, vc2);
      vp4 = _mm256_fmadd_ps(vp4, vt4, vc2);
      vp5 = _mm256_fmadd_ps(vp5, vt5, vc2);
      vp6 = _mm256_fmadd_ps(vp6, vt6, vc2);
      vp7 = _mm256_fmadd_ps(vp7, vt7, vc2);
      vp8 = _mm256_fmadd_ps(vp8, vt8, vc2);
      vp0 = _mm256_fmadd_ps(vp0, vt0, vc1);
      vp1 = _mm256_fmadd_ps(vp1, vt1, vc1);
      vp2 = _mm256_fmadd_ps(vp2, vt2, vc1);
      vp3 = _mm256_fmadd_ps(vp3, vt3, vc1);
      vp4 = _mm256_fmadd_ps(vp4, vt4, vc1);
      vp5 = _mm256_fmadd_ps(vp5, vt5, vc1);
      vp6 = _mm256_fmadd_ps(vp6, vt6, vc1);
      vp7 = _mm256_fmadd_ps(vp7, vt7, vc1);
      vp8 = _mm256_fmadd_ps(vp8, vt8, vc1);
      vp0 = _mm256_fmadd_ps(vp0, vt0, vone);
      vp1 = _mm256_fmadd_ps(vp1, vt1, vone);
      vp2 = _mm256_fmadd_ps(vp2, vt2, vone);
      vp3 = _mm256_fmadd_ps(vp3, vt3, vone);
      vp4 = _mm256_fmadd_ps(vp4, vt4, vone);
      vp5 = _mm256_fmadd_ps(vp5, vt5, vone);
      vp6 = _mm256_fmadd_ps(vp6, vt6, vone);
      vp7 = _mm256_fmadd_ps(vp7, vt7, vone);
      vp8 = _mm256_fmadd_ps(vp8, vt8, vone);
      // Products below the range (-inf included) contribute exactly 0;
      // LT_OQ is false for NaN, so NaN lanes keep their NaN p.
      vp0 = _mm256_andnot_ps(_mm256_cmp_ps(vz0, vmin_input, _CMP_LT_OQ), vp0);
      vp1 = _mm256_andnot_ps(_mm256_cmp_ps(vz1, vmin_input, _CMP_LT_OQ), vp1);
      vp2 = _mm256_andnot_ps(_mm256_cmp_ps(vz2, vmin_input, _CMP_LT_OQ), vp2);
      vp3 = _mm256_andnot_ps(_mm256_cmp_ps(vz3, vmin_input, _CMP_LT_OQ), vp3);
      vp4 = _mm256_andnot_ps(_mm256_cmp_ps(vz4, vmin_input, _CMP_LT_OQ), vp4);
      vp5 = _mm256_andnot_ps(_mm256_cmp_ps(vz5, vmin_input, _CMP_LT_OQ), vp5);
      vp6 = _mm256_andnot_ps(_mm256_cmp_ps(vz6, vmin_input, _CMP_LT_OQ), vp6);
      vp7 = _mm256_andnot_ps(_mm256_cmp_ps(vz7, vmin_input, _CMP_LT_OQ), vp7);
      vp8 = _mm256_andnot_ps(_mm256_cmp_ps(vz8, vmin_input, _CMP_LT_OQ), vp8);

      // New exponent of each accumulator: the maximum of its own and of its vectors' n.
      __m256 vmax_e0 = _mm256_max_ps(vacce0, vn0);
      __m256 vmax_e1 = _mm256_max_ps(vacce1, vn1);
      __m256 vmax_e2 = _mm256_max_ps(vacce2, vn2);
      vmax_e0 = _mm256_max_ps(vmax_e0, vn3);
      vmax_e1 = _mm256_max_ps(vmax_e1, vn4);
      vmax_e2 = _mm256_max_ps(vmax_e2, vn5);
      vmax_e0 = _mm256_max_ps(vmax_e0, vn6);
      vmax_e1 = _mm256_max_ps(vmax_e1, vn7);
      vmax_e2 = _mm256_max_ps(vmax_e2, vn8);

      // Scale factors 2^delta of the exponent deltas (<= 0, or NaN: 0).
      const __m256 vaccs0 = exp2_nonpositive(_mm256_sub_ps(vacce0, vmax_e0));
      const __m256 vaccs1 = exp2_nonpositive(_mm256_sub_ps(vacce1, vmax_e1));
      const __m256 vaccs2 = exp2_nonpositive(_mm256_sub_ps(vacce2, vmax_e2));
      const __m256 vs0 = exp2_nonpositive(_mm256_sub_ps(vn0, vmax_e0));
      const __m256 vs1 = exp2_nonpositive(_mm256_sub_ps(vn1, vmax_e1));
      const __m256 vs2 = exp2_nonpositive(_mm256_sub_ps(vn2, vmax_e2));
      const __m256 vs3 = exp2_nonpositive(_mm256_sub_ps(vn3, vmax_e0));
      const __m256 vs4 = exp2_nonpositive(_mm256_sub_ps(vn4, vmax_e1));
      const __m256 vs5 = exp2_nonpositive(_mm256_sub_ps(vn5, vmax_e2));
      const __m256 vs6 = exp2_nonpositive(_mm256_sub_ps(vn6, vmax_e0));
      const __m256 vs7 = exp2_nonpositive(_mm256_sub_ps(vn7, vmax_e1));
      const __m256 vs8 = exp2_nonpositive(_mm256_sub_ps(vn8, vmax_e2));

      vaccv0 = _mm256_mul_ps(vaccv0, vaccs0);
      vaccv1 = _mm256_mul_ps(vaccv1, vaccs1);
      vaccv2 = _mm256_mul_ps(vaccv2, vaccs2);
      vaccv0 = _mm256_fmadd_ps(vp0, vs0, vaccv0);
      vaccv1 = _mm256_fmadd_ps(vp1, vs1, vaccv1);
      vaccv2 = _mm256_fmadd_ps(vp2, vs2, vaccv2);
      vaccv0 = _mm256_fmadd_ps(vp3, vs3, vaccv0);
      vaccv1 = _mm256_fmadd_ps(vp4, vs4, vaccv1);
      vaccv2 = _mm256_fmadd_ps(vp5, vs5, vaccv2);
      vaccv0 = _mm256_fmadd_ps(vp6, vs6, vaccv0);
      vaccv1 = _mm256_fmadd_ps(vp7, vs7, vaccv1);
      vaccv2 = _mm256_fmadd_ps(vp8, vs8, vaccv2);
      vacce0 = vmax_e0;
      vacce1 = vmax_e1;
      vacce2 = vmax_e2;
    } while (--tiles != 0);
    // Merge the accumulators into the first one.
    {
      __m256 vmax_e = _mm256_max_ps(vacce0, vacce1);
      vmax_e = _mm256_max_ps(vmax_e, vacce2);
      const __m256 vaccs0 = exp2_nonpositive(_mm256_sub_ps(vacce0, vmax_e));
      const __m256 vaccs1 = exp2_nonpositive(_mm256_sub_ps(vacce1, vmax_e));
      const __m256 vaccs2 = exp2_nonpositive(_mm256_sub_ps(vacce2, vmax_e));
      vaccv0 = _mm256_mul_ps(vaccv0, vaccs0);
      vaccv0 = _mm256_fmadd_ps(vaccv1, vaccs1, vaccv0);
      vaccv0 = _mm256_fmadd_ps(vaccv2, vaccs2, vaccv0);
      vacce0 = vmax_e;
    }
    flush_to_double(vaccv0, vacce0, &vsum_e, &vsum_lo, &vsum_hi);
  }

  __m256 vaccv0 = _mm256_setzero_ps();
  __m256 vacce0 = _mm256_set1_ps(TWOPASS_EXTEXP_EMPTY_EXPONENT);
  for (; batch >= 8 * sizeof(float); batch -= 8 * sizeof(float)) {
    const __m256 vx = _mm256_loadu_ps(input);
    input += 8;

    const __m256 vz = vx;
    const __m256 vn = _mm256_round_ps(_mm256_mul_ps(vz, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 vt = _mm256_fmadd_ps(vn, vminus_ln2_hi, vz);
    vt = _mm256_fmadd_ps(vn, vminus_ln2_lo, vt);
    __m256 vp = _mm256_fmadd_ps(vc5, vt, vc4);
    vp = _mm256_fmadd_ps(vp, vt, vc3);
    vp = _mm256_fmadd_ps(vp, vt, vc2);
    vp = _mm256_fmadd_ps(vp, vt, vc1);
    vp = _mm256_fmadd_ps(vp, vt, vone);
    vp = _mm256_andnot_ps(_mm256_cmp_ps(vz, vmin_input, _CMP_LT_OQ), vp);

    const __m256 vmax_e = _mm256_max_ps(vacce0, vn);
    const __m256 vaccs = exp2_nonpositive(_mm256_sub_ps(vacce0, vmax_e));
    const __m256 vs = exp2_nonpositive(_mm256_sub_ps(vn, vmax_e));
    vaccv0 = _mm256_mul_ps(vaccv0, vaccs);
    vaccv0 = _mm256_fmadd_ps(vp, vs, vaccv0);
    vacce0 = vmax_e;
  }
  if (batch != 0) {
    assert(batch >= 1 * sizeof(float));
    assert(batch <= 7 * sizeof(float));
    const __m256i vmask = _mm256_loadu_si256((const __m256i*) ((uintptr_t) &mask_table[7] - batch));

    // Masked-off lanes read 0 and never touch memory past the row.
    const __m256 vx = _mm256_maskload_ps(input, vmask);

    const __m256 vz = vx;
    __m256 vn = _mm256_round_ps(_mm256_mul_ps(vz, vlog2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 vt = _mm256_fmadd_ps(vn, vminus_ln2_hi, vz);
    vt = _mm256_fmadd_ps(vn, vminus_ln2_lo, vt);
    __m256 vp = _mm256_fmadd_ps(vc5, vt, vc4);
    vp = _mm256_fmadd_ps(vp, vt, vc3);
    vp = _mm256_fmadd_ps(vp, vt, vc2);
    vp = _mm256_fmadd_ps(vp, vt, vc1);
    vp = _mm256_fmadd_ps(vp, vt, vone);
    // Masked-off lanes contribute p = 0 at the accumulator's own exponent, so
    // they change neither the value nor the exponent of the accumulator.
    vp = _mm256_and_ps(_mm256_andnot_ps(_mm256_cmp_ps(vz, vmin_input, _CMP_LT_OQ), vp), _mm256_castsi256_ps(vmask));
    vn = _mm256_blendv_ps(vacce0, vn, _mm256_castsi256_ps(vmask));

    const __m256 vmax_e = _mm256_max_ps(vacce0, vn);
    const __m256 vaccs = exp2_nonpositive(_mm256_sub_ps(vacce0, vmax_e));
    const __m256 vs = exp2_nonpositive(_mm256_sub_ps(vn, vmax_e));
    vaccv0 = _mm256_mul_ps(vaccv0, vaccs);
    vaccv0 = _mm256_fmadd_ps(vp, vs, vaccv0);
    vacce0 = vmax_e;
  }

  flush_to_double(vaccv0, vacce0, &vsum_e, &vsum_lo, &vsum_hi);

  // Merge the lanes: rescale every lane to the largest exponent, then add.
  // One maximum for all lanes (a lane-wise butterfly would let a NaN lane give
  // lanes different maxima). A NaN lane exponent only occurs with a NaN lane
  // value, which survives the rescaling, so NaN propagates.
  __m128 vmax_e4 = _mm_max_ps(_mm256_castps256_ps128(vsum_e), _mm256_extractf128_ps(vsum_e, 1));
  vmax_e4 = _mm_max_ps(vmax_e4, _mm_movehl_ps(vmax_e4, vmax_e4));
  vmax_e4 = _mm_max_ss(vmax_e4, _mm_movehdup_ps(vmax_e4));
  const __m256 vscale = exp2_nonpositive(_mm256_sub_ps(vsum_e, _mm256_broadcastss_ps(vmax_e4)));
  const __m256d vsum = _mm256_add_pd(
      _mm256_mul_pd(vsum_lo, _mm256_cvtps_pd(_mm256_castps256_ps128(vscale))),
      _mm256_mul_pd(vsum_hi, _mm256_cvtps_pd(_mm256_extractf128_ps(vscale, 1))));
  __m128d vsum2 = _mm_add_pd(_mm256_castpd256_pd128(vsum), _mm256_extractf128_pd(vsum, 1));
  vsum2 = _mm_add_sd(vsum2, _mm_unpackhi_pd(vsum2, vsum2));
  sum[0] = (float) _mm_cvtsd_f64(vsum2);
  sum[1] = _mm_cvtss_f32(vmax_e4);
}
