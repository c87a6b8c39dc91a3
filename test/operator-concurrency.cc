// Concurrency tests of the operators, meant to run under
// ThreadSanitizer as well (scripts/ci-reliability.sh):
//   * many operators created, reshaped, set up, run and deleted from several
//     threads at once, sharing one pthreadpool, each with its own pool, on
//     NULL, and reshaping on one pool while running on another;
//   * operators reused for many reshape / setup / run cycles with changing
//     batch sizes (0 included), on several threads at once; long rows regrow
//     the per-chunk workspace, and rows of one and several chunks are split
//     into chunk tasks when there are fewer rows than threads;
//   * in place and with padded strides; run twice without a new setup.
// Every result must have the same bits as the same row computed alone on
// the calling thread (include/twopass.h: a row's result does not depend on
// the threadpool nor on its position in the batch), the reference rows meet
// the contract (testing/reference.h), and nothing outside the rows is
// written.
#include <gtest/gtest.h>
#include <pthreadpool.h>
#include <twopass.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "testing/float-bits.h"
#include "testing/guarded-buffer.h"
#include "testing/isa.h"
#include "testing/reference.h"
#include "testing/threadpool.h"

namespace twopass {
namespace concurrency {
namespace {

using testlib::FloatBits;
using testlib::GuardedBuffer;
using testlib::kInputGuardBits;
using testlib::Kind;
using testlib::SameBits;
using Pool = testlib::ThreadPool;

constexpr size_t kMaxBatch = 7;
constexpr uint32_t kCanaryBits = testlib::kOutputCanaryBits;

// Work scales with TWOPASS_CONCURRENCY_SCALE (default 1; the sanitizer jobs
// keep the default, a soak run may raise it).
size_t Scale() {
  const char* s = std::getenv("TWOPASS_CONCURRENCY_SCALE");
  const long v = s ? std::strtol(s, nullptr, 10) : 1;
  return v > 0 ? static_cast<size_t>(v) : 1;
}



struct Config {
  Kind kind;
  uint32_t flags;
  size_t channels;
  size_t input_stride;
  size_t output_stride;
  float beta;
  bool in_place;
};

std::string Describe(const Config& c) {
  char buffer[256];
  std::snprintf(buffer, sizeof(buffer),
                "%s flags=0x%X channels=%zu strides=%zu/%zu beta=%g in_place=%d",
                c.kind == Kind::softmax ? "softmax" : "log-softmax", (unsigned)c.flags, c.channels,
                c.input_stride, c.output_stride, (double)c.beta, (int)c.in_place);
  return buffer;
}

std::vector<uint32_t> HostIsaFlags() {
  std::vector<uint32_t> isas;
  for (uint32_t isa : {TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2, TWOPASS_FLAG_ISA_AVX512F}) {
    if (testlib::HostHasIsa(isa)) isas.push_back(isa);
  }
  return isas;
}

// Every ISA the host has x both algorithms (and the default) x both kinds,
// cycling through short rows, rows of one chunk, and rows of two and three
// chunks.
const std::vector<Config>& Configs() {
  static const std::vector<Config> configs = [] {
    const size_t channels[] = {1,
                               13,
                               100,
                               1000,
                               4099,
                               17,
                               TWOPASS_CHUNK_ELEMENTS + 5,
                               160,
                               2 * TWOPASS_CHUNK_ELEMENTS + 100};
    const float betas[] = {1.0f, 0.5f, -2.0f, 1.0f};
    std::vector<Config> list;
    size_t i = 0;
    for (uint32_t isa : HostIsaFlags()) {
      for (uint32_t algorithm : {0u, TWOPASS_FLAG_TWO_PASS, TWOPASS_FLAG_THREE_PASS}) {
        for (Kind kind : {Kind::softmax, Kind::log_softmax}) {
          Config c;
          c.kind = kind;
          c.flags = isa | algorithm;
          c.channels = channels[i % (sizeof(channels) / sizeof(channels[0]))];
          c.in_place = i % 4 == 3;
          c.input_stride = c.channels + i % 3;
          c.output_stride = c.in_place ? c.input_stride : c.channels + (i / 3) % 2;
          c.beta = betas[i % 4];
          list.push_back(c);
          i++;
        }
      }
    }
    return list;
  }();
  return configs;
}

// Row r of config `index`: values in [-20, 20], with -inf every 13th element
// (masked logits) and a NaN in one row of some configs.
std::vector<float> RowValues(size_t index, size_t r, size_t channels) {
  std::vector<float> x(channels);
  uint32_t state = static_cast<uint32_t>(index * 7919 + r * 104729 + 1);
  for (size_t i = 0; i < channels; i++) {
    state = state * 1664525u + 1013904223u;
    x[i] = static_cast<float>(static_cast<int32_t>(state >> 8) % 40000) * 1e-3f;
    if (channels > 3 && i % 13 == 5) x[i] = -INFINITY;
  }
  if (index % 5 == 2 && r == 3) x[channels / 2] = NAN;
  return x;
}

enum xnn_status Create(const Config& c, twopass_operator_t* op) {
  return c.kind == Kind::softmax ? twopass_create_softmax_nc_f32(c.beta, c.flags, op)
                                 : twopass_create_log_softmax_nc_f32(c.beta, c.flags, op);
}

enum xnn_status ReshapeOperator(const Config& c, twopass_operator_t op, size_t batch,
                                pthreadpool_t pool) {
  return c.kind == Kind::softmax
             ? twopass_reshape_softmax_nc_f32(op, c.channels, c.input_stride, c.output_stride,
                                              batch, pool)
             : twopass_reshape_log_softmax_nc_f32(op, c.channels, c.input_stride,
                                                  c.output_stride, batch, pool);
}

enum xnn_status SetupOperator(const Config& c, twopass_operator_t op, const float* x, float* y) {
  return c.kind == Kind::softmax ? twopass_setup_softmax_nc_f32(op, x, y)
                                 : twopass_setup_log_softmax_nc_f32(op, x, y);
}

// Reference bits of each row of each config: the row alone (batch 1), on
// the calling thread. Computed once, before any concurrency.
struct Reference {
  std::vector<std::vector<std::vector<float>>> values;   // [config][row][i]
  std::vector<std::vector<std::vector<float>>> outputs;  // [config][row][i]
};

const Reference& References() {
  static const Reference reference = [] {
    Reference ref;
    const auto& configs = Configs();
    ref.values.resize(configs.size());
    ref.outputs.resize(configs.size());
    for (size_t k = 0; k < configs.size(); k++) {
      Config single = configs[k];
      single.in_place = false;
      single.input_stride = single.output_stride = single.channels;
      for (size_t r = 0; r < kMaxBatch; r++) {
        std::vector<float> x = RowValues(k, r, single.channels);
        std::vector<float> y(single.channels);
        twopass_operator_t op = nullptr;
        if (Create(single, &op) != xnn_status_success ||
            ReshapeOperator(single, op, 1, nullptr) != xnn_status_success ||
            SetupOperator(single, op, x.data(), y.data()) != xnn_status_success ||
            twopass_run_operator(op, nullptr) != xnn_status_success ||
            twopass_delete_operator(op) != xnn_status_success) {
          std::fprintf(stderr, "reference run failed: %s\n", Describe(single).c_str());
          std::abort();
        }
        ref.values[k].push_back(std::move(x));
        ref.outputs[k].push_back(std::move(y));
      }
    }
    return ref;
  }();
  return reference;
}

// Errors from worker threads, reported by the main thread.
class Errors {
 public:
  void Add(const std::string& error) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (errors_.size() < 20) errors_.push_back(error);
    count_++;
  }
  void Report() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& e : errors_) ADD_FAILURE() << e;
    EXPECT_EQ(count_, 0u) << "errors in total";
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> errors_;
  size_t count_ = 0;
};

// Long rows keep a batch small (at most ~100K elements); rows of two or
// three chunks still run with fewer rows than pool threads (chunk tasks).
size_t ClampBatch(const Config& c, size_t batch) {
  const size_t limit = std::max<size_t>(1, 100000 / c.channels);
  return std::min(batch, limit);
}

// Buffers for `batch` rows of a config: guard values in the padding and
// around (input: a quiet NaN, output: a canary), rows from the reference.
class Buffers {
 public:
  Buffers(const Config& c, size_t k, size_t batch)
      : c_(c), k_(k), batch_(batch),
        input_(Elements(batch, c.input_stride), testlib::Placement::kCanaries, kInputGuardBits),
        output_(c.in_place ? 0 : Elements(batch, c.output_stride),
                testlib::Placement::kCanaries, kCanaryBits) {
    Refill();
  }
  void Refill() {
    input_.Refill();
    for (size_t r = 0; r < batch_; r++) {
      const auto& row = References().values[k_][r];
      std::copy(row.begin(), row.end(), input_.data() + r * c_.input_stride);
    }
    output_.Refill();
  }
  const float* x() const { return batch_ == 0 ? nullptr : input_.data(); }
  float* y() {
    if (batch_ == 0) return nullptr;
    return c_.in_place ? input_.data() : output_.data();
  }

  // "" if every row has its reference bits and nothing else changed.
  std::string Check() {
    const GuardedBuffer& out = c_.in_place ? input_ : output_;
    const std::string outside =
        out.CheckOutside(c_.in_place ? "in place" : "output", batch_, c_.channels, c_.output_stride);
    if (!outside.empty()) return Describe(c_) + ": an element outside the rows was written: " + outside;
    const std::string rows = CheckRows(out.data());
    if (!rows.empty()) return Describe(c_) + ": " + rows;
    if (!c_.in_place) {
      for (size_t r = 0; r < batch_; r++) {
        const auto& row = References().values[k_][r];
        if (std::memcmp(row.data(), input_.data() + r * c_.input_stride,
                        row.size() * sizeof(float)) != 0) {
          return Describe(c_) + ": the input was modified";
        }
      }
      const std::string padding = input_.CheckOutside("input", batch_, c_.channels, c_.input_stride);
      if (!padding.empty()) return Describe(c_) + ": " + padding;
    }
    return "";
  }

 private:
  static size_t Elements(size_t batch, size_t stride) { return batch == 0 ? 0 : batch * stride; }

  std::string CheckRows(const float* y) const {
    const Reference& ref = References();
    for (size_t r = 0; r < batch_; r++) {
      for (size_t i = 0; i < c_.channels; i++) {
        const float expected = ref.outputs[k_][r][i];
        const float got = y[r * c_.output_stride + i];
        if (!SameBits(got, expected)) {
          char buffer[160];
          std::snprintf(buffer, sizeof(buffer),
                        "row %zu element %zu: %a, alone on the calling thread %a", r, i,
                        (double)got, (double)expected);
          return buffer;
        }
      }
    }
    return "";
  }

  Config c_;
  size_t k_;
  size_t batch_;
  GuardedBuffer input_;
  GuardedBuffer output_;
};

// One full lifecycle of config k with `batch` rows: create, reshape on
// `reshape_pool`, setup, run on `run_pool` (twice, unless in place), delete.
std::string Lifecycle(size_t k, size_t batch, pthreadpool_t reshape_pool, pthreadpool_t run_pool) {
  const Config& c = Configs()[k];
  batch = ClampBatch(c, batch);
  Buffers buffers(c, k, batch);
  twopass_operator_t op = nullptr;
  if (Create(c, &op) != xnn_status_success) return Describe(c) + ": create failed";
  std::string error;
  if (ReshapeOperator(c, op, batch, reshape_pool) != xnn_status_success) {
    error = "reshape failed";
  } else if (SetupOperator(c, op, buffers.x(), buffers.y()) != xnn_status_success) {
    error = "setup failed";
  } else if (twopass_run_operator(op, run_pool) != xnn_status_success) {
    error = "run failed";
  } else {
    error = buffers.Check();
    if (error.empty() && !c.in_place) {
      buffers.Refill();
      if (twopass_run_operator(op, reshape_pool) != xnn_status_success) {
        error = "second run failed";
      } else {
        error = buffers.Check();
      }
    }
  }
  if (twopass_delete_operator(op) != xnn_status_success && error.empty()) error = "delete failed";
  if (!error.empty() && error.find(':') == std::string::npos) error = Describe(c) + ": " + error;
  return error;
}

Pool MakePool(size_t threads) { return Pool(threads); }

class OperatorConcurrency : public ::testing::Test {
 protected:
  void SetUp() override {
    // The references (and cpuinfo) are computed before any thread starts.
    const Reference& ref = References();
    for (size_t k = 0; k < Configs().size(); k++) {
      for (size_t r = 0; r < kMaxBatch; r++) {
        const std::string error =
            testlib::CheckRow(Configs()[k].kind, Configs()[k].beta, ref.values[k][r].data(),
                                   ref.outputs[k][r].data(), Configs()[k].channels);
        ASSERT_EQ(error, "") << Describe(Configs()[k]) << " row " << r;
      }
    }
  }

  // Runs `work(thread index, iteration)` on `threads` threads.
  template <typename Work>
  void RunThreads(size_t threads, size_t iterations, Work work) {
    std::vector<std::thread> workers;
    for (size_t t = 0; t < threads; t++) {
      workers.emplace_back([&, t] {
        for (size_t i = 0; i < iterations; i++) {
          const std::string error = work(t, i);
          if (!error.empty()) errors_.Add(error);
        }
      });
    }
    for (auto& w : workers) w.join();
    errors_.Report();
  }

  Errors errors_;
};

constexpr size_t kThreads = 6;

size_t Pick(size_t t, size_t i, size_t n) { return (t * 7 + i * 5 + (t * i) % 3) % n; }

TEST_F(OperatorConcurrency, many_operators_sharing_one_pool) {
  Pool pool = MakePool(4);
  const size_t n = Configs().size();
  RunThreads(kThreads, n * Scale(), [&](size_t t, size_t i) {
    return Lifecycle(Pick(t, i, n), 1 + (t + i) % kMaxBatch, pool.get(), pool.get());
  });
}

TEST_F(OperatorConcurrency, many_operators_each_with_its_own_pool) {
  const size_t n = Configs().size();
  RunThreads(kThreads, 1, [&](size_t t, size_t) {
    Pool pool = MakePool(1 + t % 3);
    std::string error;
    for (size_t i = 0; i < n * Scale() && error.empty(); i++) {
      error = Lifecycle(Pick(t, i, n), 1 + (t * 3 + i) % kMaxBatch, pool.get(), pool.get());
    }
    return error;
  });
}

TEST_F(OperatorConcurrency, many_operators_on_null_pools) {
  const size_t n = Configs().size();
  RunThreads(kThreads, n * Scale(), [&](size_t t, size_t i) {
    return Lifecycle(Pick(t, i, n), 1 + (t + 2 * i) % kMaxBatch, nullptr, nullptr);
  });
}

TEST_F(OperatorConcurrency, reshape_and_run_on_different_pools) {
  Pool shared = MakePool(3);
  const size_t n = Configs().size();
  RunThreads(kThreads, 1, [&](size_t t, size_t) {
    Pool own = MakePool(2);
    pthreadpool_t pools[] = {shared.get(), own.get(), nullptr};
    std::string error;
    for (size_t i = 0; i < n * Scale() && error.empty(); i++) {
      error =
          Lifecycle(Pick(t, i, n), 1 + (t + i) % kMaxBatch, pools[i % 3], pools[(i + 1 + t) % 3]);
    }
    return error;
  });
}

// One operator per thread, reused through many cycles with changing batch
// sizes, all threads sharing one pool (and NULL every third cycle).
TEST_F(OperatorConcurrency, operators_reused_with_changing_batch_sizes) {
  Pool pool = MakePool(4);
  const size_t n = Configs().size();
  static const size_t batches[] = {3, 1, 0, 7, 2, 5, 1, 0, 6, 4, 7, 1, 2};
  const size_t cycles = sizeof(batches) / sizeof(batches[0]);
  RunThreads(kThreads, 2 * Scale(), [&](size_t t, size_t iteration) {
    const size_t k = Pick(t, iteration, n);
    const Config& c = Configs()[k];
    twopass_operator_t op = nullptr;
    if (Create(c, &op) != xnn_status_success) return Describe(c) + ": create failed";
    std::string error;
    for (size_t cycle = 0; cycle < cycles && error.empty(); cycle++) {
      const size_t batch = ClampBatch(c, batches[(cycle + t) % cycles]);
      pthreadpool_t p = cycle % 3 == 2 ? nullptr : pool.get();
      Buffers buffers(c, k, batch);
      if (ReshapeOperator(c, op, batch, p) != xnn_status_success) {
        error = "reshape failed";
      } else if (SetupOperator(c, op, buffers.x(), buffers.y()) != xnn_status_success) {
        error = "setup failed";
      } else if (twopass_run_operator(op, cycle % 2 ? pool.get() : nullptr) != xnn_status_success) {
        error = "run failed";
      } else {
        error = buffers.Check();
      }
      if (!error.empty()) {
        char where[64];
        std::snprintf(where, sizeof(where), " (cycle %zu, batch %zu)", cycle, batch);
        error = Describe(c) + ": " + error + where;
      }
    }
    // After a reshape the old setup is gone: run must refuse.
    if (error.empty() && ReshapeOperator(c, op, 2, pool.get()) == xnn_status_success &&
        twopass_run_operator(op, pool.get()) != xnn_status_invalid_state) {
      error = Describe(c) + ": run after reshape without setup did not return invalid_state";
    }
    if (twopass_delete_operator(op) != xnn_status_success && error.empty()) {
      error = Describe(c) + ": delete failed";
    }
    return error;
  });
}

// Pools created and destroyed while other threads run operators on theirs.
TEST_F(OperatorConcurrency, pools_created_and_destroyed_concurrently) {
  const size_t n = Configs().size();
  RunThreads(kThreads, 4 * Scale(), [&](size_t t, size_t i) {
    Pool pool = MakePool(2);
    return Lifecycle(Pick(t, i, n), 1 + i % 2, pool.get(), pool.get());
  });
}

// The TSan job can fail: two tasks of one pthreadpool call that write the
// same memory are a data race, reported even though the pool's hand-off is
// annotated (test/concurrency/tsan-pthreadpool.cc orders the caller with the
// tasks, never the tasks with one another).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TWOPASS_CONCURRENCY_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) && !defined(TWOPASS_CONCURRENCY_TSAN)
#define TWOPASS_CONCURRENCY_TSAN 1
#endif

#ifdef TWOPASS_CONCURRENCY_TSAN
struct RacyContext {
  size_t last_index;  // written by every task: the planted race
  std::atomic<size_t> tasks;
};

void RacyTask(void* context, size_t i) {
  RacyContext* racy = static_cast<RacyContext*>(context);
  racy->last_index = i;
  racy->tasks.fetch_add(1, std::memory_order_relaxed);
}

void RunRacyTasks() {
  Pool pool = MakePool(4);
  RacyContext racy{0, {0}};
  pthreadpool_parallelize_1d(pool.get(), RacyTask, &racy, 4096, 0);
  std::printf("%zu tasks ran\n", racy.tasks.load());
}
#endif

TEST(OperatorConcurrencyDeathTest, tsan_reports_a_planted_race_between_pool_tasks) {
#ifdef TWOPASS_CONCURRENCY_TSAN
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        RunRacyTasks();
        std::exit(0);  // TSan turns a reported race into a non-zero exit status
      },
      "ThreadSanitizer: data race");
#else
  GTEST_SKIP() << "not a ThreadSanitizer build";
#endif
}

}  // namespace
}  // namespace concurrency
}  // namespace twopass
