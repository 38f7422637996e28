// Listed ranking: a page of a query ranked by Xapian's matcher among known
// documents, with nothing but Xapian's built-in classes — what a database
// with remote shards needs (docs/architecture.md, "Shards").
//
// Why: stock xapian-tcpsrv runs only Xapian's own weighting schemes, posting
// sources and match spies, and no MatchDecider; the companion engine ranks
// its pages through posting sources of the combined database's ids (a
// bitmap, a shortlist's weights: bitmap_ranking.h), which a remote shard
// cannot run and a local shard would read with its own ids. But the
// companion engine knows the matches (match_bitmap.h, checked phrases
// included); so the page is the query with its posting sources taken out
// (they filter and weigh nothing: bitmap_ranking.h), filtered by the id
// terms (`Q`) of the documents listed: Xapian's matcher weighs them with
// collection-wide statistics and ranks them, and the MSet is Xapian's own.
// Which documents may be listed (duplicates, hidden sessions) is asked here
// by id, in id order, as Xapian's matcher would ask its MatchDecider — not
// through a Document, which of a combined database knows only its id in
// its shard (Xapian 1.4).
// Cost: one termlist read per listed document (a round trip to a remote
// shard), and a query as long as the list: slower than one index, the same
// answers. Thread-safety: functions of their arguments. Errors: Xapian
// errors propagate (NetworkError from a dead shard: the Searcher's).
#pragma once

#include <xapian.h>

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "matcher/match_bitmap.h"

namespace vigie {

// `query` with every posting source replaced by a subquery matching every
// document and weighing nothing; subtrees without one are kept as they are.
Xapian::Query built_in_query(const Xapian::Query& query);

// The id terms of a combined database's documents, read once per revision
// (a term list each: a round trip to a remote shard) and kept, for every
// Searcher of the process (IndexColumns holds one), up to kMaxTerms (~60 MB
// at ~120 bytes a node; then it starts again). Thread-safe.
class IdTermMemo {
 public:
  static constexpr std::size_t kMaxTerms = 500000;
  // Document `id`'s `Q` term ("" when it has none).
  std::string of(const Xapian::Database& db, Xapian::docid id);

 private:
  std::mutex mutex_;
  std::unordered_map<Xapian::docid, std::string> terms_;
};

// How a listed page is sorted: by relevance, or by a value slot first.
struct ListedSort {
  std::optional<Xapian::valueno> slot;  // none: relevance
  bool descending = true;
};

// The page [offset, offset + limit) of `query` among `among` (documents that
// match it), ranked by Xapian's matcher with `weight` (and `sort`), those
// `listed` refuses (when given) left out. `ids`: the revision's memo (none:
// each read).
Xapian::MSet rank_listed(const Xapian::Database& db, const Xapian::Query& query,
                         const Xapian::Weight& weight, const MatchBitmap& among,
                         Xapian::doccount offset, Xapian::doccount limit, IdTermMemo* ids,
                         const std::function<bool(Xapian::docid)>& listed = {},
                         ListedSort sort = {});

}  // namespace vigie
