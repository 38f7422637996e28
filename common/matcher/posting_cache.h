// PostingCache: the postings of the index's frequent terms — document ids
// and wdfs in memory — for one revision of one generation (IndexColumns
// keeps one), for the searcher's own passes over posting lists
// (match_bitmap.h counts, bitmap_ranking.h weighs).
//
// Why: a search reads every posting of its words twice (a bitmap of the
// matches, then their weights), and a posting costs ~13 ns through
// Xapian's PostingIterator (a virtual call and a varint decode each), ~1 ns
// from memory. The frequent terms are the costly ones (« conseil » has
// 95,000 postings at 100k documents, 951,000 at 1M) and few, and the same
// words come back from one search to the next. A term is kept from its
// first search on, if it is in at least kMinShare of the documents (rarer
// terms are cheap to read) and the cache holds less than its budget.
//
// Compact, so that a million documents' common words fit: a term in at
// least kDenseShare of the documents is a bitmap by id (a bitmap's union
// or intersection is then a pass over words) with a rank directory, the
// others their ids; wdfs are a byte each (255: the wdf is in `large`). At
// 1M documents a word in 40 % of them is 0.6 MB instead of 3.2 MB (ids and
// wdfs as 32-bit arrays): 128 MB keep the ~200 commonest.
//
// Thread-safety: thread-safe; the postings are immutable once kept. Errors:
// Xapian errors from reading propagate, nothing is kept.
#pragma once

#include <xapian.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

// Counting bits is most of a bitmap's count and of a cached posting's rank:
// the POPCNT instruction where the processor has it (x86-64's baseline
// lacks it, and std::popcount is then a libgcc call: 4 % of a search at 1M
// documents), chosen at load time. On the definitions only (a declaration
// marked so makes every caller ask for the clones by name).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VIGIE_POPCOUNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define VIGIE_POPCOUNT_CLONES
#endif

namespace vigie {

// Every posting of `term` in `db`, (id, wdf) in id order, read through
// Xapian's matcher: one MSet of the documents holding it, each weighing its
// wdf (TfIdfWeight "nnn": wdf × 1 × 1), which a remote shard sends in one
// message instead of one per posting. An MSet of 5,000 postings over
// loopback: ~5 ms, against ~70 ms through a PostingIterator.
std::vector<std::pair<Xapian::docid, Xapian::termcount>> read_postings(const Xapian::Database& db,
                                                                       const std::string& term);

class PostingCache {
 public:
  static constexpr std::size_t kMaxBytes = 128u << 20;
  static constexpr double kMinShare = 1.0 / 64;
  static constexpr double kDenseShare = 1.0 / 16;

  // `through_matcher`: the database has remote shards (search/shard_set.h),
  // whose PostingIterator costs a message a posting (xapian-tcpsrv 1.4:
  // ~14 µs each, 3 s for a common word of 200,000 postings): every term is
  // then read in one MSet (read_postings() below) and kept while the budget
  // lasts, rare ones too.
  explicit PostingCache(std::size_t max_bytes = kMaxBytes, bool through_matcher = false)
      : max_bytes_(max_bytes), through_matcher_(through_matcher) {}

  class Postings {
   public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    std::size_t size() const { return wdfs_.size(); }
    bool dense() const { return !words_.empty(); }
    // A dense term's bitmap: bit id % 64 of word id / 64.
    const std::vector<std::uint64_t>& words() const { return words_; }
    std::size_t bytes() const {
      return ids_.size() * 4 + words_.size() * 8 + before_.size() * 4 + wdfs_.size() +
             large_.size() * 8;
    }
    Xapian::termcount wdf(std::size_t index) const {
      return wdfs_[index] < 255 ? wdfs_[index] : large_wdf(index);
    }
    // The index of `id`'s posting (npos: none).
    std::size_t find(Xapian::docid id) const;
    // The first posting at `id` or after (size(): none), in a sparse term.
    std::size_t lower_bound(Xapian::docid id, std::size_t from) const;
    Xapian::docid id_at(std::size_t index) const { return ids_[index]; }

    // f(id, wdf) for each posting with first ≤ id < end, in id order.
    template <typename F>
    void for_each_in(Xapian::docid first, Xapian::docid end, F&& f) const {
      if (!dense()) {
        for (std::size_t i = lower_bound(first, 0); i < ids_.size() && ids_[i] < end; ++i)
          f(ids_[i], wdf(i));
        return;
      }
      const std::size_t last_word =
          std::min<std::size_t>((std::size_t{end} + 63) / 64, words_.size());
      for (std::size_t w = first / 64; w < last_word; ++w) {
        std::uint64_t bits = words_[w];
        std::size_t index = before_[w];
        for (; bits != 0; bits &= bits - 1, ++index) {
          const auto id =
              static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
          if (id < first) continue;
          if (id >= end) return;
          f(id, wdf(index));
        }
      }
    }
    template <typename F>
    void for_each(F&& f) const {
      for_each_in(0, static_cast<Xapian::docid>(-1), std::forward<F>(f));
    }

   private:
    friend class PostingCache;
    Xapian::termcount large_wdf(std::size_t index) const;
    // Filled in id order: start(), add() each posting, finish().
    void start(Xapian::docid last_docid, Xapian::doccount frequency, bool dense);
    void add(Xapian::docid id, Xapian::termcount wdf);
    void finish();

    std::vector<Xapian::docid> ids_;     // sparse: ascending
    std::vector<std::uint64_t> words_;   // dense: the bitmap
    std::vector<std::uint32_t> before_;  // dense: postings before each word
    std::vector<std::uint8_t> wdfs_;     // posting order; 255: large_
    std::vector<std::pair<std::uint32_t, Xapian::termcount>> large_;  // (index, wdf ≥ 255)
  };

  // The postings of `term` in `db` when they are (or now become) kept;
  // nullptr when the term is too rare or the cache is full.
  std::shared_ptr<const Postings> get(const Xapian::Database& db, const std::string& term);
  // The same for a SYNONYM of `terms`: the union of their postings, each
  // document's wdf the sum of theirs (a stem family weighed with one
  // look-up a document instead of one per member: the bench's three-word
  // queries' families have ~6 members). Kept when its most frequent term
  // would be.
  std::shared_ptr<const Postings> get_union(const Xapian::Database& db,
                                            const std::vector<std::string>& terms);
  std::size_t bytes() const;
  bool through_matcher() const { return through_matcher_; }

 private:
  std::shared_ptr<const Postings> find_kept(const std::string& key) const;
  bool has_room(std::size_t bytes) const;
  std::shared_ptr<const Postings> keep(const std::string& key, std::shared_ptr<Postings> postings);
  static std::size_t estimated_bytes(const Xapian::Database& db, Xapian::doccount frequency,
                                     bool dense);

  const std::size_t max_bytes_;
  const bool through_matcher_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Postings>> kept_;
  std::size_t bytes_ = 0;
};

}  // namespace vigie
