// Auto-generated file. Do not edit!
//   Generator: scripts/generate-microkernels.py
// bf16-vaffine kernels: arch flags, function, elements per tile, accumulators,
// beta1 (1: computes exp(x), for beta = 1 only).

TWOPASS_UKERNEL(0, twopass_bf16_vaffine_ukernel__scalar_u1, 1, 1, 0)
TWOPASS_UKERNEL(0, twopass_bf16_vaffine_ukernel__scalar_u4, 4, 1, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_bf16_vaffine_ukernel__avx2_u32, 32, 1, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_bf16_vaffine_ukernel__avx2_u64, 64, 1, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_bf16_vaffine_ukernel__avx512f_u16, 16, 1, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_bf16_vaffine_ukernel__avx512f_u64, 64, 1, 0)
