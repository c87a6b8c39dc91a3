// One fuzz case of the softmax / log-softmax operators: the input bytes
// choose the operator kind, channels, strides, batch, beta, flags (algorithm,
// ISA), in-place, the threadpool, an API misuse, and the row values
// (NaN, infinities, denormals, huge magnitudes and raw bit patterns included).
// RunSoftmaxCase() runs it through the public API and returns "" when every
// check passes, else what failed:
//   * statuses: invalid_parameter / unsupported_hardware / invalid_state
//     exactly where include/twopass.h documents them;
//   * every row against the long-double oracle (fuzz/softmax-oracle.h);
//   * nothing outside the rows is written: output padding between rows and
//     canaries around the buffers are unchanged, the input (padding included)
//     is unchanged, in place the padding is unchanged; under AddressSanitizer
//     the buffers are allocated at their exact size, so a read or write one
//     element past the last row is a heap-buffer-overflow report;
//   * a failed call (wrong state) writes nothing;
//   * a second run (no new setup) on another threadpool gives the same bits.
//
// Byte layout (missing bytes read as 0; fuzz/make-seeds.py writes seeds):
//   u8  mode: bit 0 log-softmax; bits 1-2 algorithm (0 auto, 1 two-pass,
//       2 three-pass, 3 auto); bits 3-4 ISA (0 best, 1 scalar, 2 avx2,
//       3 avx512f); bit 5 in place; bits 6-7 pool (0 NULL, 1 two threads,
//       2 four threads, 3 NULL)
//   u8  misuse (see enum Misuse; values >= misuse_count mean none)
//   u8  size class, u16 size parameter (little-endian) -> channels
//   u8  batch (mod 7; mod 3 for rows of two chunks, mod 2 for three)
//   u8  input padding, u8 output padding (0 if a multiple of 4, else mod 20)
//   u8  beta selector (index into kBetas; >= kBetaCount: raw u32 bits follow)
//   u32 random seed, u8 center, u8 spread (indices into kCenters / kSpreads),
//   u8  special-value density
//   then (u32 element index, u32 float bits) overrides until the end.
//
// A planted bug (TWOPASS_FUZZ_PLANT, or the plant argument) corrupts the
// results the way a broken kernel or operator would; used to show that the
// checks fail when they should (docs/reliability.md).
#pragma once

#include <cpuinfo.h>
#include <pthreadpool.h>
#include <twopass.h>

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/softmax-oracle.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TWOPASS_FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(TWOPASS_FUZZ_ASAN)
#define TWOPASS_FUZZ_ASAN 1
#endif

namespace twopass_fuzz {

// ---- Planted bugs --------------------------------------------------------------

enum class Plant {
  none,
  write_past_row,    // y[channels] = 0 after each row (channels % 16 == 13)
  read_past_row,     // reads x[channels] of the last row (channels % 8 == 5)
  neginf_plausible,  // -inf products give 1e-30 (softmax) / -1e30 (log-softmax)
  nan_dropped,       // NaN outputs replaced with 1/channels
  scaled,            // softmax outputs * (1 + 4e-5) for channels > 1000
  status_lies,       // create reports success for a non-finite beta
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

// ---- Host and pools ------------------------------------------------------------

inline bool HostHasIsa(uint32_t isa_flag) {
  switch (isa_flag) {
    case 0:
    case TWOPASS_FLAG_ISA_SCALAR:
      return true;
    case TWOPASS_FLAG_ISA_AVX2:
      return cpuinfo_initialize() && cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3();
    case TWOPASS_FLAG_ISA_AVX512F:
      return cpuinfo_initialize() && cpuinfo_has_x86_avx512f();
    default:
      return false;
  }
}

// Pools live for the whole process (created once, never destroyed).
inline pthreadpool_t Pool(int which) {
  static pthreadpool_t pool2 = pthreadpool_create(2);
  static pthreadpool_t pool4 = pthreadpool_create(4);
  switch (which) {
    case 1:
      return pool2;
    case 2:
      return pool4;
    default:
      return nullptr;
  }
}

inline const char* StatusName(enum xnn_status status) {
  switch (status) {
    case xnn_status_success:
      return "success";
    case xnn_status_uninitialized:
      return "uninitialized";
    case xnn_status_invalid_parameter:
      return "invalid_parameter";
    case xnn_status_invalid_state:
      return "invalid_state";
    case xnn_status_unsupported_parameter:
      return "unsupported_parameter";
    case xnn_status_unsupported_hardware:
      return "unsupported_hardware";
    case xnn_status_out_of_memory:
      return "out_of_memory";
    default:
      return "unknown";
  }
}

// ---- Guarded buffers -----------------------------------------------------------

constexpr uint32_t kOutputCanaryBits = UINT32_C(0x7FBADBAD);  // signaling NaN
constexpr uint32_t kInputGuardBits = UINT32_C(0x7FC0FFEE);    // quiet NaN

// `size` floats, plus canary margins without AddressSanitizer; with it, the
// allocation is exactly `size` floats so that ASan reports any access past it.
class Buffer {
 public:
#ifdef TWOPASS_FUZZ_ASAN
  static constexpr size_t kMargin = 0;
#else
  static constexpr size_t kMargin = 32;
#endif
  Buffer(size_t size, uint32_t fill_bits) : size_(size), storage_(new float[size + 2 * kMargin]) {
    const float fill = BitsFloat(fill_bits);
    for (size_t i = 0; i < size + 2 * kMargin; i++) storage_[i] = fill;
  }
  float* data() { return size_ == 0 ? nullptr : storage_.get() + kMargin; }
  float* all() { return storage_.get(); }
  size_t all_size() const { return size_ + 2 * kMargin; }
  size_t size() const { return size_; }

 private:
  size_t size_;
  std::unique_ptr<float[]> storage_;
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
  uint32_t extra_flags = 0;   // misuse flags
  std::vector<float> values;  // batch x channels, compact

  std::string Describe() const {
    char buffer[512];
    std::snprintf(buffer, sizeof(buffer),
                  "%s channels=%zu batch=%zu input_stride=%zu output_stride=%zu beta=%s "
                  "flags=0x%X in_place=%d pool=%d misuse=%u",
                  kind == Kind::softmax ? "softmax" : "log-softmax", channels, batch, input_stride,
                  output_stride, DescribeFloat(beta).c_str(),
                  (unsigned)(algorithm_flag | isa_flag | extra_flags), (int)in_place, pool,
                  (unsigned)misuse);
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

inline Case ParseCase(const uint8_t* data, size_t size) {
  Reader in(data, size);
  Case c;
  const uint8_t mode = in.U8();
  c.kind = (mode & 1) ? Kind::log_softmax : Kind::softmax;
  static const uint32_t algorithms[] = {0, TWOPASS_FLAG_TWO_PASS, TWOPASS_FLAG_THREE_PASS, 0};
  static const uint32_t isas[] = {0, TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2,
                                  TWOPASS_FLAG_ISA_AVX512F};
  c.algorithm_flag = algorithms[(mode >> 1) & 3];
  c.isa_flag = isas[(mode >> 3) & 3];
  c.in_place = (mode >> 5) & 1;
  c.pool = (mode >> 6) & 3;
  if (c.pool == 3) c.pool = 0;
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

  uint64_t rng = in.U32();
  const double center = kCenters[in.U8() % kCenterCount];
  const double spread = kSpreads[in.U8() % kSpreadCount];
  const uint8_t density = in.U8();
  const uint32_t special_threshold = (uint32_t)density * density;  // out of 65536
  const size_t total = c.batch * c.channels;
  c.values.resize(total);
  for (size_t i = 0; i < total; i++) {
    const uint64_t r = SplitMix64(rng);
    float v;
    if ((uint32_t)(r & 0xFFFF) < special_threshold) {
      const size_t which = (r >> 16) % kSpecialCount;
      if (which == 0) {
        v = BitsFloat((uint32_t)(r >> 32) & UINT32_C(0x807FFFFF));  // denormal (or 0)
      } else if (which == 1) {
        v = BitsFloat((uint32_t)(r >> 32));
      } else {
        v = kSpecials[which];
      }
    } else {
      const double u = (double)(r >> 11) * 0x1.0p-53;  // [0, 1)
      double d = center + spread * (2.0 * u - 1.0);
      if (d > FLT_MAX) d = FLT_MAX;
      if (d < -FLT_MAX) d = -FLT_MAX;
      v = (float)d;
    }
    c.values[i] = v;
  }
  while (in.left() >= 8 && total != 0) {
    const uint32_t index = in.U32();
    c.values[index % total] = BitsFloat(in.U32());
  }
  return c;
}

// ---- Running it ----------------------------------------------------------------

struct Api {
  decltype(&twopass_create_softmax_nc_f32) create;
  decltype(&twopass_reshape_softmax_nc_f32) reshape;
  decltype(&twopass_setup_softmax_nc_f32) setup;
};

inline Api ApiOf(Kind kind) {
  if (kind == Kind::softmax) {
    return {twopass_create_softmax_nc_f32, twopass_reshape_softmax_nc_f32,
            twopass_setup_softmax_nc_f32};
  }
  return {twopass_create_log_softmax_nc_f32, twopass_reshape_log_softmax_nc_f32,
          twopass_setup_log_softmax_nc_f32};
}

inline Kind OtherKind(Kind kind) {
  return kind == Kind::softmax ? Kind::log_softmax : Kind::softmax;
}

// Corrupts the outputs of a run as the planted bug says.
inline void ApplyPlant(Plant plant, const Case& c, const float* input, float* output,
                       Buffer& output_buffer) {
  (void)output_buffer;
  if (c.batch == 0) return;
  switch (plant) {
    case Plant::write_past_row:
      if (c.channels % 16 == 13) {
        for (size_t r = 0; r < c.batch; r++) output[r * c.output_stride + c.channels] = 0.0f;
      }
      break;
    case Plant::read_past_row:
      if (c.channels % 8 == 5) {
        volatile float sink = input[(c.batch - 1) * c.input_stride + c.channels];
        (void)sink;
      }
      break;
    case Plant::neginf_plausible:
      for (size_t r = 0; r < c.batch; r++) {
        for (size_t i = 0; i < c.channels; i++) {
          const float x = c.values[r * c.channels + i];
          if ((long double)c.beta * x == -INFINITY) {
            output[r * c.output_stride + i] = c.kind == Kind::softmax ? 1e-30f : -1e30f;
          }
        }
      }
      break;
    case Plant::nan_dropped:
      for (size_t r = 0; r < c.batch; r++) {
        for (size_t i = 0; i < c.channels; i++) {
          float& y = output[r * c.output_stride + i];
          if (std::isnan(y)) y = 1.0f / (float)c.channels;
        }
      }
      break;
    case Plant::scaled:
      if (c.kind == Kind::softmax && c.channels > 1000) {
        for (size_t r = 0; r < c.batch; r++) {
          for (size_t i = 0; i < c.channels; i++) output[r * c.output_stride + i] *= 1.00004f;
        }
      }
      break;
    default:
      break;
  }
}

// Outside-the-rows elements of a buffer of `rows` rows of `channels` at
// `stride`: are they all still `bits`?
inline std::string CheckOutsideRows(Buffer& buffer, size_t rows, size_t channels, size_t stride,
                                    uint32_t bits, const char* what) {
  float* all = buffer.all();
  const size_t margin = Buffer::kMargin;
  for (size_t i = 0; i < buffer.all_size(); i++) {
    if (i >= margin && i < margin + buffer.size()) {
      const size_t j = i - margin;
      if (j / stride < rows && j % stride < channels) continue;  // a row element
    }
    if (FloatBits(all[i]) != bits) {
      char message[256];
      std::snprintf(message, sizeof(message),
                    "%s: element %lld outside the rows was written (now %s)", what,
                    (long long)i - (long long)margin, DescribeFloat(all[i]).c_str());
      return message;
    }
  }
  return "";
}

inline std::string Failure(const Case& c, const std::string& what) {
  return c.Describe() + ": " + what;
}

inline std::string ExpectStatus(const Case& c, const char* call, enum xnn_status got,
                                enum xnn_status expected) {
  if (got == expected) return "";
  return Failure(
      c, std::string(call) + " returned " + StatusName(got) + ", expected " + StatusName(expected));
}

// Runs a case; "" when every check passed.
inline std::string RunCase(const Case& c, Plant plant) {
  const Api api = ApiOf(c.kind);
  const Api other = ApiOf(OtherKind(c.kind));
  pthreadpool_t pool = Pool(c.pool);

  // ---- create
  size_t channels = c.channels;
  size_t input_stride = c.input_stride;
  size_t output_stride = c.output_stride;
  float beta = c.beta;
  uint32_t flags = c.algorithm_flag | c.isa_flag;
  bool invalid = !std::isfinite(beta);
  bool invalid_shape = false;  // refused by reshape, not create
  switch (c.misuse) {
    case misuse_zero_channels:
      channels = 0;
      invalid_shape = true;
      break;
    case misuse_small_input_stride:
      input_stride = c.channels - 1;
      invalid_shape = true;
      break;
    case misuse_small_output_stride:
      output_stride = c.channels - 1;
      invalid_shape = true;
      break;
    case misuse_nan_beta:
      beta = NAN;
      invalid = true;
      break;
    case misuse_inf_beta:
      beta = INFINITY;
      invalid = true;
      break;
    case misuse_minus_inf_beta:
      beta = -INFINITY;
      invalid = true;
      break;
    case misuse_unknown_flag: {
      const uint32_t known = TWOPASS_FLAG_TWO_PASS | TWOPASS_FLAG_THREE_PASS |
                             TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_ISA_AVX2 |
                             TWOPASS_FLAG_ISA_AVX512F;
      uint32_t bit = UINT32_C(1) << (c.channels % 32);
      while (bit & known) bit <<= 1;
      flags |= bit;
      invalid = true;
      break;
    }
    case misuse_two_algorithms:
      flags |= TWOPASS_FLAG_TWO_PASS | TWOPASS_FLAG_THREE_PASS;
      invalid = true;
      break;
    case misuse_two_isas:
      flags |= c.isa_flag == TWOPASS_FLAG_ISA_SCALAR
                   ? TWOPASS_FLAG_ISA_AVX2
                   : TWOPASS_FLAG_ISA_SCALAR | TWOPASS_FLAG_ISA_AVX2;
      invalid = true;
      break;
    default:
      break;
  }
  twopass_operator_t op = nullptr;
  if (c.misuse == misuse_null_out_pointer) {
    return ExpectStatus(c, "create(out = NULL)",
                        api.create(beta, flags, nullptr),
                        xnn_status_invalid_parameter);
  }
  enum xnn_status status = api.create(beta, flags, &op);
  if (plant == Plant::status_lies && !std::isfinite(beta)) status = xnn_status_success;
  if (invalid || !HostHasIsa(c.isa_flag)) {
    if (status == xnn_status_success) {
      twopass_delete_operator(op);
      return Failure(c, invalid ? "create accepted invalid arguments"
                                : "create succeeded with an ISA the host lacks");
    }
    // Malformed arguments are invalid_parameter; a valid request for an ISA
    // the host lacks is unsupported_hardware (either is fine when both apply).
    if (invalid && !HostHasIsa(c.isa_flag) && status == xnn_status_unsupported_hardware) {
      return "";
    }
    return ExpectStatus(c, "create", status,
                        invalid ? xnn_status_invalid_parameter : xnn_status_unsupported_hardware);
  }
  if (status != xnn_status_success) {
    return ExpectStatus(c, "create", status, xnn_status_success);
  }
  struct Deleter {
    twopass_operator_t op;
    ~Deleter() { twopass_delete_operator(op); }
  } deleter{op};

  if (invalid_shape) {
    // The shape is refused at reshape, which leaves no plan: no info, no run.
    std::string e = ExpectStatus(
        c, "reshape to an invalid shape",
        api.reshape(op, channels, input_stride, output_stride, c.batch, pool),
        xnn_status_invalid_parameter);
    struct twopass_operator_info info;
    if (e.empty()) {
      e = ExpectStatus(c, "get_operator_info after a failed reshape",
                       twopass_get_operator_info(op, &info), xnn_status_invalid_state);
    }
    if (e.empty()) {
      e = ExpectStatus(c, "run after a failed reshape", twopass_run_operator(op, pool),
                       xnn_status_invalid_state);
    }
    return e;
  }

  if (c.misuse == misuse_null_operator) {
    std::string e = ExpectStatus(c, "reshape(NULL)", api.reshape(nullptr, c.channels, c.input_stride,
                                                          c.output_stride, c.batch, pool),
                                 xnn_status_invalid_parameter);
    if (e.empty()) {
      float x = 0.0f, y = 0.0f;
      e = ExpectStatus(c, "setup(NULL)", api.setup(nullptr, &x, &y), xnn_status_invalid_parameter);
    }
    if (e.empty()) {
      e = ExpectStatus(c, "run(NULL)", twopass_run_operator(nullptr, pool),
                       xnn_status_invalid_parameter);
    }
    if (e.empty()) {
      e = ExpectStatus(c, "delete(NULL)", twopass_delete_operator(nullptr),
                       xnn_status_invalid_parameter);
    }
    return e;
  }

  // ---- buffers
  const size_t batch = c.batch;
  const size_t in_size = batch == 0 ? 0 : (batch - 1) * c.input_stride + c.channels;
  const size_t out_size = batch == 0 ? 0 : (batch - 1) * c.output_stride + c.channels;
  Buffer input_buffer(in_size, kInputGuardBits);
  Buffer separate_output(c.in_place ? 0 : out_size, kOutputCanaryBits);
  Buffer& output_buffer = c.in_place ? input_buffer : separate_output;
  float* input = input_buffer.data();
  for (size_t r = 0; r < batch; r++) {
    std::memcpy(input + r * c.input_stride, c.values.data() + r * c.channels,
                c.channels * sizeof(float));
  }
  float* output = output_buffer.data();
  const std::vector<float> input_copy(input_buffer.all(),
                                      input_buffer.all() + input_buffer.all_size());
  const uint32_t output_outside_bits = c.in_place ? kInputGuardBits : kOutputCanaryBits;
  // No call before a successful run may write anything.
  const auto untouched = [&]() -> std::string {
    if (!input_copy.empty() && std::memcmp(input_copy.data(), input_buffer.all(),
                                           input_copy.size() * sizeof(float)) != 0) {
      return Failure(c, "a call that must not run wrote the input buffer");
    }
    if (!c.in_place) {
      for (size_t i = 0; i < separate_output.all_size(); i++) {
        if (FloatBits(separate_output.all()[i]) != kOutputCanaryBits) {
          return Failure(c, "a call that must not run wrote the output buffer");
        }
      }
    }
    return "";
  };

  // ---- lifecycle misuses
  std::string e;
  switch (c.misuse) {
    case misuse_reshape_other_kind:
      return ExpectStatus(c, "reshape of the other kind", other.reshape(op, c.channels, c.input_stride,
                                                                c.output_stride, batch, pool),
                          xnn_status_invalid_parameter);
    case misuse_setup_before_reshape:
      return ExpectStatus(c, "setup before reshape", api.setup(op, input, output),
                          xnn_status_invalid_state);
    case misuse_run_before_reshape:
      e = ExpectStatus(c, "run before reshape", twopass_run_operator(op, pool),
                       xnn_status_invalid_state);
      return e.empty() ? untouched() : e;
    default:
      break;
  }
  status = api.reshape(op, c.channels, c.input_stride, c.output_stride, batch, pool);
  if (status != xnn_status_success) return ExpectStatus(c, "reshape", status, xnn_status_success);
  switch (c.misuse) {
    case misuse_setup_other_kind:
      return ExpectStatus(c, "setup of the other kind", other.setup(op, input, output),
                          xnn_status_invalid_parameter);
    case misuse_null_input:
    case misuse_null_output: {
      const float* x = c.misuse == misuse_null_input ? nullptr : input;
      float* y = c.misuse == misuse_null_output ? nullptr : output;
      if (batch == 0) {
        e = ExpectStatus(c, "setup(NULL) with batch 0", api.setup(op, x, y), xnn_status_success);
        if (e.empty()) {
          e = ExpectStatus(c, "run with batch 0", twopass_run_operator(op, pool),
                           xnn_status_success);
        }
        return e;
      }
      return ExpectStatus(c, "setup with a NULL pointer", api.setup(op, x, y),
                          xnn_status_invalid_parameter);
    }
    case misuse_run_before_setup:
      e = ExpectStatus(c, "run before setup", twopass_run_operator(op, pool),
                       xnn_status_invalid_state);
      return e.empty() ? untouched() : e;
    default:
      break;
  }
  status = api.setup(op, input, output);
  if (status != xnn_status_success) return ExpectStatus(c, "setup", status, xnn_status_success);
  if (c.misuse == misuse_run_after_reshape) {
    status = api.reshape(op, c.channels, c.input_stride, c.output_stride, batch, pool);
    if (status != xnn_status_success) {
      return ExpectStatus(c, "second reshape", status, xnn_status_success);
    }
    e = ExpectStatus(c, "run after reshape without setup", twopass_run_operator(op, pool),
                     xnn_status_invalid_state);
    return e.empty() ? untouched() : e;
  }

  // ---- run and check
  status = twopass_run_operator(op, pool);
  if (status != xnn_status_success) return ExpectStatus(c, "run", status, xnn_status_success);
  ApplyPlant(plant, c, input, output, output_buffer);
  if (batch == 0) return untouched();

  if (c.in_place) {
    e = CheckOutsideRows(input_buffer, batch, c.channels, c.input_stride, kInputGuardBits,
                         "in place");
  } else {
    e = CheckOutsideRows(separate_output, batch, c.channels, c.output_stride, output_outside_bits,
                         "output");
    if (e.empty() && !input_copy.empty() &&
        std::memcmp(input_copy.data(), input_buffer.all(), input_copy.size() * sizeof(float)) !=
            0) {
      e = "the input buffer was modified";
    }
  }
  if (!e.empty()) return Failure(c, e);

  for (size_t r = 0; r < batch; r++) {
    const float* x = c.values.data() + r * c.channels;
    const float* y = output + r * c.output_stride;
    e = CheckRow(c.kind, c.beta, x, y, c.channels);
    if (!e.empty()) {
      char where[64];
      std::snprintf(where, sizeof(where), "row %zu: ", r);
      return Failure(c, where + e);
    }
  }

  // A second run without a new setup, on another pool: the same bits.
  if (!c.in_place) {
    const std::vector<float> first(output, output + out_size);
    for (size_t i = 0; i < separate_output.all_size(); i++) {
      separate_output.all()[i] = BitsFloat(kOutputCanaryBits);
    }
    status = twopass_run_operator(op, Pool(c.pool == 0 ? 2 : 0));
    if (status != xnn_status_success) {
      return ExpectStatus(c, "second run", status, xnn_status_success);
    }
    ApplyPlant(plant, c, input, output, output_buffer);
    for (size_t r = 0; r < batch; r++) {
      for (size_t i = 0; i < c.channels; i++) {
        const float a = first[r * c.output_stride + i];
        const float b = output[r * c.output_stride + i];
        if (!(FloatBits(a) == FloatBits(b) || (std::isnan(a) && std::isnan(b)))) {
          char message[256];
          std::snprintf(message, sizeof(message),
                        "row %zu element %zu differs between threadpools: %s vs %s", r, i,
                        DescribeFloat(a).c_str(), DescribeFloat(b).c_str());
          return Failure(c, message);
        }
      }
    }
  }
  return "";
}

inline std::string RunSoftmaxCase(const uint8_t* data, size_t size, Plant plant) {
  return RunCase(ParseCase(data, size), plant);
}

// Prints a failing case with its row values (for regression tests).
inline void PrintCase(const Case& c, const std::string& error) {
  std::fprintf(stderr, "twopass fuzz failure: %s\n", error.c_str());
  const size_t shown = c.values.size() < 64 ? c.values.size() : 64;
  std::fprintf(stderr, "values (%zu of %zu):", shown, c.values.size());
  for (size_t i = 0; i < shown; i++) {
    std::fprintf(stderr, " %a", (double)c.values[i]);
  }
  std::fprintf(stderr, "\n");
}

}  // namespace twopass_fuzz
