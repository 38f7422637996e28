// Positional search: the totals, facets and page of a search in relevance
// order whose query has phrases or PROCHE on position streams, without
// reading every candidate's stream — on one database, or on shards with
// their vocabularies (sources.shard_vocabularies: the checks decode each
// stream with its shard's codes, and a sample's page is listed,
// listed_ranking.h, since a remote shard runs no posting source).
//
// Why: a phrase's candidates are the documents with all its words, and
// each is checked by reading its stream (~1.5–2.5 µs: a B-tree block read).
// Xapian's matcher checks every candidate, whatever the page: « conseil
// municipal » has 93,000 of them at 100k documents (130 ms). Here:
//  - the candidates are counted from the posting lists, the phrases relaxed
//    (PositionChecks::set_relaxed: any document with the words);
//  - up to `budget` of them are checked, each once: exact totals and facets;
//  - beyond, a sample of about `budget` candidates is checked — chosen by a
//    hash of their id, not by id range (ids follow the folders crawled) —
//    and totals and facets are estimated from it;
//  - the page is ranked from the relaxed query's best candidates, checked
//    in rank order, as many as it takes: a phrase's matches weigh what
//    their words weigh, and a relaxed phrase never weighs less than the
//    phrase (an OR with a phrase that fails weighs less), so once the page's
//    last hit outweighs every candidate not checked, it is the exact page.
//
// Thread-safety: one search at a time (the PositionChecks are the query's).
// Errors: Xapian errors propagate (DatabaseModifiedError: the caller retries).
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "matcher/bitmap_ranking.h"
#include "matcher/duplicate_groups.h"
#include "matcher/match_bitmap.h"
#include "vigie/config.h"

namespace vigie {

struct PositionalCount {
  // The matches checked: all of them, or those of the sample.
  MatchBitmap matches;
  Xapian::doccount candidates = 0;  // documents of the relaxed query
  Xapian::doccount checked = 0;     // candidates checked (all, or the sample)
  MatchBitmap relaxed;              // the candidates
  bool exact() const { return checked == candidates; }
  // What each match of `matches` stands for in the whole result set.
  double scale() const { return checked == 0 ? 1.0 : static_cast<double>(candidates) / checked; }
};

// Whether every part of `positions` in `query` can only add matches when
// relaxed (none is negated: under AND_NOT, a relaxed phrase would remove
// more documents, and the relaxed query would not hold every match).
bool relaxing_widens(const Xapian::Query& query, const std::vector<PositionalPart>& positions,
                     bool negated = false);

// Counts `query`'s matches as said above; nullopt when it cannot (no
// phrase or PROCHE in `sources.positions`, several shards without their
// vocabularies, a negated phrase, or a part match_bitmap() does not
// evaluate): the caller then lets Xapian's matcher check them. Attaches the
// parts' checks to `db`.
std::optional<PositionalCount> count_positional(const Xapian::Database& db,
                                                const Xapian::Query& query,
                                                const BitmapSources& sources, std::size_t budget);

// How a page is ranked: Xapian's matcher with `weight`; the relaxed
// query's candidates shortlisted first with `bm25` and the documents'
// `lengths` (bitmap_ranking.h) when given.
struct Ranking {
  const Xapian::Weight& weight;
  const std::vector<std::uint32_t>* lengths = nullptr;
  Bm25Config bm25;
  WeighingScratch* scratch = nullptr;  // shortlist()'s buffers
};

// The page [offset, offset + limit) of `query` in relevance order, as
// Xapian's matcher ranks it (and `duplicates`, when not null: a
// DuplicateFilter is made for the page, left in `filter`). `count`: what
// count_positional() found — an exact count restricts the matcher to its
// matches; a sample's, to the relaxed query's best candidates. `sources`:
// as given to count_positional().
Xapian::MSet positional_page(const Xapian::Database& db, const Xapian::Query& query,
                             const BitmapSources& sources, const Ranking& ranking,
                             const PositionalCount& count, Xapian::doccount offset,
                             Xapian::doccount limit, const DuplicateGroups* duplicates,
                             std::optional<DuplicateFilter>& filter);

}  // namespace vigie
