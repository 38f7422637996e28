// IndexColumns: what the matcher needs of every document without reading
// it — facet values (facet_columns.h) and groups of identical texts
// (duplicate_groups.h) — the dictionary to read its data with
// (data_dictionary.h), the bitmaps of its filter terms (match_bitmap.h) and
// its frequent terms' postings (posting_cache.h), for one revision of one
// generation.
//
// SharedColumns lets the Searchers of one process share them: reading the
// columns costs ~0.1–0.2 s at 100k documents and ~5 MB, and each pooled
// Searcher used to pay both after every commit. The first Searcher to ask
// for a revision reads it (with its own database handle, under the lock, so
// that the others wait for it rather than read it again); the others get
// the same immutable object. The two most recent revisions are kept, so
// that Searchers on either side of a commit do not evict each other.
//
// Thread-safety: SharedColumns is thread-safe; IndexColumns are immutable
// once built and may be read from any thread (a shared_ptr keeps them alive
// for a search that started before they were evicted).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "index/data_dictionary.h"
#include "index/stream_store.h"
#include "matcher/block_maxima.h"
#include "matcher/duplicate_groups.h"
#include "matcher/facet_columns.h"
#include "matcher/listed_ranking.h"
#include "matcher/match_bitmap.h"
#include "matcher/posting_cache.h"
#include "matcher/shard_vocabularies.h"

namespace vigie {

// The facet columns' numbers in IndexColumns::facets (the multi-valued ones
// after the single-valued: FacetColumns).
inline constexpr std::size_t kFacetType = 0, kFacetOrganisation = 1, kFacetYear = 2,
                             kFacetAmount = 3, kFacetPerson = 4, kFacetVote = 5;

struct IndexColumns {
  // type, organisation, year, amount bucket; persons, votes (multi-valued): kFacet* below
  FacetColumns facets;
  DuplicateGroups duplicates;  // families: the same text in several files (kSlotFamily)
  WholeParts wholes;           // the session a deliberation is taken from
  // Dates by document id, as numbers (20100622; 0: none): date filters match
  // (column_range_source.h) and are counted (match_bitmap.h) from them.
  std::vector<std::uint32_t> dates;
  // Largest amounts by document id, in cents + 1 (0: none; schema::kSlotAmount):
  // montant: filters match (column_range_source.h) and are counted from
  // them. Empty when no document has an amount, so that an index without
  // decisions pays nothing for it.
  std::vector<std::uint64_t> amounts;
  // Document lengths by id (the sum of their wdfs, as BM25 reads them):
  // the searcher weighs known matches itself (bitmap_ranking.h).
  std::vector<std::uint32_t> lengths;
  std::shared_ptr<const DataDictionary> dictionary;  // nullptr: the data is JSON
  // The position streams' file of this revision (stream_store.h), found
  // when first asked for; none: phrases read the streams through Xapian.
  std::shared_ptr<const StreamStoreSlot> streams;
  // Filled as searches use filters and words (memos, not part of the revision's state).
  std::shared_ptr<FilterBitmaps> filter_bitmaps = std::make_shared<FilterBitmaps>();
  std::shared_ptr<PostingCache> postings = std::make_shared<PostingCache>();
  // A database of shards (search/shard_set.h: several, or remote): each
  // shard's data dictionary and position-stream vocabulary, by shard
  // ((id − 1) % n, the interleaving of the combined ids); empty and null
  // for one local database.
  std::vector<std::shared_ptr<const DataDictionary>> shard_dictionaries;
  std::shared_ptr<const ShardVocabularies> shard_vocabularies;
  std::shared_ptr<IdTermMemo> id_terms;  // filled as pages are ranked (listed_ranking.h)
  // Filled as searches weigh common words (block_maxima.h).
  std::shared_ptr<BlockMaxima> maxima = std::make_shared<BlockMaxima>();

  // The dictionary of document `id`'s data.
  const DataDictionary* dictionary_of(Xapian::docid id) const {
    if (shard_dictionaries.empty()) return dictionary.get();
    return shard_dictionaries[(id - 1) % shard_dictionaries.size()].get();
  }

  // Reads the columns of `db` (schema slots); the stream store is looked
  // for in `generation_dir` (the directory `db` was opened from; none: no
  // store).
  // A damaged data dictionary throws DataDictionaryError.
  // `shards`: the shards `db` combines, when several (their dictionaries
  // and vocabularies are read from each); `remote`: some of them are
  // remote (the posting cache then reads through the matcher).
  static std::shared_ptr<const IndexColumns> read(
      const Xapian::Database& db, const std::filesystem::path& generation_dir = {},
      const std::vector<Xapian::Database>* shards = nullptr, bool remote = false);
};

class SharedColumns {
 public:
  // The columns of `db`, whose state is `key` (generation@revision: see
  // Searcher::index_state). Reads them when no Searcher has yet.
  std::shared_ptr<const IndexColumns> get(const Xapian::Database& db, const std::string& key,
                                          const std::filesystem::path& generation_dir = {},
                                          const std::vector<Xapian::Database>* shards = nullptr,
                                          bool remote = false);
  // How many times columns were read (for tests and /metrics).
  std::uint64_t reads() const;

 private:
  mutable std::mutex mutex_;
  std::deque<std::pair<std::string, std::shared_ptr<const IndexColumns>>> recent_;  // newest first
  std::uint64_t reads_ = 0;
};

}  // namespace vigie
