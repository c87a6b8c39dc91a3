// Tester of the f32-vscaleextexp kernels (two-pass softmax, pass 2):
// y_i = exp(beta * x_i) * scale_value * 2^scale_exponent, against a
// long-double reference; also their 16-bit twins (bf16, f16: set datatype()),
// whose outputs are the float results rounded once to the datatype: each must
// be within half an ulp of the datatype (plus the f32 tolerance) of the
// reference, a NaN a quiet NaN.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "test/microkernel-test-utils.h"
#include "test/microkernel-tester.h"

namespace twopass {
namespace test {

class VScaleExtExpMicrokernelTester : public ExpTesterBase<VScaleExtExpMicrokernelTester> {
 public:
  // Relative error of one output: ExtExpTermTolerance(beta*x) (the exp core)
  // plus the rounding of p * scale_value (2^-24). Measured
  // (TWOPASS_TEST_PRINT_ERRORS=1, AVX-512F, AVX2 and scalar, every test):
  // at most 2.07e-7 for |beta*x| <= 2^16 (tolerance 3.1e-7), 5.5e-7 for
  // |beta*x| ~ 9e5 (tolerance 1.56e-6).
  static constexpr double kRoundingTolerance = 0x1.0p-24;

  // Explicit scale. By default the scale is the reciprocal of the row's exact
  // sum of exp(beta*x) as a (value in (0.5, 1], integer exponent) pair, so the
  // outputs are the row's softmax, as in the two-pass operator.
  VScaleExtExpMicrokernelTester& scale(float value, float exponent) {
    explicit_scale_ = true;
    scale_value_ = value;
    scale_exponent_ = exponent;
    return *this;
  }
  // Added to the scale exponent (explicit or derived), e.g. to make the
  // outputs subnormal.
  VScaleExtExpMicrokernelTester& scale_exponent_offset(float offset) {
    scale_exponent_offset_ = offset;
    return *this;
  }

  VScaleExtExpMicrokernelTester& tolerance(double tolerance) {
    tolerance_ = tolerance;
    return *this;
  }

  void Test(twopass_f32_vunary_ukernel_fn ukernel) const {
    ASSERT_EQ(datatype(), Datatype::kF32) << "an f32 kernel";
    Run([&](GuardedInput& input, const float* x, size_t, float* y,
            const twopass_f32_params* params) {
      input.Protect();
      ukernel(elements() * sizeof(float), x, y, params);
      input.Unprotect();
    });
  }

  void Test(twopass_x16_vunary_ukernel_fn ukernel) const {
    ASSERT_NE(datatype(), Datatype::kF32) << "a 16-bit kernel needs a 16-bit datatype";
    GuardedInput16 input16(elements());
    Run([&](GuardedInput&, const float* x, size_t iteration, float* y,
            const twopass_f32_params* params) {
      uint16_t* x16 = input16.Place(elements(), iteration);
      for (size_t i = 0; i < elements(); i++) x16[i] = ToX16(datatype(), x[i]);
      GuardedOutput16 y16(elements(), iteration);
      input16.Protect();
      ukernel(elements() * sizeof(uint16_t), x16, y16.data(), params);
      input16.Unprotect();
      ASSERT_TRUE(y16.CanariesIntact());
      for (size_t i = 0; i < elements(); i++) {
        const uint16_t bits = y16.data()[i];
        y[i] = FromX16(datatype(), bits);
        ASSERT_TRUE(!std::isnan(y[i]) || IsQuietNaN(datatype(), bits))
            << "a NaN output must be quiet: 0x" << std::hex << bits;
      }
    });
  }

 private:
  // Runs every iteration: `call(input, x, iteration, y, params)` runs the
  // kernel on the generated row x (in `input`) into y (as floats), which is
  // then checked.
  template <typename Call>
  void Run(const Call& call) const {
    ASSERT_NE(elements(), 0);
    GuardedInput input(elements());
    std::mt19937 rng(seed_);
    long double max_error = 0.0L;
    for (size_t iteration = 0; iteration < iterations(); iteration++) {
      float* x = input.Place(elements(), iteration);
      GenerateInput(x, elements(), rng);

      float scale_value = scale_value_;
      float scale_exponent = scale_exponent_;
      if (!explicit_scale_) {
        ExpSum sum;
        for (size_t i = 0; i < elements(); i++) {
          const long double z = ExactProduct(beta(), x[i]);
          if (std::isfinite(z) && beta() * x[i] >= TWOPASS_EXTEXP_MIN_INPUT) sum.Add(z);
        }
        scale_value = 1.0f;
        scale_exponent = 0.0f;
        if (sum.terms != 0) {
          // sum = 2^log2_sum = m * 2^e with m in [1, 2).
          const long double log2_sum = sum.Log() / kLn2;
          const long double e = std::floor(log2_sum);
          scale_value = static_cast<float>(1.0L / std::exp2(log2_sum - e));
          scale_exponent = static_cast<float>(-e);
        }
      }
      scale_exponent += scale_exponent_offset_;

      GuardedOutput y(elements(), iteration);
      twopass_f32_params params = {};
      ASSERT_TRUE(SetBeta(&params));
      params.scale = scale_value;
      params.scale_exponent = scale_exponent;
      call(input, x, iteration, y.data(), &params);
      if (::testing::Test::HasFatalFailure()) return;
      ASSERT_TRUE(y.CanariesIntact());

      for (size_t i = 0; i < elements(); i++) {
        const long double z = ExactProduct(beta(), x[i]);
        const auto context = [&]() {
          return std::string(DatatypeName(datatype())) + " x[" + std::to_string(i) +
                 "] = " + Describe(x[i]) + ", y = " + Describe(y[i]) +
                 "; elements " + std::to_string(elements()) + ", beta " + Describe(beta()) +
                 ", scale " + Describe(scale_value) + " * 2^" + Describe(scale_exponent) +
                 ", iteration " + std::to_string(iteration) + " (input " + input.layout() + ")";
        };
        if (std::isnan(z)) {
          ASSERT_TRUE(std::isnan(y[i])) << "a NaN product must give NaN; " << context();
          continue;
        }
        if (z == INFINITY) {
          ASSERT_FALSE(std::isfinite(y[i])) << "a +inf product must give NaN or +inf; "
                                            << context();
          continue;
        }
        if (!(beta() * x[i] >= TWOPASS_EXTEXP_MIN_INPUT)) {
          ASSERT_EQ(y[i], 0.0f) << "products below TWOPASS_EXTEXP_MIN_INPUT (-inf included) "
                                   "must give exactly 0; " << context();
          continue;
        }
        const long double reference =
            static_cast<long double>(scale_value) *
            std::exp(z + static_cast<long double>(scale_exponent) * kLn2);
        ASSERT_LE(reference, FLT_MAX) << "test error: the output overflows; " << context();
        const long double error = std::fabs(static_cast<long double>(y[i]) - reference);
        const double tolerance =
            tolerance_ > 0.0 ? tolerance_ : ExtExpTermTolerance(z) + kRoundingTolerance;
        // A 16-bit output is the float result rounded once more: half an ulp
        // of the datatype at the reference (0 for f32), and infinity from
        // where the float result may round to it.
        const long double half_ulp = HalfUlp(datatype(), reference);
        if (datatype() != Datatype::kF32 && y[i] == INFINITY &&
            reference * (1.0L + tolerance) >= OverflowThreshold(datatype())) {
          continue;
        }
        if (reference >= FLT_MIN) {
          max_error = std::max(max_error, error / reference);
          ASSERT_LE(error, tolerance * reference + half_ulp)
              << "reference " << Describe(reference) << "; " << context();
        } else {
          // Subnormal results: may be flushed to 0, else accurate to one
          // subnormal ULP (the final scaling rounds a second time).
          ASSERT_TRUE(y[i] == 0.0f || error <= tolerance * reference + kMinSubnormal + half_ulp)
              << "subnormal reference " << Describe(reference) << "; " << context();
        }
      }
    }
    ReportError("y_rel", elements(), max_error);
  }

 private:
  bool explicit_scale_ = false;
  float scale_value_ = 1.0f;
  float scale_exponent_ = 0.0f;
  float scale_exponent_offset_ = 0.0f;
  double tolerance_ = 0.0;
};

}  // namespace test
}  // namespace twopass
