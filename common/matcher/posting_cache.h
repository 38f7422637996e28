// PostingCache: the postings of the index's frequent terms — document ids
// and wdfs as two plain arrays — for one revision of one generation
// (IndexColumns keeps one), for the searcher's own passes over posting
// lists (match_bitmap.h counts, bitmap_ranking.h weighs).
//
// Why: a search reads every posting of its words twice (a bitmap of the
// matches, then their weights), and a posting costs ~13 ns through
// Xapian's PostingIterator (a virtual call and a varint decode each), ~1 ns
// from an array. The frequent terms are the costly ones (« conseil » has
// 95,000 postings at 100k documents) and few, and the same words come back
// from one search to the next. A term is kept from its first search on, if
// it is in at least kMinShare of the documents (rarer terms are cheap to
// read) and the cache holds less than kMaxBytes (8 bytes a posting: 48 MB
// is 6 million postings, the 60 commonest terms of a 100k-document index
// twice over); beyond, terms are read from the index each time.
//
// Thread-safety: thread-safe; the arrays are immutable once kept. Errors:
// Xapian errors from reading propagate, nothing is kept.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigie {

class PostingCache {
 public:
  static constexpr std::size_t kMaxBytes = 48u << 20;
  static constexpr double kMinShare = 1.0 / 64;

  explicit PostingCache(std::size_t max_bytes = kMaxBytes) : max_bytes_(max_bytes) {}

  struct Postings {
    std::vector<Xapian::docid> ids;       // ascending
    std::vector<Xapian::termcount> wdfs;  // the same order
  };

  // The postings of `term` in `db` when they are (or now become) kept;
  // nullptr when the term is too rare or the cache is full.
  std::shared_ptr<const Postings> get(const Xapian::Database& db, const std::string& term);
  std::size_t bytes() const;

 private:
  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Postings>> kept_;
  std::size_t bytes_ = 0;
};

}  // namespace vigie
