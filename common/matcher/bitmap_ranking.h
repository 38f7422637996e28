// Bitmap ranking: a page of a query in relevance order when its matches are
// already known as a bitmap (match_bitmap.h), with Xapian's matcher
// weighing a shortlist of them instead of every one.
//
// Why: Xapian's matcher weighs every match of a word — BM25 gives it no
// bound to stop early on — at ~40 ns each plus the tree's overhead, twice
// what reading the postings costs; at 100k documents a common word has
// 40,000 matches, and that pass was half of a search's time. The searcher
// reads the postings anyway, for exact totals and facets. So shortlist()
// computes the query's BM25 weights itself over the known matches, the way
// Xapian's BM25Weight does — the term weight from the term's frequency, the
// document's length over the average, k1 and b; a SYNONYM as one term whose
// wdf is the sum of its terms' and whose frequency is estimated as Xapian
// estimates it (independent terms); SCALE_WEIGHT factors; FILTER's and
// AND_NOT's right sides and posting sources weigh nothing — keeps the best
// (offset + limit) documents and a margin, and rank_among() lets Xapian's
// matcher weigh those only. The page is then Xapian's own, weights and
// percentages included, as long as the true page is in the shortlist: the
// weights here differ from Xapian's by rounding at most (and by the
// rounding of a synonym's estimated frequency), which a margin of 4 more
// documents absorbs; tests compare with the whole matcher on the real
// corpus (and the bench's 240 queries at 100k documents gave the same
// first and third pages as with a margin of offset + limit + 20). The
// margin is what the matcher pays for: it opens every posting list of the
// query and skips to each shortlisted document in each (a B-tree block
// read per document in a long list), ~0.3 ms of a word's 1.1 with 40.
//
// The searcher then ranks a word's page by those weights themselves
// (rank_weighed(): Xapian's matcher over a posting source giving them, no
// posting list opened), equal to Xapian's up to rounding — the same pages
// and percentages in the tests; phrases' relaxed candidates still go
// through rank_among() (positional_search.h).
//
// Only for a database of one shard (a posting source of the combined
// database's ids). Thread-safety: functions of their arguments. Errors:
// Xapian errors propagate (DatabaseModifiedError: the caller retries).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "matcher/duplicate_groups.h"
#include "matcher/listed_ranking.h"
#include "matcher/match_bitmap.h"
#include "vigie/config.h"

namespace vigie {

// The page [offset, offset + limit) of `query` as Xapian's matcher ranks
// it with `weight`, the matcher examining only the documents of `among`
// (and asking `decider` about them, when not null). `sharded` (not null):
// a database of shards (search/shard_set.h), maybe remote, whose matcher
// runs only Xapian's built-in classes (listed_ranking.h), with its
// revision's id terms.
Xapian::MSet rank_among(const Xapian::Database& db, const Xapian::Query& query,
                        const Xapian::Weight& weight, std::shared_ptr<const MatchBitmap> among,
                        Xapian::doccount offset, Xapian::doccount limit,
                        Xapian::MatchDecider* decider = nullptr, IdTermMemo* sharded = nullptr);

// The documents of `matches` (every match of `query` that may be shown)
// that may make the first `wanted` of `query` in relevance order, weighed
// with `bm25` as said above; `lengths`: each document's length by id
// (IndexColumns). A part under OR weighs where it matches: a part that is
// not a union of terms is evaluated there (match_bitmap(), with
// `sources`). nullopt when `query` weighs with something not computed here
// (MatchAll, Xapian's phrases, an operator not listed above) or a part
// match_bitmap() does not evaluate.
// `scratch`: buffers kept from one search to the next (nullptr: made for
// this one), e.g. one per Searcher — not per thread: a server has a
// thread per connection.
// `weighed` (when not null) receives the documents kept with their weights.
// `families` (when not null): of the matches of one family, only the
// best-weighted (ties: the lower id) may be kept (duplicate_groups.h).
// `hidden` (when not null): matches that are not listed (a session merged
// into its deliberation's result). `demoted` (when not null): matches that
// rank after all the others, by their weights times kDemotion (the
// deliberations of a session that ranks above them).
struct WeighingScratch {
  std::vector<double> scores;           // by document id; all zeros between searches
  std::vector<Xapian::termcount> wdfs;  // the same
};
struct WeighedDocument {
  double weight = 0;
  Xapian::docid id = 0;
};
std::optional<MatchBitmap> shortlist(
    const Xapian::Database& db, const Xapian::Query& query, const MatchBitmap& matches,
    const BitmapSources& sources, const std::vector<std::uint32_t>& lengths, const Bm25Config& bm25,
    std::size_t wanted, WeighingScratch* scratch = nullptr,
    std::vector<WeighedDocument>* weighed = nullptr, const DuplicateGroups* families = nullptr,
    const MatchBitmap* hidden = nullptr, const MatchBitmap* demoted = nullptr);
inline constexpr double kDemotion = 1e-6;

// The indexes into `weighed` (shortlist()'s, in id order) of its `count`
// heaviest documents (ties: the lower id, as rank_weighed() ranks them), in
// id order: the candidates the re-rankings (proximity.h, title_words.h) look at.
std::vector<std::size_t> heaviest(const std::vector<WeighedDocument>& weighed, std::size_t count);

// The page [offset, offset + limit) of `weighed` (shortlist()'s) by weight,
// ties to the lower id as Xapian ranks them, as an MSet whose weights are
// those: Xapian's matcher ranks a posting source that gives them, and opens
// no posting list of the query (rank_among() opens them all and skips to
// every shortlisted document in each: most of what a word's page cost).
// The weights are Xapian's BM25 computed here: equal to its matcher's up to
// rounding (tests compare pages, weights and percentages).
Xapian::MSet rank_weighed(const Xapian::Database& db,
                          std::shared_ptr<const std::vector<WeighedDocument>> weighed,
                          Xapian::doccount offset, Xapian::doccount limit);

// Xapian's relevance percentages for a page ranked by rank_among(), whose
// own would count its bitmap filter as part of the query: a weight's
// percentage is weight × factor (percent()), the factor being that of the
// whole query's matcher — 100 / the best hit's weight, times the share of
// the query's parts that hit holds (its weighed terms, a SYNONYM as one,
// and its posting sources, as Xapian counts them).
// `best`, `best_weight`: the first hit of the whole ranking; `sources`: as
// for shortlist() (a part under OR is evaluated on `best`). nullopt when
// `query` weighs with something not counted here (as shortlist()).
std::optional<double> percent_factor(const Xapian::Database& db, const Xapian::Query& query,
                                     const BitmapSources& sources, Xapian::docid best,
                                     double best_weight);
int percent(double weight, double factor);

}  // namespace vigie
