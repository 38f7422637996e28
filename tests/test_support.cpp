#include "test_support.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "pipeline/index_run.h"
#include "vigie/config.h"

namespace vigie::test {
namespace {
std::filesystem::path env_path(const char* name, const std::filesystem::path& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::filesystem::path(value) : fallback;
}
}  // namespace

std::filesystem::path source_dir() {
  return env_path("VIGIE_SOURCE_DIR", VIGIE_FALLBACK_SOURCE_DIR);
}
std::filesystem::path shared_corpus() {
  return env_path("VIGIE_SHARED_CORPUS", source_dir() / ".." / "shared" / "corpus");
}
std::filesystem::path binary_dir() {
  return env_path("VIGIE_BINARY_DIR", source_dir() / "build" / "dev");
}

const std::filesystem::path& shared_corpus_index() {
  static ScratchDir dir("vigie-real-corpus");
  static const std::filesystem::path db = [] {
    IndexOptions options;
    options.db = dir.path() / "index";
    options.roots = {{"", shared_corpus()}};
    options.threads = 2;
    run_index(load_config(source_dir() / "config" / "vigie.json"), options);
    return options.db;
  }();
  return db;
}

ScratchDir::ScratchDir(const std::string& tag) {
  static std::atomic<unsigned> counter{0};
  auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  path_ = std::filesystem::temp_directory_path() /
          (tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(stamp) + "-" +
           std::to_string(counter++));
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;  // best effort: a leftover temp dir must not fail a test
  std::filesystem::remove_all(path_, ignored);
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace vigie::test
