#include "matcher/matcher_leaves.h"

#include <cstdio>
#include <string>

#include "index/schema.h"
#include "matcher/column_range_source.h"
#include "matcher/position_filter_source.h"

namespace vigie {
namespace {

// 20100622 → "20100622", as the date slot holds it.
std::string date_value(std::uint32_t date) {
  char text[16];
  std::snprintf(text, sizeof text, "%08u", date);
  return text;
}

}  // namespace

Xapian::Query MatcherLeaves::positional(const PositionPattern& pattern,
                                        const std::vector<Xapian::Query>& parts) {
  return positional_query(pattern, parts, positions_);
}

Xapian::Query MatcherLeaves::date_range(const DateRange& period) {
  const auto low = static_cast<std::uint32_t>(period.low());
  const auto high = static_cast<std::uint32_t>(period.high());
  if (!dates_)
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDate, date_value(low),
                         date_value(high));
  ColumnRange range{column_range_query(*dates_, low, high), dates_, low, high};
  date_ranges_.push_back(range);
  return range.node;
}

// The amount column holds cents + 1 (0: no amount: index_columns.h).
Xapian::Query MatcherLeaves::amount_range(const AmountRange& range) {
  if (!amounts_)
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotAmount,
                         Xapian::sortable_serialise(static_cast<double>(range.low) / 100),
                         Xapian::sortable_serialise(static_cast<double>(range.high) / 100));
  ColumnRange column{column_range_query(*amounts_, range.low + 1, range.high + 1), nullptr,
                     range.low + 1, range.high + 1, amounts_};
  date_ranges_.push_back(column);
  return column.node;
}

}  // namespace vigie
