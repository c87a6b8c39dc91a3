#include "bench/utils.h"

#include "testing/isa.h"
#include "testing/reference.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <time.h>

#include <cpuinfo.h>
#include <xmmintrin.h>

namespace twopass_bench {
namespace {

bool InitCpuinfo() {
  static const bool ok = cpuinfo_initialize();
  return ok;
}

std::vector<int64_t>* g_sizes = nullptr;  // set by --sizes
std::vector<int>* g_threads = nullptr;    // set by --threads
bool g_cpu_clock = false;                 // set by --iteration_clock=cpu

// Parses "4096", "64k", "1M", "1e6", "16Mi" (k = 1000 unless followed by i).
bool ParseCount(const std::string& text, int64_t* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || end == text.c_str()) return false;
  std::string suffix(end);
  double scale = 1.0;
  if (suffix == "k") scale = 1e3;
  else if (suffix == "M") scale = 1e6;
  else if (suffix == "G") scale = 1e9;
  else if (suffix == "Ki") scale = 1024.0;
  else if (suffix == "Mi") scale = 1024.0 * 1024.0;
  else if (suffix == "Gi") scale = 1024.0 * 1024.0 * 1024.0;
  else if (!suffix.empty()) return false;
  const double n = value * scale;
  if (!(n >= 1.0) || n > 4e9) return false;
  *out = static_cast<int64_t>(n + 0.5);
  return true;
}

template <typename T>
bool ParseList(const std::string& text, std::vector<T>* out) {
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    int64_t value;
    if (!ParseCount(item, &value)) return false;
    out->push_back(static_cast<T>(value));
  }
  return !out->empty();
}

}  // namespace

bool HostHasArch(uint32_t arch_flags) { return twopass::testlib::MissingArch(arch_flags).empty(); }

bool CheckArch(benchmark::State& state, uint32_t arch_flags) {
  const std::string missing = twopass::testlib::MissingArch(arch_flags);
  if (missing.empty()) return true;
  state.SkipWithError(("skipped: this host lacks " + missing).c_str());
  return false;
}

const char* ArchName(uint32_t arch_flags) {
  if (arch_flags & TWOPASS_ARCH_X86_AVX512F) return "avx512f";
  if (arch_flags & TWOPASS_ARCH_X86_AVX2_FMA) return "avx2";
  return "scalar";
}

uint32_t BestHostArch() {
  if (HostHasArch(TWOPASS_ARCH_X86_AVX512F)) return TWOPASS_ARCH_X86_AVX512F;
  if (HostHasArch(TWOPASS_ARCH_X86_AVX2_FMA)) return TWOPASS_ARCH_X86_AVX2_FMA;
  return 0;
}

size_t L1DCacheBytes() {
  if (!InitCpuinfo()) return 0;
  const struct cpuinfo_cache* c = cpuinfo_get_l1d_cache(0);
  return c != nullptr ? c->size : 0;
}

size_t L2CacheBytes() {
  if (!InitCpuinfo()) return 0;
  const struct cpuinfo_cache* c = cpuinfo_get_l2_cache(0);
  return c != nullptr ? c->size : 0;
}

size_t L3CacheBytes() {
  if (!InitCpuinfo()) return 0;
  const struct cpuinfo_cache* c = cpuinfo_get_l3_cache(0);
  return c != nullptr ? c->size : 0;
}

size_t ColdSpanBytes() {
  size_t total = 0;
  if (InitCpuinfo()) {
    for (uint32_t i = 0; i < cpuinfo_get_l2_caches_count(); i++) {
      total += cpuinfo_get_l2_cache(i)->size;
    }
    for (uint32_t i = 0; i < cpuinfo_get_l3_caches_count(); i++) {
      total += cpuinfo_get_l3_cache(i)->size;
    }
  }
  return 2 * std::max<size_t>(total, size_t(32) << 20);
}

std::string HostName() {
  std::string name;
  // /proc/cpuinfo's model name is more specific than cpuinfo's package name.
  std::ifstream proc("/proc/cpuinfo");
  std::string line;
  while (std::getline(proc, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) name = line.substr(colon + 2);
      break;
    }
  }
  if (name.empty() && InitCpuinfo() && cpuinfo_get_packages_count() != 0) {
    name = cpuinfo_get_package(0)->name;
  }
  if (name.empty()) name = "unknown CPU";
  char buffer[256];
  std::snprintf(buffer, sizeof(buffer), "%s, %zu cores, %s, L2 %zu KiB/core, L3 %zu MiB",
                name.c_str(), HostCores(), ArchName(BestHostArch()),
                L2CacheBytes() >> 10, L3CacheBytes() >> 20);
  return buffer;
}

size_t HostCores() {
  if (!InitCpuinfo()) return 1;
  return cpuinfo_get_cores_count();
}

const std::vector<int64_t>& Sizes(const std::vector<int64_t>& defaults) {
  if (g_sizes != nullptr) return *g_sizes;
  static std::vector<int64_t> d;
  d = defaults;
  return d;
}

std::vector<int64_t> CharacteristicSizes() {
  std::vector<int64_t> sizes;
  for (int64_t n = 1000; n <= 100000000; n *= 10) {
    sizes.push_back(n);
    if (3 * n < 100000000) sizes.push_back(3 * n);
  }
  return sizes;
}

const std::vector<int>& ThreadCounts() {
  if (g_threads != nullptr) return *g_threads;
  static const std::vector<int> defaults =
      HostCores() >= 2 ? std::vector<int>{1, 2} : std::vector<int>{1};
  return defaults;
}

double IterationClock() {
  if (g_cpu_clock) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void KernelSizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : Sizes(CharacteristicSizes())) b->Arg(n);
}

namespace {
struct Input {
  Buffer buffer;
  float max;
};
std::map<size_t, Input>& Inputs() {
  static std::map<size_t, Input> inputs;
  return inputs;
}
const Input& GetInput(size_t n) {
  auto it = Inputs().find(n);
  if (it == Inputs().end()) {
    Input input{Buffer(n), 0.0f};
    std::mt19937 rng(UINT32_C(0x9E3779B9) ^ static_cast<uint32_t>(n));
    // 24 random bits per element: uniform in [-20, 20).
    float* x = input.buffer.data();
    float max = -INFINITY;
    for (size_t i = 0; i < n; i++) {
      const float u = static_cast<float>(rng() >> 8) * 0x1.0p-24f;
      x[i] = u * 40.0f - 20.0f;
      max = std::max(max, x[i]);
    }
    input.max = max;
    it = Inputs().emplace(n, std::move(input)).first;
  }
  return it->second;
}
}  // namespace

const float* RandomInput(size_t n) { return GetInput(n).buffer.data(); }
float RandomInputMax(size_t n) { return GetInput(n).max; }

std::string CheckSoftmaxRow(bool log, float beta, const float* x, const float* y, size_t n,
                            bool nan_expected) {
  using twopass::testlib::Kind;
  if (n <= kReferenceMaxElements) {
    return twopass::testlib::CheckRow(log ? Kind::log_softmax : Kind::softmax, beta, x, y, n);
  }
  char message[128];
  if (nan_expected) {
    for (size_t i : {size_t(0), n / 2, n - 1}) {
      if (!std::isnan(y[i])) {
        std::snprintf(message, sizeof(message), "y[%zu] = %g, expected NaN", i, y[i]);
        return message;
      }
    }
    return "";
  }
  return CheckRowSum(log, y, n, 1e-3);
}

std::string CheckRowSum(bool log, const float* y, size_t n, double tolerance) {
  double total = 0.0;
  for (size_t i = 0; i < n; i++) total += log ? std::exp(static_cast<double>(y[i])) : y[i];
  if (!(std::fabs(total - 1.0) < tolerance)) {
    char message[128];
    std::snprintf(message, sizeof(message), "the row sums to %.6g", total);
    return message;
  }
  return "";
}

float* OutputBuffer(size_t n) {
  static std::map<size_t, Buffer> outputs;
  auto it = outputs.find(n);
  if (it == outputs.end()) it = outputs.emplace(n, Buffer(n)).first;
  return it->second.data();
}

void TouchInput(const float* x, size_t n) {
  float sum = 0.0f;
  for (size_t i = 0; i < n; i += 16) sum += x[i];
  benchmark::DoNotOptimize(sum);
}

void DisableDenormals() { _mm_setcsr(_mm_getcsr() | 0x8040); }

void SetRateCounters(benchmark::State& state, double elements, double bytes) {
  const double iterations = static_cast<double>(state.iterations());
  state.counters["elements"] = benchmark::Counter(iterations * elements, benchmark::Counter::kIsRate);
  state.counters["bytes"] = benchmark::Counter(iterations * bytes, benchmark::Counter::kIsRate);
}

std::string ShortKernelName(const char* name) {
  const std::string s(name);
  const size_t pos = s.find("__");
  return pos == std::string::npos ? s : s.substr(pos + 2);
}

int Main(int argc, char** argv, void (*register_benchmarks)()) {
  // Take the twopass flags out of argv before Google Benchmark sees them.
  int kept = 1;
  for (int i = 1; i < argc; i++) {
    const std::string arg(argv[i]);
    if (arg.rfind("--sizes=", 0) == 0) {
      g_sizes = new std::vector<int64_t>();
      if (!ParseList(arg.substr(8), g_sizes)) {
        std::fprintf(stderr, "bad --sizes list: %s\n", argv[i]);
        return 1;
      }
    } else if (arg.rfind("--threads=", 0) == 0) {
      g_threads = new std::vector<int>();
      if (!ParseList(arg.substr(10), g_threads)) {
        std::fprintf(stderr, "bad --threads list: %s\n", argv[i]);
        return 1;
      }
    } else if (arg == "--iteration_clock=cpu" || arg == "--iteration_clock=wall") {
      g_cpu_clock = arg == "--iteration_clock=cpu";
    } else if (arg == "--help" || arg == "-h") {
      std::fprintf(stderr,
                   "twopass flags:\n"
                   "  --sizes=N1,N2,...   element counts to run (e.g. 4096,64k,1M,64Mi)\n"
                   "  --threads=T1,...    thread counts where a benchmark has them\n"
                   "  --iteration_clock=wall|cpu  clock of manually timed benchmarks (default\n"
                   "                      wall; cpu: the thread's CPU time)\n"
                   "Google Benchmark flags follow.\n\n");
      argv[kept++] = argv[i];
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  InitCpuinfo();
  DisableDenormals();
  register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("twopass_host", HostName());
  benchmark::AddCustomContext("cpuinfo_l1d_cache_bytes", std::to_string(L1DCacheBytes()));
  benchmark::AddCustomContext("cpuinfo_l2_cache_bytes", std::to_string(L2CacheBytes()));
  benchmark::AddCustomContext("cpuinfo_l3_cache_bytes", std::to_string(L3CacheBytes()));
  benchmark::AddCustomContext("twopass_best_isa", ArchName(BestHostArch()));
  benchmark::AddCustomContext("twopass_iteration_clock", g_cpu_clock ? "thread_cpu" : "wall");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace twopass_bench
