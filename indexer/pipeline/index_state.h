// IndexState: what an existing index already holds, per source file — read
// once at the start of an incremental run to plan it.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigie {

struct IndexedFile {
  std::string fingerprint;      // "size:mtime:hash" stored on the file's documents
  bool in_these_roots = false;  // belongs to one of the roots being indexed (may be deleted)
};

// A file that failed or was skipped last time (user metadata "skip:<XR term>").
struct RememberedProblem {
  std::string quick_fingerprint;  // "size:mtime"
  bool skipped = false;           // else failed
  std::string kind, reason;
  // XA term of the root the file was found in; empty in records written
  // before roots were recorded (those are kept until their file changes).
  std::string root_term;
  bool in_these_roots = false;  // root_term is one of the roots being indexed now
};

struct IndexState {
  std::unordered_map<std::string, IndexedFile> files;        // by XR term
  std::unordered_map<std::string, RememberedProblem> skips;  // by XR term
};

// User-metadata key remembering a problem file, and its value's format.
std::string skip_key(const std::string& source_term);
std::string encode_problem(const RememberedProblem& problem);
// std::nullopt for a value that is not a record (never written by Vigie).
std::optional<RememberedProblem> decode_problem(const std::string& value);

// Reads every XR term and its fingerprint. `root_terms` are the XA terms of
// the roots being indexed now: only their files may be found vanished.
IndexState read_index_state(const Xapian::Database& db, const std::vector<std::string>& root_terms);

}  // namespace vigie
