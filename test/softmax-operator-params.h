// Parameters shared by the operator test files: ISA x algorithm pairs, and
// row lengths around the kernels' tiles and the chunks of long rows.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include <twopass.h>

#include "testing/isa.h"

namespace twopass {
namespace optest {

using testlib::IsaName;

inline const char* AlgorithmName(uint32_t algorithm_flag) {
  switch (algorithm_flag) {
    case TWOPASS_FLAG_TWO_PASS:
      return "two_pass";
    case TWOPASS_FLAG_THREE_PASS:
      return "three_pass";
    default:
      return "auto";
  }
}

// ---- Parameters shared by the operator test files ----------------------------------

struct IsaAlgorithm {
  uint32_t isa_flag;
  uint32_t algorithm_flag;
  uint32_t flags() const { return isa_flag | algorithm_flag; }
};

inline std::vector<IsaAlgorithm> AllIsaAlgorithms() {
  std::vector<IsaAlgorithm> params;
  for (uint32_t isa : {TWOPASS_FLAG_ISA_SCALAR, TWOPASS_FLAG_ISA_AVX2, TWOPASS_FLAG_ISA_AVX512F}) {
    for (uint32_t algorithm : {TWOPASS_FLAG_TWO_PASS, TWOPASS_FLAG_THREE_PASS}) {
      params.push_back(IsaAlgorithm{isa, algorithm});
    }
  }
  return params;
}

inline std::string IsaAlgorithmName(const ::testing::TestParamInfo<IsaAlgorithm>& info) {
  return std::string(IsaName(info.param.isa_flag)) + "_" + AlgorithmName(info.param.algorithm_flag);
}

// Suites over every ISA, algorithm and kind: (ISA and algorithm, log-softmax).
using IsaAlgorithmKind = std::tuple<IsaAlgorithm, bool>;

inline ::testing::internal::ParamGenerator<IsaAlgorithmKind> AllIsaAlgorithmKinds() {
  return ::testing::Combine(::testing::ValuesIn(AllIsaAlgorithms()), ::testing::Bool());
}

inline std::string IsaAlgorithmKindName(const ::testing::TestParamInfo<IsaAlgorithmKind>& info) {
  const ::testing::TestParamInfo<IsaAlgorithm> isa_algorithm(std::get<0>(info.param), info.index);
  return IsaAlgorithmName(isa_algorithm) + (std::get<1>(info.param) ? "_log_softmax" : "_softmax");
}

// The element tile a kernel's name states ("_u<N>"); 0 if it states none.
inline size_t TileOfKernelName(const char* name) {
  const std::string s(name);
  const size_t u = s.rfind("_u");
  return u == std::string::npos ? 0 : std::strtoul(s.c_str() + u + 2, nullptr, 10);
}

// Element tiles of the kernels an operator with `flags` runs, parsed from the
// "_u<N>" of the names twopass_get_operator_info returns.
inline std::vector<size_t> KernelTiles(uint32_t flags, bool log_softmax) {
  std::vector<size_t> tiles;
  twopass_operator_t op = nullptr;
  const enum xnn_status status =
      log_softmax ? twopass_create_log_softmax_nc_f32(1.0f, flags, &op)
                  : twopass_create_softmax_nc_f32(1.0f, flags, &op);
  if (status != xnn_status_success) return tiles;
  const enum xnn_status reshaped =
      log_softmax ? twopass_reshape_log_softmax_nc_f32(op, 1, 1, 1, 1, nullptr)
                  : twopass_reshape_softmax_nc_f32(op, 1, 1, 1, 1, nullptr);
  twopass_operator_info info;
  if (reshaped == xnn_status_success &&
      twopass_get_operator_info(op, &info) == xnn_status_success) {
    for (const char* name : info.ukernels) {
      if (name == nullptr) continue;
      const size_t tile = TileOfKernelName(name);
      if (tile != 0) tiles.push_back(tile);
    }
  }
  twopass_delete_operator(op);
  std::sort(tiles.begin(), tiles.end());
  tiles.erase(std::unique(tiles.begin(), tiles.end()), tiles.end());
  return tiles;
}

// Row lengths around every kernel tile (and the SIMD widths below it).
inline std::vector<size_t> ChannelsAroundTiles(uint32_t flags, bool log_softmax) {
  std::vector<size_t> channels;
  for (size_t tile : KernelTiles(flags, log_softmax)) {
    for (size_t c : {tile - 1, tile, tile + 1, 2 * tile - 1, 2 * tile + 1, 3 * tile + 5,
                     tile + 8, tile + 15, tile + 16 + 1}) {
      if (c != 0) channels.push_back(c);
    }
  }
  for (size_t c : {size_t(4), size_t(7), size_t(8), size_t(9), size_t(15), size_t(16), size_t(17),
                   size_t(31), size_t(32), size_t(33), size_t(63), size_t(64), size_t(65)}) {
    channels.push_back(c);
  }
  std::sort(channels.begin(), channels.end());
  channels.erase(std::unique(channels.begin(), channels.end()), channels.end());
  return channels;
}

// Row lengths around the chunk boundaries of long rows.
// Row lengths of the special-value cases: below, at and past small tiles.
inline std::vector<size_t> SpecialChannels() { return {1, 2, 7, 16, 17, 100, 145, 1000}; }

inline std::vector<size_t> ChannelsAroundChunks() {
  const size_t chunk = TWOPASS_CHUNK_ELEMENTS;
  return {chunk - 1, chunk, chunk + 1, 2 * chunk - 1, 2 * chunk + 1, 3 * chunk + 17};
}

}  // namespace optest
}  // namespace twopass
