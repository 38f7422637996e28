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
// MatchAll and MatchNothing — plus the ranges the caller describes
// (ColumnRange) and the phrases and PROCHE of position streams it names
// (PositionalPart: each checked on the documents its AND leaves, one
// stream read each, or relaxed). Anything else (Xapian's OP_PHRASE and
// OP_NEAR; other value ranges; other posting sources) gives nullopt, and
// the caller counts with the matcher as before.
//
// Thread-safety: a function of its arguments (a Xapian::Database handle is
// not shared between threads). Errors: Xapian errors propagate
// (DatabaseModifiedError: the caller retries, as for any search).
#pragma once

#include <xapian.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "matcher/posting_cache.h"

namespace vigie {
class ShardVocabularies;
class IdTermMemo;
class BlockMaxima;
}  // namespace vigie

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
  // this ∪ the bitmap whose words are `words` (a dense cached term's).
  void unite_words(const std::vector<std::uint64_t>& words);
  // The same over the ids [first_word · 64, end_word · 64) only: ranges of
  // whole 64-bit words (blocks of ids, bitmap_ranking.cpp).
  Xapian::doccount count_words(std::size_t first_word, std::size_t end_word) const;
  void copy_words(const MatchBitmap& from, std::size_t first_word, std::size_t end_word);
  std::size_t bytes() const { return words_.size() * sizeof(std::uint64_t); }

  // The first document at `id` or after; 0 when none.
  Xapian::docid next_from(Xapian::docid id) const;

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

// The bitmaps of the terms that filters repeat from one search to the next
// — type, organisation, year, collection, format, language: few terms, often
// on most of the corpus — for one revision of one generation (IndexColumns
// keeps one). A filter on « délibération » then costs a copy of 12 KB at
// 100k documents instead of reading 60,000 postings. Bounded to
// kMaxBytes; beyond, bitmaps are computed each time. Thread-safe.
class FilterBitmaps {
 public:
  static constexpr std::size_t kMaxBytes = 32u << 20;
  // Whether `term` is one of the filter terms kept here.
  static bool keeps(const std::string& term);
  // The bitmap of `term` (a term keeps() accepts), read from `db` the first time.
  std::shared_ptr<const MatchBitmap> get(const Xapian::Database& db, const std::string& term);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const MatchBitmap>> bitmaps_;
  std::size_t bytes_ = 0;
};

// A range the caller put in the query tree (`node`: an OP_VALUE_RANGE, _GE
// or _LE, or a ColumnRangeSource) on a value it also holds in memory as
// numbers by document id (`column`, 0 = no value: the dates, IndexColumns;
// or `wide`, 64-bit numbers: the amounts in cents + 1). The bitmap reads
// such a node from the column — Xapian's API does not give a node's bounds
// back, hence the caller says them. Numbers compare as the values' strings
// do (fixed-width digits: "20100622").
struct ColumnRange {
  Xapian::Query node;
  const std::vector<std::uint32_t>* column = nullptr;
  std::uint64_t low = 0, high = 0;
  const std::vector<std::uint64_t>* wide = nullptr;  // instead of `column`

  std::size_t size() const { return column ? column->size() : wide->size(); }
  bool holds(Xapian::docid id) const {
    std::uint64_t v = 0;
    if (column)
      v = id < column->size() ? (*column)[id] : 0;
    else
      v = id < wide->size() ? (*wide)[id] : 0;
    return v != 0 && low <= v && v <= high;
  }
};

// Adds the terms of `query` to `terms` when it is a union of terms (a term,
// or OR, SYNONYM and SCALE_WEIGHT over unions of terms: a word and its stem
// family, a prefix's expansions), repeats kept; false otherwise.
bool union_terms(const Xapian::Query& query, std::vector<std::string>& terms);

// A query's phrase or PROCHE on position streams: its posting source's
// node in the query tree, and what the source shares with the searcher
// (position_filter_source.h). Evaluated when its checks are relaxed (every
// document of its AND) or attached to the database (verified).
class PositionChecks;
class StreamStore;
struct PositionalPart {
  Xapian::Query node;
  std::shared_ptr<PositionChecks> checks;
};

// What match_bitmap() may read besides the posting lists.
struct BitmapSources {
  FilterBitmaps* filters = nullptr;       // the revision's filter bitmaps
  std::vector<ColumnRange> ranges;        // value ranges it can evaluate
  std::vector<PositionalPart> positions;  // phrases and PROCHE it can evaluate
  PostingCache* postings = nullptr;       // the revision's frequent terms' postings
  BlockMaxima* maxima = nullptr;          // and their weights' bounds by block (block_maxima.h)
  const StreamStore* streams = nullptr;   // the revision's stream file, for the checks
  // Several shards: their stream vocabularies (shard_vocabularies.h).
  const ShardVocabularies* shard_vocabularies = nullptr;
  IdTermMemo* id_terms = nullptr;  // and their id terms (listed_ranking.h)
};

// Ascending, disjoint [first, end) ranges of document ids (blocks).
struct IdRange {
  Xapian::docid first = 0, end = 0;
};

// f(docid, wdf) for each of `cached`'s postings whose document `domain`
// holds (every one when `domain` is null), in id order: each document of
// the domain looked up when `look_up` (a bit test and a rank in a dense
// term, a binary search in a sparse one), else a pass over the postings —
// only those within `ranges` when not null (the domain lies within them).
template <typename F>
void for_each_cached(const PostingCache::Postings& cached, const MatchBitmap* domain, bool look_up,
                     const std::vector<IdRange>* ranges, F&& f) {
  if (look_up && cached.dense()) {
    domain->for_each([&](Xapian::docid id) {
      if (const std::size_t i = cached.find(id); i != PostingCache::Postings::npos)
        f(id, cached.wdf(i));
    });
  } else if (look_up) {
    std::size_t at = 0;
    for (Xapian::docid id = domain->next_from(1); id != 0 && at < cached.size();
         id = domain->next_from(id + 1)) {
      at = cached.lower_bound(id, at);
      if (at < cached.size() && cached.id_at(at) == id) f(id, cached.wdf(at));
    }
  } else {
    auto in_domain = [&](Xapian::docid id, Xapian::termcount wdf) {
      if (!domain || domain->test(id)) f(id, wdf);
    };
    if (!ranges) {
      cached.for_each(in_domain);
      return;
    }
    for (const auto& r : *ranges) cached.for_each_in(r.first, r.end, in_domain);
  }
}

// f(docid, wdf) for each posting of `term` in `db` whose document `domain`
// holds (every posting when `domain` is null), in id order: from `cache`
// when it keeps the term, through Xapian otherwise; when the domain is
// under an eighth of the postings, each of its documents is looked up
// (skip_to skips whole chunks; a binary search in the cached ids).
// `domain_size`: domain->count() when the caller knows it.
template <typename F>
void for_each_posting(const Xapian::Database& db, PostingCache* cache, const std::string& term,
                      const MatchBitmap* domain, F&& f,
                      std::optional<Xapian::doccount> domain_size = std::nullopt) {
  const auto cached = cache ? cache->get(db, term) : nullptr;
  const double frequency = cached ? static_cast<double>(cached->size()) : db.get_termfreq(term);
  const bool look_up =
      domain && static_cast<double>(domain_size ? *domain_size : domain->count()) * 8 < frequency;
  if (cached) {
    for_each_cached(*cached, domain, look_up, nullptr, std::forward<F>(f));
    return;
  }
  const Xapian::PostingIterator end;
  auto it = db.postlist_begin(term);
  if (look_up) {
    for (Xapian::docid id = domain->next_from(1); id != 0 && it != end;
         id = domain->next_from(id + 1)) {
      it.skip_to(id);
      if (it != end && *it == id) f(id, it.get_wdf());
    }
    return;
  }
  for (; it != end; ++it)
    if (!domain || domain->test(*it)) f(*it, it.get_wdf());
}

// f(docid, wdf) for each posting of `term` whose document `domain` holds,
// `domain` lying within `ranges` (ascending, disjoint [first, end) ids):
// each range's postings read in turn (skip_to its start), or each document
// of `domain` looked up when that reads less — for a domain of a few blocks
// of a common word's ids (bitmap_ranking.cpp), a scan of the blocks reads
// ~13 ns a posting where a look-up costs ~150 ns.
template <typename F>
void for_each_posting_in(const Xapian::Database& db, PostingCache* cache, const std::string& term,
                         const std::vector<IdRange>& ranges, const MatchBitmap& domain,
                         Xapian::doccount domain_size, F&& f) {
  const auto cached = cache ? cache->get(db, term) : nullptr;
  const double frequency = cached ? static_cast<double>(cached->size()) : db.get_termfreq(term);
  double covered = 0;
  for (const auto& r : ranges) covered += r.end - r.first;
  const double in_ranges = frequency * covered / std::max<double>(1, db.get_lastdocid());
  if (in_ranges > 8.0 * domain_size || (cached && cached->dense())) {
    for_each_posting(db, cache, term, &domain, std::forward<F>(f), domain_size);
    return;
  }
  if (cached) {
    for_each_cached(*cached, &domain, false, &ranges, std::forward<F>(f));
    return;
  }
  const Xapian::PostingIterator end;
  auto it = db.postlist_begin(term);
  for (const auto& r : ranges) {
    if (it == end) return;
    if (*it < r.first) it.skip_to(r.first);
    for (; it != end && *it < r.end; ++it)
      if (domain.test(*it)) f(*it, it.get_wdf());
  }
}

// The documents of `db` that `query` matches; nullopt when the query has a
// part that is not evaluated here (see above; a value range is evaluated
// when `ranges` names it). `filters`: the revision's filter bitmaps, or
// nullptr.
std::optional<MatchBitmap> match_bitmap(const Xapian::Database& db, const Xapian::Query& query,
                                        FilterBitmaps* filters = nullptr,
                                        const std::vector<ColumnRange>& ranges = {});
// The same with phrases and PROCHE; `within`: only the documents of this
// bitmap are considered (a phrase's streams are read for these only).
std::optional<MatchBitmap> match_bitmap(const Xapian::Database& db, const Xapian::Query& query,
                                        const BitmapSources& sources,
                                        const MatchBitmap* within = nullptr);

}  // namespace vigie
