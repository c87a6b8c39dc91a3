// bf16 and f16 rows against float32 rows of the same shape: the twopass
// operators of each datatype (default flags), softmax and log-softmax, one
// input and one output buffer per shape reused by every iteration (rows that
// fit stay in cache, larger ones stream from memory).
// Names: <kind>_<datatype>/<rows>x<channels>/t<threads>. Counters:
// ns_per_element, and vs_f32, the ratio to the f32 run of the same kind,
// shape and threads (run just before it). The goals: vs_f32 <= 0.6 out of
// cache (x + y beyond the last-level cache) and <= 1 in cache.
//   softmax-x16-bench --benchmark_filter=softmax_
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <pthreadpool.h>

#include <twopass.h>

#include "bench/utils.h"
#include "microkernels/convert/scalar.h"
#include "testing/threadpool.h"

namespace {

enum class Datatype { kF32, kBF16, kF16 };

struct Variant {
  const char* name;  // <kind>_<datatype>
  bool log;
  Datatype datatype;
};

const Variant kVariants[] = {
    {"softmax_f32", false, Datatype::kF32},      {"softmax_bf16", false, Datatype::kBF16},
    {"softmax_f16", false, Datatype::kF16},      {"log_softmax_f32", true, Datatype::kF32},
    {"log_softmax_bf16", true, Datatype::kBF16}, {"log_softmax_f16", true, Datatype::kF16},
};

struct Api {
  enum xnn_status (*create)(float, uint32_t, twopass_operator_t*);
  enum xnn_status (*reshape)(twopass_operator_t, size_t, size_t, size_t, size_t, pthreadpool_t);
  enum xnn_status (*setup)(twopass_operator_t, const void*, void*);
};

enum xnn_status SetupSoftmaxF32(twopass_operator_t op, const void* x, void* y) {
  return twopass_setup_softmax_nc_f32(op, static_cast<const float*>(x), static_cast<float*>(y));
}
enum xnn_status SetupLogSoftmaxF32(twopass_operator_t op, const void* x, void* y) {
  return twopass_setup_log_softmax_nc_f32(op, static_cast<const float*>(x),
                                          static_cast<float*>(y));
}

Api ApiOf(const Variant& v) {
  switch (v.datatype) {
    case Datatype::kBF16:
      return v.log ? Api{twopass_create_log_softmax_nc_bf16, twopass_reshape_log_softmax_nc_bf16,
                         twopass_setup_log_softmax_nc_bf16}
                   : Api{twopass_create_softmax_nc_bf16, twopass_reshape_softmax_nc_bf16,
                         twopass_setup_softmax_nc_bf16};
    case Datatype::kF16:
      return v.log ? Api{twopass_create_log_softmax_nc_f16, twopass_reshape_log_softmax_nc_f16,
                         twopass_setup_log_softmax_nc_f16}
                   : Api{twopass_create_softmax_nc_f16, twopass_reshape_softmax_nc_f16,
                         twopass_setup_softmax_nc_f16};
    default:
      return v.log ? Api{twopass_create_log_softmax_nc_f32, twopass_reshape_log_softmax_nc_f32,
                         SetupLogSoftmaxF32}
                   : Api{twopass_create_softmax_nc_f32, twopass_reshape_softmax_nc_f32,
                         SetupSoftmaxF32};
  }
}

size_t ElementSize(Datatype d) { return d == Datatype::kF32 ? 4 : 2; }

// The input of n elements of a datatype: the bench's random floats, rounded.
const void* Input(Datatype d, size_t n) {
  static std::map<std::pair<Datatype, size_t>, std::vector<uint16_t>> inputs;
  const float* x = twopass_bench::RandomInput(n);
  if (d == Datatype::kF32) return x;
  auto it = inputs.find({d, n});
  if (it == inputs.end()) {
    std::vector<uint16_t> bits(n);
    for (size_t i = 0; i < n; i++) {
      bits[i] = d == Datatype::kBF16 ? twopass_bf16_from_f32(x[i]) : twopass_f16_from_f32(x[i]);
    }
    it = inputs.emplace(std::make_pair(d, n), std::move(bits)).first;
  }
  return it->second.data();
}

// The decoded output element i.
float Output(Datatype d, const void* y, size_t i) {
  switch (d) {
    case Datatype::kBF16:
      return twopass_bf16_to_f32(static_cast<const uint16_t*>(y)[i]);
    case Datatype::kF16:
      return twopass_f16_to_f32(static_cast<const uint16_t*>(y)[i]);
    default:
      return static_cast<const float*>(y)[i];
  }
}

// "" when the first row sums to 1 (exp of log-softmax's) within 1e-2, or 5e-2
// for bf16 log-softmax (half an ulp of a bf16 y near -8 is 1.6% of exp(y)),
// plus, for f16 softmax, half its smallest subnormal per element (the
// outputs of a 64Mi row, about 1e-8 each, are subnormal in f16).
std::string CheckFirstRow(const Variant& v, const void* y, size_t channels) {
  double sum = 0.0;
  for (size_t i = 0; i < channels; i++) {
    const double yi = Output(v.datatype, y, i);
    sum += v.log ? std::exp(yi) : yi;
  }
  double tolerance = v.log && v.datatype == Datatype::kBF16 ? 5e-2 : 1e-2;
  if (!v.log && v.datatype == Datatype::kF16) tolerance += 0x1.0p-25 * static_cast<double>(channels);
  return std::fabs(sum - 1.0) < tolerance ? "" : "the first row sums to " + std::to_string(sum);
}

std::map<std::tuple<bool, size_t, size_t, int>, double>& F32Times() {
  static std::map<std::tuple<bool, size_t, size_t, int>, double> times;
  return times;
}

void softmax_x16(benchmark::State& state, const Variant* v, size_t rows, size_t channels,
                 int threads) {
  const size_t n = rows * channels;
  const void* x = Input(v->datatype, n);
  // OutputBuffer(n) holds n floats: room for n 16-bit elements too.
  void* y = twopass_bench::OutputBuffer(n);
  pthreadpool_t pool = twopass::testlib::SharedPool(threads <= 1 ? 0 : size_t(threads));
  const Api api = ApiOf(*v);
  twopass_operator_t op = nullptr;
  enum xnn_status status = api.create(1.0f, 0, &op);
  std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> holder(
      op, twopass_delete_operator);
  if (status == xnn_status_success) status = api.reshape(op, channels, channels, channels, rows, pool);
  if (status == xnn_status_success) status = api.setup(op, x, y);
  if (status == xnn_status_success) status = twopass_run_operator(op, pool);
  if (status != xnn_status_success) {
    state.SkipWithError(("twopass failed with status " + std::to_string(status)).c_str());
    return;
  }
  const std::string error = CheckFirstRow(*v, y, channels);
  if (!error.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  const double start = twopass_bench::IterationClock();
  for (auto _ : state) {
    twopass_run_operator(op, pool);
    benchmark::ClobberMemory();
  }
  const double elapsed = twopass_bench::IterationClock() - start;
  const double ns = 1e9 * elapsed / static_cast<double>(state.iterations()) / static_cast<double>(n);
  state.counters["ns_per_element"] = ns;
  const auto key = std::make_tuple(v->log, rows, channels, threads);
  if (v->datatype == Datatype::kF32) F32Times()[key] = ns;
  const auto f32 = F32Times().find(key);
  if (f32 != F32Times().end()) state.counters["vs_f32"] = ns / f32->second;
  twopass_bench::SetRateCounters(state, static_cast<double>(n),
                                 2.0 * static_cast<double>(n * ElementSize(v->datatype)));
  struct twopass_operator_info info = {};
  if (twopass_get_operator_info(op, &info) == xnn_status_success) {
    state.SetLabel(std::string(info.isa) +
                   (info.algorithm == twopass_algorithm_two_pass ? " two_pass" : " three_pass"));
  }
}

void Register() {
  std::vector<std::pair<size_t, size_t>> shapes;
  for (int64_t n : twopass_bench::Sizes({4096, 65536, 1048576, 16777216, 67108864})) {
    shapes.emplace_back(1, static_cast<size_t>(n));
  }
  shapes.emplace_back(256, 4096);
  shapes.emplace_back(64, 1048576);
  for (int threads : twopass_bench::ThreadCounts()) {
    for (const auto& shape : shapes) {
      // The f32 variant of each kind first: the others report their time relative to it.
      for (const Variant& v : kVariants) {
        const std::string name = std::string(v.name) + "/" + std::to_string(shape.first) + "x" +
                                 std::to_string(shape.second) + "/t" + std::to_string(threads);
        benchmark::RegisterBenchmark(name.c_str(), softmax_x16, &v, shape.first, shape.second,
                                     threads)
            ->UseRealTime();
      }
    }
  }
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
