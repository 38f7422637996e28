// Weight scales: the only factors the query layer multiplies a subquery's
// weight by (Xapian's OP_SCALE_WEIGHT), and how the matcher tells which one
// a node carries.
//
// Why: the BM25 shortlist (bitmap_ranking.h) weighs the query itself and
// must apply each node's factor, but Xapian 1.4 gives a SCALE_WEIGHT node's
// factor back through no public accessor (only inside get_description(),
// whose wording is no contract). So the factor is carried by the shape of
// what is scaled, a rule both sides share here:
//   kSameTermTwice  scales a term, or a term it already scaled (a word whose
//                   stem family is the word alone: exact + family = the term
//                   weighed twice, for one read of its postings instead of
//                   two; both families alone: × 4);
//   kAllWordsBoost  scales a compound query (AND, OR): "all the words"
//                   above "some of the words" in a relaxed query.
// scale_weight() is how the query layer builds every SCALE_WEIGHT node (it
// refuses a shape that does not fit the factor), scale_of() how the matcher
// reads one back. A test walks parsed queries and compares scale_of() with
// Xapian's own description (query_parser_test.cpp).
#pragma once

#include <xapian.h>

namespace vigie {

enum class WeightScale {
  SameTermTwice,  // × 2 on a term (or on a term it already scaled)
  AllWordsBoost,  // × kAllWordsBoost on an AND or OR
};

// BM25 weights of one word stay within a few tens of each other across
// documents, so 10⁴ puts every all-word document above every partial one in
// practice (tested in query_parser_test.cpp).
inline constexpr double kAllWordsBoost = 1e4;
inline constexpr double kSameTermTwice = 2.0;

// OP_SCALE_WEIGHT over `sub` by `scale`'s factor. Throws std::logic_error
// when `sub`'s shape does not say that factor (a programming error: the
// matcher would weigh the node wrongly).
Xapian::Query scale_weight(const Xapian::Query& sub, WeightScale scale);

// The factor of an OP_SCALE_WEIGHT node built by scale_weight().
double scale_of(const Xapian::Query& node);

}  // namespace vigie
