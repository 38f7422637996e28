// QueryLeaves: the leaves of a query that the parser cannot write as terms —
// a phrase or PROCHE, a date range — asked of whoever will match the query.
//
// Why: the words and filters of a query are Xapian terms, but Vigie's index
// has no positions in Xapian's position table (position streams instead:
// index/position_stream.h) and its searcher filters dates on an in-memory
// column, not the date values: how those leaves are built is the matcher's
// business (common/matcher/matcher_leaves.h), and the parser knows nothing
// of it. The matcher builds each leaf when the parser asks and keeps what it
// needs to count and verify it later; the parser only puts the leaf where it
// belongs in the query.
//
// Thread-safety: one per parse (implementations record what they built).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <vector>

#include "index/position_stream.h"
#include "vigie/decision_search.h"
#include "vigie/document.h"

namespace vigie {

class QueryLeaves {
 public:
  virtual ~QueryLeaves() = default;
  // `parts` (the pattern's terms, or ORs of terms, one per slot) standing in
  // the document as `pattern` asks (consecutive for a phrase, within its
  // span for PROCHE, in the title when pattern.title). `words`: the parts
  // but the stopwords' (all of them when all are), for a matcher that
  // loosens the pattern to its words.
  virtual Xapian::Query positional(const PositionPattern& pattern,
                                   const std::vector<Xapian::Query>& parts,
                                   const std::vector<Xapian::Query>& words) = 0;
  // The documents dated in `range` (DateRange::low() to high(): a partial
  // date stands for its whole period, a missing end is open).
  virtual Xapian::Query date_range(const DateRange& range) = 0;
  // The documents whose largest amount (schema::kSlotAmount) is in `range`
  // (cents, both ends included); documents without an amount never match.
  virtual Xapian::Query amount_range(const AmountRange& range) = 0;
};

}  // namespace vigie
