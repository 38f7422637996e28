// MatchBitmap: every document a query matches, as a bitmap by document id,
// read straight from the posting lists — for exact totals and facet counts
// without Xapian's matcher.
//
// Why: exact facet counts need every match, and Xapian's matcher costs
// ~170 ns per match it weighs (~50 unweighted) where reading a posting costs
// ~13 ns (bench/README.md: at 100k documents a common word has 40,000
// matches). So the searcher lets the matcher rank the page only, with its
// early termination, and counts the bitmap.
//
// Only queries whose matches depend on their terms alone are evaluated:
// terms, OR, SYNONYM, AND, FILTER, AND_NOT, AND_MAYBE, SCALE_WEIGHT,
// MatchAll and MatchNothing. Anything else (phrases and NEAR, which check
// positions; value ranges; posting sources) gives nullopt, and the caller
// counts with the matcher as before.
//
// Thread-safety: a function of its arguments (a Xapian::Database handle is
// not shared between threads). Errors: Xapian errors propagate
// (DatabaseModifiedError: the caller retries, as for any search).
#pragma once

#include <xapian.h>

#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

namespace vigie {

class MatchBitmap {
 public:
  explicit MatchBitmap(Xapian::docid last_docid) : words_(last_docid / 64 + 1, 0) {}

  void set(Xapian::docid id) { words_[id / 64] |= std::uint64_t{1} << (id % 64); }
  bool test(Xapian::docid id) const {
    return id / 64 < words_.size() && (words_[id / 64] >> (id % 64) & 1) != 0;
  }
  void unite(const MatchBitmap& other);      // this ∪ other
  void intersect(const MatchBitmap& other);  // this ∩ other
  void subtract(const MatchBitmap& other);   // this − other
  Xapian::doccount count() const;

  // Calls f(docid) for every document in the bitmap, in id order.
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t w = 0; w < words_.size(); ++w)
      for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1)
        f(static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
  }

 private:
  std::vector<std::uint64_t> words_;
};

// The documents of `db` that `query` matches; nullopt when the query has a
// part that is not evaluated here (see above).
std::optional<MatchBitmap> match_bitmap(const Xapian::Database& db, const Xapian::Query& query);

}  // namespace vigie
