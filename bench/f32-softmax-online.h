// The online-normalizer softmax of the algorithm comparison (bench only).
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// y = softmax(x) for n >= 1 finite floats. Needs AVX-512F.
void twopass_bench_f32_softmax_online_avx512f(size_t n, const float* x, float* y);

#ifdef __cplusplus
}  // extern "C"
#endif
