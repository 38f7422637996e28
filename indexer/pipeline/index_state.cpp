#include "pipeline/index_state.h"

#include <algorithm>
#include <sstream>
#include <unordered_set>

#include "index/schema.h"

namespace vigie {

std::string skip_key(const std::string& source_term) { return "skip:" + source_term; }

// "2 \t size:mtime \t skipped|failed \t kind \t root term \t reason"; the
// first format had no version and no root: "size:mtime \t outcome \t kind \t reason".
std::string encode_problem(const RememberedProblem& problem) {
  return "2\t" + problem.quick_fingerprint + "\t" + (problem.skipped ? "skipped" : "failed") +
         "\t" + problem.kind + "\t" + problem.root_term + "\t" + problem.reason;
}

std::optional<RememberedProblem> decode_problem(const std::string& value) {
  std::istringstream fields(value);
  RememberedProblem problem;
  std::string first, outcome;
  if (!std::getline(fields, first, '\t')) return std::nullopt;
  const bool versioned = first == "2";
  if (versioned) {
    if (!std::getline(fields, problem.quick_fingerprint, '\t')) return std::nullopt;
  } else {
    problem.quick_fingerprint = first;
  }
  if (!std::getline(fields, outcome, '\t') || !std::getline(fields, problem.kind, '\t'))
    return std::nullopt;
  if (versioned && !std::getline(fields, problem.root_term, '\t')) return std::nullopt;
  std::getline(fields, problem.reason);
  problem.skipped = outcome == "skipped";
  return problem;
}

IndexState read_index_state(const Xapian::Database& db,
                            const std::vector<std::string>& root_terms) {
  IndexState state;
  if (db.get_doccount() == 0 && db.metadata_keys_begin("skip:") == db.metadata_keys_end("skip:"))
    return state;
  // Documents of the roots being indexed now: a membership set by docid is
  // cheaper than reading each document's term list.
  std::vector<bool> in_roots(std::size_t{db.get_lastdocid()} + 1, false);
  for (const auto& root : root_terms)
    for (auto it = db.postlist_begin(root); it != db.postlist_end(root); ++it)
      if (*it < in_roots.size()) in_roots[*it] = true;
  state.files.reserve(db.get_doccount());

  const std::string prefix(schema::kSourcePrefix);
  for (auto term = db.allterms_begin(prefix); term != db.allterms_end(prefix); ++term) {
    auto post = db.postlist_begin(*term);
    if (post == db.postlist_end(*term)) continue;
    const Xapian::docid first = *post;
    IndexedFile file;
    file.fingerprint = db.get_document(first).get_value(schema::kSlotFingerprint);
    file.in_these_roots = first < in_roots.size() && in_roots[first];
    state.files.emplace(*term, std::move(file));
  }

  for (auto key = db.metadata_keys_begin("skip:"); key != db.metadata_keys_end("skip:"); ++key) {
    auto problem = decode_problem(db.get_metadata(*key));
    if (!problem) continue;
    problem->in_these_roots =
        std::find(root_terms.begin(), root_terms.end(), problem->root_term) != root_terms.end();
    state.skips.emplace((*key).substr(5), std::move(*problem));
  }
  return state;
}

}  // namespace vigie
