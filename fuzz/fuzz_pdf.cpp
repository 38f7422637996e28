// libFuzzer entry point for one_pdf (fuzz_targets.h says what it checks).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vigie::fuzz::one_pdf(data, size);
  return 0;
}
