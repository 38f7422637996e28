// Family assignment: after a run's writes, every document of the generation
// gets its family — the documents holding the same text (family_signature.h)
// — as value kSlotFamily, a key shared by the members of a family of two or
// more; a document alone has none. Searches then show one result per
// family (docs/families.md).
//
// How: candidates from locality-sensitive hashing over the signatures (32
// bands of 4 bins: a pair at similarity 0.7 shares a band with probability
// 0.9998, at 0.5 with 0.87, at 0.3 with 0.23 — then rejected by the check),
// each checked on its whole signature: similar at kFamilySimilarity or
// more, dates that agree (the same day, or one of them partial or unknown:
// the sessions of one council, written from one template, reach 0.68 — on
// other days), and from two files (the deliberations of one session's
// record, written from one template, are different decisions however alike).
// Their numbers too must mostly agree (family_signature.h: the decisions of
// one template differ by their amounts and numbers, not by their words).
// Identical texts (kSlotContentHash) are a family whatever their dates;
// texts under kMinShingles shingles only when identical.
// The threshold, 0.7: on ../shared/corpus the formats of one session are at
// 0.77–0.98 but for two short or partial ones (0.53–0.63), and the nearest
// different documents of one day (a session and its one big deliberation)
// at 0.65 (tests/fixtures/families/: precision and recall).
// The whole index is reassigned at each run that changed something, so a
// family stays right when a member is added, changed or removed; only the
// documents whose key changes are rewritten (their values alone).
//
// Cost: a value read of 130 bytes and a sort per band per document: ~2 s at
// 1M documents (bench/README.md). Buckets of more than kMaxBucket documents
// (a template shared by thousands) are skipped: those pairs would be checked
// in other bands.
//
// Thread-safety: one call per writable database. Errors: Xapian errors propagate.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace vigie {

inline constexpr double kFamilySimilarity = 0.7;
inline constexpr double kNumbersSimilarity = 0.5;
inline constexpr std::size_t kMaxBucket = 64;

struct FamilyStats {
  std::size_t signed_documents = 0;  // documents with a signature
  std::size_t families = 0;          // families of 2 or more
  std::size_t members = 0;           // documents in those families
  std::size_t rewritten = 0;         // documents whose family key changed
};

// What the families of `db`'s documents (one database or several shards)
// are, and the family values that must change for it (empty key: none).
struct FamilyChange {
  Xapian::docid id = 0;
  std::string key;
};
struct FamilyPlan {
  FamilyStats stats;
  std::vector<FamilyChange> changes;
};
FamilyPlan plan_families(const Xapian::Database& db);

// Assigns the families of `db`'s documents (effective at its next commit):
// incremental runs, on the live generation.
FamilyStats assign_families(Xapian::WritableDatabase& db);

// The same for a --full build, over its shards before they are compacted
// (and committed): values changed after compaction split its packed blocks
// — 1,104 family values rewritten made the 100k index 12 % larger.
FamilyStats assign_families_in_shards(const std::vector<std::filesystem::path>& shards);

// Whether two kSlotDate values (YYYYMMDD, 00 for an unknown month or day,
// empty for no date) may be the same document's.
bool dates_agree(std::string_view a, std::string_view b);

}  // namespace vigie
