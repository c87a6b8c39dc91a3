// Special rows against a normal row of the same length:
// one row of N elements (default 2^20 and 2^24, --sizes), softmax and
// log-softmax, the default algorithm and each forced one, 1 and 2 threads
// (--threads), for
//   normal        random in [-10, 10]
//   nan           the normal row with one NaN (the row is all NaN)
//   pos_inf       the normal row with one +inf (all NaN)
//   all_neg_inf   every element -inf (all NaN)
//   beta_1p1_3e7  beta = 1.1, x = 3e7 - 2k, k = 0..12 (the max repeats): the
//                 products need the double-precision path
//   masked_zero   every element -inf, with TWOPASS_FLAG_MASKED_ROWS_ZERO (all 0,
//                 log-softmax all -inf)
//   normal_lse    the normal row, set up with an lse array (_with_lse)
//   confident     the normal row with one element 30 above its max (a top
//                 probability of about 1 - 1e-4 at 2^20 elements): log-softmax
//                 and the lse take the peak steps
//   confident_lse the same, set up with an lse array
// and, for bf16 and f16 rows (default algorithm, two-pass), against a normal
// row of the same type:
//   normal        random in [-10, 10], rounded to the type
//   masked_min    every element the type's lowest finite value (finfo.min)
//   masked_1e9    every element -1e9 (f16: -inf, a masked row of -inf)
//   beyond_1e6    bf16: 2e6 + [-10, 10] spread over the row's values
//                 (rounded); f16: 60000 + the same, with beta = 100
//   beta_100      beta = 100, x random in [-60000, 60000] (|beta*x| to 6e6)
//   confident     the normal row with one element 30 above its max (the
//                 peak steps; not a fallback row)
// which all take the 16-bit three-pass fallback; the goal there is
// vs_normal <= 1.5 on 1 and 2 threads.
// Names: <kind>_<algorithm>/<row>/n<N>/t<threads> (16-bit:
// <kind>_<datatype>/<row>/n<N>/t<threads>). Counters: ns_per_element,
// and vs_normal, the ratio to the normal row of the same kind, algorithm, N
// and threads (run just before it; 1 for the normal row). The goal:
// vs_normal <= 1.5 for the NaN / +inf / all -inf rows and <= 3 for the
// beta = 1.1 rows, on 1 and on 2 threads; masked_zero as all_neg_inf, and
// normal_lse within 1% of normal.
//   softmax-special-rows-bench --benchmark_filter=softmax_auto/
//   softmax-special-rows-bench --benchmark_filter='_(bf16|f16)/' --sizes=1048576
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <pthreadpool.h>

#include <twopass.h>

#include "bench/utils.h"
#include "testing/threadpool.h"
#include "testing/x16.h"

namespace {

enum class Row { kNormal, kNaN, kPosInf, kAllNegInf, kBeta1p1Max3e7, kConfident };

// What the outputs must be: the contract's values, all NaN, or the masked
// rows' value (0, log-softmax -inf).
enum class Expect { kValues, kNaN, kMasked };

struct RowSpec {
  Row row;
  const char* name;
  float beta;
  Expect expect;
  uint32_t flags;  // besides the variant's
  bool lse;        // set up with an lse array
};

const RowSpec kRows[] = {
    {Row::kNormal, "normal", 1.0f, Expect::kValues, 0, false},
    {Row::kNaN, "nan", 1.0f, Expect::kNaN, 0, false},
    {Row::kPosInf, "pos_inf", 1.0f, Expect::kNaN, 0, false},
    {Row::kAllNegInf, "all_neg_inf", 1.0f, Expect::kNaN, 0, false},
    {Row::kBeta1p1Max3e7, "beta_1p1_3e7", 1.1f, Expect::kValues, 0, false},
    {Row::kAllNegInf, "masked_zero", 1.0f, Expect::kMasked, TWOPASS_FLAG_MASKED_ROWS_ZERO, false},
    {Row::kNormal, "normal_lse", 1.0f, Expect::kValues, 0, true},
    {Row::kConfident, "confident", 1.0f, Expect::kValues, 0, false},
    {Row::kConfident, "confident_lse", 1.0f, Expect::kValues, 0, true},
};

// The confident rows' top element: 30 above the normal rows' largest value.
constexpr float kConfidentTop = 40.0f;

struct Variant {
  const char* name;  // <kind>_<algorithm>
  bool log;
  uint32_t flags;
};

const Variant kVariants[] = {
    {"softmax_auto", false, 0},
    {"softmax_2p", false, TWOPASS_FLAG_TWO_PASS},
    {"softmax_3p", false, TWOPASS_FLAG_THREE_PASS},
    {"log_softmax_auto", true, 0},
    {"log_softmax_2p", true, TWOPASS_FLAG_TWO_PASS},
    {"log_softmax_3p", true, TWOPASS_FLAG_THREE_PASS},
};

// The input of one row kind and length, built once (the rows are large).
const float* RowInput(Row row, size_t n) {
  static std::map<std::pair<Row, size_t>, twopass_bench::Buffer> inputs;
  auto it = inputs.find({row, n});
  if (it != inputs.end()) return it->second.data();
  twopass_bench::Buffer buffer(n);
  float* x = buffer.data();
  const float* random = twopass_bench::RandomInput(n);  // uniform in [-20, 20)
  for (size_t i = 0; i < n; i++) {
    switch (row) {
      case Row::kAllNegInf:
        x[i] = -std::numeric_limits<float>::infinity();
        break;
      case Row::kBeta1p1Max3e7:
        x[i] = 3e7f - 2.0f * static_cast<float>(i % 13);
        break;
      default:
        x[i] = 0.5f * random[i];
        break;
    }
  }
  if (row == Row::kConfident) x[n / 3] = kConfidentTop;
  if (row == Row::kNaN) x[n / 2] = std::numeric_limits<float>::quiet_NaN();
  if (row == Row::kPosInf) x[n / 2] = std::numeric_limits<float>::infinity();
  return inputs.emplace(std::make_pair(row, n), std::move(buffer)).first->second.data();
}

pthreadpool_t ThreadPool(int threads) {
  return twopass::testlib::SharedPool(threads <= 1 ? 0 : static_cast<size_t>(threads));
}

// ns per element of the normal rows, by (variant, n, threads).
std::map<std::tuple<const Variant*, size_t, int>, double>& NormalTimes() {
  static std::map<std::tuple<const Variant*, size_t, int>, double> times;
  return times;
}

// "" if the outputs (and the lse, if any) are what the row must give.
std::string CheckOutputs(const Variant* variant, const RowSpec* spec, const float* x,
                         const float* y, size_t n, const float* lse) {
  if (lse != nullptr && !(std::isfinite(*lse))) return "lse is not finite";
  if (spec->expect != Expect::kMasked) {
    return twopass_bench::CheckSoftmaxRow(variant->log, spec->beta, x, y, n,
                                          spec->expect == Expect::kNaN);
  }
  const float fill = variant->log ? -std::numeric_limits<float>::infinity() : 0.0f;
  for (size_t i = 0; i < n; i++) {
    if (!(y[i] == fill)) return "a masked row's output is " + std::to_string(y[i]);
  }
  return "";
}

// Times runs of a set-up operator: ns_per_element, and vs_normal against
// *normal (which a normal row sets: `is_normal`).
void TimeRuns(benchmark::State& state, twopass_operator_t op, pthreadpool_t pool, size_t n,
              bool is_normal, double* normal) {
  const double start = twopass_bench::IterationClock();
  for (auto _ : state) {
    twopass_run_operator(op, pool);
    benchmark::ClobberMemory();
  }
  const double elapsed = twopass_bench::IterationClock() - start;
  const double ns_per_element =
      1e9 * elapsed / static_cast<double>(state.iterations()) / static_cast<double>(n);
  state.counters["ns_per_element"] = ns_per_element;
  if (is_normal) *normal = ns_per_element;
  if (*normal > 0.0) state.counters["vs_normal"] = ns_per_element / *normal;
}

void special_row(benchmark::State& state, const Variant* variant, const RowSpec* spec, size_t n,
                 int threads) {
  const float* x = RowInput(spec->row, n);
  float* y = twopass_bench::OutputBuffer(n);
  float lse_value = 0.0f;
  float* lse = spec->lse ? &lse_value : nullptr;
  pthreadpool_t pool = ThreadPool(threads);
  twopass_operator_t op = nullptr;
  const uint32_t flags = variant->flags | spec->flags;
  enum xnn_status status =
      variant->log ? twopass_create_log_softmax_nc_f32(spec->beta, flags, &op)
                   : twopass_create_softmax_nc_f32(spec->beta, flags, &op);
  std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> holder(
      op, twopass_delete_operator);
  if (status == xnn_status_success) {
    status = variant->log ? twopass_reshape_log_softmax_nc_f32(op, n, n, n, 1, pool)
                          : twopass_reshape_softmax_nc_f32(op, n, n, n, 1, pool);
  }
  if (status == xnn_status_success) {
    status = variant->log ? twopass_setup_log_softmax_nc_f32_with_lse(op, x, y, lse)
                          : twopass_setup_softmax_nc_f32_with_lse(op, x, y, lse);
  }
  if (status == xnn_status_success) status = twopass_run_operator(op, pool);
  if (status != xnn_status_success) {
    state.SkipWithError(("twopass failed with status " + std::to_string(status)).c_str());
    return;
  }
  const std::string error = CheckOutputs(variant, spec, x, y, n, lse);
  if (!error.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }

  TimeRuns(state, op, pool, n, spec == &kRows[0],
           &NormalTimes()[std::make_tuple(variant, n, threads)]);
  struct twopass_operator_info info = {};
  if (twopass_get_operator_info(op, &info) == xnn_status_success) {
    state.SetLabel(std::string(info.isa) +
                   (info.algorithm == twopass_algorithm_two_pass ? " two_pass" : " three_pass"));
  }
}

// ---- 16-bit rows ------------------------------------------------------------

using twopass::testlib::Datatype;

enum class X16Row { kNormal, kMaskedMin, kMasked1e9, kBeyond1e6, kBeta100, kConfident };

struct X16RowSpec {
  X16Row row;
  const char* name;
};

const X16RowSpec kX16Rows[] = {
    {X16Row::kNormal, "normal"},         {X16Row::kMaskedMin, "masked_min"},
    {X16Row::kMasked1e9, "masked_1e9"},  {X16Row::kBeyond1e6, "beyond_1e6"},
    {X16Row::kBeta100, "beta_100"},      {X16Row::kConfident, "confident"},
};

struct X16Variant {
  const char* name;  // <kind>_<datatype>
  bool log;
  Datatype datatype;
};

const X16Variant kX16Variants[] = {
    {"softmax_bf16", false, Datatype::kBF16},
    {"log_softmax_bf16", true, Datatype::kBF16},
    {"softmax_f16", false, Datatype::kF16},
    {"log_softmax_f16", true, Datatype::kF16},
};

float X16Beta(X16Row row, Datatype datatype) {
  if (row == X16Row::kBeta100) return 100.0f;
  if (row == X16Row::kBeyond1e6 && datatype == Datatype::kF16) return 100.0f;
  return 1.0f;
}

const uint16_t* X16RowInput(X16Row row, Datatype datatype, size_t n) {
  static std::map<std::tuple<X16Row, Datatype, size_t>, std::vector<uint16_t>> inputs;
  const auto key = std::make_tuple(row, datatype, n);
  auto it = inputs.find(key);
  if (it != inputs.end()) return it->second.data();
  const bool f16 = datatype == Datatype::kF16;
  const float* random = twopass_bench::RandomInput(n);  // uniform in [-20, 20)
  std::vector<uint16_t> bits(n);
  for (size_t i = 0; i < n; i++) {
    float x = 0.5f * random[i];
    switch (row) {
      case X16Row::kMaskedMin:
        x = f16 ? -65504.0f : -0x1.FEp127f;
        break;
      case X16Row::kMasked1e9:
        x = -1e9f;
        break;
      case X16Row::kBeyond1e6:
        x = (f16 ? 60000.0f : 2e6f) + (f16 ? 1.0f : 2e4f) * x;
        break;
      case X16Row::kBeta100:
        x = 3000.0f * random[i];
        break;
      default:
        break;
    }
    if (row == X16Row::kConfident && i == n / 3) x = kConfidentTop;
    bits[i] = twopass::testlib::ToX16(datatype, x);
  }
  return inputs.emplace(key, std::move(bits)).first->second.data();
}

std::map<std::tuple<const X16Variant*, size_t, int>, double>& X16NormalTimes() {
  static std::map<std::tuple<const X16Variant*, size_t, int>, double> times;
  return times;
}

// "" when the row sums to 1 (log-softmax: its exps) within 5e-2, or a masked
// row of -inf is all NaN.
std::string CheckX16Row(const X16Variant* v, X16Row row, const uint16_t* y, size_t n) {
  double sum = 0.0;
  for (size_t i = 0; i < n; i++) {
    const double yi = twopass::testlib::FromX16(v->datatype, y[i]);
    sum += v->log ? std::exp(yi) : yi;
  }
  if (row == X16Row::kMasked1e9 && v->datatype == Datatype::kF16) {
    return std::isnan(sum) ? "" : "a row of -inf must be NaN";
  }
  double tolerance = 5e-2;
  if (!v->log && v->datatype == Datatype::kF16) tolerance += 0x1.0p-25 * static_cast<double>(n);
  return std::fabs(sum - 1.0) < tolerance ? "" : "the row sums to " + std::to_string(sum);
}

void x16_special_row(benchmark::State& state, const X16Variant* v, const X16RowSpec* spec,
                     size_t n, int threads) {
  const uint16_t* x = X16RowInput(spec->row, v->datatype, n);
  // OutputBuffer(n) holds n floats: room for n 16-bit elements too.
  uint16_t* y = reinterpret_cast<uint16_t*>(twopass_bench::OutputBuffer(n));
  pthreadpool_t pool = ThreadPool(threads);
  const twopass::testlib::X16Api api = twopass::testlib::X16ApiOf(v->datatype, v->log);
  twopass_operator_t op = nullptr;
  enum xnn_status status = api.create(X16Beta(spec->row, v->datatype), 0, &op);
  std::unique_ptr<twopass_operator, decltype(&twopass_delete_operator)> holder(
      op, twopass_delete_operator);
  if (status == xnn_status_success) status = api.reshape(op, n, n, n, 1, pool);
  if (status == xnn_status_success) status = api.setup(op, x, y);
  if (status == xnn_status_success) status = twopass_run_operator(op, pool);
  if (status != xnn_status_success) {
    state.SkipWithError(("twopass failed with status " + std::to_string(status)).c_str());
    return;
  }
  const std::string error = CheckX16Row(v, spec->row, y, n);
  if (!error.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  TimeRuns(state, op, pool, n, spec == &kX16Rows[0],
           &X16NormalTimes()[std::make_tuple(v, n, threads)]);
  struct twopass_operator_info info = {};
  if (twopass_get_operator_info(op, &info) == xnn_status_success) state.SetLabel(info.isa);
}

void Register() {
  for (int64_t n : twopass_bench::Sizes({int64_t(1) << 20, int64_t(1) << 24})) {
    for (int threads : twopass_bench::ThreadCounts()) {
      for (const X16Variant& variant : kX16Variants) {
        for (const X16RowSpec& spec : kX16Rows) {  // the normal row first
          const std::string name = std::string(variant.name) + "/" + spec.name + "/n" +
                                   std::to_string(n) + "/t" + std::to_string(threads);
          benchmark::RegisterBenchmark(name.c_str(), x16_special_row, &variant, &spec,
                                       static_cast<size_t>(n), threads)
              ->UseRealTime()
              ->Unit(benchmark::kMillisecond);
        }
      }
    }
  }
  for (int64_t n : twopass_bench::Sizes({int64_t(1) << 20, int64_t(1) << 24})) {
    for (int threads : twopass_bench::ThreadCounts()) {
      for (const Variant& variant : kVariants) {
        // The normal row first: the others report their time relative to it.
        for (const RowSpec& spec : kRows) {
          const std::string name = std::string(variant.name) + "/" + spec.name + "/n" +
                                   std::to_string(n) + "/t" + std::to_string(threads);
          benchmark::RegisterBenchmark(name.c_str(), special_row, &variant, &spec,
                                       static_cast<size_t>(n), threads)
              ->UseRealTime()
              ->Unit(benchmark::kMillisecond);
        }
      }
    }
  }
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
