// DuplicateGroups and DuplicateFilter: one hit for the documents of a
// family — the same text in several files or formats, given at indexing time
// (schema::kSlotFamily, indexer/pipeline/family_assignment.h) — at the cost
// of an array lookup per match. WholeParts: which document a part (a
// session's deliberation) is taken from.
//
// Why not Xapian's collapse key: Xapian's Collapser reads the key value from
// the B-tree and inserts it into a std::map for every match examined — more
// than half of a search's time when every match is examined for exact facet
// counts (bench/README.md). Families are rare and known in advance: the
// groups (documents sharing a family key) are read once per database
// revision, and a MatchDecider keeps the first matching member of each
// group (the matcher examines documents in id order). Unique documents cost
// one lookup.
//
// Which member a list shows: the best-weighted when the searcher weighs the
// matches itself (bitmap_ranking.h shortlist()); the first by id when
// Xapian's matcher ranks (phrases, date order) — their texts are the same
// but for layout. Counts (search_pass.cpp) take a family once, with the
// facet values of all its matching members.
//
// Ownership: DuplicateGroups is immutable once built; a DuplicateFilter
// refers to one and must not outlive it. Thread-safety: share DuplicateGroups
// freely; a DuplicateFilter belongs to one search.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <span>
#include <vector>

#include "matcher/slot_reader.h"

namespace vigie {

class DuplicateGroups {
 public:
  // The groups of the documents up to `last` by their values in `slot`.
  DuplicateGroups(const SlotReader& reader, Xapian::docid last, Xapian::valueno slot);

  // No two documents share a text: nothing to collapse.
  bool empty() const { return groups_ == 0; }
  std::uint32_t groups() const { return groups_; }
  // The document's group (1…groups()), 0 when its text is unique.
  std::uint32_t group(Xapian::docid id) const { return id < group_of_.size() ? group_of_[id] : 0; }
  // The documents of a group (1…groups()), in id order.
  std::span<const Xapian::docid> members(std::uint32_t group) const;

 private:
  std::vector<std::uint32_t> group_of_;  // by document id
  std::uint32_t groups_ = 0;
  std::vector<Xapian::docid> members_;       // by group, then id
  std::vector<std::uint32_t> member_start_;  // group → its first in members_ (groups + 2 entries)
};

// Parts and wholes: a deliberation taken from a session's minutes names the
// session's record (schema::kSlotPartOf). When both match a query, the
// deliberation is the hit and the session's family is not listed beside it.
class WholeParts {
 public:
  // `groups`: `db`'s families (a whole's family members are wholes too).
  // `reader`: `db`'s (the part-of slot is read with it).
  WholeParts(const Xapian::Database& db, const SlotReader& reader, const DuplicateGroups& groups);
  bool empty() const { return whole_of_.empty(); }
  // The document `id` is a part of, 0 if none (or not in the index).
  Xapian::docid whole(Xapian::docid id) const { return id < whole_of_.size() ? whole_of_[id] : 0; }
  // Whether some document is a part of `id` (or of its family).
  bool has_parts(Xapian::docid id) const { return id < has_parts_.size() && has_parts_[id]; }
  // The parts of `id` and of the other members of its family in `groups`,
  // in id order within each member.
  std::vector<Xapian::docid> parts(const DuplicateGroups& groups, Xapian::docid id) const;
  // A key for `id`'s family, or for `id` alone when it has none.
  static std::uint64_t family_key(const DuplicateGroups& groups, Xapian::docid id) {
    const std::uint32_t group = groups.group(id);
    return group ? (std::uint64_t{1} << 32) | group : id;
  }

 private:
  std::vector<Xapian::docid> whole_of_;  // by document id; empty: no parts in the index
  std::vector<bool> has_parts_;          // by document id: a whole, or of a whole's family
  std::vector<std::pair<Xapian::docid, Xapian::docid>> by_whole_;  // (whole, part), sorted
};

class DuplicateFilter : public Xapian::MatchDecider {
 public:
  explicit DuplicateFilter(const DuplicateGroups& groups);

  bool operator()(const Xapian::Document& doc) const override { return keep(doc.get_docid()); }
  // The same decision by id, for matches counted outside the matcher
  // (match_bitmap.h), in id order.
  bool keep(Xapian::docid id) const;

 private:
  const DuplicateGroups& groups_;
  // The matcher calls a const operator(); the filter is its per-search state.
  mutable std::vector<Xapian::docid> kept_;  // group → the member kept (0: none yet)
};

}  // namespace vigie
