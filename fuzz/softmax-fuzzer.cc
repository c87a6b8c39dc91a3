// libFuzzer target: softmax and log-softmax operators on fuzzed parameters,
// misuses and row values, checked against a long-double oracle and for
// writes outside the rows (fuzz/softmax-harness.h describes the input bytes
// and the checks). Build: clang++ -fsanitize=fuzzer,address,undefined (see
// fuzz/CMakeLists.txt); the same file links with fuzz/standalone-main.cc
// into a plain program that replays the corpus and the regression inputs.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/softmax-harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const twopass_fuzz::Case c = twopass_fuzz::ParseCase(data, size);
  const std::string error = twopass_fuzz::RunCase(c, twopass_fuzz::PlantFromEnvironment());
  if (!error.empty()) {
    twopass_fuzz::PrintCase(c, error);
    std::abort();
  }
  return 0;
}
