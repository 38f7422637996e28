#include "matcher/matcher_leaves.h"

#include <cstdio>
#include <string>

#include "index/schema.h"
#include "matcher/column_range_source.h"
#include "matcher/position_filter_source.h"
#include "query/weight_scales.h"

namespace vigie {
namespace {

// 20100622 → "20100622", as the date slot holds it.
std::string date_value(std::uint32_t date) {
  char text[16];
  std::snprintf(text, sizeof text, "%08u", date);
  return text;
}

// A title phrase's part (a title term, or a SYNONYM or OR of them) as the
// same words anywhere in the document.
Xapian::Query anywhere(const Xapian::Query& part) {
  std::vector<std::string> terms;
  for (auto t = part.get_unique_terms_begin(); t != part.get_unique_terms_end(); ++t) {
    std::string term = *t;
    if (term.starts_with(schema::kTitlePrefix))
      term = std::string(schema::kExactPrefix) + term.substr(schema::kTitlePrefix.size());
    terms.push_back(std::move(term));
  }
  if (terms.size() == 1) return Xapian::Query(terms[0]);
  return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
}

}  // namespace

Xapian::Query MatcherLeaves::positional(const PositionPattern& pattern,
                                        const std::vector<Xapian::Query>& parts,
                                        const std::vector<Xapian::Query>& content) {
  if (!loose_) return positional_query(pattern, parts, positions_);
  loosened_ = true;
  std::vector<Xapian::Query> words;
  for (const auto& part : content) words.push_back(pattern.title_only ? anywhere(part) : part);
  if (words.size() == 1) return words[0];
  // All the words first, then fewer: as a query's plain words relax.
  return Xapian::Query(
      Xapian::Query::OP_OR,
      scale_weight(Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()),
                   WeightScale::AllWordsBoost),
      Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
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
