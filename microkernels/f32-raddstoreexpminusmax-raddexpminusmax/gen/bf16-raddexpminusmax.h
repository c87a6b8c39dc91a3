// Auto-generated file. Do not edit!
//   Generator: scripts/generate-microkernels.py
// bf16-raddexpminusmax kernels: arch flags, function, elements per tile, accumulators,
// beta1 (1: computes exp(x), for beta = 1 only).

TWOPASS_UKERNEL(0, twopass_bf16_raddexpminusmax_ukernel__scalar_p5_u2, 2, 1, 0)
TWOPASS_UKERNEL(0, twopass_bf16_raddexpminusmax_ukernel__scalar_p5_u4_acc2, 4, 2, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_bf16_raddexpminusmax_ukernel__avx2_rr1_lut8_p3_u16_acc2, 16, 2, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_bf16_raddexpminusmax_ukernel__avx2_rr1_lut8_p3_u32_acc2, 32, 2, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_bf16_raddexpminusmax_ukernel__avx512f_rr1_p5_scalef_u32, 32, 1, 0)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_bf16_raddexpminusmax_ukernel__avx512f_rr1_p5_scalef_u64, 64, 1, 0)
