// Auto-generated file. Do not edit!
//   Generator: scripts/generate-ukernel-lists.py
// f32-vscaleextexp kernels: arch flags, function, elements per tile, accumulators.

TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u16, 16, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u32, 32, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u64, 64, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u128, 128, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u144, 144, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u160, 160, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u192, 192, 1)
