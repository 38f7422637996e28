// Every input a fuzzer ever crashed on (tests/fixtures/fuzz-regressions/
// <target>/), replayed through the real code with the same contract checks
// as the libFuzzer targets (fuzz/fuzz_targets.h) — in this gcc ASan/UBSan
// build, so a fix that only holds under clang would show here. A new crash
// input goes into the folder named after its target; nothing else to edit.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "../fuzz/fuzz_targets.h"
#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using OneInput = std::function<void(const std::uint8_t*, std::size_t)>;

vigie::fuzz::QueryFixture& query_fixture() {
  static vigie::fuzz::QueryFixture fixture(vigie::test::source_dir() / "config");
  return fixture;
}

const std::map<std::string, OneInput>& targets() {
  namespace f = vigie::fuzz;
  static const std::map<std::string, OneInput> table = {
      {"fuzz_analyzer", f::one_analyzer},
      {"fuzz_query_parser",
       [](const std::uint8_t* d, std::size_t n) { query_fixture().one(d, n); }},
      {"fuzz_text_decoding", f::one_text_decoding},
      {"fuzz_config", f::one_config},
      {"fuzz_http_params", f::one_http_params},
      {"fuzz_pdf", f::one_pdf},
      {"fuzz_html", f::one_html},
      {"fuzz_markdown", f::one_markdown},
      {"fuzz_text", f::one_text},
      {"fuzz_office", f::one_office},
      {"fuzz_json_minutes", f::one_json_minutes},
      {"fuzz_csv", f::one_csv},
  };
  return table;
}

fs::path regressions_dir() { return vigie::test::source_dir() / "tests/fixtures/fuzz-regressions"; }

}  // namespace

TEST_CASE("every kept fuzz crash input replays cleanly through the real code") {
  REQUIRE(fs::is_directory(regressions_dir()));
  int replayed = 0;
  for (const auto& dir : fs::directory_iterator(regressions_dir())) {
    const std::string target = dir.path().filename().string();
    INFO("target folder: " << target);
    const auto it = targets().find(target);
    REQUIRE_MESSAGE(it != targets().end(), "no fuzz target named " << target);
    for (const auto& file : fs::directory_iterator(dir.path())) {
      INFO("input: " << file.path().string());
      const std::string bytes = vigie::test::read_file(file.path());
      const auto start = std::chrono::steady_clock::now();
      CHECK_NOTHROW(it->second(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
      const auto seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      CHECK_MESSAGE(seconds < 20.0, "took " << seconds << " s (a fuzzer timeout)");
      ++replayed;
    }
  }
  MESSAGE("replayed " << replayed << " fuzz regression inputs");
  CHECK(replayed > 0);
}

TEST_CASE("the committed fuzz seeds pass too (they are what the fuzzers start from)") {
  const fs::path seeds = vigie::test::source_dir() / "fuzz/seeds";
  REQUIRE(fs::is_directory(seeds));
  for (const auto& dir : fs::directory_iterator(seeds)) {
    const auto it = targets().find(dir.path().filename().string());
    REQUIRE(it != targets().end());
    for (const auto& file : fs::directory_iterator(dir.path())) {
      INFO("seed: " << file.path().string());
      const std::string bytes = vigie::test::read_file(file.path());
      CHECK_NOTHROW(it->second(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    }
  }
}
