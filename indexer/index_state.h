// IndexState: what an existing index already holds, per source file — read
// once at the start of an incremental run to plan it.
#pragma once

#include <xapian.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace vigie {

struct IndexedFile {
  std::string fingerprint;     // "size:mtime:hash" stored on the file's documents
  bool in_these_roots = false; // belongs to one of the roots being indexed (may be deleted)
};

// A file that failed or was skipped last time (user metadata "skip:<XR term>").
struct RememberedProblem {
  std::string quick_fingerprint;  // "size:mtime"
  bool skipped = false;           // else failed
  std::string kind, reason;
};

struct IndexState {
  std::unordered_map<std::string, IndexedFile> files;        // by XR term
  std::unordered_map<std::string, RememberedProblem> skips;  // by XR term
};

// User-metadata key remembering a problem file.
std::string skip_key(const std::string& source_term);

// Reads every XR term and its fingerprint. `root_terms` are the XA terms of
// the roots being indexed now: only their files may be found vanished.
IndexState read_index_state(const Xapian::Database& db, const std::vector<std::string>& root_terms);

}  // namespace vigie
