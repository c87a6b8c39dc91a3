// The plan builder (operators/plan.c) for recorded hosts, in the manner of
// cpuinfo's mocks: the ISA, the three-pass/two-pass crossover, the
// non-temporal store rule and the schedule follow from the hardware
// description alone, whatever host runs the test.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <twopass.h>

#include "operators/hardware.h"
#include "operators/plan.h"
#include "operators/ukernel-table.h"

namespace twopass {
namespace {

constexpr size_t KiB = 1024;
constexpr size_t MiB = 1024 * KiB;

struct Host {
  const char* name;
  struct twopass_hardware hardware;
};

// Hosts measured or named in docs/performance.md, and two that bound the rules.
const Host kHosts[] = {
    // Zen 3, AVX2: 512 KiB L2 per core, 32 MiB L3 shared by the VM's 2 processors.
    {"zen3_avx2", {TWOPASS_ARCH_X86_AVX2_FMA, 512 * KiB, 32 * MiB, 16 * MiB}},
    // Zen 4 and Zen 5, AVX-512: 1 MiB L2, 32 MiB L3 for 2 processors.
    {"zen4_avx512", {TWOPASS_ARCH_X86_AVX2_FMA | TWOPASS_ARCH_X86_AVX512F, 1 * MiB, 32 * MiB,
                     16 * MiB}},
    {"zen5_avx512", {TWOPASS_ARCH_X86_AVX2_FMA | TWOPASS_ARCH_X86_AVX512F, 1 * MiB, 32 * MiB,
                     16 * MiB}},
    // A 4-core desktop: 2 MiB L2, 8 MiB L3 shared by its 4 cores.
    {"desktop_4core", {TWOPASS_ARCH_X86_AVX2_FMA, 2 * MiB, 8 * MiB, 2 * MiB}},
    // No SIMD ISA cpuinfo could name.
    {"scalar_only", {0, 1 * MiB, 8 * MiB, 8 * MiB}},
};

class PlanTest : public ::testing::TestWithParam<Host> {
 protected:
  const struct twopass_hardware* hardware() const { return &GetParam().hardware; }

  struct twopass_plan Plan(enum twopass_operator_type type, enum twopass_datatype datatype,
                           size_t channels, size_t batch, size_t threads = 1,
                           uint32_t flags = 0) const {
    const struct twopass_isa* isa = twopass_select_isa(hardware(), 0);
    EXPECT_NE(nullptr, isa);
    struct twopass_plan plan;
    twopass_build_plan(&plan, hardware(), type, datatype, isa, 1.0f, flags, channels, channels,
                       channels, batch, threads);
    return plan;
  }

  bool Streams(enum twopass_datatype datatype, size_t channels, size_t batch) const {
    const struct twopass_plan plan =
        Plan(twopass_operator_type_softmax, datatype, channels, batch, 1, TWOPASS_FLAG_TWO_PASS);
    return std::strstr(plan.passes[1]->name, "_nt_") != nullptr;
  }
};

TEST_P(PlanTest, best_isa_of_the_host) {
  const struct twopass_isa* isa = twopass_select_isa(hardware(), 0);
  ASSERT_NE(nullptr, isa);
  const uint32_t arch = GetParam().hardware.arch_flags;
  const char* expected = (arch & TWOPASS_ARCH_X86_AVX512F) ? "avx512f"
                         : (arch & TWOPASS_ARCH_X86_AVX2_FMA) ? "avx2"
                                                              : "scalar";
  EXPECT_STREQ(expected, isa->name);
  // A flag for an ISA the host lacks finds none; scalar is always there.
  EXPECT_NE(nullptr, twopass_select_isa(hardware(), TWOPASS_FLAG_ISA_SCALAR));
  if (!(arch & TWOPASS_ARCH_X86_AVX512F)) {
    EXPECT_EQ(nullptr, twopass_select_isa(hardware(), TWOPASS_FLAG_ISA_AVX512F));
  }
}

TEST_P(PlanTest, three_pass_while_the_row_fits_the_llc_share) {
  // 8 bytes per element (input and output) against the share of the LLC.
  const double limit =
      twopass_three_pass_max_llc_share * static_cast<double>(GetParam().hardware.llc_share_bytes);
  const size_t last_three_pass = static_cast<size_t>(std::floor(limit / 8.0));
  for (auto type : {twopass_operator_type_softmax, twopass_operator_type_log_softmax}) {
    EXPECT_EQ(twopass_algorithm_three_pass,
              Plan(type, twopass_datatype_f32, last_three_pass, 1).algorithm);
    EXPECT_EQ(twopass_algorithm_two_pass,
              Plan(type, twopass_datatype_f32, last_three_pass + 1, 1).algorithm);
    // Neither the batch nor the threads move it (a row's bits must not).
    EXPECT_EQ(twopass_algorithm_three_pass,
              Plan(type, twopass_datatype_f32, last_three_pass, 1000, 16).algorithm);
    // 16-bit rows are always two-pass, with their own fallback.
    const struct twopass_plan x16 = Plan(type, twopass_datatype_bf16, 1000, 1);
    EXPECT_EQ(twopass_algorithm_two_pass, x16.algorithm);
    EXPECT_EQ(twopass_step_x16_max, x16.fallback);
  }
}

TEST_P(PlanTest, nontemporal_from_half_the_llc_in_bytes) {
  const bool has_simd = GetParam().hardware.arch_flags != 0;
  const size_t llc = GetParam().hardware.llc_bytes;
  for (auto datatype : {twopass_datatype_f32, twopass_datatype_f16}) {
    const size_t size = twopass_element_size(datatype);
    const size_t half_elements = (llc - llc / 2 + size - 1) / size;
    EXPECT_EQ(has_simd, Streams(datatype, half_elements, 1)) << half_elements;
    EXPECT_FALSE(Streams(datatype, half_elements - 1, 1)) << half_elements - 1;
    // Rows count by their bytes: a quarter of the LLC per row streams from 2 rows.
    const size_t quarter_row = (llc / 4) / size + 1;
    EXPECT_FALSE(Streams(datatype, quarter_row, 1));
    EXPECT_EQ(has_simd, Streams(datatype, quarter_row, 2));
  }
}

TEST_P(PlanTest, rows_split_only_when_fewer_than_threads) {
  const size_t long_row = 3 * TWOPASS_CHUNK_ELEMENTS + 1;
  struct twopass_plan plan = Plan(twopass_operator_type_softmax, twopass_datatype_f32, long_row, 1, 4);
  EXPECT_EQ(4u, plan.chunks);
  EXPECT_TRUE(plan.split_rows);
  EXPECT_EQ(4u, plan.split_head);
  plan = Plan(twopass_operator_type_softmax, twopass_datatype_f32, long_row, 1, 16);
  EXPECT_EQ(4u, plan.split_head);  // no more than the chunks
  plan = Plan(twopass_operator_type_softmax, twopass_datatype_f32, long_row, 4, 4);
  EXPECT_FALSE(plan.split_rows);
  plan = Plan(twopass_operator_type_softmax, twopass_datatype_f32, 1000, 1, 4);
  EXPECT_FALSE(plan.split_rows);  // one chunk
  EXPECT_EQ(4u, plan.row_tile);   // about 4096 elements a task
}

INSTANTIATE_TEST_SUITE_P(RecordedHosts, PlanTest, ::testing::ValuesIn(kHosts),
                         [](const ::testing::TestParamInfo<Host>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace twopass
