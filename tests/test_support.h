// Test support: where the real corpora are, and scratch directories that
// clean up after themselves. Shared by every test executable.
#pragma once

#include <filesystem>
#include <string>

namespace vigie::test {

// Root of the repository (VIGIE_SOURCE_DIR, set by CTest).
std::filesystem::path source_dir();
// ../shared/corpus (VIGIE_SHARED_CORPUS, set by CTest).
std::filesystem::path shared_corpus();
// Build directory holding the programs (VIGIE_BINARY_DIR).
std::filesystem::path binary_dir();

// A fresh directory under the system temp dir, removed (recursively) on
// destruction. Not copyable.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag = "vigie-test");
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The real corpus (shared_corpus()) indexed once per test program with the
// shipped configuration, as an unnamed root (ids are paths inside it): the
// slow part of the tests that rank its documents.
const std::filesystem::path& shared_corpus_index();

// Writes bytes to a file, creating parent directories.
void write_file(const std::filesystem::path& path, const std::string& bytes);
// Reads a whole file (throws std::runtime_error if it cannot).
std::string read_file(const std::filesystem::path& path);

}  // namespace vigie::test
