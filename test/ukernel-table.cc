// The operator's kernel table (operators/ukernel-table.c, written by
// scripts/sweep.py): every (ISA, datatype, role) the plan builder asks for
// exists exactly once (f32: every role; bf16, f16: the two-pass roles and
// those of their three-pass fallback), and
// each row's function, name, arch, datatype and tile agree.
#include <cstddef>
#include <cstdint>
#include <regex>
#include <string>

#include <gtest/gtest.h>

extern "C" {
#include "operators/ukernel-table.h"
}

namespace {

const uint32_t kIsas[] = {0, TWOPASS_ARCH_X86_AVX2_FMA, TWOPASS_ARCH_X86_AVX512F};
const enum twopass_datatype kDatatypes[] = {twopass_datatype_f32, twopass_datatype_bf16,
                                            twopass_datatype_f16};

const char* DatatypeToken(enum twopass_datatype datatype) {
  switch (datatype) {
    case twopass_datatype_f32:
      return "f32";
    case twopass_datatype_bf16:
      return "bf16";
    case twopass_datatype_f16:
      return "f16";
    default:
      return "?";
  }
}

// The roles a datatype has: the 16-bit rows run two-pass, and fall back to a
// three-pass path that recomputes the exps (no raddstoreexpminusmax, vscale).
bool HasRole(enum twopass_datatype datatype, int role) {
  if (datatype == twopass_datatype_f32) return true;
  switch (role) {
    case twopass_ukernel_role_raddextexp:
    case twopass_ukernel_role_raddextexp_beta1:
    case twopass_ukernel_role_vscaleextexp:
    case twopass_ukernel_role_vscaleextexp_beta1:
    case twopass_ukernel_role_vscaleextexp_nt:
    case twopass_ukernel_role_vscaleextexp_nt_beta1:
    case twopass_ukernel_role_vaffine:
    case twopass_ukernel_role_rmax:
    case twopass_ukernel_role_rmin:
    case twopass_ukernel_role_raddexpminusmax:
    case twopass_ukernel_role_vscaleexpminusmax:
      return true;
    default:
      return false;
  }
}

const char* IsaToken(uint32_t arch_flags) {
  switch (arch_flags) {
    case 0:
      return "scalar";
    case TWOPASS_ARCH_X86_AVX2_FMA:
      return "avx2";
    default:
      return "avx512f";
  }
}

struct RoleName {
  const char* family;  // the operation in the kernel's name
  bool beta1;          // a beta = 1 variant
  bool nontemporal;    // non-temporal stores (where the ISA has them)
};

RoleName ExpectedName(enum twopass_ukernel_role role) {
  switch (role) {
    case twopass_ukernel_role_raddextexp:
      return {"raddextexp", false, false};
    case twopass_ukernel_role_raddextexp_beta1:
      return {"raddextexp", true, false};
    case twopass_ukernel_role_vscaleextexp:
      return {"vscaleextexp", false, false};
    case twopass_ukernel_role_vscaleextexp_beta1:
      return {"vscaleextexp", true, false};
    case twopass_ukernel_role_vscaleextexp_nt:
      return {"vscaleextexp", false, true};
    case twopass_ukernel_role_vscaleextexp_nt_beta1:
      return {"vscaleextexp", true, true};
    case twopass_ukernel_role_rmax:
      return {"rmax", false, false};
    case twopass_ukernel_role_rmin:
      return {"rmin", false, false};
    case twopass_ukernel_role_raddstoreexpminusmax:
      return {"raddstoreexpminusmax", false, false};
    case twopass_ukernel_role_raddexpminusmax:
      return {"raddexpminusmax", false, false};
    case twopass_ukernel_role_vscale:
      return {"vscale", false, false};
    case twopass_ukernel_role_vaffine:
      return {"vaffine", false, false};
    case twopass_ukernel_role_vscaleexpminusmax:
      return {"vscaleexpminusmax", false, false};
    default:
      return {"?", false, false};
  }
}

TEST(UKERNEL_TABLE, every_isa_datatype_and_role_once) {
  size_t expected_rows = 0;
  for (uint32_t isa : kIsas) {
    for (enum twopass_datatype datatype : kDatatypes) {
      for (int role = 0; role < twopass_ukernel_role_count; role++) {
        size_t rows = 0;
        for (size_t i = 0; i < twopass_ukernel_table_size; i++) {
          const struct twopass_ukernel& row = twopass_ukernel_table[i];
          rows += row.arch_flags == isa && row.datatype == datatype && row.role == role;
        }
        const size_t expected = HasRole(datatype, role) ? 1 : 0;
        EXPECT_EQ(expected, rows) << IsaToken(isa) << " " << DatatypeToken(datatype) << " role "
                                  << role;
        expected_rows += expected;
      }
    }
  }
  EXPECT_EQ(expected_rows, twopass_ukernel_table_size);
}

TEST(UKERNEL_TABLE, rows_agree_with_their_names) {
  const std::regex name_pattern(
      "twopass_(f32|bf16|f16)_([a-z]+)_ukernel__([a-z0-9]+)_((?:[a-z0-9]+_)*?)u([0-9]+)"
      "(?:_acc[0-9]+)?");
  for (size_t i = 0; i < twopass_ukernel_table_size; i++) {
    const struct twopass_ukernel& row = twopass_ukernel_table[i];
    ASSERT_NE(nullptr, row.name);
    EXPECT_NE(nullptr, reinterpret_cast<const void*>(row.fn.reduce)) << row.name;
    std::cmatch match;
    ASSERT_TRUE(std::regex_match(row.name, match, name_pattern)) << row.name;
    const RoleName expected = ExpectedName(row.role);
    const std::string tokens = "_" + match[4].str();
    EXPECT_EQ(DatatypeToken(row.datatype), match[1].str()) << row.name;
    EXPECT_EQ(expected.family, match[2].str()) << row.name;
    EXPECT_EQ(IsaToken(row.arch_flags), match[3].str()) << row.name;
    EXPECT_EQ(expected.beta1, tokens.find("_beta1_") != std::string::npos) << row.name;
    // Scalar has no non-temporal variant: its nt roles name the plain kernel.
    if (row.arch_flags != 0) {
      EXPECT_EQ(expected.nontemporal, tokens.find("_nt_") != std::string::npos) << row.name;
    }
    EXPECT_EQ(std::stoul(match[5].str()), row.element_tile) << row.name;
  }
}

TEST(UKERNEL_TABLE, crossover_fraction_is_positive) {
  EXPECT_GT(twopass_three_pass_max_llc_share, 0.0);
}

}  // namespace
