// libFuzzer entry point for one_office (fuzz_targets.h says what it checks).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vigie::fuzz::one_office(data, size);
  return 0;
}
