// libFuzzer entry point for the query language (QueryFixture in
// fuzz_targets.h): the index is built once, before the first input.
#include "fuzz_targets.h"

namespace {
vigie::fuzz::QueryFixture* g_fixture = nullptr;
void remove_fixture() { delete g_fixture; }
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_fixture = new vigie::fuzz::QueryFixture(std::filesystem::path(VIGIE_SOURCE_DIR) / "config");
  std::atexit(remove_fixture);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  g_fixture->one(data, size);
  return 0;
}
