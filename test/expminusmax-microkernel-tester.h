// Tester of the f32-raddstoreexpminusmax kernels (three-pass softmax, pass 2):
// y_i = exp(beta * x_i - max), sum = sum_i y_i, and of the f32-raddexpminusmax
// kernels (log-softmax, pass 2: the same sum without storing y), against one
// long-double reference.
#pragma once

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <limits>
#include <ostream>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "microkernels/microkernels.h"
#include "test/microkernel-test-utils.h"
#include "test/microkernel-tester.h"

namespace twopass {
namespace test {

template <typename Derived>
class ExpMinusMaxTester : public ExpTesterBase<Derived> {
 public:
  using ExpTesterBase<Derived>::beta;

  // Relative error of one y = exp(z), z = beta*x - max, besides the rounding
  // of z itself: the exp core (at most 1.98 ULP, 1.65e-7) and the final
  // rounding. The kernels round z once (one FMA, or in double): that shifts
  // y by up to |z| * 2^-24 relative, added per element (YTolerance()).
  // Measured (TWOPASS_TEST_PRINT_ERRORS=1, AVX-512F, AVX2 and scalar, every
  // test): (|y - ref| / ref - |z| * 2^-24) at most 1.23e-7. The sum gets
  // the elements' tolerances plus SumTolerance()'s accumulation term:
  // measured at most 3.5e-7 for rows up to 10 tiles; at 32768 elements
  // 9.7e-7 AVX-512F, 1.8e-6 AVX2, 5e-8 scalar (capped at kChunkSumTolerance).
  static constexpr double kExpTolerance = 2.5e-7;
  // |ln2 - (float) ln2| * log2(e), rounded up.
  static constexpr double kRR1Error = 2.8e-9;

  // The max given to the kernel. By default: the largest float product
  // beta*x_i of the row (NaN elements ignored), as the operator computes it.
  Derived& max(float max) {
    has_max_ = true;
    max_ = max;
    return this->self();
  }

  // Caps the sum's relative tolerance (e.g. at kChunkSumTolerance).
  Derived& max_sum_tolerance(double max_sum_tolerance) {
    max_sum_tolerance_ = max_sum_tolerance;
    return this->self();
  }

  // For kernels that reduce z with one float ln(2) ("rr1"): t = z - n*ln2_f
  // is off by n * |ln2 - ln2_f| = n * 1.9e-9, n = round(z * log2(e)), i.e.
  // |z| * 2.75e-9 relative in y, on top of the two-constant ("rr2") error.
  Derived& one_constant_reduction(bool rr1) {
    one_constant_reduction_ = rr1;
    return this->self();
  }

  double YTolerance(long double z) const {
    const double per_unit_z = kFloatEpsilon + (one_constant_reduction_ ? kRR1Error : 0.0);
    return kExpTolerance + std::fabs(static_cast<double>(z)) * per_unit_z;
  }

 protected:
  // `call(x, max, y, sum)` runs the kernel; y is nullptr for raddexpminusmax.
  template <typename Call>
  void Run(bool store, Call call) const {
    const size_t n = this->elements();
    ASSERT_NE(n, 0);
    GuardedInput input(n);
    std::mt19937 rng(this->seed_);
    long double max_y_error = 0.0L;
    long double max_sum_error = 0.0L;
    for (size_t iteration = 0; iteration < this->iterations(); iteration++) {
      float* x = input.Place(n, iteration);
      this->input_.Generate(x, n, rng);

      float max = max_;
      if (!has_max_) {
        max = -std::numeric_limits<float>::infinity();
        bool any = false;
        for (size_t i = 0; i < n; i++) {
          const float product = beta() * x[i];
          if (!std::isnan(product)) {
            max = any ? std::max(max, product) : product;
            any = true;
          }
        }
        if (!any) max = 0.0f;
      }
      GuardedOutput max_buffer(1, iteration);
      max_buffer.data()[0] = max;

      GuardedOutput y(store ? n : 0, iteration);
      GuardedOutput sum(1, iteration);
      input.Protect();
      call(x, max_buffer.data(), store ? y.data() : nullptr, sum.data());
      input.Unprotect();
      ASSERT_TRUE(max_buffer.CanariesIntact());
      ASSERT_EQ(FloatBits(max_buffer[0]), FloatBits(max)) << "the kernel wrote to *max";
      ASSERT_TRUE(y.CanariesIntact());
      ASSERT_TRUE(sum.CanariesIntact());

      const auto row = [&]() {
        return "elements " + std::to_string(n) + ", beta " + Describe(beta()) + ", max " + Describe(max) +
               ", iteration " + std::to_string(iteration) + " (input " + input.layout() + ")";
      };

      bool has_nan = false;
      bool has_pos_inf = false;
      long double sum_reference = 0.0L;
      long double sum_allowance = n * kMinSubnormal;
      long double flush_allowance = n * kMinSubnormal;
      for (size_t i = 0; i < n; i++) {
        const long double z = ExactProduct(beta(), x[i]) - static_cast<long double>(max);
        const float yi = store ? y[i] : 0.0f;
        const auto context = [&]() {
          return "x[" + std::to_string(i) + "] = " + Describe(x[i]) + ", y = " + Describe(yi) + "; " + row();
        };
        if (std::isnan(z)) {
          has_nan = true;
          if (store) {
            ASSERT_TRUE(std::isnan(yi)) << "a NaN argument must give NaN; " << context();
          }
          continue;
        }
        if (z == INFINITY) {
          has_pos_inf = true;
          if (store) {
            ASSERT_FALSE(std::isfinite(yi)) << "a +inf argument must give NaN or +inf; "
                                            << context();
          }
          continue;
        }
        if (z == -INFINITY) {
          if (store) {
            ASSERT_EQ(yi, 0.0f) << "a -inf argument must give exactly 0; " << context();
          }
          continue;
        }
        const long double reference = std::exp(z);
        const double tolerance = YTolerance(z);
        sum_reference += reference;
        sum_allowance += tolerance * reference;
        // Results below FLT_MIN may be flushed to 0 (the kernels' cutoff sits
        // at 4.5e-6 relative above FLT_MIN, within the rounding of z).
        const bool may_flush = reference < FLT_MIN * (1.0 + tolerance);
        if (may_flush) {
          sum_allowance += reference;
          flush_allowance += reference;
        }
        if (!store) continue;
        const long double error = std::fabs(static_cast<long double>(yi) - reference);
        if (may_flush) {
          ASSERT_TRUE(yi == 0.0f || error <= tolerance * reference + kMinSubnormal)
              << "reference " << Describe(reference) << " (below FLT_MIN: 0 or accurate); "
              << context();
        } else {
          const long double z_rounding = std::fabs(z) * static_cast<long double>(kFloatEpsilon);
          max_y_error = std::max(max_y_error, error / reference - z_rounding);
          ASSERT_LE(error, tolerance * reference)
              << "reference " << Describe(reference) << ", relative error " << Describe(error / reference)
              << " (|z| * 2^-24 = " << Describe(std::fabs(z) * kFloatEpsilon) << "); " << context();
        }
      }

      const float s = sum[0];
      if (has_nan) {
        EXPECT_TRUE(std::isnan(s)) << "a NaN argument must make the sum NaN; sum " << Describe(s)
                                   << "; " << row();
        continue;
      }
      if (has_pos_inf) {
        EXPECT_FALSE(std::isfinite(s)) << "a +inf argument must make the sum NaN or +inf; sum "
                                       << Describe(s) << "; " << row();
        continue;
      }
      if (sum_reference == 0.0L) {
        EXPECT_EQ(s, 0.0f) << "nothing contributed: the sum must be 0; " << row();
        continue;
      }
      // Element errors, flushable elements, and the float accumulation.
      long double allowed = sum_allowance + SumTolerance(0.0, n, this->lanes(), store ? kSoftmaxWindowAdds : kWindowAdds) * sum_reference;
      allowed = std::min(allowed, max_sum_tolerance_ * sum_reference + flush_allowance);
      const long double error = std::fabs(static_cast<long double>(s) - sum_reference);
      max_sum_error = std::max(max_sum_error, error / sum_reference);
      EXPECT_LE(error, allowed) << "sum " << Describe(s) << ", reference " << Describe(sum_reference)
                                << ", relative error " << Describe(error / sum_reference) << "; "
                                << row();
    }
    if (store) ReportError("y_rel_minus_arg_rounding", n, max_y_error);
    ReportError("sum_rel", n, max_sum_error);
  }

 private:
  bool has_max_ = false;
  float max_ = 0.0f;
  double max_sum_tolerance_ = 1.0;
  bool one_constant_reduction_ = false;
};

// An entry of microkernels/f32-raddstoreexpminusmax-raddexpminusmax/gen/
// f32-raddstoreexpminusmax.h (store: fn.raddstore) or f32-raddexpminusmax.h
// (fn.reduce): both lists are tested by one suite.
struct ExpMinusMaxKernel : UKernel<twopass_f32_ukernel_fn> {
  bool store;

  const char* op_name() const { return store ? "raddstoreexpminusmax" : "raddexpminusmax"; }
};

inline twopass_f32_ukernel_fn ReduceFn(twopass_f32_reduce_ukernel_fn reduce) {
  twopass_f32_ukernel_fn fn;
  fn.reduce = reduce;
  return fn;
}

inline twopass_f32_ukernel_fn RAddStoreFn(twopass_f32_raddstore_ukernel_fn raddstore) {
  twopass_f32_ukernel_fn fn;
  fn.raddstore = raddstore;
  return fn;
}

inline void PrintTo(const ExpMinusMaxKernel& kernel, std::ostream* os) {
  PrintTo(static_cast<const UKernel<twopass_f32_ukernel_fn>&>(kernel), os);
}

class ExpMinusMaxMicrokernelTester : public ExpMinusMaxTester<ExpMinusMaxMicrokernelTester> {
 public:
  // Checks y as well for the kernels that store it.
  void Test(const ExpMinusMaxKernel& kernel) const {
    const size_t batch = elements() * sizeof(float);
    Run(kernel.store, [&](const float* x, const float* max, float* y, float* sum) {
      twopass_f32_params params = {};
      params.beta = beta();
      params.max = *max;
      if (kernel.store) {
        kernel.fn.raddstore(batch, x, y, sum, &params);
      } else {
        kernel.fn.reduce(batch, x, sum, &params);
      }
    });
  }
};

}  // namespace test
}  // namespace twopass
