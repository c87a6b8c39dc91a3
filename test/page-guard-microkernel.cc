// Page-guard tests of every microkernel: for each kernel of each
// family list (microkernels/*/gen/f32-<family>.h) whose ISA the host has, and
// every row length 1 .. max(2 * tile + 1, 33) (every remainder of the main
// loop and of a 16-lane vector), the row is placed so that
//   * its last element ends exactly at a PROT_NONE page, and
//   * separately, its first element starts exactly after one;
// the output likewise (separate buffer) and, for the element-wise families,
// in place. The input is read-only while the kernel runs (mprotect), and
// the scalar results (sum, max) also end at a guard page. Reading or
// writing one byte outside the row is a SIGSEGV. The results are checked
// (every output written, values against a long-double or exact reference)
// so that a kernel that skips its remainder fails too.
// test/page-guard-planted-bug.cc shows these guards catch broken kernels.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "microkernels/microkernels.h"
#include "test/microkernel-test-utils.h"
#include "testing/page-guard.h"

namespace twopass {
namespace guard {
namespace {

template <typename Fn>
using Kernel = test::UKernel<Fn>;
using KernelName = test::UKernelName;

constexpr float kBeta = 0.75f;

size_t MaxLength(size_t tile) { return std::max<size_t>(2 * tile + 1, 33); }

// Deterministic inputs in [-10, 10].
void Fill(float* x, size_t n, uint32_t seed) {
  uint32_t state = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; i++) {
    state = state * 1664525u + 1013904223u;
    x[i] = static_cast<float>(static_cast<int32_t>(state >> 8) % 20000) * 1e-3f;
  }
}

bool Close(long double got, long double expected, long double relative) {
  return std::fabs(got - expected) <= relative * std::fabs(expected) + 1e-37L;
}

// Runs `body(n, x, y, x_copy)` for every length and layout: input ending at
// / starting after a guard page (read-only unless in place), output the same
// way in its own pages, or in place (when `has_output`). Scalar results go
// to `scalars`, whose last float ends at a guard page.
template <typename Body>
void ForEachLayout(size_t tile, bool has_output, Body body) {
  const size_t max_n = MaxLength(tile);
  GuardedPages input_pages(max_n);
  GuardedPages output_pages(max_n);
  for (size_t n = 1; n <= max_n; n++) {
    for (Placement placement : {Placement::end, Placement::start}) {
      for (bool in_place : {false, true}) {
        if (in_place && !has_output) continue;
        SCOPED_TRACE(testing::Message() << "n = " << n << ", row " << PlacementName(placement)
                                        << (in_place ? ", in place" : ""));
        float* x = Place(input_pages, placement, n);
        Fill(x, n, static_cast<uint32_t>(n));
        const std::vector<float> x_copy(x, x + n);
        float* y = nullptr;
        if (in_place) {
          y = x;
        } else if (has_output) {
          y = Place(output_pages, placement, n);
          std::fill(y, y + n, BitsFloat(kCanaryBits));
          input_pages.ReadOnly();
        } else {
          input_pages.ReadOnly();
        }
        body(n, x, y, x_copy);
        input_pages.ReadWrite();
        if (!in_place && has_output) {
          for (size_t i = 0; i < n; i++) {
            ASSERT_NE(FloatBits(y[i]), kCanaryBits) << "output element " << i << " not written";
          }
        }
        if (::testing::Test::HasFatalFailure() || ::testing::Test::HasNonfatalFailure()) return;
      }
    }
  }
}

// One float (or two) that end at a guard page, for sums and maxima.
class GuardedScalars {
 public:
  GuardedScalars() : pages_(16) {}
  float* End(size_t count) {
    float* p = pages_.AtEnd(count);
    std::fill(p, p + count, BitsFloat(kCanaryBits));
    return p;
  }
  GuardedPages& pages() { return pages_; }

 private:
  GuardedPages pages_;
};

// The kernel parameters, ending at a guard page and read-only while a
// kernel runs: a kernel must read its params and nothing past them.
class GuardedParams {
 public:
  GuardedParams() : pages_(16) {}
  const twopass_f32_params* ReadOnly(const twopass_f32_params& params) {
    float* p = pages_.AtEnd(sizeof(twopass_f32_params) / sizeof(float));
    std::memcpy(p, &params, sizeof(params));
    pages_.ReadOnly();
    return reinterpret_cast<const twopass_f32_params*>(p);
  }
  void ReadWrite() { pages_.ReadWrite(); }

 private:
  GuardedPages pages_;
};

// The beta a kernel runs here: kBeta, or 1 for a beta1 kernel (exp(x)).
template <typename Fn>
float BetaOf(const Kernel<Fn>& k) {
  return k.beta1 ? 1.0f : kBeta;
}

// ---- raddextexp ------------------------------------------------------------------

using RaddextexpKernel = Kernel<twopass_f32_reduce_ukernel_fn>;
class PageGuardRaddextexp : public ::testing::TestWithParam<RaddextexpKernel> {};

TEST_P(PageGuardRaddextexp, row_and_sum_at_guard_pages) {
  const RaddextexpKernel& k = GetParam();
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  GuardedScalars scalars;
  GuardedParams params_page;
  const float beta = BetaOf(k);
  ForEachLayout(k.tile, false, [&](size_t n, float* x, float*, const std::vector<float>& xc) {
    twopass_f32_params params = {};
    params.beta = beta;
    float* sum = scalars.End(2);
    k.fn(n * sizeof(float), x, sum, params_page.ReadOnly(params));
    params_page.ReadWrite();
    long double expected = 0.0L;
    for (float v : xc) expected += std::exp((long double)beta * v);
    const long double got = std::ldexp((long double)sum[0], (int)sum[1]);
    EXPECT_TRUE(Close(got, expected, 1e-5L)) << got << " vs " << expected;
  });
}

std::vector<RaddextexpKernel> PageGuardRaddextexpKernels() {
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) RaddextexpKernel{#ukernel, ukernel, arch, tile, acc, beta1 != 0},
#include "microkernels/f32-raddextexp/gen/f32-raddextexp.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardRaddextexp,
                         ::testing::ValuesIn(PageGuardRaddextexpKernels()), KernelName());

// ---- vscaleextexp ----------------------------------------------------------------

using VscaleextexpKernel = Kernel<twopass_f32_vunary_ukernel_fn>;
class PageGuardVscaleextexp : public ::testing::TestWithParam<VscaleextexpKernel> {};

TEST_P(PageGuardVscaleextexp, row_at_guard_pages) {
  const VscaleextexpKernel& k = GetParam();
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  GuardedParams params_page;
  const float beta = BetaOf(k);
  ForEachLayout(k.tile, true, [&](size_t n, float* x, float* y, const std::vector<float>& xc) {
    twopass_f32_params params = {};
    params.beta = beta;
    params.scale = 0.5f;
    params.scale_exponent = -3.0f;
    k.fn(n * sizeof(float), x, y, params_page.ReadOnly(params));
    params_page.ReadWrite();
    for (size_t i = 0; i < n; i++) {
      const long double expected = std::exp((long double)beta * xc[i]) * 0.0625L;
      ASSERT_TRUE(Close(y[i], expected, 1e-5L)) << "y[" << i << "] = " << y[i];
    }
  });
}

std::vector<VscaleextexpKernel> PageGuardVscaleextexpKernels() {
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) VscaleextexpKernel{#ukernel, ukernel, arch, tile, acc, beta1 != 0},
#include "microkernels/f32-vscaleextexp/gen/f32-vscaleextexp.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardVscaleextexp,
                         ::testing::ValuesIn(PageGuardVscaleextexpKernels()), KernelName());

// ---- rmax, rmin ------------------------------------------------------------------

using RmaxKernel = Kernel<twopass_f32_reduce_ukernel_fn>;
class PageGuardRmax : public ::testing::TestWithParam<RmaxKernel> {};
class PageGuardRmin : public ::testing::TestWithParam<RmaxKernel> {};

TEST_P(PageGuardRmax, row_and_result_at_guard_pages) {
  const RmaxKernel& k = GetParam();
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  GuardedScalars scalars;
  GuardedParams params_page;
  ForEachLayout(k.tile, false, [&](size_t n, float* x, float*, const std::vector<float>& xc) {
    float* result = scalars.End(1);
    k.fn(n * sizeof(float), x, result, params_page.ReadOnly(twopass_f32_params{}));
    params_page.ReadWrite();
    EXPECT_EQ(*result, *std::max_element(xc.begin(), xc.end()));
  });
}

TEST_P(PageGuardRmin, row_and_result_at_guard_pages) {
  const RmaxKernel& k = GetParam();
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  GuardedScalars scalars;
  GuardedParams params_page;
  ForEachLayout(k.tile, false, [&](size_t n, float* x, float*, const std::vector<float>& xc) {
    float* result = scalars.End(1);
    k.fn(n * sizeof(float), x, result, params_page.ReadOnly(twopass_f32_params{}));
    params_page.ReadWrite();
    EXPECT_EQ(*result, *std::min_element(xc.begin(), xc.end()));
  });
}

std::vector<RmaxKernel> PageGuardRmaxKernels() {
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) RmaxKernel{#ukernel, ukernel, arch, tile, acc, beta1 != 0},
#include "microkernels/f32-rmax-rmin/gen/f32-rmax.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardRmax, ::testing::ValuesIn(PageGuardRmaxKernels()),
                         KernelName());

std::vector<RmaxKernel> PageGuardRminKernels() {
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) RmaxKernel{#ukernel, ukernel, arch, tile, acc, beta1 != 0},
#include "microkernels/f32-rmax-rmin/gen/f32-rmin.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardRmin, ::testing::ValuesIn(PageGuardRminKernels()),
                         KernelName());

// ---- raddstoreexpminusmax, raddexpminusmax -----------------------------------------

using RaddstoreKernel = Kernel<twopass_f32_raddstore_ukernel_fn>;
using RaddKernel = Kernel<twopass_f32_reduce_ukernel_fn>;
class PageGuardRaddstoreexpminusmax : public ::testing::TestWithParam<RaddstoreKernel> {};
class PageGuardRaddexpminusmax : public ::testing::TestWithParam<RaddKernel> {};

TEST_P(PageGuardRaddstoreexpminusmax, row_max_and_sum_at_guard_pages) {
  const RaddstoreKernel& k = GetParam();
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  GuardedScalars scalars;
  GuardedParams params_page;
  ForEachLayout(k.tile, true, [&](size_t n, float* x, float* y, const std::vector<float>& xc) {
    twopass_f32_params params = {};
    params.beta = kBeta;
    params.max = kBeta * *std::max_element(xc.begin(), xc.end());
    float* sum = scalars.End(1);
    k.fn(n * sizeof(float), x, y, sum, params_page.ReadOnly(params));
    params_page.ReadWrite();
    long double expected_sum = 0.0L;
    for (size_t i = 0; i < n; i++) {
      const long double expected = std::exp((long double)kBeta * xc[i] - params.max);
      expected_sum += expected;
      ASSERT_TRUE(Close(y[i], expected, 1e-5L)) << "y[" << i << "] = " << y[i];
    }
    EXPECT_TRUE(Close(*sum, expected_sum, 1e-5L)) << *sum << " vs " << expected_sum;
  });
}

TEST_P(PageGuardRaddexpminusmax, row_max_and_sum_at_guard_pages) {
  const RaddKernel& k = GetParam();
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  GuardedScalars scalars;
  GuardedParams params_page;
  ForEachLayout(k.tile, false, [&](size_t n, float* x, float*, const std::vector<float>& xc) {
    twopass_f32_params params = {};
    params.beta = kBeta;
    params.max = kBeta * *std::max_element(xc.begin(), xc.end());
    float* sum = scalars.End(1);
    k.fn(n * sizeof(float), x, sum, params_page.ReadOnly(params));
    params_page.ReadWrite();
    long double expected_sum = 0.0L;
    for (size_t i = 0; i < n; i++) {
      expected_sum += std::exp((long double)kBeta * xc[i] - params.max);
    }
    EXPECT_TRUE(Close(*sum, expected_sum, 1e-5L)) << *sum << " vs " << expected_sum;
  });
}

std::vector<RaddstoreKernel> PageGuardRaddstoreexpminusmaxKernels() {
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) RaddstoreKernel{#ukernel, ukernel, arch, tile, acc, beta1 != 0},
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-raddstoreexpminusmax.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardRaddstoreexpminusmax,
                         ::testing::ValuesIn(PageGuardRaddstoreexpminusmaxKernels()), KernelName());

std::vector<RaddKernel> PageGuardRaddexpminusmaxKernels() {
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) RaddKernel{#ukernel, ukernel, arch, tile, acc, beta1 != 0},
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-raddexpminusmax.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardRaddexpminusmax,
                         ::testing::ValuesIn(PageGuardRaddexpminusmaxKernels()), KernelName());

// ---- vscale, vaffine -------------------------------------------------------------------

using VscaleKernel = Kernel<twopass_f32_vunary_ukernel_fn>;
using VaffineKernel = Kernel<twopass_f32_vunary_ukernel_fn>;
class PageGuardVscale : public ::testing::TestWithParam<VscaleKernel> {};
class PageGuardVaffine : public ::testing::TestWithParam<VaffineKernel> {};

TEST_P(PageGuardVscale, row_at_guard_pages) {
  const VscaleKernel& k = GetParam();
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  GuardedParams params_page;
  ForEachLayout(k.tile, true, [&](size_t n, float* x, float* y, const std::vector<float>& xc) {
    twopass_f32_params params = {};
    params.scale = 0.3f;
    k.fn(n * sizeof(float), x, y, params_page.ReadOnly(params));
    params_page.ReadWrite();
    for (size_t i = 0; i < n; i++) {
      ASSERT_EQ(FloatBits(y[i]), FloatBits(xc[i] * 0.3f)) << "y[" << i << "] = " << y[i];
    }
  });
}

TEST_P(PageGuardVaffine, row_at_guard_pages) {
  const VaffineKernel& k = GetParam();
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  GuardedParams params_page;
  ForEachLayout(k.tile, true, [&](size_t n, float* x, float* y, const std::vector<float>& xc) {
    twopass_f32_params params = {};
    params.scale = 0.3f;
    params.shift = -1.7f;
    params.bias = 0.25f;
    k.fn(n * sizeof(float), x, y, params_page.ReadOnly(params));
    params_page.ReadWrite();
    for (size_t i = 0; i < n; i++) {
      ASSERT_EQ(FloatBits(y[i]), FloatBits(std::fma(xc[i], 0.3f, -1.7f) + 0.25f)) << "y[" << i << "] = " << y[i];
    }
  });
}

std::vector<VscaleKernel> PageGuardVscaleKernels() {
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) VscaleKernel{#ukernel, ukernel, arch, tile, acc, beta1 != 0},
#include "microkernels/f32-vscale-vaffine/gen/f32-vscale.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardVscale, ::testing::ValuesIn(PageGuardVscaleKernels()),
                         KernelName());

std::vector<VaffineKernel> PageGuardVaffineKernels() {
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) VaffineKernel{#ukernel, ukernel, arch, tile, acc, beta1 != 0},
#include "microkernels/f32-vscale-vaffine/gen/f32-vaffine.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardVaffine, ::testing::ValuesIn(PageGuardVaffineKernels()),
                         KernelName());

}  // namespace
}  // namespace guard
}  // namespace twopass
