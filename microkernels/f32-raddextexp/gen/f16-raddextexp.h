// Auto-generated file. Do not edit!
//   Generator: scripts/generate-microkernels.py
// f16-raddextexp kernels: arch flags, function, elements per tile, accumulators,
// beta1 (1: computes exp(x), for beta = 1 only).

TWOPASS_UKERNEL(0, twopass_f16_raddextexp_ukernel__scalar_p5_u2, 2, 1, 0)
TWOPASS_UKERNEL(0, twopass_f16_raddextexp_ukernel__scalar_p5_u4, 4, 1, 0)
TWOPASS_UKERNEL(0, twopass_f16_raddextexp_ukernel__scalar_p5_beta1_u2, 2, 1, 1)
TWOPASS_UKERNEL(0, twopass_f16_raddextexp_ukernel__scalar_p5_beta1_u4, 4, 1, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_f16_raddextexp_ukernel__avx2_p5_u16, 16, 1, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_f16_raddextexp_ukernel__avx2_p5_u32, 32, 1, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_f16_raddextexp_ukernel__avx2_p5_beta1_u16, 16, 1, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_f16_raddextexp_ukernel__avx2_p5_beta1_u32, 32, 1, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f16_raddextexp_ukernel__avx512f_p5_scalef_u32, 32, 1, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f16_raddextexp_ukernel__avx512f_p5_scalef_u64_acc4, 64, 4, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f16_raddextexp_ukernel__avx512f_p5_scalef_beta1_u32, 32, 1, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f16_raddextexp_ukernel__avx512f_p5_scalef_beta1_u64_acc4, 64, 4, 1)
