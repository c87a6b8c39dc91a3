// bf16/f16 raddexpminusmax and vscaleexpminusmax: the exp passes of the
// 16-bit rows' three-pass fallback, sum of exp(x - max) (2 B/element) and
// y = exp(x - max) * scale rounded to the datatype (4 B/element). Every
// generated variant, N from 1e3 to 1e8 (n and 3n).
#include "bench/kernels.h"

namespace {

twopass_f32_params ParamsForSize(size_t n) {
  twopass_f32_params params = {};
  params.beta = 1.0f;
  // Inputs lie in [-20, 20): 20 is above every rounded input's product.
  params.max = 20.0f;
  params.scale = 1.0f / static_cast<float>(n);
  return params;
}

void Register() {
  using twopass_bench::RegisterKernelBenchmarks;
  RegisterKernelBenchmarks("bf16_raddexpminusmax", twopass_bench::BF16RaddexpminusmaxKernels(),
                           twopass_bench::BenchReduceX16<false>, ParamsForSize);
  RegisterKernelBenchmarks("f16_raddexpminusmax", twopass_bench::F16RaddexpminusmaxKernels(),
                           twopass_bench::BenchReduceX16<true>, ParamsForSize);
  RegisterKernelBenchmarks("bf16_vscaleexpminusmax",
                           twopass_bench::BF16VscaleexpminusmaxKernels(),
                           twopass_bench::BenchVunaryX16<false>, ParamsForSize);
  RegisterKernelBenchmarks("f16_vscaleexpminusmax", twopass_bench::F16VscaleexpminusmaxKernels(),
                           twopass_bench::BenchVunaryX16<true>, ParamsForSize);
}

}  // namespace

TWOPASS_BENCHMARK_MAIN(Register)
