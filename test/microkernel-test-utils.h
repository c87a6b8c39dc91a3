// Shared pieces of the microkernel tests and testers: the kernel tables built
// from the generated X-macro lists, guarded input and output buffers,
// tolerances, and the long-double references of the exp kernels. The testers'
// common base (setters, input generation) is test/microkernel-tester.h.
#pragma once

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "operators/arch-flags.h"
#include "testing/float-bits.h"
#include "testing/guarded-buffer.h"
#include "testing/guarded-pages.h"

namespace twopass {
namespace test {

// ---- Kernel tables -------------------------------------------------------------
// One entry per TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators)
// line of microkernels/<folder>/gen/<family>.h.
template <typename Fn>
struct UKernel {
  const char* name;
  Fn fn;
  uint32_t arch;
  size_t tile;
  size_t accumulators;
  // Computes exp(x), not exp(beta*x): tested with beta = 1 only.
  bool beta1;

  // Float lanes per vector register of the kernel's ISA.
  size_t lanes() const {
    return (arch & TWOPASS_ARCH_X86_AVX512F) ? 16 : (arch & TWOPASS_ARCH_X86_AVX2_FMA) ? 8 : 1;
  }
};

template <typename Fn>
void PrintTo(const UKernel<Fn>& ukernel, std::ostream* os) {
  *os << ukernel.name << " (tile " << ukernel.tile << ", acc " << ukernel.accumulators << ")";
}

// The kernels of `kernels` that take any beta: the tests whose point is a
// beta other than 1 are a suite of their own, instantiated with these (a
// beta1 kernel computes exp(x) and has no such case).
template <typename Fn>
std::vector<UKernel<Fn>> GeneralBetaKernels(const std::vector<UKernel<Fn>>& kernels) {
  std::vector<UKernel<Fn>> general;
  for (const UKernel<Fn>& k : kernels) {
    if (!k.beta1) general.push_back(k);
  }
  return general;
}

// The beta a test runs on `kernel`: `beta`, or 1 for a beta1 kernel.
template <typename Fn>
float BetaFor(const UKernel<Fn>& kernel, float beta) {
  return kernel.beta1 ? 1.0f : beta;
}

// The kernel name after "_ukernel__", e.g. avx512f_p5_scalef_u144_acc3.
inline std::string UKernelSuffix(const std::string& name) {
  const std::string marker = "_ukernel__";
  const size_t pos = name.find(marker);
  return pos != std::string::npos ? name.substr(pos + marker.size()) : name;
}

// Test name suffix: UKernelSuffix() of the kernel's name.
struct UKernelName {
  template <typename Fn>
  std::string operator()(const ::testing::TestParamInfo<UKernel<Fn>>& info) const {
    return UKernelSuffix(info.param.name);
  }
};

// Test name suffix of a suite over two families' lists, whose variant names
// repeat between the lists: the kernel's op_name(), then the variant, e.g.
// rmax_avx2_u64_acc4.
struct OpUKernelName {
  template <typename Kernel>
  std::string operator()(const ::testing::TestParamInfo<Kernel>& info) const {
    return std::string(info.param.op_name()) + "_" + UKernelSuffix(info.param.name);
  }
};

// Row lengths for the special-value tests: shorter than, equal to and longer
// than the tile, and around one 16-float vector (remainder paths).
inline std::vector<size_t> SpecialSizes(size_t tile) {
  std::vector<size_t> sizes = {1, 2, 3, 15, 16, 17, 31, 33, tile - 1, tile, tile + 1,
                               2 * tile + 3, 4 * tile - 1};
  sizes.erase(std::remove(sizes.begin(), sizes.end(), size_t(0)), sizes.end());
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

// ---- Float helpers -------------------------------------------------------------
// From the test library (testing/float-bits.h): a value's description in
// failure messages, decimal and exact, and bit equality with any NaN
// matching any NaN (payloads are not compared).
using testlib::Describe;
using testlib::SameBits;

constexpr long double kLn2 = 0.693147180559945309417232121458176568L;
// Smallest positive subnormal float.
constexpr long double kMinSubnormal = 0x1.0p-149L;

// With TWOPASS_TEST_PRINT_ERRORS set, testers print the largest error they
// measured (used to choose the tolerances below from data).
inline bool PrintErrors() {
  static const bool print = std::getenv("TWOPASS_TEST_PRINT_ERRORS") != nullptr;
  return print;
}

inline void ReportError(const char* what, size_t elements, long double error) {
  if (PrintErrors()) {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::printf("[error] %s.%s n=%zu %s %.3Le\n", info ? info->test_suite_name() : "?",
                info ? info->name() : "?", elements, what, error);
  }
}

// ---- Guarded input -------------------------------------------------------------
// The input lives between two PROT_NONE pages and is read-only while the kernel
// runs: reading before or past the row, or writing to it, crashes the test.
// Layouts rotate with the iteration: ending exactly at the trailing guard page,
// starting exactly at the leading one (64-byte aligned), and starting 1..15
// floats after it (misaligned).
class GuardedInput {
 public:
  explicit GuardedInput(size_t max_elements) : pages_(max_elements + 16) {}

  float* Place(size_t elements, size_t iteration) {
    switch (iteration % 3) {
      case 0:
        layout_ = "ends at a guard page";
        return pages_.AtEnd(elements);
      case 1:
        layout_ = "starts at a guard page (aligned)";
        return pages_.begin();
      default: {
        const size_t offset = 1 + (iteration / 3) % 15;
        layout_ = "starts misaligned by " + std::to_string(offset) + " floats";
        return pages_.begin() + offset;
      }
    }
  }
  const std::string& layout() const { return layout_; }

  void Protect() { pages_.ReadOnly(); }
  void Unprotect() { pages_.ReadWrite(); }

 private:
  GuardedPages pages_;
  std::string layout_;
};

// ---- Guarded output ------------------------------------------------------------
// The test library's guarded buffer (testing/guarded-buffer.h) with canaries
// on both sides of the output (XNNPACK-style), checked after the call; the
// output starts at an offset that varies with the iteration.
class GuardedOutput {
 public:
  GuardedOutput(size_t elements, size_t iteration)
      : buffer_(elements, testlib::Placement::kCanaries, testlib::kOutputCanaryBits,
                iteration % 16) {}

  float* data() { return buffer_.data(); }
  const float* data() const { return buffer_.data(); }
  float operator[](size_t i) const { return data()[i]; }

  ::testing::AssertionResult CanariesIntact() const {
    const std::string written = buffer_.CheckOutside("output");
    if (!written.empty()) {
      return ::testing::AssertionFailure() << "the kernel wrote outside its output: " << written;
    }
    return ::testing::AssertionSuccess();
  }

 private:
  testlib::GuardedBuffer buffer_;
};

// ---- Tolerances -------------------------------------------------------------------
constexpr double kFloatEpsilon = 0x1.0p-24;  // unit roundoff of float

// Additions (accumulator merges included) a float lane of the vector kernels
// takes before it is flushed into a double one: raddextexp and
// raddexpminusmax (log-softmax's sums, contract 2e-6) and
// raddstoreexpminusmax (softmax only, contract 1e-5).
constexpr double kWindowAdds = 16.0;
constexpr double kSoftmaxWindowAdds = 64.0;

// Relative error allowed for a sum of `n` positive terms, each within
// `term_tolerance` of its exact value, in a kernel with `lanes` float lanes:
// the terms' error, plus the accumulation's rounding. Each rounding is at
// most 2^-24 of the partial lane sum: with m = n / lanes terms per lane and
// flushes into double every `window_adds` additions, that is at most
// min(m, window_adds) * 2^-24 of the sum whatever the terms (a row's peak in
// a lane makes every small addition round the same way), plus the final
// roundings. The scalar kernels sum in double and stay far below.
inline double SumTolerance(double term_tolerance, size_t n, size_t lanes,
                           double window_adds = kWindowAdds) {
  const double m = std::ceil(static_cast<double>(n) / static_cast<double>(lanes));
  return term_tolerance + kFloatEpsilon * (2.0 + std::min(m, window_adds));
}

// Cap on the relative error of a sum over one chunk of the operator
// (TWOPASS_CHUNK_ELEMENTS = 32768 elements): the chunk sum's error goes
// directly into every softmax output, whose contract is 1e-5 relative; half
// of it is left to the exp and scaling passes. Measured at 32768 elements:
// AVX-512F 9.7e-7, AVX2 1.9e-6, scalar (double accumulators) 5e-8.
constexpr double kChunkSumTolerance = 5.0e-6;

// Relative error allowed for the sum of a peaked row: 0, then
// thousands of values 12-17 below it. With d = 13.6912 every term exp(-d) is
// 9.5 ulps of the peak's 1.0, so a float lane that holds the peak rounds
// every addition up by half an ulp (1.5e-5 after 256 additions). The bound
// is deliberately tight: a kernel that keeps its float lane sums to about
// 16 additions (and adds them up in double) stays far below it.
constexpr double kPeakedRowSumTolerance = 1.0e-6;
// The same for raddstoreexpminusmax, whose windows are 64 additions:
// (64 + 2) * 2^-24 = 3.9e-6, still a quarter of the drift it catches.
constexpr double kPeakedRowSoftmaxSumTolerance = 4.5e-6;
// The tail of the peaked rows: exp(-13.6912) = 9.5 * 2^-23.
constexpr float kPeakedRowTail = -13.6912f;

// Relative error allowed for one exp(z) term of the extended-exponent kernels
// (exp(z) = p * 2^n, n = round(fl(z * log2e)), p = poly(z - n*ln2)).
// The exp core is at most 1.98 ULP (1.65e-7 relative) while the reduced
// argument stays in [-ln2/2, ln2/2]. Beyond |z| = 2^16 the rounding of
// z * log2e (and of the constant log2e) can shift n so that |t| reaches
// ln2 * (0.5 + 0.0625 + 0.02) = 0.404 at |z| = 2^20, where the degree-5
// polynomial is off by up to 1.1e-6 (computed; measured 5.6e-7 at |z| ~ 9e5).
constexpr double kExtExpTermTolerance = 2.5e-7;
constexpr double kExtExpHugeTermTolerance = 1.5e-6;
inline double ExtExpTermTolerance(long double z) {
  return std::fabs(z) <= 0x1.0p+16L ? kExtExpTermTolerance : kExtExpHugeTermTolerance;
}

// ---- The whole range of the extended-exponent exp ------------------------------
// Arguments z for the exp_whole_range tests of raddextexp and vscaleextexp, all
// in [TWOPASS_EXTEXP_MIN_INPUT, TWOPASS_EXTEXP_MAX_INPUT]: every 4096th float
// of both signs (as bits: every binade alike, from the denormals up), every
// 1024th float with 2^-4 <= |z| < 2 (the reduced argument's own range), the
// 2048 floats on each side of +-2^20 and of +-2^16 that the range holds, and
// 131072 values uniform in value over [-2^20, 2^20] (fixed seed: most of the
// range by measure is |z| > 2^16, where the reduction's errors grow).
inline std::vector<float> ExtExpWholeRangeSamples() {
  std::vector<float> z;
  const auto add = [&](uint32_t bits) {
    for (uint32_t sign : {0u, 0x80000000u}) {
      const float v = testlib::BitsFloat(bits | sign);
      if (v >= TWOPASS_EXTEXP_MIN_INPUT && v <= TWOPASS_EXTEXP_MAX_INPUT) z.push_back(v);
    }
  };
  const uint32_t max_bits = testlib::FloatBits(TWOPASS_EXTEXP_MAX_INPUT);
  for (uint32_t b = 0; b <= max_bits; b += 4096) add(b);
  for (uint32_t b = testlib::FloatBits(0x1.0p-4f); b < testlib::FloatBits(2.0f); b += 1024) add(b);
  for (float edge : {0x1.0p+20f, 0x1.0p+16f}) {
    const uint32_t e = testlib::FloatBits(edge);
    for (uint32_t b = e - 2048; b <= e + 2048; b++) add(b);
  }
  std::mt19937 rng(20260);
  std::uniform_real_distribution<float> uniform(TWOPASS_EXTEXP_MIN_INPUT, TWOPASS_EXTEXP_MAX_INPUT);
  for (int i = 0; i < 131072; i++) z.push_back(uniform(rng));
  return z;
}

// The bound per exp that exp_whole_range asserts, by |z| and by the kernel's
// exp core (its name): the AVX2 rr2_lut8_p3 core's derived bound
// (microkernels/exp/avx2-rr2-lut8-p3.h: 2.2e-7 to |z| = 2^16, 9.2e-7 to
// 2^20; measured 1.54e-7 and 7.99e-7), the p5 cores' kExtExpTermTolerance to
// 2^16 (measured 1.70e-7 AVX2, 1.66e-7 scalar) and 1.6e-6 beyond: measured
// 1.46e-6 AVX2 and 1.512e-6 scalar (at z = -1048560.19), the latter a little
// over kExtExpHugeTermTolerance (1.5e-6), which the row testers' random
// inputs have not hit.
inline double ExtExpWholeRangeBound(const char* kernel_name, float z) {
  if (std::strstr(kernel_name, "_rr2_lut8_p3_") != nullptr) {
    return std::fabs(z) <= 0x1.0p+16f ? 2.2e-7 : 9.2e-7;
  }
  return std::fabs(z) <= 0x1.0p+16f ? 2.5e-7 : 1.6e-6;
}

// ---- References of the exp kernels ---------------------------------------------
// beta*x, exactly: a float product has at most 48 significant bits.
inline long double ExactProduct(float beta, float x) {
  return static_cast<long double>(beta) * static_cast<long double>(x);
}

// A sum of exponentials kept as exp(log_max) * scaled (scaled >= 1), so that it
// neither overflows nor underflows for any |beta*x| the kernels accept.
struct ExpSum {
  size_t terms = 0;
  long double log_max = -std::numeric_limits<long double>::infinity();
  long double scaled = 0.0L;

  void Add(long double z) {
    if (z > log_max) {
      scaled = scaled * std::exp(log_max - z) + 1.0L;
      log_max = z;
    } else {
      scaled += std::exp(z - log_max);
    }
    terms++;
  }
  long double Log() const { return log_max + std::log(scaled); }
};

}  // namespace test
}  // namespace twopass
