// Auto-generated file. Do not edit!
//   Generator: scripts/generate-ukernel-lists.py
// f32-vaffine kernels: arch flags, function, elements per tile, accumulators.

TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vaffine_ukernel__avx512f_u16, 16, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vaffine_ukernel__avx512f_u32, 32, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vaffine_ukernel__avx512f_u64, 64, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vaffine_ukernel__avx512f_u128, 128, 1)
