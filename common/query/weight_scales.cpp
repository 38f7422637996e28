#include "query/weight_scales.h"

#include <stdexcept>

namespace vigie {
namespace {

// A term, or a term already scaled by SameTermTwice (a word whose two stem
// families are both the word alone is scaled twice: × 4).
bool is_scaled_term(const Xapian::Query& q) {
  if (q.get_type() == Xapian::Query::LEAF_TERM) return true;
  return q.get_type() == Xapian::Query::OP_SCALE_WEIGHT && is_scaled_term(q.get_subquery(0));
}

}  // namespace

Xapian::Query scale_weight(const Xapian::Query& sub, WeightScale scale) {
  if (scale == WeightScale::SameTermTwice) {
    if (!is_scaled_term(sub))
      throw std::logic_error("scale_weight: SameTermTwice scales a term only");
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, sub, kSameTermTwice);
  }
  if (is_scaled_term(sub))
    throw std::logic_error("scale_weight: AllWordsBoost scales a compound query only");
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, sub, kAllWordsBoost);
}

double scale_of(const Xapian::Query& node) {
  return is_scaled_term(node.get_subquery(0)) ? kSameTermTwice : kAllWordsBoost;
}

}  // namespace vigie
