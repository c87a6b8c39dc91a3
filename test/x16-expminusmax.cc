// Tests of the bf16 and f16 kernels of the 16-bit rows' three-pass fallback,
// listed in microkernels/f32-rmax-rmin/gen/{bf16,f16}-{rmax,rmin}.h and
// microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/
// {bf16,f16}-{raddexpminusmax,vscaleexpminusmax}.h. Each is the f32 kernel of
// the same template and variant with conversions, so each must give the bits
// of that f32 twin (tested against the long-double reference in
// test/f32-rminmax.cc, test/f32-expminusmax.cc, test/f32-vscaleexpminusmax.cc)
// on the exact float values of its elements, the stored outputs rounded once
// to the datatype; a NaN result matches any NaN (16-bit: a quiet one). The
// input lies between PROT_NONE pages, read-only during the call; the output
// has canaries on both sides.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "testing/gtest-isa.h"
#include "test/microkernel-test-utils.h"
#include "test/x16-test-utils.h"

namespace twopass {
namespace test {
namespace {

enum class Shape { kReduce, kMap };

struct TwinKernel {
  const char* name;
  Shape shape;
  twopass_f32_ukernel_fn fn;
  uint32_t arch;
  size_t tile;
};

twopass_f32_ukernel_fn ReduceOf(twopass_f32_reduce_ukernel_fn f) {
  twopass_f32_ukernel_fn fn;
  fn.reduce = f;
  return fn;
}
twopass_f32_ukernel_fn ReduceOf(twopass_x16_reduce_ukernel_fn f) {
  twopass_f32_ukernel_fn fn;
  fn.reduce_x16 = f;
  return fn;
}
twopass_f32_ukernel_fn MapOf(twopass_f32_vunary_ukernel_fn f) {
  twopass_f32_ukernel_fn fn;
  fn.vunary = f;
  return fn;
}
twopass_f32_ukernel_fn MapOf(twopass_x16_vunary_ukernel_fn f) {
  twopass_f32_ukernel_fn fn;
  fn.vunary_x16 = f;
  return fn;
}

#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, Shape::kReduce, ReduceOf(ukernel), arch_flags, element_tile},
const std::vector<TwinKernel> kF32Reductions = {
#include "microkernels/f32-rmax-rmin/gen/f32-rmax.h"
#include "microkernels/f32-rmax-rmin/gen/f32-rmin.h"
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-raddexpminusmax.h"
};
const std::vector<TwinKernel> kX16Reductions = {
#include "microkernels/f32-rmax-rmin/gen/bf16-rmax.h"
#include "microkernels/f32-rmax-rmin/gen/bf16-rmin.h"
#include "microkernels/f32-rmax-rmin/gen/f16-rmax.h"
#include "microkernels/f32-rmax-rmin/gen/f16-rmin.h"
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/bf16-raddexpminusmax.h"
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f16-raddexpminusmax.h"
};
#undef TWOPASS_UKERNEL
#define TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1) \
  {#ukernel, Shape::kMap, MapOf(ukernel), arch_flags, element_tile},
const std::vector<TwinKernel> kF32Maps = {
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f32-vscaleexpminusmax.h"
};
const std::vector<TwinKernel> kX16Maps = {
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/bf16-vscaleexpminusmax.h"
#include "microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/f16-vscaleexpminusmax.h"
};
#undef TWOPASS_UKERNEL

std::vector<TwinKernel> X16Kernels() {
  std::vector<TwinKernel> kernels = kX16Reductions;
  kernels.insert(kernels.end(), kX16Maps.begin(), kX16Maps.end());
  return kernels;
}

// The f32 kernel of the same template and variant: the name with the f32 token.
const TwinKernel* F32Twin(const TwinKernel& k) {
  std::string name = k.name;
  const size_t datatype_end = name.find('_', std::string("twopass_").size());
  name = "twopass_f32" + name.substr(datatype_end);
  for (const auto* list : {&kF32Reductions, &kF32Maps}) {
    for (const TwinKernel& f32 : *list) {
      if (name == f32.name) return &f32;
    }
  }
  return nullptr;
}

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

bool SameResult(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) || testlib::FloatBits(a) == testlib::FloatBits(b);
}

// One row of n elements: uniform in [lo, hi] rounded to the datatype, then
// `special` at every `every`-th element (none for every == 0).
struct Row {
  float lo = -10.0f, hi = 10.0f;
  float special = 0.0f;
  size_t every = 0;
  float beta = 1.0f;
  float scale = 1.0f;
};

// Runs kernel k (16-bit) and its f32 twin on the same row and compares.
void CheckTwin(const TwinKernel& k, size_t n, const Row& row, uint32_t seed) {
  const TwinKernel* twin = F32Twin(k);
  ASSERT_NE(nullptr, twin) << k.name << " has no f32 twin";
  const Datatype datatype = DatatypeOfName(k.name);
  std::mt19937 rng(seed + static_cast<uint32_t>(n));
  std::uniform_real_distribution<float> uniform(row.lo, row.hi);
  std::vector<float> x(n);
  for (size_t i = 0; i < n; i++) {
    x[i] = RoundToDatatype(datatype, uniform(rng));
    if (row.every != 0 && i % row.every == row.every / 2) x[i] = RoundToDatatype(datatype, row.special);
  }
  // The max the operator passes: the largest float product, NaN ignored.
  float max = -kInf;
  for (float v : x) {
    if (!std::isnan(row.beta * v)) max = std::fmax(max, row.beta * v);
  }
  twopass_f32_params params = {};
  params.beta = row.beta;
  params.max = std::isinf(max) ? 0.0f : max;
  params.scale = row.scale;

  GuardedInput16 input(n);
  for (size_t iteration = 0; iteration < 3; iteration++) {
    uint16_t* x16 = input.Place(n, iteration);
    for (size_t i = 0; i < n; i++) x16[i] = ToX16(datatype, x[i]);
    const auto where = [&]() {
      return std::string(k.name) + ", elements " + std::to_string(n) + ", beta " +
             Describe(row.beta) + ", max " + Describe(params.max) + ", scale " +
             Describe(row.scale) + ", iteration " + std::to_string(iteration);
    };
    if (k.shape == Shape::kReduce) {
      GuardedOutput out(1, iteration);
      float expected = 0.0f;
      twin->fn.reduce(n * sizeof(float), x.data(), &expected, &params);
      input.Protect();
      k.fn.reduce_x16(n * sizeof(uint16_t), x16, out.data(), &params);
      input.Unprotect();
      ASSERT_TRUE(out.CanariesIntact()) << where();
      ASSERT_TRUE(SameResult(expected, out[0]))
          << "result " << Describe(out[0]) << ", f32 twin " << Describe(expected) << "; "
          << where();
    } else {
      GuardedOutput16 y(n, iteration);
      std::vector<float> expected(n);
      twin->fn.vunary(n * sizeof(float), x.data(), expected.data(), &params);
      input.Protect();
      k.fn.vunary_x16(n * sizeof(uint16_t), x16, y.data(), &params);
      input.Unprotect();
      ASSERT_TRUE(y.CanariesIntact()) << where();
      for (size_t i = 0; i < n; i++) {
        const uint16_t bits = y.data()[i];
        const uint16_t want = ToX16(datatype, expected[i]);
        const bool ok = std::isnan(expected[i]) ? IsQuietNaN(datatype, bits) : bits == want;
        ASSERT_TRUE(ok) << "x[" << i << "] = " << Describe(x[i]) << ": y = "
                        << Describe(FromX16(datatype, bits)) << ", f32 twin "
                        << Describe(expected[i]) << " rounded to "
                        << Describe(FromX16(datatype, want)) << "; " << where();
      }
    }
  }
}

class X16_EXPMINUSMAX : public ::testing::TestWithParam<TwinKernel> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(X16_EXPMINUSMAX);

TEST_P(X16_EXPMINUSMAX, every_length) {
  const TwinKernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : X16Sizes(k.tile)) {
    CheckTwin(k, n, Row(), 1);
  }
}

TEST_P(X16_EXPMINUSMAX, long_rows) {
  const TwinKernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : {size_t(1000), size_t(32768) + 7}) {
    Row row;
    row.lo = -20.0f;
    row.hi = 20.0f;
    row.scale = 1.0f / 3000.0f;
    CheckTwin(k, n, row, 2);
  }
}

// The rows the fallback exists for: masked rows of the type's lowest value,
// logits beyond 1e6 (bf16), beta = 100 on f16's whole range.
TEST_P(X16_EXPMINUSMAX, fallback_rows) {
  const TwinKernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  const bool f16 = DatatypeOfName(k.name) == Datatype::kF16;
  const float lowest = f16 ? -65504.0f : -0x1.FEp127f;
  for (size_t n : SpecialSizes(k.tile)) {
    Row masked;
    masked.lo = masked.hi = lowest;
    CheckTwin(k, n, masked, 3);
    Row half_masked;
    half_masked.special = lowest;
    half_masked.every = 2;
    CheckTwin(k, n, half_masked, 4);
    Row big;
    big.lo = f16 ? -65504.0f : -2.1e6f;
    big.hi = f16 ? 65504.0f : 2.1e6f;
    big.beta = f16 ? 100.0f : 1.0f;
    big.scale = 0.7f;
    CheckTwin(k, n, big, 5);
    big.beta = -big.beta;
    CheckTwin(k, n, big, 6);
  }
}

TEST_P(X16_EXPMINUSMAX, special_values) {
  const TwinKernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    for (float special : {-kInf, kInf, kNaN, 0.0f, -1e9f}) {
      for (size_t every : {size_t(1), size_t(3), n}) {
        Row row;
        row.special = special;
        row.every = every;
        CheckTwin(k, n, row, 7);
      }
    }
  }
}

// Results around FLT_MIN (flushed to 0 below it) and 16-bit subnormal outputs.
TEST_P(X16_EXPMINUSMAX, small_results) {
  const TwinKernel& k = GetParam();
  TEST_REQUIRES_ARCH_FLAGS(k.arch);
  for (size_t n : SpecialSizes(k.tile)) {
    Row row;
    row.lo = -100.0f;
    row.hi = -80.0f;
    row.special = 0.0f;
    row.every = n;
    CheckTwin(k, n, row, 8);
    row.lo = -20.0f;
    row.hi = 0.0f;
    row.scale = 1e-5f;
    CheckTwin(k, n, row, 9);
  }
}

struct X16TwinName {
  std::string operator()(const ::testing::TestParamInfo<TwinKernel>& info) const {
    const std::string name = info.param.name;
    const size_t family = name.find('_', std::string("twopass_").size()) + 1;
    const size_t marker = name.find("_ukernel__");
    return std::string(DatatypeName(DatatypeOfName(name))) + "_" +
           name.substr(family, marker - family) + "_" + name.substr(marker + 10);
  }
};

INSTANTIATE_TEST_SUITE_P(, X16_EXPMINUSMAX, ::testing::ValuesIn(X16Kernels()), X16TwinName());

}  // namespace
}  // namespace test
}  // namespace twopass
