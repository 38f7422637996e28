// IndexReport: what one vigie-index run did — the final summary on the
// terminal and the JSON written by --report FILE.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigie {

struct FileProblem {
  std::string path;  // id path of the file
  std::string
      kind;  // "unsupported", "corrupt", "encrypted", "no-text", "too-large", "io", "duplicate"
  std::string reason;  // what was wrong, for a human
};

struct IndexReport {
  bool full = false;
  bool dry_run = false;
  std::string generation;  // the generation written
  // Files.
  std::uint64_t added = 0, updated = 0, deleted = 0, unchanged = 0;
  std::vector<FileProblem> skipped;  // not a format we index
  std::vector<FileProblem> failed;   // a format we index, but this file could not be
  std::vector<std::string> warnings;
  // Documents written (a file may give several), their text bytes, the files' bytes read.
  std::uint64_t documents = 0, documents_deleted = 0, text_bytes = 0, bytes_read = 0;
  // Families of documents holding the same text (family_assignment.h), after the run.
  std::uint64_t families = 0, family_members = 0;
  double family_seconds = 0;  // the assignment's time, part of `seconds`
  double seconds = 0;
  int threads = 0;

  std::string to_json() const;
  // "indexed 412 files (…) in 3.2 s: 380 added, …"
  std::string summary() const;
};

// A write to the index that failed (Xapian threw while writing or committing).
struct WriteFailure {
  std::string target;           // the generation being written (path)
  std::string live_generation;  // the generation still serving, "" if none
  bool full = false;            // a --full rebuild: its unfinished generation was removed
  std::string error;            // the library's description of the failure
  std::string system_error;     // the OS error behind it ("No space left on device"), "" if none
};

// What vigie-index prints before exiting 1: what failed, the cause when the
// OS says the disk is full, a quota or a file size limit was hit, what still
// serves, and what to do.
std::string write_failure_message(const WriteFailure& failure);

}  // namespace vigie
