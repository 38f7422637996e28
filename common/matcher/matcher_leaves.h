// MatcherLeaves: how Vigie's matcher builds the leaves the parser asks for
// (query/query_leaves.h) — phrases and PROCHE as a filter of the position
// streams on the AND of their words (position_filter_source.h), date ranges
// on the in-memory date column (column_range_source.h) — and what it keeps
// of them to count and verify them itself (match_bitmap.h,
// positional_search.h): the ranges and the positional parts of the query.
//
// Without a date column (nullptr), a date range is Xapian's value range on
// the date slot (schema::kSlotDate), and is not recorded.
//
// Thread-safety: one per parse (it records what it built); the date column
// must outlive the queries built.
#pragma once

#include <cstdint>
#include <vector>

#include "matcher/match_bitmap.h"
#include "query/query_leaves.h"

namespace vigie {

class MatcherLeaves : public QueryLeaves {
 public:
  // Checked: a phrase or PROCHE is its words where they stand as asked.
  // Loose: its words wherever they stand — all of them first, then fewer, a
  // title phrase's anywhere in the document — for the documents a search
  // with few matches shows after them (Searcher, SearchResponse::loosened_total).
  enum class Positions { Checked, Loose };

  explicit MatcherLeaves(const std::vector<std::uint32_t>* dates = nullptr,
                         const std::vector<std::uint64_t>* amounts = nullptr,
                         Positions positions = Positions::Checked)
      : dates_(dates), amounts_(amounts), loose_(positions == Positions::Loose) {}

  Xapian::Query positional(const PositionPattern& pattern, const std::vector<Xapian::Query>& parts,
                           const std::vector<Xapian::Query>& words) override;
  Xapian::Query date_range(const DateRange& range) override;
  Xapian::Query amount_range(const AmountRange& range) override;

  // What was built, in the order asked: for match_bitmap()'s BitmapSources.
  // (Date and amount ranges alike.)
  const std::vector<ColumnRange>& date_ranges() const { return date_ranges_; }
  const std::vector<PositionalPart>& positions() const { return positions_; }
  // Loose: whether a phrase or PROCHE was loosened.
  bool loosened() const { return loosened_; }

 private:
  const std::vector<std::uint32_t>* dates_;
  const std::vector<std::uint64_t>* amounts_;
  std::vector<ColumnRange> date_ranges_;
  std::vector<PositionalPart> positions_;
  bool loose_ = false;
  bool loosened_ = false;
};

}  // namespace vigie
