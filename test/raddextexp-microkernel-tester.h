// Tester of the f32-raddextexp kernels (two-pass softmax, pass 1):
// sum[0] * 2^sum[1] = sum_i exp(beta * x_i), against a long-double reference.
#pragma once

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

class RAddExtExpMicrokernelTester : public ExpTesterBase<RAddExtExpMicrokernelTester> {
 public:
  // Tolerance of the sum's relative error: SumTolerance() of the largest
  // ExtExpTermTolerance() of the terms (the beta*x two-product adds nothing
  // measurable). Measured (TWOPASS_TEST_PRINT_ERRORS=1, AVX-512F, AVX2 and
  // scalar kernels): at most 1.9e-7 for rows up to 10 tiles (tolerance
  // >= 4.6e-7), at 32768 elements 9.5e-7 AVX-512F (tolerance 3.6e-6), 1.9e-6
  // AVX2 (5e-6), 5e-8 scalar (5e-6); 5.6e-7 for |x| up to 1e6 (one dominant
  // term; tolerance >= 1.7e-6).

  // Overrides the relative tolerance of the sum.
  RAddExtExpMicrokernelTester& tolerance(double tolerance) {
    tolerance_ = tolerance;
    return *this;
  }
  // Caps the relative tolerance of the sum (e.g. at kChunkSumTolerance).
  RAddExtExpMicrokernelTester& max_tolerance(double max_tolerance) {
    max_tolerance_ = max_tolerance;
    return *this;
  }

  void Test(twopass_f32_reduce_ukernel_fn ukernel) const {
    ASSERT_EQ(datatype(), Datatype::kF32) << "an f32 kernel";
    Run([&](GuardedInput& input, const float* x, size_t, float* sum,
            const twopass_f32_params* params) {
      input.Protect();
      ukernel(elements() * sizeof(float), x, sum, params);
      input.Unprotect();
    });
  }

  // A 16-bit kernel (set datatype()): the same sum of the same x_i, read as
  // their 16-bit bits.
  void Test(twopass_x16_reduce_ukernel_fn ukernel) const {
    ASSERT_NE(datatype(), Datatype::kF32) << "a 16-bit kernel needs a 16-bit datatype";
    GuardedInput16 input16(elements());
    Run([&](GuardedInput&, const float* x, size_t iteration, float* sum,
            const twopass_f32_params* params) {
      uint16_t* x16 = input16.Place(elements(), iteration);
      for (size_t i = 0; i < elements(); i++) x16[i] = ToX16(datatype(), x[i]);
      input16.Protect();
      ukernel(elements() * sizeof(uint16_t), x16, sum, params);
      input16.Unprotect();
    });
  }

 private:
  // Runs every iteration: `call(input, x, iteration, sum, params)` runs the
  // kernel on the generated row x (in `input`), then the sum is checked.
  template <typename Call>
  void Run(const Call& call) const {
    ASSERT_NE(elements(), 0);
    GuardedInput input(elements());
    std::mt19937 rng(seed_);
    twopass_f32_params params = {};
    ASSERT_TRUE(SetBeta(&params));
    long double max_error = 0.0L;
    for (size_t iteration = 0; iteration < iterations(); iteration++) {
      float* x = input.Place(elements(), iteration);
      GenerateInput(x, elements(), rng);
      GuardedOutput sum(2, iteration);

      call(input, x, iteration, sum.data(), &params);
      ASSERT_TRUE(sum.CanariesIntact());

      // Reference: classify every product beta*x_i.
      bool has_nan = false;
      bool has_pos_inf = false;
      ExpSum reference;
      double term_tolerance = kExtExpTermTolerance;
      for (size_t i = 0; i < elements(); i++) {
        const long double z = ExactProduct(beta(), x[i]);
        const float z_float = beta() * x[i];
        if (std::isnan(z)) {
          has_nan = true;
        } else if (z == INFINITY) {
          has_pos_inf = true;
        } else if (z_float >= TWOPASS_EXTEXP_MIN_INPUT) {
          reference.Add(z);
          term_tolerance = std::max(term_tolerance, ExtExpTermTolerance(z));
        }  // else: below the range (-inf included), contributes exactly 0
      }

      const float value = sum[0];
      const float exponent = sum[1];
      const auto context = [&]() {
        // Where the special values are: a failure names its input.
        std::string specials;
        size_t neg_inf = 0;
        for (size_t i = 0; i < elements(); i++) {
          if (x[i] == -INFINITY) {
            neg_inf++;
          } else if (!std::isfinite(x[i]) && specials.size() < 200) {
            specials += " x[" + std::to_string(i) + "]=" + (std::isnan(x[i]) ? "NaN" : "+inf");
          }
        }
        if (neg_inf != 0) specials += " and " + std::to_string(neg_inf) + " -inf";
        return std::string(DatatypeName(datatype())) + ", elements " +
               std::to_string(elements()) + ", beta " + Describe(beta()) +
               ", iteration " + std::to_string(iteration) + " (input " + input.layout() + ")" +
               (specials.empty() ? "" : ", specials:" + specials) + ": value " + Describe(value) +
               ", exponent " + Describe(exponent);
      };
      if (has_nan) {
        EXPECT_TRUE(std::isnan(value) || std::isnan(exponent))
            << "a NaN product must give a NaN sum; " << context();
        continue;
      }
      if (has_pos_inf) {
        EXPECT_FALSE(std::isfinite(value) && std::isfinite(exponent))
            << "a +inf product must give a NaN or infinite sum; " << context();
        continue;
      }
      if (reference.terms == 0) {
        EXPECT_EQ(value, 0.0f) << "nothing contributed: value must be 0; " << context();
        EXPECT_FALSE(std::isnan(exponent)) << context();
        continue;
      }
      ASSERT_TRUE(std::isfinite(value) && value > 0.0f) << context();
      ASSERT_TRUE(std::isfinite(exponent)) << context();
      EXPECT_EQ(exponent, std::nearbyint(exponent))
          << "the exponent must be integer-valued; " << context();
      // log(value * 2^exponent) - log(sum), computed without forming either.
      const long double log_ratio = std::log(static_cast<long double>(value)) +
                                    static_cast<long double>(exponent) * kLn2 - reference.Log();
      const long double error = std::fabs(std::expm1(log_ratio));
      max_error = std::max(max_error, error);
      const double tolerance = tolerance_ > 0.0 ? tolerance_
          : std::min(max_tolerance_, SumTolerance(term_tolerance, elements(), lanes()));
      EXPECT_LE(error, tolerance)
          << "relative error of value*2^exponent; reference log(sum) = " << Describe(reference.Log())
          << "; " << context();
    }
    ReportError("sum_rel", elements(), max_error);
  }

  double tolerance_ = 0.0;
  double max_tolerance_ = 1.0;
};

}  // namespace test
}  // namespace twopass
