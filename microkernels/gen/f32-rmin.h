// Auto-generated file. Do not edit!
//   Generator: scripts/generate-ukernel-lists.py
// f32-rmin kernels: arch flags, function, elements per tile, accumulators.

TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_rmin_ukernel__avx512f_u16, 16, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_rmin_ukernel__avx512f_u32_acc2, 32, 2)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_rmin_ukernel__avx512f_u64_acc4, 64, 4)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_rmin_ukernel__avx512f_u128_acc4, 128, 4)
