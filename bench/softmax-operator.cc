// Operator comparison: twopass softmax and log-softmax (default choice and
// each forced algorithm, plus the AVX2 path forced) beside the system
// XNNPACK softmax (xnn_create_softmax_nc_f32), oneDNN's softmax_v2
// (accurate and log; single-threaded, as its OpenMP runtime allows) and the
// bandwidth floor (one read-only pass over x plus one copy pass x -> y, with
// ordinary stores or, floor_nt, non-temporal ones: bench/floor.h; the tools
// report the faster of the two as the floor).
//
// Names: <impl>/<rows>x<channels>/t<threads>, with impl one of
//   twopass, twopass_2p, twopass_3p            softmax: default, forced two-/three-pass
//   twopass_log, twopass_log_2p, twopass_log_3p
//   twopass_avx2, twopass_avx2_2p, twopass_avx2_3p   TWOPASS_FLAG_ISA_AVX2
//   xnnpack, onednn, onednn_log, floor, floor_nt
// Single rows take N from --sizes (default: 1e3 .. 64M with LLM-logit rows);
// batches are 64x1000, 64x32000, 16x256000 and 64x1048576. Threads 1 and 2
// (--threads) for twopass, XNNPACK and the floor; oneDNN runs on 1.
//
// Method (as XNNPACK's bench/softmax.cc): one input and one output buffer per
// size, reused by every iteration: rows that fit stay in cache, larger ones
// stream from memory. Time is wall-clock; ns per element = real_time / (rows *
// channels). Counters: elements/s, bytes/s (8 B per element, one read and one
// write), and for twopass the algorithm the operator ran (passes: 2 or 3) and
// the L2 size it chose against.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <pthreadpool.h>
#include <xnnpack.h>

#include "bench/floor.h"
#include "bench/softmax-kernels.h"
#include "testing/threadpool.h"
#include <twopass.h>

#ifdef TWOPASS_BENCH_HAVE_DNNL
#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

enum class Impl { kTwopass, kXnnpack, kOnednn, kFloor };

struct Config {
  std::string name;
  Impl impl;
  bool log = false;
  uint32_t flags = 0;  // twopass creation flags
  uint32_t arch_flags = 0;  // what the host needs
};

struct Shape {
  size_t rows;
  size_t channels;
};

pthreadpool_t Pool(int threads) {
  return twopass::testlib::SharedPool(threads <= 1 ? 0 : static_cast<size_t>(threads));
}

// "" when the first and last rows of y are the softmax (log-softmax) of the
// rows of x: twopass's against the test library's reference (bench/utils.h),
// the other libraries' by their sums (within 1e-2).
std::string CheckRows(const float* x, const float* y, Shape shape, bool log, bool twopass) {
  for (size_t row : {size_t(0), shape.rows - 1}) {
    const size_t offset = row * shape.channels;
    const std::string error =
        twopass ? twopass_bench::CheckSoftmaxRow(log, 1.0f, x + offset, y + offset,
                                                 shape.channels, false)
                : twopass_bench::CheckRowSum(log, y + offset, shape.channels, 1e-2);
    if (!error.empty()) return "wrong result: row " + std::to_string(row) + ": " + error;
  }
  return std::string();
}

void softmax_operator(benchmark::State& state, const Config* config, Shape shape, int threads) {
  if (!twopass_bench::CheckArch(state, config->arch_flags)) return;
  const size_t n = shape.rows * shape.channels;
  const float* x = twopass_bench::RandomInput(n);
  float* y = twopass_bench::OutputBuffer(n);
  pthreadpool_t pool = Pool(threads);
  char message[256];

  switch (config->impl) {
    case Impl::kTwopass: {
      twopass_operator_t op = nullptr;
      enum xnn_status status =
          config->log ? twopass_create_log_softmax_nc_f32(1.0f, config->flags, &op)
                      : twopass_create_softmax_nc_f32(1.0f, config->flags, &op);
      if (status != xnn_status_success) {
        std::snprintf(message, sizeof(message), "twopass create failed (status %d)", status);
        state.SkipWithError(message);
        return;
      }
      std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> holder(
          op, twopass_delete_operator);
      const size_t c = shape.channels;
      status = config->log ? twopass_reshape_log_softmax_nc_f32(op, c, c, c, shape.rows, pool)
                           : twopass_reshape_softmax_nc_f32(op, c, c, c, shape.rows, pool);
      if (status == xnn_status_success) {
        status = config->log ? twopass_setup_log_softmax_nc_f32(op, x, y)
                             : twopass_setup_softmax_nc_f32(op, x, y);
      }
      if (status == xnn_status_success) status = twopass_run_operator(op, pool);
      if (status != xnn_status_success) {
        std::snprintf(message, sizeof(message), "twopass reshape/setup/run failed (status %d)",
                      status);
        state.SkipWithError(message);
        return;
      }
      const std::string error = CheckRows(x, y, shape, config->log, true);
      if (!error.empty()) {
        state.SkipWithError(error.c_str());
        return;
      }
      for (auto _ : state) {
        twopass_run_operator(op, pool);
        benchmark::ClobberMemory();
      }
      struct twopass_operator_info info = {};
      if (twopass_get_operator_info(op, &info) == xnn_status_success) {
        const bool two = info.algorithm == twopass_algorithm_two_pass;
        state.counters["passes"] = two ? 2 : 3;
        state.counters["l2_cache_bytes"] = static_cast<double>(info.l2_cache_bytes);
        state.SetLabel(std::string(info.isa ? info.isa : "?") + (two ? " two_pass" : " three_pass"));
      }
      break;
    }
    case Impl::kXnnpack: {
      xnn_operator_t op = nullptr;
      enum xnn_status status =
          xnn_create_softmax_nc_f32(shape.channels, shape.channels, shape.channels, 0, &op);
      if (status != xnn_status_success) {
        std::snprintf(message, sizeof(message), "xnn_create_softmax_nc_f32 failed (status %d)",
                      status);
        state.SkipWithError(message);
        return;
      }
      std::unique_ptr<xnn_operator, decltype(&xnn_delete_operator)> holder(op,
                                                                           xnn_delete_operator);
      status = xnn_setup_softmax_nc_f32(op, shape.rows, x, y, pool);
      if (status == xnn_status_success) status = xnn_run_operator(op, pool);
      if (status != xnn_status_success) {
        std::snprintf(message, sizeof(message), "XNNPACK setup/run failed (status %d)", status);
        state.SkipWithError(message);
        return;
      }
      const std::string error = CheckRows(x, y, shape, false, false);
      if (!error.empty()) {
        state.SkipWithError(error.c_str());
        return;
      }
      for (auto _ : state) {
        xnn_run_operator(op, pool);
        benchmark::ClobberMemory();
      }
      break;
    }
    case Impl::kOnednn: {
#ifdef TWOPASS_BENCH_HAVE_DNNL
      try {
        omp_set_num_threads(threads);
        dnnl::engine engine(dnnl::engine::kind::cpu, 0);
        dnnl::stream stream(engine);
        const dnnl::memory::desc md({dnnl::memory::dim(shape.rows), dnnl::memory::dim(shape.channels)},
                                    dnnl::memory::data_type::f32, dnnl::memory::format_tag::ab);
        const dnnl::softmax_v2_forward::desc desc(
            dnnl::prop_kind::forward_inference,
            config->log ? dnnl::algorithm::softmax_log : dnnl::algorithm::softmax_accurate, md, md,
            1);
        const dnnl::softmax_v2_forward::primitive_desc pd(desc, engine);
        dnnl::softmax_v2_forward softmax(pd);
        dnnl::memory src(md, engine, const_cast<float*>(x));
        dnnl::memory dst(md, engine, y);
        const std::unordered_map<int, dnnl::memory> args = {{DNNL_ARG_SRC, src},
                                                            {DNNL_ARG_DST, dst}};
        softmax.execute(stream, args);
        stream.wait();
        const std::string error = CheckRows(x, y, shape, config->log, false);
        if (!error.empty()) {
          state.SkipWithError(error.c_str());
          return;
        }
        for (auto _ : state) {
          softmax.execute(stream, args);
          stream.wait();
        }
        state.SetLabel(pd.impl_info_str());
      } catch (const dnnl::error& e) {
        std::snprintf(message, sizeof(message), "oneDNN failed: %s", e.what());
        state.SkipWithError(message);
        return;
      }
#else
      state.SkipWithError("skipped: built without oneDNN (libdnnl-dev not found by CMake)");
      return;
#endif
      break;
    }
    case Impl::kFloor: {
      const int nt = config->flags != 0;
      twopass_floor(n, x, y, nt, pool);
      for (auto _ : state) {
        twopass_floor(n, x, y, nt, pool);
        benchmark::ClobberMemory();
      }
      state.SetLabel(std::string(nt ? "read+NT copy, " : "read+copy, ") + twopass_floor_isa());
      break;
    }
  }
  twopass_bench::SetRateCounters(state, n, 2 * n * sizeof(float));
  state.counters["rows"] = shape.rows;
  state.counters["channels"] = shape.channels;
  state.counters["pool_threads"] = threads;
}

const std::vector<Config>& Configs() {
  static const std::vector<Config> configs = {
      {"twopass", Impl::kTwopass, false, 0, 0},
      {"twopass_2p", Impl::kTwopass, false, TWOPASS_FLAG_TWO_PASS, 0},
      {"twopass_3p", Impl::kTwopass, false, TWOPASS_FLAG_THREE_PASS, 0},
      {"twopass_log", Impl::kTwopass, true, 0, 0},
      {"twopass_log_2p", Impl::kTwopass, true, TWOPASS_FLAG_TWO_PASS, 0},
      {"twopass_log_3p", Impl::kTwopass, true, TWOPASS_FLAG_THREE_PASS, 0},
      {"twopass_avx2", Impl::kTwopass, false, TWOPASS_FLAG_ISA_AVX2, TWOPASS_ARCH_X86_AVX2_FMA},
      {"twopass_avx2_2p", Impl::kTwopass, false, TWOPASS_FLAG_ISA_AVX2 | TWOPASS_FLAG_TWO_PASS,
       TWOPASS_ARCH_X86_AVX2_FMA},
      {"twopass_avx2_3p", Impl::kTwopass, false, TWOPASS_FLAG_ISA_AVX2 | TWOPASS_FLAG_THREE_PASS,
       TWOPASS_ARCH_X86_AVX2_FMA},
      {"xnnpack", Impl::kXnnpack},
      {"onednn", Impl::kOnednn},
      {"onednn_log", Impl::kOnednn, true},
      {"floor", Impl::kFloor},
      {"floor_nt", Impl::kFloor, false, 1},  // flags: non-temporal copy
  };
  return configs;
}

// Which configs also run on more than one thread.
bool Threaded(const Config& c) {
  return c.impl == Impl::kXnnpack || c.impl == Impl::kFloor ||
         (c.impl == Impl::kTwopass && !c.log && c.arch_flags == 0);
}

void Register() {
  const enum xnn_status status = xnn_initialize(nullptr);
  if (status != xnn_status_success) {
    std::fprintf(stderr, "xnn_initialize failed (status %d): XNNPACK benchmarks will fail\n",
                 status);
  }
  std::vector<Shape> shapes;
  for (int64_t n : twopass_bench::Sizes({1000, 4096, 16384, 32000, 65536, 128000, 256000, 262144,
                                         1048576, 4194304, 16777216, 67108864})) {
    shapes.push_back({1, static_cast<size_t>(n)});
  }
  for (Shape s : {Shape{64, 1000}, Shape{64, 32000}, Shape{16, 256000}, Shape{64, 1048576}}) {
    shapes.push_back(s);
  }
  for (const Config& c : Configs()) {
    for (int threads : twopass_bench::ThreadCounts()) {
      if (threads > 1 && !Threaded(c)) continue;
      for (Shape s : shapes) {
        const std::string name = c.name + "/" + std::to_string(s.rows) + "x" +
                                 std::to_string(s.channels) + "/t" + std::to_string(threads);
        benchmark::RegisterBenchmark(name.c_str(), softmax_operator, &c, s, threads)
            ->UseRealTime();
      }
    }
  }
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
