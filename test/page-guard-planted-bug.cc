// The guards can fail: broken stand-ins of kernels, defined here (the real
// kernels are untouched), placed exactly as test/page-guard-microkernel.cc
// places rows, must crash; the real kernels in the same places must not.
// Planted bugs:
//   * a scalar kernel that reads one element past its row, or one before it;
//   * a scalar kernel that writes one element past its output;
//   * an AVX-512F kernel whose remainder uses an unmasked 16-lane load (the
//     classic masked-load bug: harmless in the middle of a buffer, a fault
//     at a page end);
//   * an AVX2 kernel whose remainder loads a full 8-lane vector;
//   * an AVX-512F kernel whose remainder stores all 16 lanes.
// Under AddressSanitizer, the scalar over-read of a heap buffer is also
// reported as a heap-buffer-overflow (the sanitizer job's view of the bug).
#include <gtest/gtest.h>
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "microkernels/microkernels.h"
#include "testing/page-guard.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TWOPASS_GUARD_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(TWOPASS_GUARD_ASAN)
#define TWOPASS_GUARD_ASAN 1
#endif

namespace twopass {
namespace guard {
namespace {

// ---- Broken stand-ins (same signatures as the vscale and rmax kernels) ----

// Remainder loop off by one: reads input[n] (and discards it).
void BrokenVscaleReadsPast(size_t batch, const float* input, float* output,
                           const twopass_f32_params* params) {
  const float scale = params->scale;
  const size_t n = batch / sizeof(float);
  for (size_t i = 0; i <= n; i++) {
    const float x = *static_cast<const volatile float*>(input + i);
    if (i < n) output[i] = x * scale;
  }
}

// Reads input[-1] (a pointer stepped back once too often).
void BrokenVscaleReadsBefore(size_t batch, const float* input, float* output,
                             const twopass_f32_params* params) {
  const float scale = params->scale;
  const size_t n = batch / sizeof(float);
  const float before = *static_cast<const volatile float*>(input - 1);
  (void)before;
  for (size_t i = 0; i < n; i++) output[i] = input[i] * scale;
}

// Writes output[n].
void BrokenVscaleWritesPast(size_t batch, const float* input, float* output,
                            const twopass_f32_params* params) {
  const float scale = params->scale;
  const size_t n = batch / sizeof(float);
  for (size_t i = 0; i < n; i++) output[i] = input[i] * scale;
  *static_cast<volatile float*>(output + n) = 0.0f;
}

// AVX-512F rmax whose remainder loads 16 lanes without a mask, then masks
// the result (the values are right; the access is not).
__attribute__((target("avx512f"))) void BrokenRmaxAvx512fUnmaskedLoad(size_t batch,
                                                                      const float* input,
                                                                      float* output,
                                                                      const twopass_f32_params*) {
  __m512 vmax = _mm512_set1_ps(-INFINITY);
  for (; batch >= 16 * sizeof(float); batch -= 16 * sizeof(float)) {
    vmax = _mm512_max_ps(vmax, _mm512_loadu_ps(input));
    input += 16;
  }
  if (batch != 0) {
    const __mmask16 vmask = _cvtu32_mask16((UINT32_C(1) << (batch / sizeof(float))) - 1);
    __m512 vx = _mm512_loadu_ps(input);  // BUG: should be _mm512_maskz_loadu_ps
    // Keep the full-width load: folded into the masked max below it would
    // become a masked memory operand, whose masked-off lanes never fault.
    __asm__ volatile("" : "+v"(vx));
    vmax = _mm512_mask_max_ps(vmax, vmask, vmax, vx);
  }
  *output = _mm512_reduce_max_ps(vmax);
}

// The same with the correct masked load (the control).
__attribute__((target("avx512f"))) void FixedRmaxAvx512fMaskedLoad(size_t batch, const float* input,
                                                                   float* output,
                                                                   const twopass_f32_params*) {
  __m512 vmax = _mm512_set1_ps(-INFINITY);
  for (; batch >= 16 * sizeof(float); batch -= 16 * sizeof(float)) {
    vmax = _mm512_max_ps(vmax, _mm512_loadu_ps(input));
    input += 16;
  }
  if (batch != 0) {
    const __mmask16 vmask = _cvtu32_mask16((UINT32_C(1) << (batch / sizeof(float))) - 1);
    const __m512 vx = _mm512_maskz_loadu_ps(vmask, input);
    vmax = _mm512_mask_max_ps(vmax, vmask, vmax, vx);
  }
  *output = _mm512_reduce_max_ps(vmax);
}

// AVX2 vscale whose remainder loads a full 8-lane vector, then stores lane
// by lane.
__attribute__((target("avx2,fma"))) void BrokenVscaleAvx2FullLoad(size_t batch, const float* input,
                                                                  float* output,
                                                                  const twopass_f32_params* params) {
  const float scale = params->scale;
  const __m256 vscale = _mm256_set1_ps(scale);
  for (; batch >= 8 * sizeof(float); batch -= 8 * sizeof(float)) {
    _mm256_storeu_ps(output, _mm256_mul_ps(_mm256_loadu_ps(input), vscale));
    input += 8;
    output += 8;
  }
  if (batch != 0) {
    float lanes[8];
    _mm256_storeu_ps(lanes, _mm256_mul_ps(_mm256_loadu_ps(input), vscale));  // BUG
    std::copy(lanes, lanes + batch / sizeof(float), output);
  }
}

// AVX-512F vscale whose remainder masks the load but stores all 16 lanes.
__attribute__((target("avx512f"))) void BrokenVscaleAvx512fUnmaskedStore(size_t batch,
                                                                         const float* input,
                                                                         float* output,
                                                                         const twopass_f32_params* params) {
  const float scale = params->scale;
  const __m512 vscale = _mm512_set1_ps(scale);
  for (; batch >= 16 * sizeof(float); batch -= 16 * sizeof(float)) {
    _mm512_storeu_ps(output, _mm512_mul_ps(_mm512_loadu_ps(input), vscale));
    input += 16;
    output += 16;
  }
  if (batch != 0) {
    const __mmask16 vmask = _cvtu32_mask16((UINT32_C(1) << (batch / sizeof(float))) - 1);
    _mm512_storeu_ps(output, _mm512_mul_ps(_mm512_maskz_loadu_ps(vmask, input), vscale));  // BUG
  }
}

// ---- Placing a row as the page-guard tests do -------------------------------------

// Runs a vscale-like kernel on n floats: input and output at `placement`,
// input read-only.
void RunVscale(twopass_f32_vunary_ukernel_fn kernel, size_t n, Placement placement) {
  GuardedPages input_pages(n);
  GuardedPages output_pages(n);
  float* x = Place(input_pages, placement, n);
  float* y = Place(output_pages, placement, n);
  for (size_t i = 0; i < n; i++) x[i] = static_cast<float>(i);
  input_pages.ReadOnly();
  twopass_f32_params params = {};
  params.scale = 0.5f;
  kernel(n * sizeof(float), x, y, &params);
  input_pages.ReadWrite();
}

void RunRmax(twopass_f32_reduce_ukernel_fn kernel, size_t n) {
  GuardedPages input_pages(n);
  float* x = input_pages.AtEnd(n);
  for (size_t i = 0; i < n; i++) x[i] = static_cast<float>(i);
  input_pages.ReadOnly();
  float result = 0.0f;
  const twopass_f32_params params = {};
  kernel(n * sizeof(float), x, &result, &params);
  input_pages.ReadWrite();
  if (result != static_cast<float>(n - 1)) std::abort();
}

class PlantedBugDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

// The guard pages catch the planted bugs ...

TEST_F(PlantedBugDeathTest, scalar_read_past_the_row_faults) {
  EXPECT_DEATH(RunVscale(BrokenVscaleReadsPast, 7, Placement::end), "");
}

TEST_F(PlantedBugDeathTest, scalar_read_before_the_row_faults) {
  EXPECT_DEATH(RunVscale(BrokenVscaleReadsBefore, 7, Placement::start), "");
}

TEST_F(PlantedBugDeathTest, scalar_write_past_the_row_faults) {
  EXPECT_DEATH(RunVscale(BrokenVscaleWritesPast, 7, Placement::end), "");
}

TEST_F(PlantedBugDeathTest, avx512f_unmasked_remainder_load_faults) {
  TWOPASS_GUARD_REQUIRES_ARCH(TWOPASS_ARCH_X86_AVX512F);
  for (size_t n : {1, 15, 17, 33}) {
    EXPECT_DEATH(RunRmax(BrokenRmaxAvx512fUnmaskedLoad, n), "") << "n = " << n;
  }
}

TEST_F(PlantedBugDeathTest, avx2_full_remainder_load_faults) {
  TWOPASS_GUARD_REQUIRES_ARCH(TWOPASS_ARCH_X86_AVX2_FMA);
  for (size_t n : {1, 7, 9, 23}) {
    EXPECT_DEATH(RunVscale(BrokenVscaleAvx2FullLoad, n, Placement::end), "") << "n = " << n;
  }
}

TEST_F(PlantedBugDeathTest, avx512f_unmasked_remainder_store_faults) {
  TWOPASS_GUARD_REQUIRES_ARCH(TWOPASS_ARCH_X86_AVX512F);
  for (size_t n : {1, 15, 31}) {
    EXPECT_DEATH(RunVscale(BrokenVscaleAvx512fUnmaskedStore, n, Placement::end), "") << "n = " << n;
  }
}

#ifdef TWOPASS_GUARD_ASAN
// ... and AddressSanitizer catches the scalar over-read of a heap buffer.
TEST_F(PlantedBugDeathTest, asan_reports_a_heap_over_read) {
  std::vector<float> x(7, 1.0f), y(7);
  twopass_f32_params params = {};
  params.scale = 0.5f;
  EXPECT_DEATH(BrokenVscaleReadsPast(x.size() * sizeof(float), x.data(), y.data(), &params),
               "heap-buffer-overflow");
}
#endif

// ... while the correct versions, placed the same way, run cleanly.

TEST(PlantedBugControl, masked_versions_do_not_fault) {
  for (size_t n = 1; n <= 40; n++) {
    for (Placement placement : {Placement::end, Placement::start}) {
      RunVscale(twopass_f32_vscale_ukernel__scalar_u1, n, placement);
      if (MissingArch(TWOPASS_ARCH_X86_AVX2_FMA).empty()) {
        RunVscale(twopass_f32_vscale_ukernel__avx2_u8, n, placement);
      }
      if (MissingArch(TWOPASS_ARCH_X86_AVX512F).empty()) {
        RunVscale(twopass_f32_vscale_ukernel__avx512f_u16, n, placement);
      }
    }
    if (MissingArch(TWOPASS_ARCH_X86_AVX512F).empty()) {
      RunRmax(FixedRmaxAvx512fMaskedLoad, n);
    }
  }
}

}  // namespace
}  // namespace guard
}  // namespace twopass
