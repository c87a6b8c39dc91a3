// Auto-generated file. Do not edit!
//   Generator: scripts/generate-ukernel-lists.py
// f32-vscaleextexp kernels: arch flags, function, elements per tile, accumulators.

TWOPASS_UKERNEL(0, twopass_f32_vscaleextexp_ukernel__scalar_p5_u1, 1, 1)
TWOPASS_UKERNEL(0, twopass_f32_vscaleextexp_ukernel__scalar_p5_u2, 2, 1)
TWOPASS_UKERNEL(0, twopass_f32_vscaleextexp_ukernel__scalar_p5_u4, 4, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_f32_vscaleextexp_ukernel__avx2_p5_u8, 8, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_f32_vscaleextexp_ukernel__avx2_p5_u16, 16, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_f32_vscaleextexp_ukernel__avx2_p5_u32, 32, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_f32_vscaleextexp_ukernel__avx2_p5_u64, 64, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_f32_vscaleextexp_ukernel__avx2_p5_u72, 72, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_f32_vscaleextexp_ukernel__avx2_p5_u80, 80, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX2_FMA, twopass_f32_vscaleextexp_ukernel__avx2_p5_u96, 96, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u16, 16, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_nt_u32, 32, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u32, 32, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_nt_u64, 64, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u64, 64, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_nt_u128, 128, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u128, 128, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u144, 144, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u160, 160, 1)
TWOPASS_UKERNEL(TWOPASS_ARCH_X86_AVX512F, twopass_f32_vscaleextexp_ukernel__avx512f_p5_scalef_u192, 192, 1)
