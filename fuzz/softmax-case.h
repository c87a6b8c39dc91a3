// One fuzz case of the softmax / log-softmax operators, parsed from the fuzz
// input bytes (the layout: fuzz/softmax-harness.h), and the planted bugs
// that show the checks fail when they should.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <twopass.h>

#include "testing/float-bits.h"
#include "testing/reference.h"
#include "testing/x16.h"

namespace twopass_fuzz {

using twopass::testlib::BitsFloat;
using twopass::testlib::DescribeFloat;
using twopass::testlib::FloatBits;
using twopass::testlib::Kind;

// ---- Planted bugs --------------------------------------------------------------

enum class Plant {
  none,
  write_past_row,    // y[channels] = 0 after each row (channels % 16 == 13)
  read_past_row,     // reads x[channels] of the last row (channels % 8 == 5)
  neginf_plausible,  // -inf products give 1e-30 (softmax) / -1e30 (log-softmax)
  nan_dropped,       // NaN outputs replaced with 1/channels
  scaled,            // softmax outputs * (1 + 4e-5) for channels > 1000
  status_lies,       // create reports success for a non-finite beta
  lse_shifted,       // lse outputs + 1e-5 * max(1, |lse|)
  masked_nan,        // masked rows (all -inf products) give NaN despite the flag
};

inline Plant ParsePlant(const char* name) {
  if (name == nullptr || *name == '\0' || std::strcmp(name, "none") == 0) return Plant::none;
  static const struct {
    const char* name;
    Plant plant;
  } plants[] = {
      {"write_past_row", Plant::write_past_row},
      {"read_past_row", Plant::read_past_row},
      {"neginf_plausible", Plant::neginf_plausible},
      {"nan_dropped", Plant::nan_dropped},
      {"scaled", Plant::scaled},
      {"status_lies", Plant::status_lies},
      {"lse_shifted", Plant::lse_shifted},
      {"masked_nan", Plant::masked_nan},
  };
  for (const auto& p : plants) {
    if (std::strcmp(name, p.name) == 0) return p.plant;
  }
  std::fprintf(stderr, "unknown TWOPASS_FUZZ_PLANT=%s\n", name);
  std::abort();
}

inline Plant PlantFromEnvironment() {
  static const Plant plant = ParsePlant(std::getenv("TWOPASS_FUZZ_PLANT"));
  return plant;
}

// ---- Input bytes ---------------------------------------------------------------

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t U8() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint16_t U16() { return (uint16_t)(U8() | (U8() << 8)); }
  uint32_t U32() { return (uint32_t)U16() | ((uint32_t)U16() << 16); }
  size_t left() const { return size_ - pos_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

// ---- Tables --------------------------------------------------------------------

constexpr float kBetas[] = {
    1.0f,
    1.0f,
    1.0f,
    1.0f,
    -1.0f,
    0.0f,
    -0.0f,
    0.5f,
    2.7f,
    -2.7f,
    1e-3f,
    1e3f,
    -1e3f,
    1e-20f,
    1e20f,
    -1e20f,
    0x1.0p-126f /* FLT_MIN */,
    0x1.0p-140f /* denormal */,
    -0x1.0p-149f,
    FLT_MAX,
    -FLT_MAX,
    3.0e38f,
    1.0000001f,
    0.9999999f,
};
constexpr size_t kBetaCount = sizeof(kBetas) / sizeof(kBetas[0]);

constexpr double kCenters[] = {
    0.0,   0.0,    0.0,   1.0,  -1.0,      1e3,        -1e3,     88.0,      -88.0,
    104.0, -104.0, 1e6,   -1e6, 1048576.0, -1048576.0, 726817.0, -726817.0, 1e20,
    -1e20, 1e30,   -1e30, 1e38, -1e38,     3.4e38,     -3.4e38,
};
constexpr size_t kCenterCount = sizeof(kCenters) / sizeof(kCenters[0]);

constexpr double kSpreads[] = {
    10.0, 10.0, 1.0, 0.0, 1e-6, 1e-3, 100.0, 1000.0, 1e4, 1e6, 1e7, 1e10, 1e20, 1e30, 1e38, 3.4e38,
};
constexpr size_t kSpreadCount = sizeof(kSpreads) / sizeof(kSpreads[0]);

// Special values; entry 0 is replaced by a random denormal, entry 1 by random bits.
constexpr float kSpecials[] = {
    0.0f,       0.0f,        NAN,        -NAN,        INFINITY,   -INFINITY,   -INFINITY,
    -INFINITY,  0.0f,        -0.0f,      FLT_MIN,     -FLT_MIN,   FLT_MAX,     -FLT_MAX,
    1048576.0f, -1048576.0f, 1048575.0f, -1048575.0f, 1048577.0f, -1048577.0f, 88.72f,
    -87.33f,    -103.97f,    -150.0f,    1e30f,       -1e30f,     1e-30f,      16.0f,
};
constexpr size_t kSpecialCount = sizeof(kSpecials) / sizeof(kSpecials[0]);

enum Misuse : uint8_t {
  misuse_none = 0,
  misuse_zero_channels,
  misuse_small_input_stride,
  misuse_small_output_stride,
  misuse_nan_beta,
  misuse_inf_beta,
  misuse_minus_inf_beta,
  misuse_unknown_flag,
  misuse_two_algorithms,
  misuse_two_isas,
  misuse_null_out_pointer,
  misuse_reshape_other_kind,
  misuse_setup_other_kind,
  misuse_null_input,
  misuse_null_output,
  misuse_setup_before_reshape,
  misuse_run_before_setup,
  misuse_run_after_reshape,
  misuse_run_before_reshape,
  misuse_null_operator,
  misuse_count,
};

// ---- The case ------------------------------------------------------------------

struct Case {
  Kind kind = Kind::softmax;
  uint32_t algorithm_flag = 0;
  uint32_t isa_flag = 0;
  bool in_place = false;
  int pool = 0;
  uint8_t misuse = misuse_none;
  size_t channels = 1;
  size_t batch = 1;
  size_t input_stride = 1;
  size_t output_stride = 1;
  float beta = 1.0f;
  uint32_t extra_flags = 0;       // misuse flags
  twopass::testlib::Datatype datatype = twopass::testlib::Datatype::kF32;  // of the rows
  bool masked_rows_zero = false;  // TWOPASS_FLAG_MASKED_ROWS_ZERO
  bool with_lse = false;          // set up with an lse array
  std::vector<float> values;      // batch x channels, compact

  uint32_t Flags() const {
    return algorithm_flag | isa_flag | (masked_rows_zero ? TWOPASS_FLAG_MASKED_ROWS_ZERO : 0);
  }

  std::string Describe() const {
    char buffer[512];
    std::snprintf(buffer, sizeof(buffer),
                  "%s channels=%zu batch=%zu input_stride=%zu output_stride=%zu beta=%s "
                  "flags=0x%X in_place=%d pool=%d misuse=%u lse=%d %s",
                  kind == Kind::softmax ? "softmax" : "log-softmax", channels, batch, input_stride,
                  output_stride, DescribeFloat(beta).c_str(),
                  (unsigned)(Flags() | extra_flags), (int)in_place, pool, (unsigned)misuse,
                  (int)with_lse, twopass::testlib::DatatypeName(datatype));
    return buffer;
  }
};

inline size_t ChannelsFromClass(uint8_t size_class, uint16_t p) {
  switch (size_class % 16) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
      return 1 + p % 16;
    case 6:
    case 7:
    case 8:
      return 1 + p % 64;
    case 9:
    case 10:
    case 11:
      return 1 + p % 600;
    case 12:
      return 1 + p % 5000;
    case 13: {  // around multiples of the kernels' tiles
      static const size_t tiles[] = {16, 32, 64, 72, 80, 96, 128, 144, 160, 192};
      const size_t base = tiles[p % 10] * (1 + (p >> 4) % 3);
      const size_t delta = (p >> 8) % 5;
      return base + delta >= 2 ? base + delta - 2 : 1;
    }
    case 14:  // around the chunk size: rows of one and two chunks
      return TWOPASS_CHUNK_ELEMENTS - 3 + p % 300;
    default:  // three chunks
      return 2 * TWOPASS_CHUNK_ELEMENTS - 3 + p % 4000;
  }
}

// The mode byte: kind, algorithm, ISA, in place, pool.
inline void ParseMode(uint8_t mode, Case& c) {
  c.kind = (mode & 1) ? Kind::log_softmax : Kind::softmax;
  static const uint32_t algorithms[] = {0, TWOPASS_FLAG_TWO_PASS, TWOPASS_FLAG_THREE_PASS, 0};
  static const uint32_t isas[] = {0, TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2,
                                  TWOPASS_FLAG_ISA_AVX512F};
  c.algorithm_flag = algorithms[(mode >> 1) & 3];
  c.isa_flag = isas[(mode >> 3) & 3];
  c.in_place = (mode >> 5) & 1;
  c.pool = (mode >> 6) & 3;
  if (c.pool == 3) c.pool = 0;
}

// Misuse, channels, batch, strides and beta.
inline void ParseShape(Reader& in, Case& c) {
  c.misuse = in.U8();
  if (c.misuse >= misuse_count) c.misuse = misuse_none;
  const uint8_t size_class = in.U8();
  c.channels = ChannelsFromClass(size_class, in.U16());
  c.batch = in.U8() % 7;
  if (c.channels > 20000) c.batch %= c.channels > 40000 ? 2 : 3;  // keep a case fast
  const uint8_t in_pad = in.U8();
  const uint8_t out_pad = in.U8();
  c.input_stride = c.channels + (in_pad % 4 == 0 ? 0 : in_pad % 20);
  c.output_stride = c.channels + (out_pad % 4 == 0 ? 0 : out_pad % 20);
  if (c.in_place) c.output_stride = c.input_stride;
  const uint8_t beta_selector = in.U8();
  c.beta = beta_selector < kBetaCount ? kBetas[beta_selector] : BitsFloat(in.U32());
}

// One row value: a special one (with probability `special_threshold` / 65536)
// or center + spread * [-1, 1).
inline float RandomValue(uint64_t& rng, uint32_t special_threshold, double center, double spread) {
  const uint64_t r = SplitMix64(rng);
  if ((uint32_t)(r & 0xFFFF) < special_threshold) {
    const size_t which = (r >> 16) % kSpecialCount;
    if (which == 0) return BitsFloat((uint32_t)(r >> 32) & UINT32_C(0x807FFFFF));  // denormal (or 0)
    if (which == 1) return BitsFloat((uint32_t)(r >> 32));
    return kSpecials[which];
  }
  const double u = (double)(r >> 11) * 0x1.0p-53;  // [0, 1)
  double d = center + spread * (2.0 * u - 1.0);
  if (d > FLT_MAX) d = FLT_MAX;
  if (d < -FLT_MAX) d = -FLT_MAX;
  return (float)d;
}

// The options that the seed's top byte chooses (no byte of their own, and
// none for a top byte 0, so that older inputs keep their meaning): the
// masked rows' flag (bits 0-1 both set), an lse array (bit 2), every other
// row fully masked (bits 3-4 both set; the products' sign from bit 5, the
// rows' parity from bit 6), and 16-bit rows (bit 7: f16 if the seed's bit 23
// is set, else bf16; the values are rounded to that type).
inline void ParseOptions(uint32_t seed, Case& c) {
  const uint32_t options = seed >> 24;
  c.masked_rows_zero = (options & 3) == 3;
  c.with_lse = ((options >> 2) & 1) != 0;
  if ((options >> 7) & 1) {
    c.datatype = ((seed >> 23) & 1) ? twopass::testlib::Datatype::kF16
                                    : twopass::testlib::Datatype::kBF16;
  }
  if (((options >> 3) & 3) != 3) return;
  const float masked = ((options >> 5) & 1) != 0 ? INFINITY : -INFINITY;
  for (size_t r = (options >> 6) & 1; r < c.batch; r += 2) {
    for (size_t i = 0; i < c.channels; i++) c.values[r * c.channels + i] = masked;
  }
}

inline Case ParseCase(const uint8_t* data, size_t size) {
  Reader in(data, size);
  Case c;
  ParseMode(in.U8(), c);
  ParseShape(in, c);
  const uint32_t seed = in.U32();
  uint64_t rng = seed;
  const double center = kCenters[in.U8() % kCenterCount];
  const double spread = kSpreads[in.U8() % kSpreadCount];
  const uint8_t density = in.U8();
  const uint32_t special_threshold = (uint32_t)density * density;  // out of 65536
  const size_t total = c.batch * c.channels;
  c.values.resize(total);
  for (size_t i = 0; i < total; i++) c.values[i] = RandomValue(rng, special_threshold, center, spread);
  ParseOptions(seed, c);
  while (in.left() >= 8 && total != 0) {
    const uint32_t index = in.U32();
    c.values[index % total] = BitsFloat(in.U32());
  }
  for (float& v : c.values) v = twopass::testlib::RoundToDatatype(c.datatype, v);
  return c;
}

}  // namespace twopass_fuzz
