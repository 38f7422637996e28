// DuplicateGroups and DuplicateFilter: one hit for documents with the same
// text, at the cost of an array lookup per match.
//
// Why not Xapian's collapse key: Xapian's Collapser reads the key value from
// the B-tree and inserts it into a std::map for every match examined — more
// than half of a search's time when every match is examined for exact facet
// counts (bench/README.md). Identical texts are rare and known in advance:
// the groups (documents sharing a content hash, schema::kSlotContentHash)
// are read once per database revision, and a MatchDecider keeps the first
// matching member of each group (the matcher examines documents in id
// order) and counts the others. Unique documents cost one lookup.
//
// Differences from a collapse key, on purpose: the document kept is the
// group's first match by id, not its best-weighted one (their texts are the
// same; only titles or metadata may differ), and facets count the hits
// shown, duplicates excluded.
//
// Ownership: DuplicateGroups is immutable once built; a DuplicateFilter
// refers to one and must not outlive it. Thread-safety: share DuplicateGroups
// freely; a DuplicateFilter belongs to one search.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <vector>

namespace vigie {

class DuplicateGroups {
 public:
  DuplicateGroups(const Xapian::Database& db, Xapian::valueno slot);

  // No two documents share a text: nothing to collapse.
  bool empty() const { return groups_ == 0; }
  std::uint32_t groups() const { return groups_; }
  // The document's group (1…groups()), 0 when its text is unique.
  std::uint32_t group(Xapian::docid id) const { return id < group_of_.size() ? group_of_[id] : 0; }

 private:
  std::vector<std::uint32_t> group_of_;  // by document id
  std::uint32_t groups_ = 0;
};

class DuplicateFilter : public Xapian::MatchDecider {
 public:
  explicit DuplicateFilter(const DuplicateGroups& groups);

  bool operator()(const Xapian::Document& doc) const override { return keep(doc.get_docid()); }
  // The same decision by id, for matches counted outside the matcher
  // (match_bitmap.h), in id order.
  bool keep(Xapian::docid id) const;
  // How many matching documents were dropped as copies of `kept`.
  Xapian::doccount dropped_for(Xapian::docid kept) const;

 private:
  const DuplicateGroups& groups_;
  // The matcher calls a const operator(); the filter is its per-search state.
  mutable std::vector<Xapian::docid> kept_;        // group → the member kept (0: none yet)
  mutable std::vector<Xapian::doccount> dropped_;  // group → members dropped
};

}  // namespace vigie
