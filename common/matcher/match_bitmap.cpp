#include "matcher/match_bitmap.h"

#include <algorithm>

#include "index/schema.h"
#include "matcher/position_filter_source.h"

namespace vigie {
namespace {

// What an evaluation reads from.
struct Context {
  const Xapian::Database& db;
  Xapian::docid last;
  FilterBitmaps* filters;
  const std::vector<ColumnRange>& ranges;
  const std::vector<PositionalPart>& positions;
  PostingCache* postings;

  const ColumnRange* range_of(const Xapian::Query& node) const {
    for (const auto& r : ranges)
      if (r.node.internal.get() == node.internal.get()) return &r;
    return nullptr;
  }
  PositionChecks* checks_of(const Xapian::Query& node) const {
    for (const auto& p : positions)
      if (p.node.internal.get() == node.internal.get()) return p.checks.get();
    return nullptr;
  }
  // Whether `query` has a phrase or PROCHE that reads streams (not relaxed).
  bool verifies(const Xapian::Query& query) const {
    if (positions.empty()) return false;
    if (const PositionChecks* checks = checks_of(query)) return !checks->relaxed();
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
      if (verifies(query.get_subquery(i))) return true;
    return false;
  }
};

// Whether every part of `query` is evaluated by evaluate() — checked first,
// so that a query that cannot be counted here costs no posting read.
bool evaluable(const Context& cx, const Xapian::Query& query) {
  if (cx.range_of(query)) return true;
  if (const PositionChecks* checks = cx.checks_of(query))
    return checks->relaxed() || checks->attached();
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return true;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
        if (!evaluable(cx, query.get_subquery(i))) return false;
      return query.get_num_subqueries() > 0;
    default:
      return false;
  }
}

void add_postings(const Xapian::Database& db, const std::string& term, MatchBitmap& into,
                  PostingCache* cache = nullptr) {
  if (const auto cached = cache ? cache->get(db, term) : nullptr; cached && cached->dense()) {
    into.unite_words(cached->words());  // a pass over words, not postings
    return;
  }
  for_each_posting(db, cache, term, nullptr,
                   [&](Xapian::docid id, Xapian::termcount) { into.set(id); });
}

// About how many documents `query` matches, to intersect the smallest first.
double estimate(const Context& cx, const Xapian::Query& query) {
  const Xapian::Database& db = cx.db;
  const std::size_t n = query.get_num_subqueries();
  if (cx.range_of(query))
    return db.get_doccount();  // unknown: read it first only if nothing is smaller
  // A phrase is checked last, on what the rest of its AND leaves.
  if (cx.checks_of(query)) return db.get_doccount() + 1.0;
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM:
      return db.get_termfreq(*query.get_terms_begin());
    case Xapian::Query::LEAF_MATCH_ALL:
      return db.get_doccount();
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM: {
      double sum = 0;
      for (std::size_t i = 0; i < n; ++i) sum += estimate(cx, query.get_subquery(i));
      return std::min<double>(sum, db.get_doccount());
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER: {
      double least = db.get_doccount();
      for (std::size_t i = 0; i < n; ++i)
        least = std::min(least, estimate(cx, query.get_subquery(i)));
      return least;
    }
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      return estimate(cx, query.get_subquery(0));
    default:
      return 0;
  }
}

MatchBitmap evaluate(const Context& cx, const Xapian::Query& query);
void intersect_with(const Context& cx, const Xapian::Query& query, MatchBitmap& out);

// out ∩ `query`, part by part, so that a phrase or PROCHE in `query` reads
// the streams of documents still in `out` only.
void intersect_structure(const Context& cx, const Xapian::Query& query, MatchBitmap& out) {
  if (PositionChecks* checks = cx.checks_of(query)) {
    if (checks->relaxed()) return;
    MatchBitmap kept(cx.last);
    out.for_each([&](Xapian::docid id) {
      if (checks->verify(id)) kept.set(id);
    });
    out = std::move(kept);
    return;
  }
  const std::size_t n = query.get_num_subqueries();
  switch (query.get_type()) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER: {
      std::vector<std::pair<double, std::size_t>> parts;
      for (std::size_t i = 0; i < n; ++i)
        parts.emplace_back(estimate(cx, query.get_subquery(i)), i);
      std::sort(parts.begin(), parts.end());
      for (const auto& part : parts) intersect_with(cx, query.get_subquery(part.second), out);
      return;
    }
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM: {
      MatchBitmap any(cx.last);
      for (std::size_t i = 0; i < n; ++i) {
        MatchBitmap part = out;
        intersect_with(cx, query.get_subquery(i), part);
        any.unite(part);
      }
      out = std::move(any);
      return;
    }
    case Xapian::Query::OP_AND_NOT: {
      intersect_with(cx, query.get_subquery(0), out);
      for (std::size_t i = 1; i < n; ++i) {
        MatchBitmap excluded = out;
        intersect_with(cx, query.get_subquery(i), excluded);
        out.subtract(excluded);
      }
      return;
    }
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      intersect_with(cx, query.get_subquery(0), out);
      return;
    default:
      out.intersect(evaluate(cx, query));
  }
}

// Adds the postings of `term` to `into`, from the filter bitmaps when it is
// one of theirs.
void add_term(const Context& cx, const std::string& term, MatchBitmap& into) {
  if (cx.filters && FilterBitmaps::keeps(term))
    into.unite(*cx.filters->get(cx.db, term));
  else
    add_postings(cx.db, term, into, cx.postings);
}

// out ∩ `query`. When out is much smaller than `query`'s postings and
// `query` is a union of terms, each remaining document is looked up with
// skip_to (which skips whole chunks of postings) instead of reading them all.
void intersect_with(const Context& cx, const Xapian::Query& query, MatchBitmap& out) {
  const Xapian::doccount remaining = out.count();
  if (remaining == 0) return;
  if (cx.checks_of(query) || cx.verifies(query)) {  // streams are read for what `out` holds only
    intersect_structure(cx, query, out);
    return;
  }
  if (const ColumnRange* range = cx.range_of(query)) {  // an array lookup per document
    MatchBitmap kept(cx.last);
    out.for_each([&](Xapian::docid id) {
      if (range->holds(id)) kept.set(id);
    });
    out = std::move(kept);
    return;
  }
  std::vector<std::string> terms;
  // Looking documents up (skip_to) pays when they are under an eighth of
  // the postings (measured on the bench's word pairs and triples).
  if (!union_terms(query, terms) || static_cast<double>(remaining) * 8 > estimate(cx, query) ||
      (cx.filters && terms.size() == 1 && FilterBitmaps::keeps(terms[0]))) {
    out.intersect(evaluate(cx, query));
    return;
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  MatchBitmap kept(cx.last);
  for (const auto& t : terms)
    for_each_posting(cx.db, cx.postings, t, &out,
                     [&](Xapian::docid id, Xapian::termcount) { kept.set(id); });
  out = std::move(kept);
}

MatchBitmap evaluate(const Context& cx, const Xapian::Query& query) {
  MatchBitmap out(cx.last);
  const std::size_t n = query.get_num_subqueries();
  if (cx.checks_of(
          query)) {  // alone (not under its AND, as positional_query() puts it): every document
    add_postings(cx.db, std::string(), out);
    intersect_structure(cx, query, out);
    return out;
  }
  if (const ColumnRange* range = cx.range_of(query)) {
    for (Xapian::docid id = 1; id < range->size() && id <= cx.last; ++id)
      if (range->holds(id)) out.set(id);
    return out;
  }
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM:
      add_term(cx, *query.get_terms_begin(), out);
      break;
    case Xapian::Query::LEAF_MATCH_ALL:
      add_postings(cx.db, std::string(), out);  // the empty term: every document
      break;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM: {
      // A union of terms goes straight into one bitmap (a prefix may expand
      // to hundreds of terms); a term in it twice is read once.
      std::vector<std::string> terms;
      if (union_terms(query, terms)) {
        std::sort(terms.begin(), terms.end());
        terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
        for (const auto& t : terms) add_term(cx, t, out);
      } else {
        for (std::size_t i = 0; i < n; ++i) out.unite(evaluate(cx, query.get_subquery(i)));
      }
      break;
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER: {
      // The smallest part first, the others looked up in ascending size.
      std::vector<std::pair<double, std::size_t>> parts;
      for (std::size_t i = 0; i < n; ++i)
        parts.emplace_back(estimate(cx, query.get_subquery(i)), i);
      std::sort(parts.begin(), parts.end());
      out = evaluate(cx, query.get_subquery(parts[0].second));
      for (std::size_t k = 1; k < parts.size(); ++k)
        intersect_with(cx, query.get_subquery(parts[k].second), out);
      break;
    }
    case Xapian::Query::OP_AND_NOT:
      out = evaluate(cx, query.get_subquery(0));
      for (std::size_t i = 1; i < n; ++i) out.subtract(evaluate(cx, query.get_subquery(i)));
      break;
    case Xapian::Query::OP_AND_MAYBE:  // the optional parts only weigh
    case Xapian::Query::OP_SCALE_WEIGHT:
      out = evaluate(cx, query.get_subquery(0));
      break;
    default:  // LEAF_MATCH_NOTHING (others are refused by evaluable())
      break;
  }
  return out;
}

}  // namespace

bool union_terms(const Xapian::Query& query, std::vector<std::string>& terms) {
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM:
      terms.push_back(*query.get_terms_begin());
      return true;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_SCALE_WEIGHT:
      for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
        if (!union_terms(query.get_subquery(i), terms)) return false;
      return true;
    default:
      return false;
  }
}

void MatchBitmap::unite(const MatchBitmap& other) {
  for (std::size_t i = 0; i < std::min(words_.size(), other.words_.size()); ++i)
    words_[i] |= other.words_[i];
}

void MatchBitmap::intersect(const MatchBitmap& other) {
  for (std::size_t i = 0; i < words_.size(); ++i)
    words_[i] &= i < other.words_.size() ? other.words_[i] : 0;
}

void MatchBitmap::subtract(const MatchBitmap& other) {
  for (std::size_t i = 0; i < std::min(words_.size(), other.words_.size()); ++i)
    words_[i] &= ~other.words_[i];
}

Xapian::docid MatchBitmap::next_from(Xapian::docid id) const {
  std::size_t w = id / 64;
  if (w >= words_.size()) return 0;
  std::uint64_t bits = words_[w] & (~std::uint64_t{0} << (id % 64));
  while (bits == 0) {
    if (++w == words_.size()) return 0;
    bits = words_[w];
  }
  return static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
}

VIGIE_POPCOUNT_CLONES Xapian::doccount MatchBitmap::count() const {
  Xapian::doccount n = 0;
  for (auto w : words_) n += static_cast<Xapian::doccount>(std::popcount(w));
  return n;
}

void MatchBitmap::unite_words(const std::vector<std::uint64_t>& words) {
  for (std::size_t w = 0; w < std::min(words.size(), words_.size()); ++w) words_[w] |= words[w];
}

VIGIE_POPCOUNT_CLONES Xapian::doccount MatchBitmap::count_words(std::size_t first_word,
                                                                std::size_t end_word) const {
  Xapian::doccount n = 0;
  for (std::size_t w = first_word; w < std::min(end_word, words_.size()); ++w)
    n += static_cast<Xapian::doccount>(std::popcount(words_[w]));
  return n;
}

void MatchBitmap::copy_words(const MatchBitmap& from, std::size_t first_word,
                             std::size_t end_word) {
  const std::size_t end = std::min({end_word, words_.size(), from.words_.size()});
  for (std::size_t w = first_word; w < end; ++w) words_[w] = from.words_[w];
}

std::optional<MatchBitmap> match_bitmap(const Xapian::Database& db, const Xapian::Query& query,
                                        FilterBitmaps* filters,
                                        const std::vector<ColumnRange>& ranges) {
  static const std::vector<PositionalPart> none;
  const Context cx{db, db.get_lastdocid(), filters, ranges, none, nullptr};
  if (!evaluable(cx, query)) return std::nullopt;
  return evaluate(cx, query);
}

std::optional<MatchBitmap> match_bitmap(const Xapian::Database& db, const Xapian::Query& query,
                                        const BitmapSources& sources, const MatchBitmap* within) {
  const Context cx{
      db, db.get_lastdocid(), sources.filters, sources.ranges, sources.positions, sources.postings};
  if (!evaluable(cx, query)) return std::nullopt;
  if (!within) return evaluate(cx, query);
  MatchBitmap out = *within;
  intersect_with(cx, query, out);
  return out;
}

bool FilterBitmaps::keeps(const std::string& term) {
  for (std::string_view prefix :
       {schema::kTypePrefix, schema::kOrgPrefix, schema::kYearPrefix, schema::kCollectionPrefix,
        schema::kFormatPrefix, schema::kLanguagePrefix})
    if (term.size() > prefix.size() && term.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

std::shared_ptr<const MatchBitmap> FilterBitmaps::get(const Xapian::Database& db,
                                                      const std::string& term) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = bitmaps_.find(term); it != bitmaps_.end()) return it->second;
  }
  // Read outside the lock (two searches may both read a new term once).
  auto bitmap = std::make_shared<MatchBitmap>(db.get_lastdocid());
  add_postings(db, term, *bitmap);
  std::lock_guard lock(mutex_);
  if (bytes_ + bitmap->bytes() <= kMaxBytes && bitmaps_.emplace(term, bitmap).second)
    bytes_ += bitmap->bytes();
  return bitmap;
}

}  // namespace vigie
