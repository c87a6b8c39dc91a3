// The base of every microkernel tester: the setters every family shares
// (row length, iterations, input, lanes, seed) and the input they describe;
// ExpTesterBase adds beta for the exp families, ExactMapTesterBase the loop of
// the elementwise maps checked bit for bit (vscale, vaffine). Each family's
// tester (test/<family>-microkernel-tester.h) keeps its own checks. A tester
// set to a 16-bit datatype (bf16, f16: test/x16-test-utils.h) rounds its
// inputs to it and runs the 16-bit kernels of the family with the same checks.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "test/microkernel-test-utils.h"
#include "test/x16-test-utils.h"

namespace twopass {
namespace test {

// ---- Input generation ----------------------------------------------------------
inline float RandomSubnormal(std::mt19937& rng) {
  uint32_t bits = 0;
  while ((bits & UINT32_C(0x007FFFFF)) == 0) {
    bits = static_cast<uint32_t>(rng());
  }
  return BitsFloat(bits & UINT32_C(0x807FFFFF));
}

// How a tester fills its input: uniform in [min, max] (or random subnormals,
// or a peaked row: 0 first, then `peak_tail` plus noise uniform in
// [-peak_noise, peak_noise]), then `count` copies of special values at
// distinct random positions.
struct InputSpec {
  float min = -10.0f;
  float max = 10.0f;
  bool subnormals = false;
  bool peaked = false;
  float peak_tail = 0.0f;
  float peak_noise = 0.0f;
  std::vector<std::pair<float, size_t>> injections;

  void Generate(float* x, size_t n, std::mt19937& rng) const {
    std::uniform_real_distribution<float> dist(min, max);
    std::uniform_real_distribution<float> noise(-peak_noise, peak_noise);
    for (size_t i = 0; i < n; i++) {
      if (peaked) {
        x[i] = i == 0 ? 0.0f : peak_tail + (peak_noise != 0.0f ? noise(rng) : 0.0f);
      } else {
        x[i] = subnormals ? RandomSubnormal(rng) : std::min(dist(rng), max);
      }
    }
    if (injections.empty()) return;
    std::vector<size_t> positions(n);
    std::iota(positions.begin(), positions.end(), size_t(0));
    std::shuffle(positions.begin(), positions.end(), rng);
    size_t next = 0;
    for (const auto& injection : injections) {
      for (size_t k = 0; k < injection.second && next < n; k++) {
        x[positions[next++]] = injection.first;
      }
    }
  }
};

// Setters shared by the testers (CRTP, so that they chain).
template <typename Derived>
class TesterBase {
 public:
  Derived& elements(size_t elements) {
    elements_ = elements;
    return self();
  }
  size_t elements() const { return elements_; }

  Derived& iterations(size_t iterations) {
    iterations_ = iterations;
    return self();
  }
  size_t iterations() const { return iterations_; }

  Derived& input_range(float min, float max) {
    input_.min = min;
    input_.max = max;
    return self();
  }
  Derived& subnormal_inputs() {
    input_.subnormals = true;
    return self();
  }
  // x = [0, tail + noise, tail + noise, ...]: one dominant term and many
  // near-equal ones far below it, noise uniform in [-noise, noise].
  Derived& peaked_row(float tail, float noise = 0.0f) {
    input_.peaked = true;
    input_.peak_tail = tail;
    input_.peak_noise = noise;
    return self();
  }
  // `count` copies of `value` at random positions (SIZE_MAX: every element).
  Derived& inject(float value, size_t count = 1) {
    input_.injections.emplace_back(value, count);
    return self();
  }
  // SIMD lanes of the kernel: its sums are kept in at least this many partial sums.
  Derived& lanes(size_t lanes) {
    lanes_ = lanes;
    return self();
  }
  size_t lanes() const { return lanes_; }

  // The element type of the kernel under test (default f32). For bf16 and
  // f16 the generated inputs are rounded to it: x_i is the exact value of
  // element i, which the f32 references take as they are.
  Derived& datatype(Datatype datatype) {
    datatype_ = datatype;
    return self();
  }
  Datatype datatype() const { return datatype_; }

  Derived& seed(uint32_t seed) {
    seed_ = seed;
    return self();
  }

 protected:
  Derived& self() { return static_cast<Derived&>(*this); }

  // Generates the input of one iteration (rounded to the datatype).
  void GenerateInput(float* x, size_t n, std::mt19937& rng) const {
    input_.Generate(x, n, rng);
    if (datatype_ != Datatype::kF32) {
      for (size_t i = 0; i < n; i++) x[i] = RoundToDatatype(datatype_, x[i]);
    }
  }

  size_t elements_ = 1;
  size_t iterations_ = 3;  // one of each GuardedInput layout
  size_t lanes_ = 1;
  uint32_t seed_ = UINT32_C(0x2DA55);
  InputSpec input_;
  Datatype datatype_ = Datatype::kF32;
};

// Beta, for the testers of the exp kernels.
template <typename Derived>
class ExpTesterBase : public TesterBase<Derived> {
 public:
  Derived& beta(float beta) {
    beta_ = beta;
    return this->self();
  }
  float beta() const { return beta_; }

  // The kernel is a beta1 variant: beta must be 1, and the kernel gets a NaN
  // params->beta, which it must never read.
  Derived& beta1_kernel(bool beta1_kernel) {
    beta1_kernel_ = beta1_kernel;
    return this->self();
  }

 protected:
  // Sets params->beta for the kernel under test (NaN for a beta1 kernel);
  // fails if a beta1 kernel is asked to run another beta.
  ::testing::AssertionResult SetBeta(twopass_f32_params* params) const {
    if (beta1_kernel_ && beta_ != 1.0f) {
      return ::testing::AssertionFailure() << "a beta1 kernel runs beta = 1 only";
    }
    params->beta = beta1_kernel_ ? std::numeric_limits<float>::quiet_NaN() : beta_;
    return ::testing::AssertionSuccess();
  }

  float beta_ = 1.0f;
  bool beta1_kernel_ = false;
};

// The elementwise maps whose result is one IEEE computation per element
// (vscale, vaffine): every y_i must have the bits of reference(x_i) (any NaN
// matching any NaN), in place or not.
template <typename Derived>
class ExactMapTesterBase : public TesterBase<Derived> {
 public:
  // Output buffer = input buffer.
  Derived& inplace(bool inplace) {
    inplace_ = inplace;
    return this->self();
  }

 protected:
  // Runs `ukernel` with `params` over every iteration's row and compares each
  // output with `reference(x_i)`; `parameters` names the parameters in
  // failure messages (", scale ...").
  template <typename Reference>
  void TestExact(twopass_f32_vunary_ukernel_fn ukernel, const twopass_f32_params& params,
                 Reference reference, const std::string& parameters) const {
    ASSERT_EQ(this->datatype_, Datatype::kF32) << "an f32 kernel";
    const size_t n = this->elements();
    ASSERT_NE(n, 0);
    GuardedInput input(n);
    std::mt19937 rng(this->seed_);
    std::vector<float> x_copy(n);
    for (size_t iteration = 0; iteration < this->iterations(); iteration++) {
      GuardedOutput y(n, iteration);
      float* x = inplace_ ? y.data() : input.Place(n, iteration);
      this->input_.Generate(x, n, rng);
      std::copy(x, x + n, x_copy.begin());

      if (!inplace_) input.Protect();
      ukernel(n * sizeof(float), x, y.data(), &params);
      if (!inplace_) input.Unprotect();
      ASSERT_TRUE(y.CanariesIntact());

      for (size_t i = 0; i < n; i++) {
        const float expected = reference(x_copy[i]);
        ASSERT_TRUE(SameBits(y[i], expected))
            << "x[" << i << "] = " << Describe(x_copy[i]) << ", y = " << Describe(y[i])
            << ", reference " << Describe(expected) << "; elements " << n << parameters
            << ", iteration " << iteration << " ("
            << (inplace_ ? std::string("in place") : "input " + input.layout()) << ")";
      }
    }
  }

  // The same for a 16-bit kernel: each output must have the bits of
  // reference(x_i) rounded once to the datatype (a NaN: a quiet NaN).
  template <typename Reference>
  void TestExact(twopass_x16_vunary_ukernel_fn ukernel, const twopass_f32_params& params,
                 Reference reference, const std::string& parameters) const {
    const Datatype datatype = this->datatype_;
    ASSERT_NE(datatype, Datatype::kF32) << "a 16-bit kernel needs a 16-bit datatype";
    const size_t n = this->elements();
    ASSERT_NE(n, 0);
    GuardedInput16 input(n);
    std::mt19937 rng(this->seed_);
    std::vector<float> x(n);
    for (size_t iteration = 0; iteration < this->iterations(); iteration++) {
      GuardedOutput16 y(n, iteration);
      uint16_t* x16 = inplace_ ? y.data() : input.Place(n, iteration);
      this->GenerateInput(x.data(), n, rng);
      for (size_t i = 0; i < n; i++) x16[i] = ToX16(datatype, x[i]);

      if (!inplace_) input.Protect();
      ukernel(n * sizeof(uint16_t), x16, y.data(), &params);
      if (!inplace_) input.Unprotect();
      ASSERT_TRUE(y.CanariesIntact());

      for (size_t i = 0; i < n; i++) {
        const uint16_t expected = ToX16(datatype, reference(x[i]));
        const uint16_t bits = y.data()[i];
        const float value = FromX16(datatype, bits);
        const bool ok = std::isnan(value) ? IsQuietNaN(datatype, bits) && std::isnan(FromX16(datatype, expected))
                                          : bits == expected;
        ASSERT_TRUE(ok)
            << DatatypeName(datatype) << " x[" << i << "] = " << Describe(x[i]) << ", y = "
            << Describe(value) << " (0x" << std::hex << bits << "), reference "
            << Describe(FromX16(datatype, expected)) << " (0x" << expected << std::dec
            << "); elements " << n << parameters << ", iteration " << iteration
            << (inplace_ ? " (in place)" : "");
      }
    }
  }

  bool inplace_ = false;
};

}  // namespace test
}  // namespace twopass
