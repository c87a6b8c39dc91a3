// The bandwidth floor of softmax: one read-only pass over x, then one copy
// pass x -> y, with ordinary stores (as the three-pass kernels and XNNPACK
// write) or non-temporal ones (as two-pass writes an output that does not fit
// in the last-level cache). The floor the tools report is the read pass plus
// the cheaper of the two copies: compare.py takes the faster of the two
// benchmarks (floor, floor_nt) per shape.
//
// One implementation for every caller: softmax-operator-bench and
// f32-softmax-bench link it, and libtwopass_floor.so (bench/CMakeLists.txt)
// gives it to scripts/compare_peers.py through ctypes, so the C and Python
// parts of scripts/compare.sh time the same floor. Plain C with the host's
// widest vectors (AVX-512F, AVX2 or scalar, chosen at run time).
#pragma once

#include <stddef.h>

#include <pthreadpool.h>

#ifdef __cplusplus
extern "C" {
#endif

// "avx512f", "avx2" or "scalar": what the functions below run.
const char* twopass_floor_isa(void);

// max of x[0..n): the read pass (a reduction, so no store and nothing to skip).
float twopass_floor_read(size_t n, const float* x);

// y[i] = x[i]; nt != 0: non-temporal stores (then a store fence).
void twopass_floor_copy(size_t n, const float* x, float* y, int nt);

// The floor: the read pass over x, then the copy pass, each split over the
// pool in chunks of 32768 elements (pool NULL or of one thread: on the
// calling thread).
void twopass_floor(size_t n, const float* x, float* y, int nt, pthreadpool_t pool);

// twopass_floor on a pool of `threads` threads created at the first call for
// that count and kept (for ctypes callers, which have no pthreadpool_t).
// Returns 0, or -1 when the pool cannot be created.
int twopass_floor_threads(size_t n, const float* x, float* y, int nt, size_t threads);

// The ISA versions (floor-avx2.c, floor-avx512f.c), called after a CPU check.
float twopass_floor_read__avx2(size_t n, const float* x);
void twopass_floor_copy__avx2(size_t n, const float* x, float* y);
void twopass_floor_copy_nt__avx2(size_t n, const float* x, float* y);
float twopass_floor_read__avx512f(size_t n, const float* x);
void twopass_floor_copy__avx512f(size_t n, const float* x, float* y);
void twopass_floor_copy_nt__avx512f(size_t n, const float* x, float* y);

#ifdef __cplusplus
}  // extern "C"
#endif
