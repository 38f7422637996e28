// libFuzzer entry point for one_markdown (fuzz_targets.h says what it checks).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vigie::fuzz::one_markdown(data, size);
  return 0;
}
