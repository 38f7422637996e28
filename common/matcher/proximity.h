// Proximity: the best BM25 candidates of a word query re-ranked by how many
// of the query's consecutive words stand together in them.
//
// Why: BM25 weighs each word alone, so « indemnités du maire » ranked
// « indemnités actuarielles » (a table of pension liabilities that names the
// mayor elsewhere) at 4–5, among the « indemnités de fonction du maire »
// deliberations (issue 18). A document where two words of the query stand
// within a few positions of each other (title included; the title's end
// keeps a pair from spanning it) gets its weight multiplied by
// 1 + boost × (pairs found / pairs). Only the kProximityCandidates best by
// BM25 are looked at: one stream read per candidate, each pair a
// PositionMatcher scan (Near pattern), as phrases read them.
//
// Pages stay consistent: the candidates are the same set whatever page is
// asked, a boost only raises a weight, so every candidate still outweighs
// every document after them, and the pages past them are BM25's order.
//
// Only for a database of one shard (the streams are read by its ids).
// Thread-safety: a function of its arguments. Errors: Xapian errors
// propagate (DatabaseModifiedError: the caller retries); a damaged stream
// finds no pair.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "index/stream_store.h"
#include "matcher/bitmap_ranking.h"
#include "matcher/shard_vocabularies.h"
#include "query/query_parser.h"

namespace vigie {

// The best candidates by BM25 re-ranked: 50 covers the pages a reader turns
// (five of ten) at the cost of 50 stream reads (~0.1 ms, docs/ranking.md).
inline constexpr std::size_t kProximityCandidates = 50;

struct ProximitySettings {
  double boost = 0;        // 0: off
  std::uint32_t span = 0;  // a pair is found when last − first position < span
};

// Multiplies the weights of the kProximityCandidates heaviest documents of
// `weighed` (in id order, as shortlist() gives them; ties to the lower id)
// by 1 + boost × (pairs of `pairs` found within `span`) / pairs.size().
// `streams`: the database's stream file, read instead of Xapian's values
// when not null. Nothing changes without pairs, boost or span.
// `shards`: for a database of several shards, their vocabularies (each
// stream decoded with its own shard's codes; `streams` is then unused).
void boost_adjacent_words(const Xapian::Database& db, const StreamStore* streams,
                          const std::vector<AdjacentWords>& pairs,
                          const ProximitySettings& settings, std::vector<WeighedDocument>& weighed,
                          const ShardVocabularies* shards = nullptr);

}  // namespace vigie
