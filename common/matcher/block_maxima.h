// BlockMaxima: for a term, an upper bound of what it weighs in each block of
// block_ids() consecutive document ids — the largest BM25 term-frequency part
// wdf / (K·normlen + wdf) of its postings there — so that shortlist()
// (bitmap_ranking.h) can weigh the blocks that may hold the best documents
// first and stop before the others (block-max, as Lucene's WAND over impacts).
//
// Why: shortlist() weighed every match, and at 1,000,000 generated documents
// a common word has 400,000 of them: 38 % of a search's time (perf, issue
// 19). A block's bound is the sum over the query's terms of the term weight
// times this maximum; once the page's worst kept weight beats every
// remaining block's bound, the remaining blocks cannot change the page.
//
// The maxima depend on the revision's average length and on k1, b and
// min_normlen: one BlockMaxima per revision (IndexColumns keeps it), keyed
// by term and those parameters. Terms of at least kMinShare of the
// documents are kept (up to kMaxBytes: 4 KB a term at 1M documents); rarer
// ones are computed each time (their postings are few).
//
// Thread-safety: thread-safe; the arrays are immutable once kept. Errors:
// Xapian errors from reading propagate, nothing is kept.
#pragma once

#include <xapian.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "vigie/config.h"

namespace vigie {

class PostingCache;

class BlockMaxima {
 public:
  static constexpr std::size_t kMaxBytes = 32u << 20;
  static constexpr double kMinShare = 1.0 / 256;

  // `weigh_from`: shortlist() uses the blocks for `matches` of at least this
  // many documents (below, weighing every match costs less than the bounds:
  // < 0.2 ms). `block_ids`: a multiple of 64 (whole bitmap words); 1,024
  // ids a block is 4 KB of bounds a term at 1M documents, and a word of 1M
  // documents' page is found in ~30 blocks of 977 (bench/README.md). Tests
  // give small values to drive the blocks on a small index.
  explicit BlockMaxima(Xapian::doccount weigh_from = 16384, Xapian::docid block_ids = 128)
      : weigh_from_(weigh_from), block_ids_(block_ids) {}
  Xapian::doccount weigh_from() const { return weigh_from_; }
  Xapian::docid block_ids() const { return block_ids_; }

  // Block b holds the ids [b · block_ids, (b + 1) · block_ids).
  std::size_t block_of(Xapian::docid id) const { return id / block_ids_; }
  std::size_t blocks(Xapian::docid last_docid) const { return last_docid / block_ids_ + 1; }

  // By block: a bound (≥, rounded up) of wdf / (k1·b·normlen + k1·(1 − b) +
  // wdf) over `term`'s postings in the block (0: none), normlen being the
  // document's length (`lengths`, by id) over the average, at least
  // min_normlen — Weigher::add's formula (bitmap_ranking.cpp).
  // `terms`: one term, or a SYNONYM's (the wdf being the sum of theirs: a
  // stem family's bound summed term by term was 20 % above the real one,
  // and no block could be skipped).
  std::shared_ptr<const std::vector<float>> get(const Xapian::Database& db, PostingCache* postings,
                                                const std::vector<std::string>& terms,
                                                const std::vector<std::uint32_t>& lengths,
                                                const Bm25Config& bm25);
  std::size_t bytes() const;
  // Blocks of matches shortlist() did not need to weigh, since this was made.
  void note_skipped(std::size_t blocks) { skipped_ += blocks; }
  std::size_t skipped() const { return skipped_; }

 private:
  const Xapian::doccount weigh_from_;
  const Xapian::docid block_ids_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const std::vector<float>>> kept_;
  std::size_t bytes_ = 0;
  std::atomic<std::size_t> skipped_{0};
};

}  // namespace vigie
