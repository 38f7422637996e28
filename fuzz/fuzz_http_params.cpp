// libFuzzer entry point for one_http_params (fuzz_targets.h says what it checks).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vigie::fuzz::one_http_params(data, size);
  return 0;
}
