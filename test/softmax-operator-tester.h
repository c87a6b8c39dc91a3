// SoftmaxOperatorTester: runs twopass softmax / log-softmax operators and
// checks them against a long-double reference, in the style of XNNPACK's
// test/softmax-operator-tester.h.
//
// What one TestF32() call checks:
//   * numerics of every element against long double, with the contract's
//     tolerances (include/twopass.h, issue 3):
//       softmax      |y - ref| <= 1e-5 * ref + 1e-37 and |sum(y) - 1| <= 1e-5
//       log-softmax  |y - ref| <= 2e-6 * max(1, |ref|)  (issue 13: the old
//                    bound scaled with |beta*x_i| and |lse|, which let the
//                    results near the max of a large-magnitude row go to 0)
//     and the special-value rules on the exact product beta*x_i;
//   * nothing outside the rows is written: canaries before and after both
//     buffers and in the padding between rows (or PROT_NONE pages right at
//     the ends of the buffers), the input is read-only while the operator
//     runs (mprotect), and the input (padding included) is unchanged;
//   * the padding of the input holds NaN: a row that reads it goes NaN;
//   * run is repeatable without a new setup and gives the same bits;
//   * optionally (check_threads) the same bits with threadpools of 1, 2 and 4
//     threads and NULL, with reshape and run given different pools, and
//     (check_position) a row's bits do not depend on where it sits in the
//     batch (batch of one, separate buffers);
//   * twopass_get_operator_info reports the forced algorithm and ISA.
#pragma once

#include <algorithm>
#include <cfloat>
#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <cpuinfo.h>
#include <gtest/gtest.h>
#include <pthreadpool.h>

#include <twopass.h>

#include "test/float-bits.h"
#include "test/guarded-pages.h"

namespace twopass {
namespace optest {

// ---- ISAs ------------------------------------------------------------------------

inline const char* IsaName(uint32_t isa_flag) {
  switch (isa_flag) {
    case TWOPASS_FLAG_ISA_SCALAR:
      return "scalar";
    case TWOPASS_FLAG_ISA_AVX2:
      return "avx2";
    case TWOPASS_FLAG_ISA_AVX512F:
      return "avx512f";
    default:
      return "best";
  }
}

inline const char* AlgorithmName(uint32_t algorithm_flag) {
  switch (algorithm_flag) {
    case TWOPASS_FLAG_TWO_PASS:
      return "two_pass";
    case TWOPASS_FLAG_THREE_PASS:
      return "three_pass";
    default:
      return "auto";
  }
}

// "" when the host runs the kernels of `isa_flag` (0: best available, always),
// else the CPU features it lacks (what XNNPACK's TEST_REQUIRES_X86_* name).
inline std::string MissingIsaFeatures(uint32_t isa_flag) {
  if (isa_flag == 0 || isa_flag == TWOPASS_FLAG_ISA_SCALAR) {
    return "";
  }
  if (!cpuinfo_initialize()) {
    return "cpuinfo (initialization failed)";
  }
  std::string missing;
  const auto add = [&missing](const char* feature) {
    missing += missing.empty() ? "" : ", ";
    missing += feature;
  };
  if (isa_flag == TWOPASS_FLAG_ISA_AVX2) {
    if (!cpuinfo_has_x86_avx2()) add("AVX2");
    if (!cpuinfo_has_x86_fma3()) add("FMA3");
  } else if (isa_flag == TWOPASS_FLAG_ISA_AVX512F) {
    if (!cpuinfo_has_x86_avx512f()) add("AVX512F");
  } else {
    add("unknown ISA flag");
  }
  return missing;
}

// The ISA the operator picks without an ISA flag.
inline uint32_t BestIsaFlag() {
  if (MissingIsaFeatures(TWOPASS_FLAG_ISA_AVX512F).empty()) return TWOPASS_FLAG_ISA_AVX512F;
  if (MissingIsaFeatures(TWOPASS_FLAG_ISA_AVX2).empty()) return TWOPASS_FLAG_ISA_AVX2;
  return TWOPASS_FLAG_ISA_SCALAR;
}

}  // namespace optest
}  // namespace twopass

// Skips the current test when the host lacks the ISA of `isa_flag` (a
// TWOPASS_FLAG_ISA_* value), naming it, like XNNPACK's TEST_REQUIRES_X86_AVX512F.
#define TEST_REQUIRES_TWOPASS_ISA(isa_flag)                                              \
  do {                                                                                   \
    const std::string twopass_missing = ::twopass::optest::MissingIsaFeatures(isa_flag); \
    if (!twopass_missing.empty()) {                                                      \
      GTEST_SKIP() << "host lacks " << twopass_missing << ": "                           \
                   << ::twopass::optest::IsaName(isa_flag) << " kernels not run";        \
    }                                                                                    \
  } while (0)

namespace twopass {
namespace optest {

// ---- Threadpools -------------------------------------------------------------------

// Pools shared by all tests of a process: 0 threads means NULL (calling thread).
inline pthreadpool_t ThreadPool(size_t threads) {
  if (threads == 0) {
    return nullptr;
  }
  struct PoolDeleter {
    void operator()(pthreadpool_t pool) const { pthreadpool_destroy(pool); }
  };
  static std::mutex mutex;
  static std::vector<std::pair<size_t, std::unique_ptr<pthreadpool, PoolDeleter>>> pools;
  std::lock_guard<std::mutex> lock(mutex);
  for (const auto& pool : pools) {
    if (pool.first == threads) return pool.second.get();
  }
  pthreadpool_t pool = pthreadpool_create(threads);
  if (pool == nullptr) {
    std::fprintf(stderr, "pthreadpool_create(%zu) failed\n", threads);
    std::abort();
  }
  pools.emplace_back(threads, std::unique_ptr<pthreadpool, PoolDeleter>(pool));
  return pool;
}

// pthreadpool workers spin-wait (up to a million pause instructions) after
// every parallel call before they sleep: on a two-core CI machine, pools of
// 2 and 4 threads left spinning between runs would cost the tests more CPU
// time than the operators. Quiesce() wakes the workers for an empty call with
// PTHREADPOOL_FLAG_YIELD_WORKERS, after which they sleep at once.
inline void Quiesce(pthreadpool_t pool) {
  const size_t threads = pthreadpool_get_threads_count(pool);
  if (pool != nullptr && threads > 1) {
    pthreadpool_parallelize_1d(
        pool, [](void*, size_t) {}, nullptr, threads, PTHREADPOOL_FLAG_YIELD_WORKERS);
  }
}

// twopass_run_operator, then Quiesce(threadpool).
inline enum xnn_status RunOperator(twopass_operator_t op, pthreadpool_t threadpool) {
  const enum xnn_status status = twopass_run_operator(op, threadpool);
  Quiesce(threadpool);
  return status;
}

// ---- Float helpers -----------------------------------------------------------------

// Same bits; any NaN matches any NaN.
inline bool SameBits(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return FloatBits(a) == FloatBits(b);
}

inline std::string Describe(long double value) {
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), "%.9Lg (%La)", value, value);
  return buffer;
}

// Canary of the output buffers (a signaling NaN no operator computes) and the
// guard value of the input padding (a quiet NaN: a row that reads it is NaN).
constexpr uint32_t kOutputCanaryBits = UINT32_C(0x7FBADBAD);
constexpr uint32_t kInputGuardBits = UINT32_C(0x7FC0FFEE);

inline const char* StatusName(int status) {
  switch (status) {
    case xnn_status_success: return "xnn_status_success";
    case xnn_status_uninitialized: return "xnn_status_uninitialized";
    case xnn_status_invalid_parameter: return "xnn_status_invalid_parameter";
    case xnn_status_invalid_state: return "xnn_status_invalid_state";
    case xnn_status_unsupported_parameter: return "xnn_status_unsupported_parameter";
    case xnn_status_unsupported_hardware: return "xnn_status_unsupported_hardware";
    case xnn_status_out_of_memory: return "xnn_status_out_of_memory";
    default: return "unknown xnn_status";
  }
}

// Status comparisons that print names (operator tests of statuses).
#define TWOPASS_STATUS_CHECK(check, expected, call)                                \
  do {                                                                             \
    const enum xnn_status twopass_status = (call);                                 \
    check(expected, twopass_status)                                                \
        << #call << " returned " << ::twopass::optest::StatusName(twopass_status)  \
        << ", expected " << ::twopass::optest::StatusName(expected);               \
  } while (0)
#define EXPECT_STATUS(expected, call) TWOPASS_STATUS_CHECK(EXPECT_EQ, expected, call)
#define ASSERT_STATUS(expected, call) TWOPASS_STATUS_CHECK(ASSERT_EQ, expected, call)

// ---- Guarded buffers ---------------------------------------------------------------

// Where a buffer's data sits inside its mapping.
enum class Placement {
  kCanaries,          // canaries on both sides (data offset by `misalignment` floats)
  kEndsAtGuardPage,   // the last element touches a PROT_NONE page
  kStartsAtGuardPage, // the first element follows a PROT_NONE page (page aligned)
};

inline const char* PlacementName(Placement placement) {
  switch (placement) {
    case Placement::kCanaries: return "canaries around";
    case Placement::kEndsAtGuardPage: return "ends at a guard page";
    case Placement::kStartsAtGuardPage: return "starts at a guard page";
  }
  return "?";
}

// `elements` floats between PROT_NONE pages, everything else in the mapping
// filled with `fill_bits`; CheckOutside() verifies those canaries.
class GuardedBuffer {
 public:
  static constexpr size_t kCanaryElements = 64;

  GuardedBuffer(size_t elements, Placement placement, size_t misalignment, uint32_t fill_bits)
      : elements_(elements), fill_bits_(fill_bits),
        pages_(elements + 2 * kCanaryElements + 16) {
    std::fill(region_begin(), region_end(), BitsFloat(fill_bits));
    switch (placement) {
      case Placement::kCanaries:
        data_ = region_begin() + kCanaryElements + misalignment % 16;
        break;
      case Placement::kEndsAtGuardPage:
        data_ = pages_.AtEnd(elements);
        break;
      case Placement::kStartsAtGuardPage:
        data_ = pages_.AtStart(elements);
        break;
    }
  }

  float* data() const { return data_; }
  size_t elements() const { return elements_; }
  void ReadOnly() { pages_.ReadOnly(); }
  void ReadWrite() { pages_.ReadWrite(); }

  // The whole mapped region, data and canaries, for before/after comparisons.
  std::vector<float> Snapshot() const { return std::vector<float>(region_begin(), region_end()); }
  bool SameAs(const std::vector<float>& snapshot) const {
    return std::memcmp(snapshot.data(), region_begin(), pages_.capacity() * sizeof(float)) == 0;
  }

  ::testing::AssertionResult CheckOutside(const char* what) const {
    for (const float* p = region_begin(); p != region_end(); p++) {
      if (p >= data_ && p < data_ + elements_) continue;
      if (FloatBits(*p) != fill_bits_) {
        const long long position = static_cast<long long>(p - data_);
        return ::testing::AssertionFailure()
               << what << " buffer: element " << position << " relative to its start (buffer of "
               << elements_ << " elements) was written: " << Describe(*p);
      }
    }
    return ::testing::AssertionSuccess();
  }

 private:
  float* region_begin() const { return pages_.begin(); }
  float* region_end() const { return pages_.end(); }

  size_t elements_;
  uint32_t fill_bits_;
  GuardedPages pages_;
  float* data_ = nullptr;
};

// ---- Long-double reference ---------------------------------------------------------

// beta*x exactly: a product of two floats has at most 48 significant bits.
inline long double ExactProduct(float beta, float x) {
  return static_cast<long double>(beta) * static_cast<long double>(x);
}

// One row of the reference, from the exact products z_i = beta*x_i.
struct RowReference {
  bool nan_row = false;   // a NaN or +inf product, or no finite product
  long double max = 0.0L; // largest finite z
  long double sum = 0.0L; // sum exp(z - max) over finite z
  long double lse = 0.0L; // log(sum exp(z))

  RowReference(const float* x, size_t channels, float beta) {
    bool any_finite = false;
    long double m = -std::numeric_limits<long double>::infinity();
    for (size_t i = 0; i < channels; i++) {
      const long double z = ExactProduct(beta, x[i]);
      if (std::isnan(z) || z == std::numeric_limits<long double>::infinity()) {
        nan_row = true;
        return;
      }
      if (std::isfinite(z)) {
        any_finite = true;
        m = std::max(m, z);
      }
    }
    if (!any_finite) {
      nan_row = true;
      return;
    }
    long double s = 0.0L;
    for (size_t i = 0; i < channels; i++) {
      const long double z = ExactProduct(beta, x[i]);
      if (std::isfinite(z)) s += std::exp(z - m);
    }
    max = m;
    sum = s;
    lse = m + std::log(s);
  }
};

// ---- The tester --------------------------------------------------------------------

class SoftmaxOperatorTester {
 public:
  SoftmaxOperatorTester& channels(size_t channels) {
    channels_ = channels;
    return *this;
  }
  size_t channels() const { return channels_; }

  // Strides in elements; 0 (default) means `channels`.
  SoftmaxOperatorTester& input_stride(size_t input_stride) {
    input_stride_ = input_stride;
    return *this;
  }
  size_t input_stride() const { return input_stride_ == 0 ? channels_ : input_stride_; }

  SoftmaxOperatorTester& output_stride(size_t output_stride) {
    output_stride_ = output_stride;
    return *this;
  }
  size_t output_stride() const { return output_stride_ == 0 ? channels_ : output_stride_; }

  SoftmaxOperatorTester& batch_size(size_t batch_size) {
    batch_size_ = batch_size;
    return *this;
  }
  size_t batch_size() const { return batch_size_; }

  SoftmaxOperatorTester& beta(float beta) {
    beta_ = beta;
    return *this;
  }
  float beta() const { return beta_; }

  // TWOPASS_FLAG_* given to create.
  SoftmaxOperatorTester& flags(uint32_t flags) {
    flags_ = flags;
    return *this;
  }
  uint32_t flags() const { return flags_; }

  // Threads of the pool given to reshape and run (0: NULL pool).
  SoftmaxOperatorTester& threads(size_t threads) {
    threads_ = threads;
    return *this;
  }
  size_t threads() const { return threads_; }

  SoftmaxOperatorTester& log_softmax(bool log_softmax) {
    log_softmax_ = log_softmax;
    return *this;
  }
  bool log_softmax() const { return log_softmax_; }

  // input == output; the output stride is the input stride.
  SoftmaxOperatorTester& in_place(bool in_place) {
    in_place_ = in_place;
    return *this;
  }
  bool in_place() const { return in_place_; }

  // Input distribution: uniform in [min, max] (drawn in double, so that
  // ranges up to +-FLT_MAX work).
  SoftmaxOperatorTester& input_range(float min, float max) {
    input_min_ = min;
    input_max_ = max;
    return *this;
  }
  // Every input a random subnormal (of random sign).
  SoftmaxOperatorTester& subnormal_inputs(bool subnormal_inputs) {
    subnormal_inputs_ = subnormal_inputs;
    return *this;
  }
  // `count` copies of `value` at distinct random positions of each injected
  // row (SIZE_MAX: every element).
  SoftmaxOperatorTester& inject(float value, size_t count = 1) {
    injections_.push_back(Injection{value, count, 0, 0});
    return *this;
  }
  // `value` at elements [begin, end) of each injected row.
  SoftmaxOperatorTester& inject_range(float value, size_t begin, size_t end) {
    injections_.push_back(Injection{value, 0, begin, end});
    return *this;
  }
  // Row contents chosen by the test: `fill(r, row)` writes the channels()
  // elements of row r over the random ones (injections are applied after
  // it). `name` goes into the description of a failure.
  SoftmaxOperatorTester& row_values(std::string name,
                                    std::function<void(size_t, float*)> fill) {
    row_values_name_ = std::move(name);
    row_values_ = std::move(fill);
    return *this;
  }
  // Injections go to rows r with r % period == phase (default: every row).
  SoftmaxOperatorTester& injected_rows(size_t period, size_t phase = 0) {
    injection_period_ = period;
    injection_phase_ = phase;
    return *this;
  }

  // Buffer placement; misalignment in floats from a 64-byte boundary.
  SoftmaxOperatorTester& input_placement(Placement placement, size_t misalignment = 0) {
    input_placement_ = placement;
    input_misalignment_ = misalignment;
    return *this;
  }
  SoftmaxOperatorTester& output_placement(Placement placement, size_t misalignment = 0) {
    output_placement_ = placement;
    output_misalignment_ = misalignment;
    return *this;
  }

  // Also compare the bits with pools of 1, 2, 4 threads and NULL.
  SoftmaxOperatorTester& check_threads(bool check_threads) {
    check_threads_ = check_threads;
    return *this;
  }
  // Also compare the bits of the first, middle and last rows computed alone
  // (batch 1, NULL pool, separate buffers).
  SoftmaxOperatorTester& check_position(bool check_position) {
    check_position_ = check_position;
    return *this;
  }
  SoftmaxOperatorTester& seed(uint32_t seed) {
    seed_ = seed;
    return *this;
  }

  void TestF32() const {
    ASSERT_GT(channels(), 0u);
    ASSERT_GE(input_stride(), channels());
    ASSERT_GE(output_stride(), channels());
    if (in_place()) {
      ASSERT_TRUE(output_stride_ == 0 || output_stride_ == input_stride())
          << "in-place tests use the input stride for the output";
    }
    SCOPED_TRACE(Description());

    const size_t batch = batch_size();
    const size_t istride = input_stride();
    const size_t ostride = in_place() ? istride : output_stride();
    const size_t input_elements = batch == 0 ? 1 : (batch - 1) * istride + channels();
    const size_t output_elements = batch == 0 ? 1 : (batch - 1) * ostride + channels();

    // The input, its padding NaN.
    std::vector<float> x(input_elements, BitsFloat(kInputGuardBits));
    GenerateInput(x.data());
    std::vector<RowReference> reference;
    reference.reserve(batch);
    for (size_t r = 0; r < batch; r++) {
      reference.emplace_back(x.data() + r * istride, channels(), beta());
    }

    GuardedBuffer input(input_elements, input_placement_, input_misalignment_, kInputGuardBits);
    std::copy(x.begin(), x.end(), input.data());
    std::unique_ptr<GuardedBuffer> output_buffer;
    if (!in_place()) {
      output_buffer.reset(new GuardedBuffer(output_elements, output_placement_,
                                            output_misalignment_, kOutputCanaryBits));
    }
    float* y = in_place() ? input.data() : output_buffer->data();
    const std::vector<float> input_snapshot = input.Snapshot();

    twopass_operator_t op = nullptr;
    ASSERT_EQ(xnn_status_success, Create(&op));
    ASSERT_NE(nullptr, op);
    std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> auto_op(
        op, twopass_delete_operator);

    pthreadpool_t pool = ThreadPool(threads());
    ASSERT_EQ(xnn_status_success, Reshape(op, batch, pool));
    CheckInfo(op);
    ASSERT_EQ(xnn_status_success, Setup(op, input.data(), y));
    if (!in_place()) input.ReadOnly();  // a write to the input crashes
    ASSERT_EQ(xnn_status_success, RunOperator(op, pool));
    input.ReadWrite();

    // Nothing outside the rows was written.
    if (!in_place()) {
      ASSERT_TRUE(input.SameAs(input_snapshot)) << "the input buffer changed";
      ASSERT_TRUE(output_buffer->CheckOutside("output"));
      for (size_t r = 0; r + 1 < batch; r++) {
        for (size_t i = channels(); i < ostride; i++) {
          ASSERT_EQ(kOutputCanaryBits, FloatBits(y[r * ostride + i]))
              << "output padding written: row " << r << ", element " << i;
        }
      }
    } else {
      ASSERT_TRUE(input.CheckOutside("in-place"));
      for (size_t r = 0; r + 1 < batch; r++) {
        for (size_t i = channels(); i < ostride; i++) {
          ASSERT_EQ(kInputGuardBits, FloatBits(y[r * ostride + i]))
              << "padding written (in place): row " << r << ", element " << i;
        }
      }
    }
    if (batch == 0) {
      return;
    }

    CheckNumerics(x.data(), y, reference);
    if (::testing::Test::HasFailure()) {
      return;
    }
    const std::vector<float> result = Rows(y, ostride);

    // Run again without a new setup, on the calling thread: same bits.
    if (!in_place()) {
      for (size_t r = 0; r < batch; r++) {
        std::fill(y + r * ostride, y + r * ostride + channels(), -1.0f);
      }
      ASSERT_EQ(xnn_status_success, twopass_run_operator(op, nullptr));
      ExpectSameRows(result, Rows(y, ostride), "second run of the same setup");
      ASSERT_TRUE(output_buffer->CheckOutside("output"));
    }

    if (check_threads_) {
      // (threads of the pool given to reshape, threads of the pool given to run)
      // (Pools of several threads spin after each call: few configurations keep
      // the tests fast on two cores.)
      static const size_t kPools[][2] = {{1, 1}, {2, 2}, {4, 4}, {4, 0}, {0, 2}};
      for (const auto& pools : kPools) {
        std::vector<float> buffer;
        const float* in = nullptr;
        float* out = nullptr;
        size_t out_stride = ostride;
        if (in_place()) {
          buffer = x;
          in = buffer.data();
          out = buffer.data();
        } else {
          buffer.assign(output_elements, 0.0f);
          in = input.data();
          out = buffer.data();
        }
        ASSERT_EQ(xnn_status_success, Reshape(op, batch, ThreadPool(pools[0])));
        ASSERT_EQ(xnn_status_success, Setup(op, in, out));
        ASSERT_EQ(xnn_status_success, RunOperator(op, ThreadPool(pools[1])));
        std::ostringstream what;
        what << "reshape with " << pools[0] << " threads, run with " << pools[1]
             << " threads (0: NULL pool) vs " << threads() << " threads";
        ExpectSameRows(result, Rows(out, out_stride), what.str());
      }
    }

    if (check_position_) {
      std::vector<size_t> rows = {0, batch / 2, batch - 1};
      rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
      for (size_t r : rows) {
        std::vector<float> alone(x.begin() + r * istride, x.begin() + r * istride + channels());
        std::vector<float> out(channels(), 0.0f);
        ASSERT_EQ(xnn_status_success, Reshape(op, 1, nullptr));
        ASSERT_EQ(xnn_status_success,
                  Setup(op, alone.data(), in_place() ? alone.data() : out.data()));
        ASSERT_EQ(xnn_status_success, twopass_run_operator(op, nullptr));
        const float* got = in_place() ? alone.data() : out.data();
        size_t mismatches = 0;
        for (size_t i = 0; i < channels(); i++) {
          const float expected = result[r * channels() + i];
          if (!SameBits(expected, got[i]) && mismatches++ < 5) {
            ADD_FAILURE() << "row " << r << " of " << batch << " computed alone (batch 1, "
                          << "NULL pool) differs at element " << i << ": in the batch "
                          << Describe(expected) << ", alone " << Describe(got[i]);
          }
        }
      }
    }
  }

  std::string Description() const {
    std::ostringstream s;
    s << (log_softmax() ? "log-softmax" : "softmax") << " channels=" << channels()
      << " input_stride=" << input_stride() << " output_stride=" << output_stride()
      << " batch=" << batch_size() << " beta=" << beta() << " flags=0x" << std::hex << flags()
      << std::dec << " (" << IsaName(flags() & IsaMask()) << ", "
      << AlgorithmName(flags() & AlgorithmMask()) << ") threads=" << threads()
      << (in_place() ? " in-place" : "") << " input";
    if (subnormal_inputs_) {
      s << " subnormal";
    } else {
      s << " in [" << input_min_ << ", " << input_max_ << "]";
    }
    if (row_values_) s << " rows: " << row_values_name_;
    for (const auto& injection : injections_) {
      if (injection.count != 0) {
        s << " +" << injection.count << "x" << injection.value;
      } else {
        s << " +" << injection.value << "@[" << injection.begin << "," << injection.end << ")";
      }
    }
    if (!injections_.empty() && injection_period_ != 1) {
      s << " (rows % " << injection_period_ << " == " << injection_phase_ << ")";
    }
    s << " input " << PlacementName(input_placement_) << "+" << input_misalignment_;
    if (!in_place()) s << " output " << PlacementName(output_placement_) << "+" << output_misalignment_;
    s << " seed=" << seed_;
    return s.str();
  }

  // ---- Pieces also used by the other operator tests ------------------------------

  static uint32_t IsaMask() {
    return TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_ISA_AVX2 | TWOPASS_FLAG_ISA_AVX512F;
  }
  static uint32_t AlgorithmMask() { return TWOPASS_FLAG_TWO_PASS | TWOPASS_FLAG_THREE_PASS; }

  // create takes beta and the flags; reshape the tester's shape (the output
  // stride is the input stride in place).
  enum xnn_status Create(twopass_operator_t* op) const {
    return log_softmax() ? twopass_create_log_softmax_nc_f32(beta(), flags(), op)
                         : twopass_create_softmax_nc_f32(beta(), flags(), op);
  }
  enum xnn_status Reshape(twopass_operator_t op, size_t batch, pthreadpool_t pool) const {
    const size_t ostride = in_place() ? input_stride() : output_stride();
    return log_softmax() ? twopass_reshape_log_softmax_nc_f32(op, channels(), input_stride(),
                                                              ostride, batch, pool)
                         : twopass_reshape_softmax_nc_f32(op, channels(), input_stride(), ostride,
                                                          batch, pool);
  }
  enum xnn_status Setup(twopass_operator_t op, const float* in, float* out) const {
    return log_softmax() ? twopass_setup_log_softmax_nc_f32(op, in, out)
                         : twopass_setup_softmax_nc_f32(op, in, out);
  }

 private:
  struct Injection {
    float value;
    size_t count;  // random positions; 0: the range [begin, end)
    size_t begin;
    size_t end;
  };

  void GenerateInput(float* x) const {
    std::mt19937 rng(seed_);
    std::uniform_real_distribution<double> uniform(input_min_, input_max_);
    std::vector<size_t> positions(channels());
    for (size_t r = 0; r < batch_size(); r++) {
      float* row = x + r * input_stride();
      for (size_t i = 0; i < channels(); i++) {
        if (subnormal_inputs_) {
          uint32_t bits = 0;
          while ((bits & UINT32_C(0x007FFFFF)) == 0) bits = static_cast<uint32_t>(rng());
          row[i] = BitsFloat(bits & UINT32_C(0x807FFFFF));
        } else {
          const float v = static_cast<float>(uniform(rng));
          row[i] = std::min(std::max(v, input_min_), input_max_);
        }
      }
      if (row_values_) row_values_(r, row);
      if (injections_.empty() || r % injection_period_ != injection_phase_) continue;
      std::iota(positions.begin(), positions.end(), size_t(0));
      std::shuffle(positions.begin(), positions.end(), rng);
      size_t next = 0;
      for (const auto& injection : injections_) {
        if (injection.count == 0) {
          for (size_t i = injection.begin; i < std::min(injection.end, channels()); i++) {
            row[i] = injection.value;
          }
        } else {
          for (size_t k = 0; k < injection.count && next < channels(); k++) {
            row[positions[next++]] = injection.value;
          }
        }
      }
    }
  }

  void CheckInfo(twopass_operator_t op) const {
    twopass_operator_info info;
    ASSERT_EQ(xnn_status_success, twopass_get_operator_info(op, &info));
    if (flags() & TWOPASS_FLAG_TWO_PASS) {
      EXPECT_EQ(twopass_algorithm_two_pass, info.algorithm);
    } else if (flags() & TWOPASS_FLAG_THREE_PASS) {
      EXPECT_EQ(twopass_algorithm_three_pass, info.algorithm);
    }
    const uint32_t isa = (flags() & IsaMask()) != 0 ? (flags() & IsaMask()) : BestIsaFlag();
    ASSERT_NE(nullptr, info.isa);
    EXPECT_STREQ(IsaName(isa), info.isa);
  }

  std::vector<float> Rows(const float* y, size_t stride) const {
    std::vector<float> rows(batch_size() * channels());
    for (size_t r = 0; r < batch_size(); r++) {
      std::copy(y + r * stride, y + r * stride + channels(), rows.begin() + r * channels());
    }
    return rows;
  }

  void ExpectSameRows(const std::vector<float>& expected, const std::vector<float>& got,
                      const std::string& what) const {
    size_t mismatches = 0;
    for (size_t k = 0; k < expected.size(); k++) {
      if (!SameBits(expected[k], got[k]) && mismatches++ < 5) {
        ADD_FAILURE() << what << ": bits differ at row " << k / channels() << ", element "
                      << k % channels() << ": " << Describe(expected[k]) << " vs "
                      << Describe(got[k]);
      }
    }
  }

  void CheckNumerics(const float* x, const float* y,
                     const std::vector<RowReference>& reference) const {
    const size_t istride = input_stride();
    const size_t ostride = in_place() ? istride : output_stride();
    const long double kInf = std::numeric_limits<long double>::infinity();
    size_t failures = 0;
    long double worst = 0.0L;  // largest error / tolerance
    // `message()` builds the text only for the failures shown: a broken
    // kernel fails on every element of a long row.
    const auto fail = [&](size_t r, size_t i, const auto& message) {
      if (failures++ < 8) {
        ADD_FAILURE() << "row " << r << ", element " << i << " (x = "
                      << Describe(x[r * istride + i]) << "): " << message();
      }
    };
    for (size_t r = 0; r < batch_size(); r++) {
      const RowReference& ref = reference[r];
      const float* xr = x + r * istride;
      const float* yr = y + r * ostride;
      if (ref.nan_row) {
        for (size_t i = 0; i < channels(); i++) {
          if (!std::isnan(yr[i])) {
            fail(r, i, [&] {
              return "the row has a NaN or +inf product beta*x (or no finite one): expected "
                     "NaN, got " + Describe(yr[i]);
            });
          }
        }
        continue;
      }
      long double sum = 0.0L;
      for (size_t i = 0; i < channels(); i++) {
        const long double z = ExactProduct(beta(), xr[i]);
        const float yi = yr[i];
        if (z == -kInf) {
          if (log_softmax() ? !(yi == -std::numeric_limits<float>::infinity()) : !(yi == 0.0f)) {
            fail(r, i, [&] {
              return std::string("beta*x = -inf: expected exactly ") +
                     (log_softmax() ? "-inf" : "0") + ", got " + Describe(yi);
            });
          }
          continue;
        }
        if (!log_softmax()) {
          const long double expected = std::exp(z - ref.max) / ref.sum;
          const long double tolerance = 1e-5L * expected + 1e-37L;
          const long double error = std::fabs(static_cast<long double>(yi) - expected);
          if (!(error <= tolerance)) {
            fail(r, i, [&] {
              return "softmax: expected " + Describe(expected) + ", got " + Describe(yi) +
                     ", |error| " + Describe(error) + " > tolerance " + Describe(tolerance);
            });
          } else {
            worst = std::max(worst, error / tolerance);
          }
          sum += yi;
        } else {
          // (z - max) - log(sum), not z - lse: at |max| ~ 1e30, lse has no
          // digit of log(sum) left, even in long double.
          const long double expected = (z - ref.max) - std::log(ref.sum);
          const long double tolerance = 2e-6L * std::max(1.0L, std::fabs(expected));
          const long double error = std::fabs(static_cast<long double>(yi) - expected);
          // beta*x_i - lse below -FLT_MAX (e.g. x_i = -FLT_MAX next to x_j =
          // FLT_MAX) has no float value: -inf is its rounding.
          const bool overflows = expected - tolerance < -static_cast<long double>(FLT_MAX);
          if (overflows && yi == -std::numeric_limits<float>::infinity()) {
            continue;
          }
          if (!(error <= tolerance)) {
            fail(r, i, [&] {
              return "log-softmax: expected " + Describe(expected) + " (lse " +
                     Describe(ref.lse) + "), got " + Describe(yi) + ", |error| " +
                     Describe(error) + " > tolerance " + Describe(tolerance);
            });
          } else {
            worst = std::max(worst, error / tolerance);
          }
        }
      }
      if (!log_softmax() && !(std::fabs(sum - 1.0L) <= 1e-5L)) {
        if (failures++ < 8) {
          ADD_FAILURE() << "row " << r << ": |sum(y) - 1| = " << Describe(std::fabs(sum - 1.0L))
                        << " > 1e-5 (sum " << Describe(sum) << ")";
        }
      }
    }
    if (failures > 8) {
      ADD_FAILURE() << failures << " failures in all (first 8 shown)";
    }
    if (std::getenv("TWOPASS_TEST_PRINT_ERRORS") != nullptr) {
      std::printf("[error] %s: largest error / tolerance %.3Lg\n", Description().c_str(), worst);
    }
  }

  size_t channels_ = 1;
  size_t input_stride_ = 0;
  size_t output_stride_ = 0;
  size_t batch_size_ = 1;
  float beta_ = 1.0f;
  uint32_t flags_ = 0;
  size_t threads_ = 1;
  bool log_softmax_ = false;
  bool in_place_ = false;
  float input_min_ = -10.0f;
  float input_max_ = 10.0f;
  bool subnormal_inputs_ = false;
  std::string row_values_name_;
  std::function<void(size_t, float*)> row_values_;
  std::vector<Injection> injections_;
  size_t injection_period_ = 1;
  size_t injection_phase_ = 0;
  Placement input_placement_ = Placement::kCanaries;
  size_t input_misalignment_ = 0;
  Placement output_placement_ = Placement::kCanaries;
  size_t output_misalignment_ = 0;
  bool check_threads_ = false;
  bool check_position_ = false;
  uint32_t seed_ = UINT32_C(0x50F7A);
};

// ---- Parameters shared by the operator test files ----------------------------------

struct IsaAlgorithm {
  uint32_t isa_flag;
  uint32_t algorithm_flag;
  uint32_t flags() const { return isa_flag | algorithm_flag; }
};

inline std::vector<IsaAlgorithm> AllIsaAlgorithms() {
  std::vector<IsaAlgorithm> params;
  for (uint32_t isa : {TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2, TWOPASS_FLAG_ISA_AVX512F}) {
    for (uint32_t algorithm : {TWOPASS_FLAG_TWO_PASS, TWOPASS_FLAG_THREE_PASS}) {
      params.push_back(IsaAlgorithm{isa, algorithm});
    }
  }
  return params;
}

inline std::string IsaAlgorithmName(const ::testing::TestParamInfo<IsaAlgorithm>& info) {
  return std::string(IsaName(info.param.isa_flag)) + "_" + AlgorithmName(info.param.algorithm_flag);
}

// The element tile a kernel's name states ("_u<N>"); 0 if it states none.
inline size_t TileOfKernelName(const char* name) {
  const std::string s(name);
  const size_t u = s.rfind("_u");
  return u == std::string::npos ? 0 : std::strtoul(s.c_str() + u + 2, nullptr, 10);
}

// Element tiles of the kernels an operator with `flags` runs, parsed from the
// "_u<N>" of the names twopass_get_operator_info returns.
inline std::vector<size_t> KernelTiles(uint32_t flags, bool log_softmax) {
  std::vector<size_t> tiles;
  twopass_operator_t op = nullptr;
  const enum xnn_status status =
      log_softmax ? twopass_create_log_softmax_nc_f32(1.0f, flags, &op)
                  : twopass_create_softmax_nc_f32(1.0f, flags, &op);
  if (status != xnn_status_success) return tiles;
  const enum xnn_status reshaped =
      log_softmax ? twopass_reshape_log_softmax_nc_f32(op, 1, 1, 1, 1, nullptr)
                  : twopass_reshape_softmax_nc_f32(op, 1, 1, 1, 1, nullptr);
  twopass_operator_info info;
  if (reshaped == xnn_status_success &&
      twopass_get_operator_info(op, &info) == xnn_status_success) {
    for (const char* name : info.ukernels) {
      if (name == nullptr) continue;
      const size_t tile = TileOfKernelName(name);
      if (tile != 0) tiles.push_back(tile);
    }
  }
  twopass_delete_operator(op);
  std::sort(tiles.begin(), tiles.end());
  tiles.erase(std::unique(tiles.begin(), tiles.end()), tiles.end());
  return tiles;
}

// Row lengths around every kernel tile (and the SIMD widths below it).
inline std::vector<size_t> ChannelsAroundTiles(uint32_t flags, bool log_softmax) {
  std::vector<size_t> channels;
  for (size_t tile : KernelTiles(flags, log_softmax)) {
    for (size_t c : {tile - 1, tile, tile + 1, 2 * tile - 1, 2 * tile + 1, 3 * tile + 5,
                     tile + 8, tile + 15, tile + 16 + 1}) {
      if (c != 0) channels.push_back(c);
    }
  }
  for (size_t c : {size_t(4), size_t(7), size_t(8), size_t(9), size_t(15), size_t(16), size_t(17),
                   size_t(31), size_t(32), size_t(33), size_t(63), size_t(64), size_t(65)}) {
    channels.push_back(c);
  }
  std::sort(channels.begin(), channels.end());
  channels.erase(std::unique(channels.begin(), channels.end()), channels.end());
  return channels;
}

// Row lengths around the chunk boundaries of long rows.
inline std::vector<size_t> ChannelsAroundChunks() {
  const size_t chunk = TWOPASS_CHUNK_ELEMENTS;
  return {chunk - 1, chunk, chunk + 1, 2 * chunk - 1, 2 * chunk + 1, 3 * chunk + 17};
}

}  // namespace optest
}  // namespace twopass
