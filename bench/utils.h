// Shared pieces of the twopass benchmarks: ISA checks, cache sizes (from
// cpuinfo), sizes, cached random inputs, rate counters, the kernel tables
// built from the generated lists, and a main() that accepts --sizes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "microkernels/microkernels.h"
#include "operators/arch-flags.h"
#include "testing/guarded-buffer.h"

namespace twopass_bench {

// ---- Host ---------------------------------------------------------------------
// True when the host runs kernels that need arch_flags (TWOPASS_ARCH_* bits);
// AVX2 kernels need both avx2 and fma3.
bool HostHasArch(uint32_t arch_flags);
// Skips the benchmark with a message naming the missing ISA; returns false then.
bool CheckArch(benchmark::State& state, uint32_t arch_flags);
// "avx512f", "avx2" or "scalar".
const char* ArchName(uint32_t arch_flags);
// The best TWOPASS_ARCH_* ISA the host runs (0: portable C only).
uint32_t BestHostArch();

// Cache sizes as cpuinfo reports them, in bytes (0 when unknown).
size_t L1DCacheBytes();  // one instance
size_t L2CacheBytes();   // one instance (per core on current x86)
size_t L3CacheBytes();   // one instance
// Bytes a buffer rotation must span so that a buffer is evicted from every
// cache level before its next use: twice all L2 + L3 instances together.
size_t ColdSpanBytes();
std::string HostName();  // package name and ISA summary, for reports
size_t HostCores();

// ---- Sizes ----------------------------------------------------------------------
// Element counts from --sizes=a,b,c (suffixes k, M, G and 1e6 notation
// accepted) or the benchmark's defaults when the flag is absent.
const std::vector<int64_t>& Sizes(const std::vector<int64_t>& defaults);
// N from 1e3 to 1e8, as n and 3n (the paper's characteristic sizes).
std::vector<int64_t> CharacteristicSizes();
// Thread counts from --threads=1,2 (default: 1 and 2 when the host has 2 cores).
const std::vector<int>& ThreadCounts();
// Benchmark::Apply helper: one Arg per size of Sizes(CharacteristicSizes()).
void KernelSizes(benchmark::internal::Benchmark* b);

// ---- Timing ---------------------------------------------------------------------
// Seconds on the clock that manually timed benchmarks use: wall time
// (steady_clock, the default) or, with --iteration_clock=cpu, the calling
// thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which time-slicing with other
// processes on a shared machine does not inflate.
double IterationClock();

// ---- Memory ---------------------------------------------------------------------
// Page-aligned float storage (the test library's guarded buffer, its data
// starting at a guard page), zeroed, so touched at allocation: no page faults
// in the timed loop.
class Buffer : public twopass::testlib::GuardedBuffer {
 public:
  explicit Buffer(size_t elements)
      : GuardedBuffer(elements, twopass::testlib::Placement::kStartsAtGuardPage, 0) {}
  size_t size() const { return elements(); }
};

// n random floats, uniform in [-20, 20), generated once per n and kept for the
// life of the process (sizes repeat across benchmarks).
const float* RandomInput(size_t n);
// max_i of RandomInput(n)[i].
float RandomInputMax(size_t n);
// A zeroed output buffer of n floats, cached per n like the inputs.
float* OutputBuffer(size_t n);

// Reads x[0..n) (one load per 64-byte line) so that it is in cache.
void TouchInput(const float* x, size_t n);

// Sets MXCSR.FTZ and DAZ on the calling thread, as XNNPACK's thread pool does.
void DisableDenormals();

// ---- Result checks ----------------------------------------------------------------
// "" when y (n outputs of row x) is the softmax (log: log-softmax) of beta*x;
// otherwise what is wrong. Rows of up to kReferenceMaxElements are checked
// against the test library's long-double reference (testing/reference.h, the
// contract's tolerances), which keeps a long double per element; longer rows
// by their sum (of y, or exp y) within 1e-3 of 1, or, with nan_expected, by
// NaN at the first, middle and last elements.
constexpr size_t kReferenceMaxElements = size_t(1) << 22;
std::string CheckSoftmaxRow(bool log, float beta, const float* x, const float* y, size_t n,
                            bool nan_expected);
// "" when the sum of y (log: of exp y) is within `tolerance` of 1: the check
// of other libraries' results, which twopass's contract does not bind.
std::string CheckRowSum(bool log, const float* y, size_t n, double tolerance);

// ---- Counters -------------------------------------------------------------------
// "elements" and "bytes" per second, from per-iteration amounts.
void SetRateCounters(benchmark::State& state, double elements, double bytes);

// ---- Kernel tables ---------------------------------------------------------------
template <typename Fn>
struct Kernel {
  const char* name;  // full function name
  uint32_t arch_flags;
  Fn fn;
  size_t element_tile;
  size_t accumulators;
};

// "avx512f_p5_scalef_u144_acc3" for "twopass_f32_raddextexp_ukernel__avx512f_p5_scalef_u144_acc3".
std::string ShortKernelName(const char* name);

// The kernel called `name` if it is in the table; otherwise the last one of
// the table (largest tile) with the same arch flags as named in `name`
// (or `arch_flags`); nullptr if the table has none for that ISA.
template <typename Fn>
const Kernel<Fn>* FindKernel(const std::vector<Kernel<Fn>>& table, const char* name,
                             uint32_t arch_flags) {
  const Kernel<Fn>* fallback = nullptr;
  for (const Kernel<Fn>& k : table) {
    if (std::string(k.name) == name) return &k;
    if (k.arch_flags == arch_flags) fallback = &k;
  }
  return fallback;
}

// ---- main -----------------------------------------------------------------------
// Each benchmark file registers its benchmarks in a function that main()
// calls after the twopass flags (--sizes, --threads) are parsed.
int Main(int argc, char** argv, void (*register_benchmarks)());

}  // namespace twopass_bench

#define TWOPASS_BENCHMARK_MAIN(register_benchmarks)              \
  int main(int argc, char** argv) {                              \
    return twopass_bench::Main(argc, argv, register_benchmarks); \
  }

#define TWOPASS_BENCH_STRINGIFY(name) TWOPASS_BENCH_STRINGIFY_(name)
#define TWOPASS_BENCH_STRINGIFY_(name) #name
