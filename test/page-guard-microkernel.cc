// Page-guard tests of every microkernel: for each kernel of each
// family list (microkernels/*/gen/<datatype>-<family>.h: f32, and the 16-bit
// rows bf16 and f16) whose ISA the host has, and
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
#include "test/x16-test-utils.h"
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

long double ExpSum(const std::vector<float>& x, float beta, float max) {
  long double sum = 0.0L;
  for (float v : x) sum += std::exp((long double)beta * v - max);
  return sum;
}

float MaxTimesBeta(const std::vector<float>& x) {
  return kBeta * *std::max_element(x.begin(), x.end());
}

// ---- What each family computes ---------------------------------------------------
// One entry per family: its params for a row x and the check of its results.
// The tests below are one per kernel shape; a family is a row of data.

// Reduce shape: row -> `results` floats (a sum, a (value, exponent) pair, an extremum).
struct ReduceFamily {
  const char* list;
  size_t results;
  twopass_f32_params (*params)(float beta, const std::vector<float>& x);
  void (*check)(float beta, const twopass_f32_params& params, const std::vector<float>& x,
                const float* result);
};

const ReduceFamily kRaddextexp = {
    "raddextexp", 2,
    [](float beta, const std::vector<float>&) {
      twopass_f32_params params = {};
      params.beta = beta;
      return params;
    },
    [](float beta, const twopass_f32_params&, const std::vector<float>& x, const float* sum) {
      const long double expected = ExpSum(x, beta, 0.0f);
      const long double got = std::ldexp((long double)sum[0], (int)sum[1]);
      EXPECT_TRUE(Close(got, expected, 1e-5L)) << got << " vs " << expected;
    }};

const ReduceFamily kRmax = {
    "rmax", 1, [](float, const std::vector<float>&) { return twopass_f32_params{}; },
    [](float, const twopass_f32_params&, const std::vector<float>& x, const float* result) {
      EXPECT_EQ(*result, *std::max_element(x.begin(), x.end()));
    }};

const ReduceFamily kRmin = {
    "rmin", 1, [](float, const std::vector<float>&) { return twopass_f32_params{}; },
    [](float, const twopass_f32_params&, const std::vector<float>& x, const float* result) {
      EXPECT_EQ(*result, *std::min_element(x.begin(), x.end()));
    }};

const ReduceFamily kRaddexpminusmax = {
    "raddexpminusmax", 1,
    [](float, const std::vector<float>& x) {
      twopass_f32_params params = {};
      params.beta = kBeta;
      params.max = MaxTimesBeta(x);
      return params;
    },
    [](float, const twopass_f32_params& params, const std::vector<float>& x, const float* sum) {
      const long double expected = ExpSum(x, kBeta, params.max);
      EXPECT_TRUE(Close(*sum, expected, 1e-5L)) << *sum << " vs " << expected;
    }};

// Vunary shape: row -> row.
struct VunaryFamily {
  const char* list;
  twopass_f32_params (*params)(float beta);
  // y[i] for x[i] and the bits it must have exactly, or a close reference.
  bool exact;
  long double (*expected)(float beta, float x);
};

const VunaryFamily kVscaleextexp = {
    "vscaleextexp",
    [](float beta) {
      twopass_f32_params params = {};
      params.beta = beta;
      params.scale = 0.5f;
      params.scale_exponent = -3.0f;
      return params;
    },
    false, [](float beta, float x) { return std::exp((long double)beta * x) * 0.0625L; }};

const VunaryFamily kVscale = {
    "vscale",
    [](float) {
      twopass_f32_params params = {};
      params.scale = 0.3f;
      return params;
    },
    true, [](float, float x) { return (long double)(x * 0.3f); }};

const VunaryFamily kVaffine = {
    "vaffine",
    [](float) {
      twopass_f32_params params = {};
      params.scale = 0.3f;
      params.shift = -1.7f;
      params.bias = 0.25f;
      return params;
    },
    true, [](float, float x) { return (long double)(std::fma(x, 0.3f, -1.7f) + 0.25f); }};

template <typename Fn, typename Family>
struct Case {
  Kernel<Fn> kernel;
  const Family* family;
};

template <typename Fn, typename Family>
void PrintTo(const Case<Fn, Family>& c, std::ostream* os) {
  *os << c.kernel.name;
}

struct CaseName {
  template <typename Param>
  std::string operator()(const ::testing::TestParamInfo<Param>& info) const {
    return std::string(info.param.family->list) + "_" + test::UKernelSuffix(info.param.kernel.name);
  }
};

using ReduceCase = Case<twopass_f32_reduce_ukernel_fn, ReduceFamily>;
using VunaryCase = Case<twopass_f32_vunary_ukernel_fn, VunaryFamily>;
using RaddstoreKernel = Kernel<twopass_f32_raddstore_ukernel_fn>;

// ---- One test per shape ------------------------------------------------------------

class PageGuardReduce : public ::testing::TestWithParam<ReduceCase> {};

TEST_P(PageGuardReduce, row_and_result_at_guard_pages) {
  const Kernel<twopass_f32_reduce_ukernel_fn>& k = GetParam().kernel;
  const ReduceFamily& family = *GetParam().family;
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  GuardedScalars scalars;
  GuardedParams params_page;
  const float beta = BetaOf(k);
  ForEachLayout(k.tile, false, [&](size_t n, float* x, float*, const std::vector<float>& xc) {
    const twopass_f32_params params = family.params(beta, xc);
    float* result = scalars.End(family.results);
    k.fn(n * sizeof(float), x, result, params_page.ReadOnly(params));
    params_page.ReadWrite();
    family.check(beta, params, xc, result);
  });
}

class PageGuardVunary : public ::testing::TestWithParam<VunaryCase> {};

TEST_P(PageGuardVunary, row_at_guard_pages) {
  const Kernel<twopass_f32_vunary_ukernel_fn>& k = GetParam().kernel;
  const VunaryFamily& family = *GetParam().family;
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  GuardedParams params_page;
  const float beta = BetaOf(k);
  ForEachLayout(k.tile, true, [&](size_t n, float* x, float* y, const std::vector<float>& xc) {
    k.fn(n * sizeof(float), x, y, params_page.ReadOnly(family.params(beta)));
    params_page.ReadWrite();
    for (size_t i = 0; i < n; i++) {
      const long double expected = family.expected(beta, xc[i]);
      if (family.exact) {
        ASSERT_EQ(FloatBits(y[i]), FloatBits((float)expected)) << "y[" << i << "] = " << y[i];
      } else {
        ASSERT_TRUE(Close(y[i], expected, 1e-5L)) << "y[" << i << "] = " << y[i];
      }
    }
  });
}

// The raddstore shape has one family.
class PageGuardRaddstore : public ::testing::TestWithParam<RaddstoreKernel> {};

TEST_P(PageGuardRaddstore, row_max_and_sum_at_guard_pages) {
  const RaddstoreKernel& k = GetParam();
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  GuardedScalars scalars;
  GuardedParams params_page;
  ForEachLayout(k.tile, true, [&](size_t n, float* x, float* y, const std::vector<float>& xc) {
    twopass_f32_params params = {};
    params.beta = kBeta;
    params.max = MaxTimesBeta(xc);
    float* sum = scalars.End(1);
    k.fn(n * sizeof(float), x, y, sum, params_page.ReadOnly(params));
    params_page.ReadWrite();
    for (size_t i = 0; i < n; i++) {
      const long double expected = std::exp((long double)kBeta * xc[i] - params.max);
      ASSERT_TRUE(Close(y[i], expected, 1e-5L)) << "y[" << i << "] = " << y[i];
    }
    const long double expected_sum = ExpSum(xc, kBeta, params.max);
    EXPECT_TRUE(Close(*sum, expected_sum, 1e-5L)) << *sum << " vs " << expected_sum;
  });
}

// ---- The kernels, from the generated lists -------------------------------------------

#define TWOPASS_CASE(family, arch, ukernel, tile, acc, beta1) \
  {Kernel<Fn>{#ukernel, ukernel, arch, tile, acc, beta1 != 0}, &family},

std::vector<ReduceCase> ReduceCases() {
  using Fn = twopass_f32_reduce_ukernel_fn;
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) TWOPASS_CASE(kRaddextexp, arch, ukernel, tile, acc, beta1)
#include "microkernels/f32-raddextexp/gen/f32-raddextexp.h"
#undef TWOPASS_UKERNEL
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) TWOPASS_CASE(kRmax, arch, ukernel, tile, acc, beta1)
#include "microkernels/f32-rmax-rmin/gen/f32-rmax.h"
#undef TWOPASS_UKERNEL
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) TWOPASS_CASE(kRmin, arch, ukernel, tile, acc, beta1)
#include "microkernels/f32-rmax-rmin/gen/f32-rmin.h"
#undef TWOPASS_UKERNEL
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) TWOPASS_CASE(kRaddexpminusmax, arch, ukernel, tile, acc, beta1)
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-raddexpminusmax.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardReduce, ::testing::ValuesIn(ReduceCases()), CaseName());

std::vector<VunaryCase> VunaryCases() {
  using Fn = twopass_f32_vunary_ukernel_fn;
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) TWOPASS_CASE(kVscaleextexp, arch, ukernel, tile, acc, beta1)
#include "microkernels/f32-vscaleextexp/gen/f32-vscaleextexp.h"
#undef TWOPASS_UKERNEL
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) TWOPASS_CASE(kVscale, arch, ukernel, tile, acc, beta1)
#include "microkernels/f32-vscale-vaffine/gen/f32-vscale.h"
#undef TWOPASS_UKERNEL
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) TWOPASS_CASE(kVaffine, arch, ukernel, tile, acc, beta1)
#include "microkernels/f32-vscale-vaffine/gen/f32-vaffine.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardVunary, ::testing::ValuesIn(VunaryCases()), CaseName());
#undef TWOPASS_CASE

std::vector<RaddstoreKernel> RaddstoreKernels() {
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) RaddstoreKernel{#ukernel, ukernel, arch, tile, acc, beta1 != 0},
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-raddstoreexpminusmax.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardRaddstore, ::testing::ValuesIn(RaddstoreKernels()),
                         KernelName());

// ---- The 16-bit rows (bf16, f16) ---------------------------------------------------
// The same layouts for rows of 16-bit elements (2-byte granularity at the
// guard pages): the inputs are Fill()'s values rounded to the datatype.

uint16_t* Place16(GuardedPages& pages, Placement placement, size_t n) {
  return placement == Placement::end ? reinterpret_cast<uint16_t*>(pages.end()) - n
                                     : reinterpret_cast<uint16_t*>(pages.begin());
}

// As ForEachLayout: body(n, x, y, x_values) with x_values the exact floats.
template <typename Body>
void ForEachLayout16(test::Datatype datatype, size_t tile, bool has_output, Body body) {
  const size_t max_n = MaxLength(tile);
  GuardedPages input_pages(max_n / 2 + 1);
  GuardedPages output_pages(max_n / 2 + 1);
  constexpr uint16_t kCanary16 = UINT16_C(0x7DAD);
  for (size_t n = 1; n <= max_n; n++) {
    for (Placement placement : {Placement::end, Placement::start}) {
      for (bool in_place : {false, true}) {
        if (in_place && !has_output) continue;
        SCOPED_TRACE(testing::Message() << test::DatatypeName(datatype) << ", n = " << n
                                        << ", row " << PlacementName(placement)
                                        << (in_place ? ", in place" : ""));
        std::vector<float> xc(n);
        Fill(xc.data(), n, static_cast<uint32_t>(n));
        uint16_t* x = Place16(input_pages, placement, n);
        for (size_t i = 0; i < n; i++) {
          x[i] = test::ToX16(datatype, xc[i]);
          xc[i] = test::FromX16(datatype, x[i]);
        }
        uint16_t* y = nullptr;
        if (in_place) {
          y = x;
        } else if (has_output) {
          y = Place16(output_pages, placement, n);
          std::fill(y, y + n, kCanary16);
          input_pages.ReadOnly();
        } else {
          input_pages.ReadOnly();
        }
        body(n, x, y, xc);
        input_pages.ReadWrite();
        if (!in_place && has_output) {
          for (size_t i = 0; i < n; i++) {
            ASSERT_NE(y[i], kCanary16) << "output element " << i << " not written";
          }
        }
        if (::testing::Test::HasFatalFailure() || ::testing::Test::HasNonfatalFailure()) return;
      }
    }
  }
}

using X16ReduceKernel = Kernel<twopass_x16_reduce_ukernel_fn>;
using X16VunaryCase = Case<twopass_x16_vunary_ukernel_fn, VunaryFamily>;

class PageGuardX16Reduce : public ::testing::TestWithParam<X16ReduceKernel> {};

TEST_P(PageGuardX16Reduce, row_and_result_at_guard_pages) {
  const X16ReduceKernel& k = GetParam();
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  const test::Datatype datatype = test::DatatypeOfName(k.name);
  GuardedScalars scalars;
  GuardedParams params_page;
  const float beta = BetaOf(k);
  ForEachLayout16(datatype, k.tile, false,
                  [&](size_t n, uint16_t* x, uint16_t*, const std::vector<float>& xc) {
    const twopass_f32_params params = kRaddextexp.params(beta, xc);
    float* result = scalars.End(kRaddextexp.results);
    k.fn(n * sizeof(uint16_t), x, result, params_page.ReadOnly(params));
    params_page.ReadWrite();
    kRaddextexp.check(beta, params, xc, result);
  });
}

class PageGuardX16Vunary : public ::testing::TestWithParam<X16VunaryCase> {};

TEST_P(PageGuardX16Vunary, row_at_guard_pages) {
  const Kernel<twopass_x16_vunary_ukernel_fn>& k = GetParam().kernel;
  const VunaryFamily& family = *GetParam().family;
  TWOPASS_GUARD_REQUIRES_ARCH(k.arch);
  const test::Datatype datatype = test::DatatypeOfName(k.name);
  GuardedParams params_page;
  const float beta = BetaOf(k);
  ForEachLayout16(datatype, k.tile, true,
                  [&](size_t n, uint16_t* x, uint16_t* y, const std::vector<float>& xc) {
    k.fn(n * sizeof(uint16_t), x, y, params_page.ReadOnly(family.params(beta)));
    params_page.ReadWrite();
    for (size_t i = 0; i < n; i++) {
      const long double expected = family.expected(beta, xc[i]);
      if (family.exact) {
        ASSERT_EQ(y[i], test::ToX16(datatype, (float)expected)) << "y[" << i << "]";
      } else {
        // The float result rounded once more: half an ulp of the datatype
        // (f16 rounds exp(0.75 * x) / 16 to inf from x = 14.7).
        // (Infinity is told from the float: valgrind keeps a long-double
        // infinity as LDBL_MAX, testing/reference.h.)
        const float got_float = test::FromX16(datatype, y[i]);
        const long double got = got_float;
        if (std::isinf(got_float) &&
            expected * (1.0L + 1e-5L) >= test::OverflowThreshold(datatype)) {
          continue;
        }
        ASSERT_LE(std::fabs(got - expected), 1e-5L * expected + test::HalfUlp(datatype, expected))
            << "y[" << i << "] = " << got << " vs " << expected;
      }
    }
  });
}

std::vector<X16ReduceKernel> X16ReduceKernels() {
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) X16ReduceKernel{#ukernel, ukernel, arch, tile, acc, beta1 != 0},
#include "microkernels/f32-raddextexp/gen/bf16-raddextexp.h"
#include "microkernels/f32-raddextexp/gen/f16-raddextexp.h"
#undef TWOPASS_UKERNEL
  };
}
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardX16Reduce, ::testing::ValuesIn(X16ReduceKernels()),
                         test::X16KernelName());

#define TWOPASS_CASE(family, arch, ukernel, tile, acc, beta1) \
  {Kernel<Fn>{#ukernel, ukernel, arch, tile, acc, beta1 != 0}, &family},

std::vector<X16VunaryCase> X16VunaryCases() {
  using Fn = twopass_x16_vunary_ukernel_fn;
  return {
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) TWOPASS_CASE(kVscaleextexp, arch, ukernel, tile, acc, beta1)
#include "microkernels/f32-vscaleextexp/gen/bf16-vscaleextexp.h"
#include "microkernels/f32-vscaleextexp/gen/f16-vscaleextexp.h"
#undef TWOPASS_UKERNEL
#define TWOPASS_UKERNEL(arch, ukernel, tile, acc, beta1) TWOPASS_CASE(kVaffine, arch, ukernel, tile, acc, beta1)
#include "microkernels/f32-vscale-vaffine/gen/bf16-vaffine.h"
#include "microkernels/f32-vscale-vaffine/gen/f16-vaffine.h"
#undef TWOPASS_UKERNEL
  };
}
#undef TWOPASS_CASE

struct X16CaseName {
  template <typename Param>
  std::string operator()(const ::testing::TestParamInfo<Param>& info) const {
    return std::string(info.param.family->list) + "_" +
           test::DatatypeName(test::DatatypeOfName(info.param.kernel.name)) + "_" +
           test::UKernelSuffix(info.param.kernel.name);
  }
};
INSTANTIATE_TEST_SUITE_P(Gen, PageGuardX16Vunary, ::testing::ValuesIn(X16VunaryCases()),
                         X16CaseName());

}  // namespace
}  // namespace guard
}  // namespace twopass
