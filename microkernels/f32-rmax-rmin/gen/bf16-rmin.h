// Auto-generated file. Do not edit!
//   Generator: scripts/generate-microkernels.py
// bf16-rmin kernels: arch flags, function, elements per tile, accumulators,
// beta1 (1: computes exp(x), for beta = 1 only).

TWOPASS_UKERNEL(0, twopass_bf16_rmin_ukernel__scalar_u2_acc2, 2, 2, 0)
TWOPASS_UKERNEL(0, twopass_bf16_rmin_ukernel__scalar_u4_acc2, 4, 2, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_bf16_rmin_ukernel__avx2_u32_acc4, 32, 4, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_bf16_rmin_ukernel__avx2_u64_acc4, 64, 4, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_bf16_rmin_ukernel__avx512f_u64_acc4, 64, 4, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_bf16_rmin_ukernel__avx512f_u128_acc4, 128, 4, 0)
