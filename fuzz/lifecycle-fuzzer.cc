// libFuzzer target: sequences of create / reshape / setup / run / delete /
// get_operator_info calls on up to four live operators, checked against a
// model of the documented lifecycle (include/twopass.h, XNNPACK's):
//   * create takes beta and the flags, reshape the shape (channels, strides,
//     batch): one operator is reshaped to other row lengths and strides, and
//     a reshape to an invalid shape (no channels, a stride < channels) is
//     invalid_parameter and leaves it without a plan (get_operator_info:
//     invalid_state) until the next successful reshape;
//   * reshape of a live operator succeeds and invalidates the setup
//     pointers: run after it is invalid_state until the next setup; the
//     buffers of the previous setup are freed at once, so an operator that
//     still touched them is a use-after-free under AddressSanitizer;
//   * setup before any reshape: invalid_state; NULL input or output with a
//     batch > 0: invalid_parameter; batch 0: success and run writes nothing;
//   * reshape / setup of the other operator kind, or of NULL, and run /
//     delete of NULL: invalid_parameter; a reshape or setup rejected on a
//     live operator invalidates its setup (run: invalid_state), as does a
//     setup with NULL pointers;
//   * operators are reused with changing batch sizes (the workspace of long
//     rows is regrown), in place or not, on NULL or a 2- or 4-thread pool;
//   * after every successful run each row is checked against the oracle
//     (testing/reference.h) and nothing outside the rows was written.
// Input: a sequence of steps; each step is an opcode byte and its operands
// (missing bytes read as 0). See Step() below.
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

#include "fuzz/softmax-harness.h"

namespace twopass_fuzz {
namespace {

enum class State { none, created, reshaped, ready, skip };

struct Slot {
  twopass_operator_t op = nullptr;
  State state = State::none;
  Kind kind = Kind::softmax;
  uint32_t flags = 0;
  size_t channels = 0;
  size_t input_stride = 0;
  size_t output_stride = 0;
  float beta = 1.0f;
  size_t batch = 0;  // of the last successful reshape
  // Buffers of the last successful setup (freed by the next reshape).
  std::unique_ptr<GuardedBuffer> input;
  std::unique_ptr<GuardedBuffer> output;
  bool in_place = false;
  std::vector<float> values;  // batch x channels
};

constexpr size_t kSlots = 4;
constexpr size_t kMaxSteps = 48;

class Lifecycle {
 public:
  ~Lifecycle() {
    for (Slot& slot : slots_) {
      if (slot.op != nullptr) twopass_delete_operator(slot.op);
    }
  }

  std::string Run(const uint8_t* data, size_t size) {
    Reader in(data, size);
    for (size_t step = 0; step < kMaxSteps && in.left() != 0; step++) {
      std::string error = Step(in);
      if (!error.empty()) {
        char prefix[64];
        std::snprintf(prefix, sizeof(prefix), "step %zu: ", step);
        return prefix + error;
      }
    }
    for (size_t s = 0; s < kSlots; s++) {
      std::string error = Delete(s);
      if (!error.empty()) return "final delete: " + error;
    }
    return "";
  }

 private:
  static std::string Expect(const char* call, enum xnn_status got, enum xnn_status expected) {
    if (got == expected) return "";
    return std::string(call) + " returned " + StatusName(got) + ", expected " +
           StatusName(expected);
  }

  std::string Step(Reader& in) {
    const uint8_t opcode = in.U8();
    const size_t s = in.U8() % kSlots;
    switch (opcode % 7) {
      case 0:
        return Create(s, in);
      case 1:
        return Reshape(s, in);
      case 2:
        return Setup(s, in);
      case 3:
        return RunOperator(s, in.U8() % 3);
      case 4:
        return Delete(s);
      case 5:
        return Info(s);
      default:
        return Mutate(s, in);
    }
  }

  std::string Delete(size_t s) {
    Slot& slot = slots_[s];
    if (slot.op == nullptr) {
      return Expect("delete(NULL)", twopass_delete_operator(nullptr), xnn_status_invalid_parameter);
    }
    const enum xnn_status status = twopass_delete_operator(slot.op);
    slot = Slot();
    return Expect("delete", status, xnn_status_success);
  }

  std::string Create(size_t s, Reader& in) {
    std::string error = slots_[s].op != nullptr ? Delete(s) : "";
    if (!error.empty()) return error;
    Slot& slot = slots_[s];
    const uint8_t mode = in.U8();
    const uint16_t size = in.U16();
    const uint8_t pads = in.U8();
    const uint8_t beta_selector = in.U8();
    slot.kind = (mode & 1) ? Kind::log_softmax : Kind::softmax;
    static const uint32_t algorithms[] = {0, TWOPASS_FLAG_TWO_PASS, TWOPASS_FLAG_THREE_PASS, 0};
    static const uint32_t isas[] = {0, TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2,
                                    TWOPASS_FLAG_ISA_AVX512F};
    const uint32_t isa = isas[(mode >> 3) & 3];
    slot.flags = algorithms[(mode >> 1) & 3] | isa;
    SetShape(slot, mode >> 5, size, pads);
    slot.beta = kBetas[beta_selector % kBetaCount];
    const auto create = slot.kind == Kind::softmax ? twopass_create_softmax_nc_f32
                                                   : twopass_create_log_softmax_nc_f32;
    twopass_operator_t op = nullptr;
    const enum xnn_status status = create(slot.beta, slot.flags, &op);
    if (!HostHasIsa(isa)) {
      if (status == xnn_status_success) twopass_delete_operator(op);
      slot = Slot();
      return Expect("create with an ISA the host lacks", status, xnn_status_unsupported_hardware);
    }
    if (status != xnn_status_success) {
      slot = Slot();
      return Expect("create", status, xnn_status_success);
    }
    slot.op = op;
    slot.state = State::created;
    return "";
  }

  // The shape the next reshapes use. Mostly short rows; one in eight just
  // over one or two chunks, so that reshape regrows the per-chunk workspace
  // as the batch and the shape change.
  static void SetShape(Slot& slot, unsigned size_class, uint16_t size, uint8_t pads) {
    slot.channels = size_class == 7   ? TWOPASS_CHUNK_ELEMENTS - 2 + size % 64
                    : size_class == 6 ? 2 * TWOPASS_CHUNK_ELEMENTS + 1 + size % 64
                                      : 1 + size % 300;
    slot.input_stride = slot.channels + (pads & 15) % 6;
    slot.output_stride = slot.channels + (pads >> 4) % 6;
  }

  static Api ApiFor(const Slot& slot, bool other) {
    return ApiOf(other ? OtherKind(slot.kind) : slot.kind);
  }

  // Operands: u8 (bit 7: the other kind's reshape; bit 6: a new shape
  // follows; bits 0-5 mod 6: the batch), u8 pool; with bit 6, u8 shape mode
  // (bits 5-7: size class as at create; bits 0-1: 0 valid, 1 no channels,
  // 2 input stride < channels, 3 output stride < channels), u16 size, u8 pads.
  std::string Reshape(size_t s, Reader& in) {
    Slot& slot = slots_[s];
    const uint8_t b = in.U8();
    const bool other = (b & 0x80) != 0;
    const size_t batch = (b & 0x3F) % 6;
    pthreadpool_t pool = Pool(in.U8() % 3);
    const uint8_t shape_mode = (b & 0x40) ? in.U8() : 0;
    const uint16_t size = (b & 0x40) ? in.U16() : 0;
    const uint8_t pads = (b & 0x40) ? in.U8() : 0;
    if (slot.op == nullptr) {
      return Expect("reshape(NULL)",
                    twopass_reshape_softmax_nc_f32(nullptr, 1, 1, 1, batch, pool),
                    xnn_status_invalid_parameter);
    }
    if (b & 0x40) {
      Slot shaped;
      SetShape(shaped, shape_mode >> 5, size, pads);
      if ((shape_mode & 3) != 0) {
        return ReshapeInvalid(slot, shape_mode & 3, shaped, batch, pool);
      }
      slot.channels = shaped.channels;
      slot.input_stride = shaped.input_stride;
      slot.output_stride = shaped.output_stride;
    }
    const enum xnn_status status =
        ApiFor(slot, other).reshape(slot.op, slot.channels, slot.input_stride,
                                    slot.output_stride, batch, pool);
    if (other) {
      // A failed reshape leaves the operator needing a reshape and a setup.
      Forget(slot, State::created);
      return Expect("reshape of the other kind", status, xnn_status_invalid_parameter);
    }
    if (status != xnn_status_success) return Expect("reshape", status, xnn_status_success);
    slot.state = State::reshaped;
    slot.batch = batch;
    // The previous setup's pointers are invalid now: free them, so that a
    // run that still used them is a use-after-free.
    slot.input.reset();
    slot.output.reset();
    slot.values.clear();
    return "";
  }

  // A reshape to a shape broken as `how` says: invalid_parameter, and the
  // operator is left without a plan (the slot keeps its last valid shape).
  std::string ReshapeInvalid(Slot& slot, unsigned how, const Slot& shaped, size_t batch,
                             pthreadpool_t pool) {
    const size_t channels = how == 1 ? 0 : shaped.channels;
    const size_t input_stride = how == 2 ? shaped.channels - 1 : shaped.input_stride;
    const size_t output_stride = how == 3 ? shaped.channels - 1 : shaped.output_stride;
    const enum xnn_status status = ApiFor(slot, false).reshape(
        slot.op, channels, input_stride, output_stride, batch, pool);
    Forget(slot, State::created);
    return Expect("reshape to an invalid shape", status, xnn_status_invalid_parameter);
  }

  // The operator no longer holds the last setup's pointers: free them, so
  // that a run that still used them is a use-after-free.
  static void Forget(Slot& slot, State state) {
    if (slot.state != State::created) slot.state = state;
    slot.input.reset();
    slot.output.reset();
    slot.values.clear();
  }

  std::string Setup(size_t s, Reader& in) {
    Slot& slot = slots_[s];
    const uint8_t variant = in.U8();
    uint64_t rng = in.U32();
    const uint8_t density = in.U8();
    const bool other = (variant & 1) != 0;
    const int nulls = (variant >> 1) & 3;  // 1: NULL input, 2: NULL output
    if (slot.op == nullptr) {
      float x = 0.0f, y = 0.0f;
      return Expect("setup(NULL)", twopass_setup_softmax_nc_f32(nullptr, &x, &y),
                    xnn_status_invalid_parameter);
    }
    const bool in_place = (variant & 8) != 0 && slot.input_stride == slot.output_stride;
    const size_t batch = slot.state == State::created ? 1 : slot.batch;
    std::vector<float> values(batch * slot.channels);
    for (float& v : values) {
      const uint64_t r = SplitMix64(rng);
      if ((uint32_t)(r & 0xFFFF) < (uint32_t)density * density) {
        const size_t which = 2 + (r >> 16) % (kSpecialCount - 2);
        v = kSpecials[which];
      } else {
        v = (float)(((double)(r >> 11) * 0x1.0p-53 * 2.0 - 1.0) * 20.0);
      }
    }
    const size_t in_size = batch == 0 ? 0 : (batch - 1) * slot.input_stride + slot.channels;
    const size_t out_size = batch == 0 ? 0 : (batch - 1) * slot.output_stride + slot.channels;
    auto input = MakeBuffer(in_size, kInputGuardBits);
    auto output = MakeBuffer(in_place ? 0 : out_size, kOutputCanaryBits);
    float* x = input->data();
    float* y = in_place ? x : output->data();
    if (nulls == 1) x = nullptr;
    if (nulls == 2) y = nullptr;
    const enum xnn_status status = ApiFor(slot, other).setup(slot.op, x, y);
    if (slot.state == State::created) {
      return Expect(other ? "setup of the other kind before reshape" : "setup before reshape",
                    status, other ? xnn_status_invalid_parameter : xnn_status_invalid_state);
    }
    // A failed setup leaves the operator needing a new setup.
    if (other) {
      Forget(slot, State::reshaped);
      return Expect("setup of the other kind", status, xnn_status_invalid_parameter);
    }
    if (batch != 0 && (nulls == 1 || nulls == 2)) {
      Forget(slot, State::reshaped);
      return Expect("setup with a NULL pointer", status, xnn_status_invalid_parameter);
    }
    if (status != xnn_status_success) return Expect("setup", status, xnn_status_success);
    slot.state = batch == 0 ? State::skip : State::ready;
    slot.input = std::move(input);
    slot.output = std::move(output);
    slot.in_place = in_place;
    slot.values = std::move(values);
    return "";
  }

  // Fills the input rows and resets every output element to its canary.
  static void PrepareBuffers(Slot& slot) {
    GuardedBuffer& input = *slot.input;
    input.Refill();
    for (size_t r = 0; r < slot.batch; r++) {
      std::memcpy(input.data() + r * slot.input_stride, slot.values.data() + r * slot.channels,
                  slot.channels * sizeof(float));
    }
    if (!slot.in_place) slot.output->Refill();
  }

  std::string RunOperator(size_t s, int pool_index) {
    Slot& slot = slots_[s];
    pthreadpool_t pool = Pool(pool_index);
    if (slot.op == nullptr) {
      return Expect("run(NULL)", twopass_run_operator(nullptr, pool), xnn_status_invalid_parameter);
    }
    if (slot.state == State::ready) PrepareBuffers(slot);
    const enum xnn_status status = twopass_run_operator(slot.op, pool);
    if (slot.state == State::created || slot.state == State::reshaped) {
      return Expect("run before setup (or after reshape)", status, xnn_status_invalid_state);
    }
    if (status != xnn_status_success) return Expect("run", status, xnn_status_success);
    if (slot.state == State::skip) return "";  // batch 0: no buffers to touch

    std::string error;
    if (slot.in_place) {
      error = slot.input->CheckOutside("in place", slot.batch, slot.channels, slot.input_stride);
    } else {
      error =
          slot.output->CheckOutside("output", slot.batch, slot.channels, slot.output_stride);
      for (size_t r = 0; r < slot.batch && error.empty(); r++) {
        if (std::memcmp(slot.input->data() + r * slot.input_stride,
                        slot.values.data() + r * slot.channels,
                        slot.channels * sizeof(float)) != 0) {
          error = "the input was modified";
        }
      }
      if (error.empty()) {
        error = slot.input->CheckOutside("input padding", slot.batch, slot.channels,
                                         slot.input_stride);
      }
    }
    const float* y = slot.in_place ? slot.input->data() : slot.output->data();
    for (size_t r = 0; r < slot.batch && error.empty(); r++) {
      error = CheckRow(slot.kind, slot.beta, slot.values.data() + r * slot.channels,
                       y + r * slot.output_stride, slot.channels);
    }
    if (error.empty()) return "";
    char description[256];
    std::snprintf(description, sizeof(description),
                  "%s channels=%zu strides=%zu/%zu batch=%zu beta=%s flags=0x%X in_place=%d: ",
                  slot.kind == Kind::softmax ? "softmax" : "log-softmax", slot.channels,
                  slot.input_stride, slot.output_stride, slot.batch,
                  DescribeFloat(slot.beta).c_str(), (unsigned)slot.flags, (int)slot.in_place);
    return description + error;
  }

  std::string Info(size_t s) {
    Slot& slot = slots_[s];
    struct twopass_operator_info info;
    if (slot.op == nullptr) {
      return Expect("get_operator_info(NULL)", twopass_get_operator_info(nullptr, &info),
                    xnn_status_invalid_parameter);
    }
    if (slot.state == State::created) {  // no successful reshape since create or a failed one
      return Expect("get_operator_info without a plan", twopass_get_operator_info(slot.op, &info),
                    xnn_status_invalid_state);
    }
    std::string error =
        Expect("get_operator_info", twopass_get_operator_info(slot.op, &info), xnn_status_success);
    if (!error.empty()) return error;
    if ((slot.flags & TWOPASS_FLAG_TWO_PASS) && info.algorithm != twopass_algorithm_two_pass) {
      return "operator info: two-pass forced, another algorithm reported";
    }
    if ((slot.flags & TWOPASS_FLAG_THREE_PASS) && info.algorithm != twopass_algorithm_three_pass) {
      return "operator info: three-pass forced, another algorithm reported";
    }
    const char* isa = slot.flags & TWOPASS_FLAG_ISA_SCALAR    ? "scalar"
                      : slot.flags & TWOPASS_FLAG_ISA_AVX2    ? "avx2"
                      : slot.flags & TWOPASS_FLAG_ISA_AVX512F ? "avx512f"
                                                              : nullptr;
    if (info.isa == nullptr || (isa != nullptr && std::strcmp(info.isa, isa) != 0)) {
      return std::string("operator info: ISA ") + (info.isa ? info.isa : "NULL") + ", expected " +
             (isa ? isa : "any");
    }
    for (size_t i = 0; i < 3; i++) {
      if (info.ukernels[i] == nullptr && info.ukernel_tiles[i] != 0) {
        return "operator info: a tile for unused pass " + std::to_string(i);
      }
    }
    return "";
  }

  std::string Mutate(size_t s, Reader& in) {
    Slot& slot = slots_[s];
    const uint32_t index = in.U32();
    const uint32_t bits = in.U32();
    if (!slot.values.empty()) slot.values[index % slot.values.size()] = BitsFloat(bits);
    return "";
  }

  Slot slots_[kSlots];
};

}  // namespace
}  // namespace twopass_fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string error = twopass_fuzz::Lifecycle().Run(data, size);
  if (!error.empty()) {
    std::fprintf(stderr, "twopass lifecycle fuzz failure: %s\n", error.c_str());
    std::abort();
  }
  return 0;
}
